//! Opening what an import was pointed at without ever hanging: a FIFO (named pipe) would
//! block a plain read until something writes to it, holding the import lock all that
//! time; a symlink loop, a directory or a device where a file should be is refused with a
//! message saying what it is.

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use super::ImportError;

/// What kind of thing `meta` describes, when it is not a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else {
        Some("not a regular file")
    }
}

/// The error for a path that cannot be looked at: a symlink loop says so.
pub(crate) fn open_error(path: &Path, e: std::io::Error) -> ImportError {
    if e.raw_os_error() == Some(libc::ELOOP) {
        return ImportError::Unusable {
            path: path.display().to_string(),
            reason: "a loop of symbolic links (too many levels), not a file".into(),
        };
    }
    if e.kind() == std::io::ErrorKind::NotFound {
        return ImportError::NotFound(path.to_path_buf());
    }
    ImportError::Io {
        path: path.display().to_string(),
        source: e,
    }
}

/// Refuses `path` unless it is a regular file (following symlinks).
pub(crate) fn check_file(path: &Path) -> Result<(), ImportError> {
    let meta = std::fs::metadata(path).map_err(|e| open_error(path, e))?;
    match not_a_file(&meta) {
        None => Ok(()),
        Some(what) => Err(ImportError::Unusable {
            path: path.display().to_string(),
            reason: format!("is {what}, not a file: export the data to a file and import that"),
        }),
    }
}

/// Opens a regular file to read. The file is opened without blocking and checked after
/// opening (so a file swapped for a FIFO in between is refused too).
pub(crate) fn open(path: &Path) -> Result<std::fs::File, ImportError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| open_error(path, e))?;
    let meta = file.metadata().map_err(|e| open_error(path, e))?;
    if let Some(what) = not_a_file(&meta) {
        return Err(ImportError::Unusable {
            path: path.display().to_string(),
            reason: format!("is {what}, not a file: export the data to a file and import that"),
        });
    }
    Ok(file)
}

/// Reads a regular file whole (see [`open`]).
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, ImportError> {
    let mut file = open(path)?;
    let len = file.metadata().map_or(0, |m| m.len() as usize);
    let mut bytes = Vec::with_capacity(len);
    file.read_to_end(&mut bytes).map_err(|e| open_error(path, e))?;
    Ok(bytes)
}
