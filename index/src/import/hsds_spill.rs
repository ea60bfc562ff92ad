//! The HSDS CSV join's scratch space: detail rows (phones, schedules, addresses, ...) are
//! written to bucket files by the service or location they belong to, instead of being
//! joined in memory. A bucket covers a range of owners in file order, so the services
//! of one range are assembled from one bucket read back whole; the location buckets are
//! sorted into one file read by offset. The scratch folder is removed when the join is
//! dropped, on success, on error and on a panic.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::ImportError;

/// Owners per bucket, at least: a bucket read back holds this many services' details.
const MIN_BUCKET: u32 = 4096;
/// Open bucket files, at most (each has a write buffer).
const MAX_BUCKETS: u32 = 256;

fn scratch_error(path: &Path, source: std::io::Error) -> ImportError {
    ImportError::Io {
        path: format!("{} (the import's scratch space)", path.display()),
        source,
    }
}

/// One detail row as spilled: the owner (a service or location ordinal), the handler
/// that applies it, and its CSV record.
pub(crate) struct Spilled {
    pub owner: u32,
    pub kind: u8,
    pub line: u64,
    pub record: ByteRecord,
}

/// Appends spilled rows to one file per range of owners.
pub(crate) struct Buckets {
    dir: PathBuf,
    name: &'static str,
    per_bucket: u32,
    files: Vec<Option<BufWriter<File>>>,
}

impl Buckets {
    /// Buckets for `owners` owners in `dir`, files named `{name}-{n}`.
    pub fn new(dir: &Path, name: &'static str, owners: u32) -> Buckets {
        let per_bucket = owners.div_ceil(MAX_BUCKETS).max(MIN_BUCKET);
        let count = owners.div_ceil(per_bucket).max(1);
        Buckets {
            dir: dir.to_path_buf(),
            name,
            per_bucket,
            files: (0..count).map(|_| None).collect(),
        }
    }

    pub fn per_bucket(&self) -> u32 {
        self.per_bucket
    }

    pub fn count(&self) -> u32 {
        self.files.len() as u32
    }

    fn path(&self, bucket: u32) -> PathBuf {
        self.dir.join(format!("{}-{bucket}", self.name))
    }

    pub fn push(&mut self, owner: u32, kind: u8, line: u64, record: &ByteRecord) -> Result<(), ImportError> {
        let bucket = (owner / self.per_bucket) as usize;
        if self.files[bucket].is_none() {
            let path = self.path(bucket as u32);
            let file = File::create(&path).map_err(|e| scratch_error(&path, e))?;
            self.files[bucket] = Some(BufWriter::with_capacity(32 << 10, file));
        }
        let w = self.files[bucket].as_mut().expect("opened above");
        let mut head = [0u8; 15];
        head[..4].copy_from_slice(&owner.to_le_bytes());
        head[4] = kind;
        head[5..13].copy_from_slice(&line.to_le_bytes());
        head[13..15].copy_from_slice(&(record.len().min(u16::MAX as usize) as u16).to_le_bytes());
        let mut write = || -> std::io::Result<()> {
            w.write_all(&head)?;
            for field in record.iter().take(u16::MAX as usize) {
                w.write_all(&(field.len() as u32).to_le_bytes())?;
                w.write_all(field)?;
            }
            Ok(())
        };
        write().map_err(|e| scratch_error(&self.dir, e))
    }

    /// Closes the files for reading.
    pub fn finish(&mut self) -> Result<(), ImportError> {
        for w in self.files.iter_mut().flatten() {
            w.flush().map_err(|e| scratch_error(&self.dir, e))?;
        }
        self.files.iter_mut().for_each(|f| drop(f.take()));
        Ok(())
    }

    /// Bucket `n` read back (and its file removed).
    pub fn read(&self, n: u32) -> Result<Bucket, ImportError> {
        let path = self.path(n);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(scratch_error(&path, e)),
        };
        let _ = std::fs::remove_file(&path);
        Ok(Bucket::new(bytes))
    }
}

/// A bucket's rows as written, and where each starts in owner order (rows of one owner
/// in the order spilled). Rows are decoded one owner at a time.
#[derive(Default)]
pub(crate) struct Bucket {
    bytes: Vec<u8>,
    rows: Vec<(u32, u32)>,
    next: usize,
}

impl Bucket {
    fn new(bytes: Vec<u8>) -> Bucket {
        let mut rows = Vec::new();
        let mut at = 0usize;
        while let Some((s, end)) = decode_one(&bytes, at, false) {
            rows.push((s.owner, at as u32));
            at = end;
        }
        rows.sort_by_key(|r| r.0);
        Bucket { bytes, rows, next: 0 }
    }

    /// The rows of `owner`, not yet decoded; owners are asked for in increasing order.
    pub fn take(&mut self, owner: u32) -> OwnerRows<'_> {
        while self.next < self.rows.len() && self.rows[self.next].0 < owner {
            self.next += 1;
        }
        let first = self.next;
        while self.rows.get(self.next).is_some_and(|r| r.0 == owner) {
            self.next += 1;
        }
        OwnerRows {
            bytes: &self.bytes,
            starts: &self.rows[first..self.next],
        }
    }
}

/// One owner's rows in a bucket, as spilled. A nightly re-import digests nearly every
/// service's rows and builds one in a hundred: decoding each row into a record (an
/// allocation and a copy per field) only for the services built was a tenth of it.
pub(crate) struct OwnerRows<'a> {
    bytes: &'a [u8],
    starts: &'a [(u32, u32)],
}

