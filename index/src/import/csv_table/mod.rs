//! Tolerant reading of one CSV table from a real export: byte-order marks, UTF-16 files,
//! Windows-1252 bytes among UTF-8 (repaired field by field), CR-only line endings, header
//! names in any case with stray spaces, columns prefixed with their table's name
//! (`service_name`, `organization_uuid`), empty header cells, extra and missing columns,
//! and ragged rows. Hostile input is bounded: fields and records over the [`Limits`] are
//! dropped and reported, NUL bytes removed, and a stray quote that would swallow the rest
//! of the file is reported and the lines after it read as records again.

use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::encoding;
use mapped::Bytes;

mod mapped;
use super::limits::Limits;
use super::values::Problems;
use super::ImportError;

/// The CSV files of an import folder, found by name case-insensitively.
pub(crate) struct Folder {
    /// (lowercased file name, name relative to the import folder, full path)
    files: Vec<(String, String, PathBuf)>,
}

impl Folder {
    /// Lists the `.csv` files in `dir`, and in `sub` (relative to `dir`) when given.
    pub fn list(dir: &Path, sub: Option<&str>) -> Result<Folder, ImportError> {
        let mut files = Vec::new();
        let (path, prefix) = match sub {
            Some(s) => (dir.join(s), format!("{}/", s.trim_end_matches('/'))),
            None => (dir.to_path_buf(), String::new()),
        };
        let entries = std::fs::read_dir(&path).map_err(|source| io_error(&path, source))?;
        for entry in entries {
            let entry = entry.map_err(|source| io_error(&path, source))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let lower = name.to_lowercase();
            if lower.ends_with(".csv") {
                // A FIFO, a folder or a symlink loop named like a table: refused by name
                // rather than skipped (or, for a FIFO, read forever).
                super::source_file::check_file(&entry.path())?;
                files.push((lower, format!("{prefix}{name}"), entry.path()));
            }
        }
        files.sort();
        Ok(Folder { files })
    }

