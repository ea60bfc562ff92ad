//! The index files' mapped pages a writer touches, given back while it writes.
//!
//! tantivy reads segments through memory mappings. Merging segments reads every page of
//! them, and each page read stays resident in the process until the segment is unmapped
//! (when the merge is over): the final merge of a million-service import made about a
//! gigabyte of index files resident, twice the rest of the import's memory. The pages are
//! the page cache's, not the process's, so giving them back costs nothing but a minor
//! fault when one is touched again: while a writer lives, [`Releaser`] gives back the
//! pages of every file the directory has mapped, every [`PERIOD`]; what the process holds
//! of the index is what the merges read in one period, whatever the index's size.

use std::fmt;
use std::io;
use std::ops::Range;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tantivy::directory::{FileHandle, OwnedBytes};
use tantivy::HasLen;

/// How often a writer's mapped pages are given back.
pub(crate) const PERIOD: Duration = Duration::from_millis(100);

/// The files a directory has mapped (while anyone reads them).
#[derive(Clone, Default)]
pub(crate) struct MappedPages {
    files: Arc<Mutex<Vec<Weak<Mapped>>>>,
}

impl fmt::Debug for MappedPages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MappedPages")
    }
}

/// One mapped file: all of its bytes, handed out in slices.
#[derive(Debug)]
struct Mapped {
    bytes: OwnedBytes,
}

impl HasLen for Mapped {
    fn len(&self) -> usize {
        self.bytes.len()
    }
}

impl FileHandle for Mapped {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        Ok(self.bytes.slice(range))
    }
}

const PAGE: usize = 4096;

impl MappedPages {
    /// A handle on `bytes`, the whole of a read-only file mapping (or empty), that this
    /// registry can give the pages of back.
    pub fn track(&self, bytes: OwnedBytes) -> Arc<dyn FileHandle> {
        let mapped = Arc::new(Mapped { bytes });
        // An empty file is not mapped; anything not starting on a page is no mapping.
        if !mapped.bytes.is_empty() && (mapped.bytes.as_slice().as_ptr() as usize) % PAGE == 0 {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            if files.len() % 64 == 63 {
                files.retain(|f| f.strong_count() > 0);
            }
            files.push(Arc::downgrade(&mapped));
        }
        mapped
    }

    /// Gives back the resident pages of every file still mapped. Returns how many files.
    pub fn release(&self) -> usize {
        let live: Vec<Arc<Mapped>> = {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            files.retain(|f| f.strong_count() > 0);
            files.iter().filter_map(Weak::upgrade).collect()
        };
        for mapped in &live {
            let bytes = mapped.bytes.as_slice();
            // SAFETY: `bytes` is a whole read-only mapping of an index file, which tantivy
            // never rewrites (a segment's files are written once, then only read or
            // deleted): the dropped pages are read again from the page cache, with the same
            // contents, when touched; no slice into the mapping is invalidated.
            unsafe {
                libc::madvise(bytes.as_ptr() as *mut libc::c_void, bytes.len(), libc::MADV_DONTNEED);
            }
        }
        live.len()
    }

    /// Gives the pages back every [`PERIOD`] until the returned releaser is dropped.
    pub fn releaser(&self) -> Releaser {
        let (stop, stopped) = mpsc::channel::<()>();
        let pages = self.clone();
        let thread = std::thread::Builder::new()
            .name("index-pages".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(PERIOD) {
                    pages.release();
                }
            })
            .ok();
        Releaser {
            stop: Some(stop),
            thread,
        }
    }
}

/// Gives a directory's mapped pages back while it lives (see the module docs).
pub(crate) struct Releaser {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Releaser {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Kilobytes of the mapping at `bytes` resident in this process (/proc/self/smaps).
    fn resident_kb(bytes: &[u8]) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let start = format!("{:x}-", bytes.as_ptr() as usize);
        let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&start));
        assert!(lines.next().is_some(), "the mapping is in smaps");
        let rss = lines.find(|l| l.starts_with("Rss:")).unwrap();
        rss.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn released_files_read_the_same_and_dropped_ones_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        let data: Vec<u8> = (0..20 * PAGE).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        // The directory the index is read through (tantivy's mapping of the file).
        let directory = crate::shared_dir::SharedDirectory::open(dir.path()).unwrap();
        let pages = directory.pages();
        let handle = tantivy::directory::Directory::get_file_handle(&directory, Path::new("seg")).unwrap();
        let slice = handle.read_bytes(PAGE..3 * PAGE).unwrap();
        let whole = handle.read_bytes(0..data.len()).unwrap();
        assert_eq!(whole.as_slice(), &data[..]);
        assert_eq!(resident_kb(whole.as_slice()), 80, "every page read is resident");
        assert_eq!(pages.release(), 1);
        assert_eq!(resident_kb(whole.as_slice()), 0, "given back");
        // Read again, the same bytes.
        assert_eq!(slice.as_slice(), &data[PAGE..3 * PAGE]);
        assert_eq!(whole.as_slice(), &data[..]);
        drop(whole);
        // An empty file is not a mapping: never released.
        let empty = pages.track(OwnedBytes::empty());
        assert_eq!(empty.len(), 0);
        drop(handle);
        drop(slice);
        assert_eq!(pages.release(), 0);
    }
}
