//! A tantivy directory for shared installs: [`MmapDirectory`] with group permissions kept.
//!
//! tantivy writes `meta.json` and `.managed.json` on every commit through a temporary file,
//! which is created with mode 0600 whatever the umask: after the first commit by one user,
//! the other users of a shared install could no longer open the index. This wrapper
//! delegates everything to the [`MmapDirectory`] and, after each atomic write (and after
//! taking a lock file), gives the file the group read/write mode its directory implies:
//! 0660 when the directory is group-writable or setgid, else the file is left alone.
//! It also keeps track of the files it maps, so a writer can give their pages back as
//! its merges read them ([`crate::mapped_pages`]).

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::mapped_pages::MappedPages;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
    META_LOCK,
};

/// A permission error, or a read-only file system.
fn denied(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(libc::EROFS)
}

/// The mode files get in a group-shared directory.
pub const SHARED_FILE_MODE: u32 = 0o660;

/// Whether `mode` (a directory's) asks for group-shared files: setgid or group-writable.
pub fn is_group_shared(mode: u32) -> bool {
    mode & 0o2000 != 0 || mode & 0o020 != 0
}

/// The file mode a directory implies, `None` when files there keep the mode they get.
pub fn implied_file_mode(dir: &Path) -> Option<u32> {
    let mode = std::fs::metadata(dir).ok()?.permissions().mode();
    is_group_shared(mode).then_some(SHARED_FILE_MODE)
}

/// Gives `path` at least `mode`'s permission bits. Best effort: a file another user owns
/// cannot be changed by us, and then it already has the mode its owner gave it.
pub fn widen_mode(path: &Path, mode: u32) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    let current = meta.permissions().mode() & 0o7777;
    if current & mode == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(current | mode))
}

/// [`MmapDirectory`] that keeps atomically written files group read/write in a shared
/// (setgid or group-writable) index directory.
#[derive(Clone, Debug)]
pub struct SharedDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    /// The mode written files get; `None` outside a shared directory.
    file_mode: Option<u32>,
    /// The files mapped for reading, whose pages a writer gives back as it goes.
    pages: MappedPages,
}

impl SharedDirectory {
    pub fn open(dir: &Path) -> Result<SharedDirectory, tantivy::directory::error::OpenDirectoryError> {
        // Searches read a few scattered stored records per keystroke: without this hint the
        // kernel maps 64 KB around every page touched, and a long session's resident memory
        // grows by hundreds of MB of index pages it never needed.
        let inner = MmapDirectory::open_with_madvice(dir, tantivy::directory::Advice::Random)?;
        Ok(SharedDirectory {
            inner,
            root: dir.to_path_buf(),
            file_mode: implied_file_mode(dir),
            pages: MappedPages::default(),
        })
    }

    /// The files this directory (and its clones) mapped.
    pub(crate) fn pages(&self) -> MappedPages {
        self.pages.clone()
    }

    fn fix_mode(&self, path: &Path) {
        if let Some(mode) = self.file_mode {
            // Another user's file keeps its (already shared) mode; nothing else to do.
            let _ = widen_mode(&self.root.join(path), mode);
        }
    }
}

impl Directory for SharedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        // The mapping's handle is its bytes: all of them, tracked.
        let handle = self.inner.get_file_handle(path)?;
        let bytes = handle
            .read_bytes(0..handle.len())
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        Ok(self.pages.track(bytes))
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        Ok(FileSlice::new(self.get_file_handle(path)?))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let ptr = self.inner.open_write(path)?;
        self.fix_mode(path);
        Ok(ptr)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)?;
        self.fix_mode(path);
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        let guard = match self.inner.acquire_lock(lock) {
            Ok(guard) => guard,
            // A reader without write permission (a read-only data directory) cannot create
            // the lock file readers take while opening the index; it still reads. The
            // writer's lock is never skipped: writing needs the permission anyway.
            Err(LockError::IoError(e)) if lock.filepath == META_LOCK.filepath && denied(&e) => {
                return Ok(DirectoryLock::from(Box::new(())));
            }
            Err(e) => return Err(e),
        };
        self.fix_mode(&lock.filepath);
        Ok(guard)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_means_setgid_or_group_writable() {
        assert!(is_group_shared(0o2770));
        assert!(is_group_shared(0o770));
        assert!(is_group_shared(0o2750));
        assert!(!is_group_shared(0o755));
        assert!(!is_group_shared(0o700));
    }

    /// The mode `meta.json` gets from an atomic write in a directory of mode `dir_mode`.
    fn mode_after_atomic_write(dir_mode: u32) -> u32 {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(dir_mode)).unwrap();
        let d = SharedDirectory::open(dir.path()).unwrap();
        d.atomic_write(Path::new("meta.json"), b"{}").unwrap();
        std::fs::metadata(dir.path().join("meta.json"))
            .unwrap()
            .permissions()
            .mode()
    }

    #[test]
    fn atomic_writes_become_group_read_write_in_a_shared_dir() {
        assert_eq!(mode_after_atomic_write(0o2770) & 0o777, 0o660);
    }

    #[test]
    fn a_private_dir_keeps_tantivys_modes() {
        assert_eq!(mode_after_atomic_write(0o700) & 0o777, 0o600, "tantivy's own mode");
    }
}