    /// The first of `names` (lowercase, e.g. "services.csv") that exists: (relative name, path).
    pub fn find(&self, names: &[&str]) -> Option<(&str, &Path)> {
        names.iter().find_map(|n| {
            self.files
                .iter()
                .find(|(lower, _, _)| lower == n)
                .map(|(_, rel, path)| (rel.as_str(), path.as_path()))
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(&[name]).is_some()
    }
}

pub(crate) fn io_error(path: &Path, source: std::io::Error) -> ImportError {
    ImportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// One table, decoded to UTF-8, with its header resolved. A UTF-8 file is mapped, not
/// read: the pages a pass reads are given back behind it.
pub(crate) struct Table {
    /// The file name relative to the import folder, as problems cite it.
    pub file: String,
    data: Bytes,
    headers: Vec<String>,
    /// The singular table name that may prefix its own columns ("service", "location").
    prefix: Option<&'static str>,
    limits: Limits,
}

/// A column index, or `None` when the table does not have that column.
pub(crate) type Col = Option<usize>;

impl Table {
    /// Reads and decodes a table. Encoding repairs are reported to `problems`.
    pub fn load(
        path: &Path,
        file: &str,
        prefix: Option<&'static str>,
        problems: &mut Problems,
    ) -> Result<Table, ImportError> {
        let handle = super::source_file::open(path)?;
        let mapped = Bytes::map(&handle).map_err(|source| io_error(path, source))?;
        let bytes = mapped.as_slice();
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        let data = if utf16 || mapped_cr_line_endings(&mapped) {
            Bytes::Owned(decode(bytes.to_vec()))
        } else {
            mapped.release_all();
            mapped
        };
        Ok(Table::with_data(data, file, prefix, problems))
    }

    #[cfg(test)]
    pub fn from_bytes(bytes: Vec<u8>, file: &str, prefix: Option<&'static str>, problems: &mut Problems) -> Table {
        Table::with_data(Bytes::Owned(decode(bytes)), file, prefix, problems)
    }

    fn with_data(data: Bytes, file: &str, prefix: Option<&'static str>, problems: &mut Problems) -> Table {
        let mut reader = reader(data.as_slice());
        let mut header = ByteRecord::new();
        let headers = match reader.read_byte_record(&mut header) {
            Ok(true) => header.iter().map(normalize_header).collect(),
            _ => Vec::new(),
        };
        data.release_all();
        Table {
            file: file.to_string(),
            data,
            headers,
            prefix,
            limits: problems.limits,
        }
    }

    /// The record that starts at byte `offset` (a [`Row::offset`] of an earlier pass), with
    /// the repairs of that pass made again (their problems were reported then). `None` when
    /// the pass skipped it. For many reads, [`Table::reader_at`].
    pub fn record_at(&self, offset: u64) -> Option<ByteRecord> {
        self.reader_at().record_at(offset)
    }

    /// A reader of records by offset that keeps its parser between reads.
    pub fn reader_at(&self) -> ReaderAt<'_> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(4096)
            .from_reader(std::io::Cursor::new(self.data.as_slice()));
        ReaderAt {
            table: self,
            reader,
            record: ByteRecord::new(),
        }
    }

    /// About how many data rows the table has (its line count): for reserving capacity.
    pub fn estimated_rows(&self) -> usize {
        let mut n = 0;
        self.data
            .for_each_piece(|p| n += p.iter().filter(|&&b| b == b'\n').count());
        n
    }

    /// Gives back the pages random reads ([`Table::record_at`]) made resident.
    pub fn release(&self) {
        self.data.release_all();
    }

    /// The header's column names, normalized.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Whether the header names this column (exactly, after normalizing).
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }

    /// The column for `name`, accepting the variants real exports use: the table's own
    /// prefix (`service_name` for `name`, `service_uuid` for `id`) and `_uuid` for `_id`.
    pub fn col(&self, name: &str) -> Col {
        let find = |n: &str| self.headers.iter().position(|h| h == n);
        if let Some(i) = find(name) {
            return Some(i);
        }
        if let Some(p) = self.prefix {
            if let Some(i) = find(&format!("{p}_{name}")) {
                return Some(i);
            }
            if name == "id" {
                if let Some(i) = find("uuid").or_else(|| find(&format!("{p}_uuid"))) {
                    return Some(i);
                }
            }
        }
        if let Some(stem) = name.strip_suffix("_id") {
            return find(&format!("{stem}_uuid"));
        }
        None
    }

    /// The first of several column names that the table has.
    pub fn col_any(&self, names: &[&str]) -> Col {
        names.iter().find_map(|n| self.col(n))
    }

    /// Calls `f` for every data row, reusing one record buffer.
    pub fn for_each_row(&self, problems: &mut Problems, mut f: impl FnMut(&Row, &mut Problems)) {
        self.for_each_record(problems, |record, line, offset, problems| {
            f(&Row { record, line, offset }, problems)
        });
    }

    fn for_each_record(&self, problems: &mut Problems, mut f: impl FnMut(&ByteRecord, u64, u64, &mut Problems)) {
        let data = self.data.as_slice();
        // Pages behind the reader are given back every few megabytes.
        const RELEASE: usize = 4 << 20;
        let mut released = 0usize;
        // The parser's own line numbers lag by one after a CRLF, so lines are counted
        // here from each record's byte offset.
        let mut lines = LineCounter::default();
        let mut record = ByteRecord::new();
        // Where the parse (re)starts: after a swallowing quote it resumes a line later.
        let mut start = 0usize;
        let mut header = true;
        'parse: loop {
            let mut reader = reader(&data[start..]);
            if header {
                header = false;
                if !matches!(reader.read_byte_record(&mut record), Ok(true)) {
                    return;
                }
            }
            loop {
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {
                        if record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace)) {
                            continue;
                        }
                        let at = start + record.position().map_or(0, |p| p.byte() as usize);
                        let end = start + reader.position().byte() as usize;
                        let line = lines.line_at(data, at as u64);
                        if at >= released + 2 * RELEASE {
                            self.data.release(released, at - RELEASE);
                            released = at - RELEASE;
                        }
                        if let Some(reason) = self.swallowed(&record, at, end) {
                            problems.skipped(&self.file, Some(line), None, reason);
                            match data[at..].iter().position(|&b| b == b'\n') {
                                Some(nl) => {
                                    start = at + nl + 1;
                                    continue 'parse;
                                }
                                None => return,
                            }
                        }
                        match self.checked(&record, line, problems) {
                            Checked::Skip => {}
                            Checked::AsIs => f(&record, line, at as u64, problems),
                            Checked::Fixed(fixed) => f(&fixed, line, at as u64, problems),
                        }
                        if record.as_slice().len() > self.limits.max_field_bytes {
                            // The parser's buffer grew to hold this record and would stay
                            // that size (and be copied that size) for every record after.
                            record = ByteRecord::new();
                        }
                    }
                    Ok(false) => {
                        self.data.release_all();
                        return;
                    }
                    Err(e) => {
                        let line = e.position().map(|p| lines.line_at(data, start as u64 + p.byte()));
                        problems.skipped(&self.file, line, None, format!("unreadable CSV record: {e}"));
                    }
                }
            }
        }
    }

    /// Why a record is not one record but a stray quote that swallowed the lines after
    /// it: the quote is never closed before the end of the file, or the quoted value
    /// holds several lines that look like rows of this table.
    fn swallowed(&self, record: &ByteRecord, at: usize, end: usize) -> Option<String> {
        let multiline = |field: &[u8]| field.contains(&b'\n');
        if !record.iter().any(multiline) {
            return None;
        }
        let data = self.data.as_slice();
        let raw = &data[at..end.min(data.len())];
        let lines = raw.iter().filter(|&&b| b == b'\n').count();
        let quotes = raw.iter().filter(|&&b| b == b'"').count();
        if end >= data.len() && quotes % 2 == 1 {
            return Some(format!(
                "unbalanced quote: the quoted value that starts on this line runs to the end of the file \
                 ({lines} lines); the lines after this one are read as records"
            ));
        }
        let columns = self.headers.len();
        if columns >= 3 {
            let rowlike = record
                .iter()
                .filter(|f| multiline(f))
                .flat_map(|f| f.split(|&b| b == b'\n'))
                .filter(|l| l.iter().filter(|&&b| b == b',').count() + 1 >= columns)
                .count();
            if rowlike >= 2 {
                return Some(format!(
                    "unbalanced quote: the quoted value that starts on this line swallows {rowlike} lines that \
                     look like records; the lines after this one are read as records"
                ));
            }
        }
        None
    }

    /// A record within the limits, UTF-8, without NUL bytes: as it is, repaired (each
    /// repair reported by column), or skipped.
    fn checked(&self, record: &ByteRecord, line: u64, problems: &mut Problems) -> Checked {
        let limits = &self.limits;
        // The record limit counts what is kept: one field far over its own limit is
        // dropped and the rest of the record kept.
        let kept: usize = record
            .iter()
            .map(|f| if f.len() > limits.max_field_bytes { 0 } else { f.len() })
            .sum();
        if let Some(reason) = limits.record_too_long(kept) {
            problems.skipped(&self.file, Some(line), None, reason);
            return Checked::Skip;
        }
        let needs_work = |f: &[u8]| {
            f.len() > limits.max_field_bytes || f.contains(&0) || (!f.is_ascii() && std::str::from_utf8(f).is_err())
        };
        if !record.iter().any(needs_work) {
            return Checked::AsIs;
        }
        let mut fixed = ByteRecord::with_capacity(record.as_slice().len(), record.len());
        for (i, field) in record.iter().enumerate() {
            if !needs_work(field) {
                fixed.push_field(field);
                continue;
            }
            let column = self
                .headers
                .get(i)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1));
            if let Some(reason) = limits.field_too_long(field.len()) {
                problems.repaired(&self.file, Some(line), Some(&column), reason);
                fixed.push_field(b"");
                continue;
            }
            let mut text = encoding::repair(field).into_owned();
            if std::str::from_utf8(field).is_err() {
                problems.repaired(&self.file, Some(line), Some(&column), encoding::REPAIRED.into());
            }
            if text.contains('\0') {
                text.retain(|c| c != '\0');
                problems.repaired(&self.file, Some(line), Some(&column), "NUL bytes removed".into());
            }
            fixed.push_field(text.as_bytes());
        }
        Checked::Fixed(fixed)
    }
}

