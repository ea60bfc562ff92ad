//! Tolerant reading of one CSV table from a real export: byte-order marks, cp1252 and
//! UTF-16 files, CR-only line endings, header names in any case with stray spaces,
//! columns prefixed with their table's name (`service_name`, `organization_uuid`),
//! empty header cells, extra and missing columns, and ragged rows.

use std::path::{Path, PathBuf};

use std::sync::mpsc::{sync_channel, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};

use csv::ByteRecord;

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
            if lower.ends_with(".csv") && entry.path().is_file() {
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

/// One table, decoded to UTF-8 and held in memory, with its header resolved.
pub(crate) struct Table {
    /// The file name relative to the import folder, as problems cite it.
    pub file: String,
    data: Vec<u8>,
    headers: Vec<String>,
    /// The singular table name that may prefix its own columns ("service", "location").
    prefix: Option<&'static str>,
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
        let bytes = std::fs::read(path).map_err(|source| io_error(path, source))?;
        Ok(Table::from_bytes(bytes, file, prefix, problems))
    }

    pub fn from_bytes(bytes: Vec<u8>, file: &str, prefix: Option<&'static str>, problems: &mut Problems) -> Table {
        let data = decode(bytes, file, problems);
        let mut reader = reader(&data);
        let mut header = ByteRecord::new();
        let headers = match reader.read_byte_record(&mut header) {
            Ok(true) => header.iter().map(normalize_header).collect(),
            _ => Vec::new(),
        };
        Table {
            file: file.to_string(),
            data,
            headers,
            prefix,
        }
    }

    /// About how many data rows the table has (its line count): for reserving capacity.
    pub fn estimated_rows(&self) -> usize {
        self.data.iter().filter(|&&b| b == b'\n').count()
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
        self.for_each_record(problems, |record, line, problems| f(&Row { record, line }, problems));
    }

    fn for_each_record(&self, problems: &mut Problems, mut f: impl FnMut(&ByteRecord, u64, &mut Problems)) {
        let mut reader = reader(&self.data);
        let mut record = ByteRecord::new();
        // Skip the header row.
        if !matches!(reader.read_byte_record(&mut record), Ok(true)) {
            return;
        }
        // The parser's own line numbers lag by one after a CRLF, so lines are counted
        // here from each record's byte offset.
        let mut lines = LineCounter::default();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    if record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace)) {
                        continue;
                    }
                    let line = lines.line_at(&self.data, record.position().map_or(0, |p| p.byte()));
                    f(&record, line, problems);
                }
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map(|p| lines.line_at(&self.data, p.byte()));
                    problems.skipped(&self.file, line, None, format!("unreadable CSV record: {e}"));
                }
            }
        }
    }

    /// Maps every data row with `f` on several threads and returns the results in file
    /// order. This thread parses the CSV and hands out batches of records, and works on
    /// a batch itself whenever the others are busy.
    pub fn map_rows<R: Send>(&self, problems: &mut Problems, f: impl Fn(&Row) -> R + Sync) -> Vec<R> {
        const BATCH: usize = 1024;
        type Batch = (usize, Vec<(ByteRecord, u64)>);
        let helpers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) - 1;
        if helpers == 0 || self.data.len() < (1 << 20) {
            let mut out = Vec::new();
            self.for_each_row(problems, |row, _| out.push(f(row)));
            return out;
        }
        let run = |batch: &[(ByteRecord, u64)]| -> Vec<R> {
            batch
                .iter()
                .map(|(record, line)| f(&Row { record, line: *line }))
                .collect()
        };
        let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
            // Made in the scope so that a panic here drops the sender and the workers
            // stop waiting.
            let (sender, receiver) = sync_channel::<Batch>(helpers * 2);
            let receiver = Arc::new(Mutex::new(receiver));
            let workers: Vec<_> = (0..helpers)
                .map(|_| {
                    let (receiver, run) = (Arc::clone(&receiver), &run);
                    scope.spawn(move || {
                        let mut done = Vec::new();
                        loop {
                            // One worker waits on the channel, the others on the lock; the
                            // lock is released before the batch is worked on.
                            let next = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
                            let Ok((i, batch)) = next else { return done };
                            done.push((i, run(&batch)));
                        }
                    })
                })
                .collect();
            let mut mine = Vec::new();
            let (mut batch, mut index) = (Vec::with_capacity(BATCH), 0);
            self.for_each_record(problems, |record, line, _| {
                batch.push((record.clone(), line));
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    match sender.try_send((index, full)) {
                        Ok(()) => {}
                        Err(TrySendError::Full((i, full)) | TrySendError::Disconnected((i, full))) => {
                            mine.push((i, run(&full)))
                        }
                    }
                    index += 1;
                }
            });
            mine.push((index, run(&batch)));
            drop(sender);
            for worker in workers {
                mine.extend(worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
            mine
        });
        done.sort_unstable_by_key(|(i, _)| *i);
        done.into_iter().flat_map(|(_, r)| r).collect()
    }
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

