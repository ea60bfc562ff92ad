//! Permission failures said plainly: which file, which permission was missing, who owns it
//! and which group would let you in. A navigator who gets "permission denied" on a shared
//! install needs to know whom to ask and for what.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::exit::Failure;

/// A failure for an I/O error on `path`: for a permission error, exit 77 with who owns
/// it and how to get access; otherwise exit 74 naming the file.
pub fn failure(path: &Path, e: &std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(libc::EROFS) {
        return Failure::no_perm(denied(path, "write"));
    }
    Failure::io(format!("{}: {e}", path.display()))
}

/// "cannot write /srv/navigator/navigator.db: permission denied (owner ana, group
/// navigators, mode 0640); ask an administrator to add you (uid-1001) to group navigators"
pub fn denied(path: &Path, permission: &str) -> String {
    let me = crate::user::name();
    let target = if path.exists() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    let Ok(meta) = std::fs::metadata(target) else {
        return format!("cannot {permission} {}: permission denied", path.display());
    };
    let owner = crate::user::account_name(meta.uid()).unwrap_or_else(|| format!("uid {}", meta.uid()));
    let group = crate::user::group_name(meta.gid()).unwrap_or_else(|| format!("gid {}", meta.gid()));
    let mode = meta.permissions().mode() & 0o7777;
    let read_only_fs = is_read_only_fs(target);
    let advice = if read_only_fs {
        "the file system is mounted read-only".to_string()
    } else if owner == me {
        format!("it is yours: give yourself {permission} permission (chmod u+w)")
    } else {
        format!("ask an administrator to add you ({me}) to group {group}, or to give the group {permission} permission")
    };
    format!(
        "cannot {permission} {}: permission denied (owner {owner}, group {group}, mode {mode:04o}); {advice}",
        path.display()
    )
}

/// Bytes free for this account on the file system holding `path`.
pub fn free_bytes(path: &Path) -> Option<u64> {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: statvfs fills a struct we own; `c` is a valid NUL-terminated path.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::statvfs(c.as_ptr(), &mut st) } == 0;
    ok.then(|| st.f_bavail as u64 * st.f_frsize as u64)
}

fn is_read_only_fs(path: &Path) -> bool {
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: statvfs fills a struct we own; `c` is a valid NUL-terminated path.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    unsafe { libc::statvfs(c.as_ptr(), &mut st) == 0 && st.f_flag & libc::ST_RDONLY != 0 }
}

/// Whether this process (its real uid, as access(2) checks) may `mode` (libc::R_OK,
/// W_OK, X_OK, combined) `path`.
pub fn may(path: &Path, mode: libc::c_int) -> bool {
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path; access has no other preconditions.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

/// Makes sure `data_dir` exists and this account may use it. A folder it may not enter
/// is exit 77 naming the owner and the group to join; one it may only read is fine (the
/// store opens read-only).
pub fn check_data_dir(data_dir: &Path) -> Result<(), Failure> {
    if !data_dir.exists() {
        return std::fs::create_dir_all(data_dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => Failure::no_perm(denied(data_dir, "create")),
            _ => Failure::io(format!("cannot create data directory {}: {e}", data_dir.display())),
        });
    }
    if !may(data_dir, libc::R_OK | libc::X_OK) {
        return Err(Failure::no_perm(denied(data_dir, "read")));
    }
    Ok(())
}