/// A copy of `record` sized to its contents. `ByteRecord::clone` copies the whole buffer
/// the parser grew, which after one 20 MB field is 20 MB for every row after it.
fn compact(record: &ByteRecord) -> ByteRecord {
    let mut copy = ByteRecord::with_capacity(record.as_slice().len(), record.len());
    copy.extend(record.iter());
    copy
}

/// Reads records of a table by their offsets ([`Table::reader_at`]).
pub(crate) struct ReaderAt<'a> {
    table: &'a Table,
    reader: csv::Reader<std::io::Cursor<&'a [u8]>>,
    record: ByteRecord,
}

impl ReaderAt<'_> {
    /// See [`Table::record_at`].
    pub fn record_at(&mut self, offset: u64) -> Option<ByteRecord> {
        let seek = self
            .reader
            .seek_raw(std::io::SeekFrom::Start(offset), csv::Position::new());
        if seek.is_err() || !matches!(self.reader.read_byte_record(&mut self.record), Ok(true)) {
            return None;
        }
        match self.table.checked(&self.record, 0, &mut Problems::default()) {
            Checked::Skip => None,
            Checked::AsIs => Some(compact(&self.record)),
            Checked::Fixed(fixed) => Some(fixed),
        }
    }
}

/// What [`Table::checked`] made of a record.
enum Checked {
    Skip,
    AsIs,
    Fixed(ByteRecord),
}