/// One spilled row, undecoded: its kind and its fields.
pub(crate) struct RawRow<'a> {
    pub kind: u8,
    /// How many fields there are.
    pub count: usize,
    /// The fields as spilled (each a little-endian u32 length, then its bytes).
    fields: &'a [u8],
}

impl<'a> RawRow<'a> {
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let mut rest = self.fields;
        (0..self.count).map_while(move |_| {
            let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let field = rest.get(4..4 + len)?;
            rest = &rest[4 + len..];
            Some(field)
        })
    }
}

impl<'a> OwnerRows<'a> {
    /// The rows in the order spilled, undecoded.
    pub fn raw(&self) -> impl Iterator<Item = RawRow<'a>> + 'a {
        let bytes = self.bytes;
        self.starts.iter().filter_map(move |&(_, at)| {
            let at = at as usize;
            let head = bytes.get(at..at + 15)?;
            let (kind, count) = (head[4], u16::from_le_bytes([head[13], head[14]]) as usize);
            let (_, end) = decode_one(bytes, at, false)?;
            Some(RawRow {
                kind,
                count,
                fields: &bytes[at + 15..end],
            })
        })
    }

    /// The rows of one kind, decoded.
    pub fn of_kind(&self, kind: u8) -> Vec<Spilled> {
        self.decoded(|k| k == kind)
    }

    /// Every row, decoded.
    pub fn all(&self) -> Vec<Spilled> {
        self.decoded(|_| true)
    }

    fn decoded(&self, wanted: impl Fn(u8) -> bool) -> Vec<Spilled> {
        self.starts
            .iter()
            .filter(|&&(_, at)| self.bytes.get(at as usize + 4).is_some_and(|&k| wanted(k)))
            .filter_map(|&(_, at)| decode_one(self.bytes, at as usize, true).map(|(s, _)| s))
            .collect()
    }
}

/// The row that starts at `at`, and where the next one starts; with `fields` false only
/// its head is decoded.
fn decode_one(bytes: &[u8], at: usize, fields: bool) -> Option<(Spilled, usize)> {
    let head = bytes.get(at..at + 15)?;
    let owner = u32::from_le_bytes(head[..4].try_into().expect("4 bytes"));
    let kind = head[4];
    let line = u64::from_le_bytes(head[5..13].try_into().expect("8 bytes"));
    let count = u16::from_le_bytes(head[13..15].try_into().expect("2 bytes"));
    let mut record = ByteRecord::new();
    let mut pos = at + 15;
    for _ in 0..count {
        let len = u32::from_le_bytes(bytes.get(pos..pos + 4)?.try_into().expect("4 bytes")) as usize;
        pos += 4;
        if fields {
            record.push_field(bytes.get(pos..pos + len)?);
        }
        pos += len;
    }
    let row = Spilled {
        owner,
        kind,
        line,
        record,
    };
    Some((row, pos))
}

/// The rows of a spill file, in the order written.
pub(crate) fn decode(bytes: &[u8]) -> Vec<Spilled> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((s, end)) = decode_one(bytes, at, true) {
        out.push(s);
        at = end;
    }
    out
}

/// Spilled rows of every owner, contiguous by owner, read by owner ordinal.
pub(crate) struct Sorted {
    /// (start, end) of each owner's rows in `file`.
    spans: Vec<(u64, u64)>,
    file: File,
    path: PathBuf,
}

impl Sorted {
    /// Sorts every bucket into one file.
    pub fn from(buckets: &Buckets, owners: u32) -> Result<Sorted, ImportError> {
        let path = buckets.dir.join(format!("{}-sorted", buckets.name));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| scratch_error(&path, e))?;
        let mut w = BufWriter::with_capacity(64 << 10, file);
        let mut spans = vec![(0u64, 0u64); owners as usize];
        let mut at = 0u64;
        for n in 0..buckets.count() {
            let bucket = buckets.read(n)?;
            let mut rows = bucket.rows.iter().peekable();
            while let Some(&&(owner, _)) = rows.peek() {
                let start = at;
                while let Some(&(_, offset)) = rows.next_if(|r| r.0 == owner) {
                    let offset = offset as usize;
                    let end = decode_one(&bucket.bytes, offset, false).map_or(offset, |(_, end)| end);
                    w.write_all(&bucket.bytes[offset..end])
                        .map_err(|e| scratch_error(&path, e))?;
                    at += (end - offset) as u64;
                }
                if let Some(span) = spans.get_mut(owner as usize) {
                    *span = (start, at);
                }
            }
        }
        let file = w.into_inner().map_err(|e| scratch_error(&path, e.into_error()))?;
        Ok(Sorted { spans, file, path })
    }

    /// The rows of `owner`, in the order spilled.
    pub fn get(&self, owner: u32, buf: &mut Vec<u8>) -> Result<Vec<Spilled>, ImportError> {
        use std::os::unix::fs::FileExt;
        let Some(&(start, end)) = self.spans.get(owner as usize) else {
            return Ok(Vec::new());
        };
        if end == start {
            return Ok(Vec::new());
        }
        buf.resize((end - start) as usize, 0);
        self.file
            .read_exact_at(buf, start)
            .map_err(|e| scratch_error(&self.path, e))?;
        Ok(decode(buf))
    }
}
