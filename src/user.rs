//! Who is running navigator: the operating-system account of the real uid. It goes into
//! the audit trail, lease owners, drafts, imports, and the personal-data readers check.
//!
//! Never an environment variable: `USER` and `LOGNAME` are whatever the caller sets
//! (`USER=ana navigator ...`), so trusting them would let anyone act, and read, as anyone.
//! Root gets no special treatment here either: it is the account named `root`.

use std::ffi::CStr;

/// The account name of the real uid (getpwuid_r of getuid), or `uid-N` when the account
/// has no name in the password database (a container's bare uid, say).
pub fn name() -> String {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    account_name(uid).unwrap_or_else(|| format!("uid-{uid}"))
}

/// The name of account `uid` in the password database.
pub fn account_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: all-zero is a valid `passwd` (null pointers, zero ids) for getpwuid_r to fill.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call and buf's length is passed with it.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success pw_name points at a NUL-terminated string inside `buf`.
    let name = unsafe { CStr::from_ptr(pwd.pw_name) }.to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

/// The name of group `gid` in the group database.
pub fn group_name(gid: libc::gid_t) -> Option<String> {
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: all-zero is a valid `group` (null pointers, zero id) for getgrgid_r to fill.
    let mut group: libc::group = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::group = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call and buf's length is passed with it.
    let rc = unsafe { libc::getgrgid_r(gid, &mut group, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || group.gr_name.is_null() {
        return None;
    }
    // SAFETY: on success gr_name points at a NUL-terminated string inside `buf`.
    let name = unsafe { CStr::from_ptr(group.gr_name) }.to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

/// This server's name (for the import lock's holder and the write log): the host name.
pub fn host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "unknown-host".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_the_real_uids_account_whatever_user_says() {
        // SAFETY: getuid has no preconditions.
        let uid = unsafe { libc::getuid() };
        let expected = account_name(uid).unwrap_or_else(|| format!("uid-{uid}"));
        // The environment is process-wide; this only reads it, and no other test sets it.
        assert_eq!(name(), expected);
        assert_ne!(name(), "someone-else-entirely");
        assert_eq!(account_name(0).as_deref(), Some("root"));
        assert_eq!(group_name(0).as_deref(), Some("root"));
    }
}