/// Turns byte offsets (in increasing order) into 1-based line numbers.
#[derive(Default)]
struct LineCounter {
    counted_to: usize,
    newlines: u64,
}

impl LineCounter {
    /// The line of the record whose parse started at `byte`: line breaks left over from
    /// the previous record are skipped first.
    fn line_at(&mut self, data: &[u8], byte: u64) -> u64 {
        let mut start = (byte as usize).min(data.len());
        while start < data.len() && matches!(data[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.newlines += data[self.counted_to..start].iter().filter(|&&b| b == b'\n').count() as u64;
            self.counted_to = start;
        }
        self.newlines + 1
    }
}

fn reader(data: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
}

/// One data row and the 1-based line it starts on.
pub(crate) struct Row<'a> {
    record: &'a ByteRecord,
    pub line: u64,
    /// Where the record starts in the table's data (for [`Table::record_at`]).
    pub offset: u64,
}

impl<'a> Row<'a> {
    /// A record read back from a spill or [`Table::record_at`], at its line.
    pub fn new(record: &'a ByteRecord, line: u64) -> Row<'a> {
        Row {
            record,
            line,
            offset: 0,
        }
    }

    pub fn record(&self) -> &ByteRecord {
        self.record
    }
}

impl Row<'_> {
    /// The value in `col`, trimmed; "" when the column or the cell is missing.
    #[inline]
    pub fn get(&self, col: Col) -> &str {
        col.and_then(|i| self.record.get(i))
            .and_then(|b| std::str::from_utf8(b).ok())
            .map_or("", str::trim)
    }
}

/// "Service Name " -> "service_name"; a byte-order mark or quotes left in a header go too.
fn normalize_header(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let t = text.trim_start_matches('\u{feff}').trim().trim_matches('"').trim();
    t.to_lowercase().replace([' ', '-'], "_")
}

/// Prepares a file's bytes for the parser: strips a BOM, reads UTF-16 when it has a
/// UTF-16 BOM, and turns CR-only line endings into LF so lines count right. Bytes that are
/// not UTF-8 are left for [`Table::checked`] to repair field by field.
fn decode(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        let encoding = if bytes[0] == 0xff {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        bytes = encoding.decode_with_bom_removal(&bytes).0.into_owned().into_bytes();
    } else if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        bytes.drain(..3);
    }
    fix_cr_line_endings(&mut bytes);
    bytes
}

/// Whether [`fix_cr_line_endings`] would change anything (bare CRs outnumber LFs).
fn has_cr_line_endings(bytes: &[u8]) -> bool {
    if !bytes.contains(&b'\r') {
        return false;
    }
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let bare_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    bare_cr > lf
}

/// [`has_cr_line_endings`] of a mapped file, read piece by piece.
fn mapped_cr_line_endings(bytes: &Bytes) -> bool {
    let (mut lf, mut bare_cr, mut pending_cr) = (0usize, 0usize, false);
    bytes.for_each_piece(|p| {
        if std::mem::take(&mut pending_cr) && p.first() != Some(&b'\n') {
            bare_cr += 1;
        }
        lf += p.iter().filter(|&&b| b == b'\n').count();
        if p.contains(&b'\r') {
            bare_cr += p.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count();
            pending_cr = p.last() == Some(&b'\r');
        }
    });
    bare_cr + usize::from(pending_cr) > lf
}

/// Old Mac exports end lines with a bare CR. When bare CRs outnumber LFs, they are the
/// line endings: make them LF (the CSV parser counts lines by LF).
fn fix_cr_line_endings(bytes: &mut [u8]) {
    if has_cr_line_endings(bytes) {
        for i in 0..bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                bytes[i] = b'\n';
            }
        }
    }
}

#[cfg(test)]
mod tests;
