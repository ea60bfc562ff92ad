//! A table's bytes without holding the file: a read-only mapping whose resident pages are
//! handed back to the page cache behind the reader ([`Bytes::release`]), so reading a
//! 500 MB table costs the process a few megabytes, not 500. A file that needs decoding
//! (UTF-16, bare-CR line endings) is decoded into memory instead: such exports are small.

use std::fs::File;

use memmap2::{Mmap, UncheckedAdvice};

pub(crate) enum Bytes {
    Owned(Vec<u8>),
    /// The mapping and where the data starts in it (after a UTF-8 byte-order mark).
    Mapped(Mmap, usize),
}

impl Bytes {
    /// Maps `file` (already checked to be a regular file). An empty file has nothing to map.
    pub fn map(file: &File) -> std::io::Result<Bytes> {
        if file.metadata()?.len() == 0 {
            return Ok(Bytes::Owned(Vec::new()));
        }
        // SAFETY: the mapping is read-only and private; a file truncated by another
        // process while it is read would fault (SIGBUS), as any reader of a file being
        // rewritten under it fails. Exports are written first and imported after.
        let map = unsafe { Mmap::map(file)? };
        let start = if map.starts_with(&[0xef, 0xbb, 0xbf]) { 3 } else { 0 };
        Ok(Bytes::Mapped(map, start))
    }

    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m, start) => &m[*start..],
        }
    }

    /// Gives the resident pages of `range` of the data back (they are read again from the
    /// page cache when touched). Nothing for owned bytes.
    pub fn release(&self, from: usize, to: usize) {
        let Bytes::Mapped(map, start) = self else { return };
        const PAGE: usize = 4096;
        let (from, to) = ((from + start).div_ceil(PAGE) * PAGE, ((to + start) / PAGE) * PAGE);
        if to > from && to <= map.len() {
            // SAFETY: a read-only private file mapping: dropped pages are read from the
            // file again; no slice into them is invalidated (the contents stay the same).
            let _ = unsafe { map.unchecked_advise_range(UncheckedAdvice::DontNeed, from, to - from) };
        }
    }

    /// Calls `f` on the data piece by piece, giving each piece's pages back after it: a
    /// scan of the whole table costs a few megabytes, not the table.
    pub fn for_each_piece(&self, mut f: impl FnMut(&[u8])) {
        const PIECE: usize = 4 << 20;
        let data = self.as_slice();
        let mut at = 0;
        while at < data.len() {
            let end = (at + PIECE).min(data.len());
            f(&data[at..end]);
            self.release(at, end);
            at = end;
        }
    }

    /// [`Bytes::release`] of everything.
    pub fn release_all(&self) {
        self.release(0, self.as_slice().len());
    }
}