/// Decodes a file's bytes to UTF-8 text: strips a BOM, reads UTF-16 when it has a UTF-16
/// BOM, falls back to Windows-1252 for bytes that are not UTF-8 (reported once, at the
/// first line that is not), and turns CR-only line endings into LF so lines count right.
fn decode(mut bytes: Vec<u8>, file: &str, problems: &mut Problems) -> Vec<u8> {
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
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
        problems.repaired(
            file,
            Some(line),
            None,
            "not valid UTF-8; the file was read as Windows-1252".into(),
        );
        bytes = encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned()
            .into_bytes();
    }
    bytes
}

/// Old Mac exports end lines with a bare CR. When bare CRs outnumber LFs, they are the
/// line endings: make them LF (the CSV parser counts lines by LF).
fn fix_cr_line_endings(bytes: &mut [u8]) {
    if !bytes.contains(&b'\r') {
        return;
    }
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let bare_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    if bare_cr > lf {
        for i in 0..bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                bytes[i] = b'\n';
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: &Table, cols: &[&str]) -> Vec<(u64, Vec<String>)> {
        let cols: Vec<Col> = cols.iter().map(|c| table.col(c)).collect();
        let mut out = Vec::new();
        table.for_each_row(&mut Problems::default(), |row, _| {
            out.push((row.line, cols.iter().map(|&c| row.get(c).to_string()).collect()));
        });
        out
    }

    #[test]
    fn reads_bom_crlf_and_case_insensitive_headers() {
        let mut p = Problems::default();
        let t = Table::from_bytes(
            b"\xef\xbb\xbfID, Name ,\r\n1,Food bank ,x\r\n\r\n2,\"Two\r\nlines\",y\r\n".to_vec(),
            "services.csv",
            Some("service"),
            &mut p,
        );
        assert_eq!(
            rows(&t, &["id", "name"]),
            [
                (2, vec!["1".into(), "Food bank".into()]),
                (4, vec!["2".into(), "Two\r\nlines".into()])
            ]
        );
        assert!(p.list.is_empty());
    }

    #[test]
    fn crlf_lines_are_where_records_start() {
        let mut p = Problems::default();
        let t = Table::from_bytes(b"a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6".to_vec(), "x.csv", None, &mut p);
        let lines: Vec<u64> = rows(&t, &["a"]).into_iter().map(|r| r.0).collect();
        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn cr_only_files_count_lines() {
        let mut p = Problems::default();
        let t = Table::from_bytes(b"id,name\r1,A\r2,B\r".to_vec(), "x.csv", None, &mut p);
        assert_eq!(rows(&t, &["name"]), [(2, vec!["A".into()]), (3, vec!["B".into()])]);
    }

    #[test]
    fn cp1252_is_decoded_and_reported_once() {
        let mut p = Problems::default();
        let t = Table::from_bytes(
            b"id,name\n1,Ok\n2,Caf\xe9 \x96 Bistro\n3,R\xe9gie\n".to_vec(),
            "x.csv",
            None,
            &mut p,
        );
        assert_eq!(rows(&t, &["name"])[1].1[0], "Café – Bistro");
        assert_eq!(p.list.len(), 1);
        assert_eq!(p.list[0].line, Some(3));
    }

    #[test]
    fn prefixed_and_uuid_columns_resolve() {
        let mut p = Problems::default();
        let t = Table::from_bytes(
            b"service_uuid,organization_uuid,service_name,,\n".to_vec(),
            "s.csv",
            Some("service"),
            &mut p,
        );
        assert_eq!(t.col("id"), Some(0));
        assert_eq!(t.col("organization_id"), Some(1));
        assert_eq!(t.col("name"), Some(2));
        assert_eq!(t.col("description"), None);
    }

    #[test]
    fn short_rows_read_missing_cells_as_empty() {
        let mut p = Problems::default();
        let t = Table::from_bytes(b"id,name,url\n1,A\n".to_vec(), "x.csv", None, &mut p);
        assert_eq!(
            rows(&t, &["id", "url", "email"]),
            [(2, vec!["1".into(), "".into(), "".into()])]
        );
    }

    #[test]
    fn map_rows_returns_rows_in_file_order() {
        let mut data = String::from("id,text\n");
        for i in 0..40_000 {
            data.push_str(&format!(
                "{i},\"a value, long enough to make the table span several batches\"\n"
            ));
        }
        let t = Table::from_bytes(data.into_bytes(), "x.csv", None, &mut Problems::default());
        let id = t.col("id");
        let mapped = t.map_rows(&mut Problems::default(), |row| (row.line, row.get(id).to_string()));
        let mut sequential = Vec::new();
        t.for_each_row(&mut Problems::default(), |row, _| {
            sequential.push((row.line, row.get(id).to_string()))
        });
        assert_eq!(mapped.len(), 40_000);
        assert_eq!(mapped, sequential);
        assert_eq!(mapped[39_999], (40_001, "39999".to_string()));
    }
}
