//! Shared installs: one data directory for a whole office, owned by a group, setgid (mode
//! 2770), so every navigator in the group reads and writes the same catalogue and casework.
//!
//! Each user's umask decides the mode of new files; a umask of 022 would make the database
//! or the log readable only by whoever created them. So whenever the data directory is a
//! setgid directory, the process umask becomes 007 before anything is created there, and
//! the SQLite files (whose default mode is 0644) are made 0660 after they are opened.

use std::ffi::CString;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use navigator_index::shared_dir::{widen_mode, SHARED_FILE_MODE};

/// The mode `admin init` gives a shared data directory: group rwx, setgid.
pub const SHARED_DIR_MODE: u32 = 0o2770;

/// The database files SQLite creates in the data directory.
pub const DB_FILES: [&str; 3] = ["navigator.db", "navigator.db-wal", "navigator.db-shm"];

/// True when `dir` is a setgid directory (a shared install).
pub fn is_shared(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o2000 != 0)
}

/// In a shared data directory, makes everything this process creates group read/write
/// (umask 007), whatever the user's umask. Elsewhere the user's umask is left alone.
pub fn prepare(data_dir: &Path) {
    if is_shared(data_dir) {
        // SAFETY: umask only swaps the process's file mode creation mask.
        unsafe {
            libc::umask(0o007);
        }
    }
}

/// In a shared data directory, makes the database files group read/write. Files another
/// user created already have the mode their creator gave them (this same code); a file we
/// cannot change is reported in the log, not as an error.
pub fn share_db_files(data_dir: &Path) {
    if !is_shared(data_dir) {
        return;
    }
    for name in DB_FILES {
        let path = data_dir.join(name);
        if path.exists() {
            if let Err(e) = widen_mode(&path, SHARED_FILE_MODE) {
                tracing::warn!(file = %path.display(), error = %e, "cannot make the file group read/write");
            }
        }
    }
}

/// The id of group `name`, `None` when there is no such group.
pub fn group_id(name: &str) -> Option<libc::gid_t> {
    let c = CString::new(name).ok()?;
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: all-zero is a valid `group` (pointers null, ids 0) for getgrnam_r to fill.
    let mut group: libc::group = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::group = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call and buf's length is passed with it.
    let rc = unsafe { libc::getgrnam_r(c.as_ptr(), &mut group, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    (rc == 0 && !result.is_null()).then_some(group.gr_gid)
}

/// True when this process may give files to group `gid`: root, or a member of it.
pub fn may_use_group(gid: libc::gid_t) -> bool {
    // SAFETY: these getters have no preconditions and cannot fail.
    let (euid, egid) = unsafe { (libc::geteuid(), libc::getegid()) };
    if euid == 0 || egid == gid {
        return true;
    }
    // SAFETY: a count of 0 asks for the number of groups only.
    let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    if n <= 0 {
        return false;
    }
    let mut groups = vec![0 as libc::gid_t; n as usize];
    // SAFETY: `groups` has room for `n` entries.
    let n = unsafe { libc::getgroups(n, groups.as_mut_ptr()) };
    n > 0 && groups[..n as usize].contains(&gid)
}

/// Gives `path` to group `gid`, keeping its owner.
pub fn chown_group(path: &Path, gid: libc::gid_t) -> io::Result<()> {
    std::os::unix::fs::chown(path, None, Some(gid))
}

/// Makes `dir` (created if missing) a shared data directory of group `gid`: the group owns
/// it and everything already in it, directories are 2770 and files at least 0660.
pub fn init_dir(dir: &Path, gid: libc::gid_t) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    share_tree(dir, gid)?;
    // The data directory itself is exactly 2770: nobody outside the group looks in.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(SHARED_DIR_MODE))
}

fn share_tree(path: &Path, gid: libc::gid_t) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    if meta.gid() != gid {
        chown_group(path, gid)?;
    }
    // chown may clear the setgid bit, so the mode comes after it.
    if meta.is_dir() {
        let mode = meta.permissions().mode() & 0o7777;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode | SHARED_DIR_MODE))?;
        for entry in std::fs::read_dir(path)? {
            share_tree(&entry?.path(), gid)?;
        }
    } else {
        widen_mode(path, SHARED_FILE_MODE)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setgid_dir_is_shared() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_shared(dir.path()));
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o2770)).unwrap();
        assert!(is_shared(dir.path()));
    }

    #[test]
    fn init_makes_the_tree_group_read_write() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("index")).unwrap();
        std::fs::write(data.join("navigator.db"), b"").unwrap();
        std::fs::set_permissions(data.join("navigator.db"), std::fs::Permissions::from_mode(0o600)).unwrap();
        // SAFETY: getegid has no preconditions.
        let gid = unsafe { libc::getegid() };
        init_dir(&data, gid).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&data), 0o2770);
        assert_eq!(mode(&data.join("index")) & 0o2770, 0o2770);
        assert_eq!(mode(&data.join("navigator.db")), 0o660);
    }

    #[test]
    fn groups_resolve_by_name() {
        assert_eq!(group_id("root"), Some(0));
        assert_eq!(group_id("no-such-group-navigator"), None);
        // SAFETY: getegid has no preconditions.
        assert!(may_use_group(unsafe { libc::getegid() }));
    }
}
