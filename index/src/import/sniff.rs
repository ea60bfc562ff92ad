//! Recognising an export's format from its content: the first bytes say XML, JSON or
//! CSV, and a CSV header says iCarol or HSDS. The file name only breaks ties (a `.json`
//! file that is not JSON goes to the JSON reader, which says where it stops being JSON).

use std::io::Read;
use std::path::Path;

use super::csv_table::io_error;
use super::{Format, ImportError};

/// How much of a file is looked at: enough for an XML prolog and a long CSV header.
const PEEK: usize = 64 * 1024;

pub(crate) fn format(path: &Path) -> Result<Format, ImportError> {
    if path.is_dir() {
        return Ok(Format::HsdsCsv);
    }
    let mut head = Vec::with_capacity(PEEK);
    std::fs::File::open(path)
        .and_then(|f| f.take(PEEK as u64).read_to_end(&mut head))
        .map_err(|e| io_error(path, e))?;
    let text = decode_head(&head);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let start = text.trim_start();
    if start.starts_with('<') {
        return Ok(Format::AirsXml);
    }
    if start.starts_with(['{', '[']) || matches!(extension.as_str(), "json" | "jsonl" | "ndjson") {
        return Ok(Format::HsdsJson);
    }
    if extension == "xml" {
        return Ok(Format::AirsXml);
    }
    let header = start.lines().next().unwrap_or("").to_ascii_lowercase();
    let columns: Vec<String> = header
        .split([',', '\t', ';'])
        .map(|c| c.trim().trim_matches('"').trim().replace([' ', '_', '-'], ""))
        .collect();
    if columns.iter().any(|c| c == "resourceagencynum") {
        return Ok(Format::IcarolCsv);
    }
    if extension == "csv" || columns.iter().any(|c| c == "id") && columns.iter().any(|c| c == "name") {
        return Ok(Format::HsdsCsv);
    }
    Err(ImportError::Unusable {
        path: path.display().to_string(),
        reason: "not a folder of HSDS CSV files, HSDS JSON, an iCarol CSV export or AIRS XML (use --format)".into(),
    })
}

/// The first bytes as text: UTF-8 (a BOM dropped), UTF-16 by its BOM, else Windows-1252.
fn decode_head(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xff, 0xfe]) {
        return encoding_rs::UTF_16LE.decode_with_bom_removal(bytes).0.into_owned();
    }
    if bytes.starts_with(&[0xfe, 0xff]) {
        return encoding_rs::UTF_16BE.decode_with_bom_removal(bytes).0.into_owned();
    }
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        // The peek may cut a character in two; what came before it is enough.
        Err(e) if e.error_len().is_none() => String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(name: &str, content: &[u8]) -> Result<Format, ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        format(&path)
    }

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(
            sniff("export.txt", b"\xef\xbb\xbfResourceAgencyNum,PublicName\n1,A\n").unwrap(),
            Format::IcarolCsv
        );
        assert_eq!(
            sniff("export", b"  <?xml version=\"1.0\"?><Source/>").unwrap(),
            Format::AirsXml
        );
        assert_eq!(
            sniff("export.csv", b"<Source SchemaVersion=\"3.0\"/>").unwrap(),
            Format::AirsXml
        );
        assert_eq!(sniff("export.dat", b"[{\"id\":\"a\"}]").unwrap(), Format::HsdsJson);
        assert_eq!(
            sniff("services.csv", b"id,name,description\n").unwrap(),
            Format::HsdsCsv
        );
        assert_eq!(sniff("export.dat", b"id,name\n").unwrap(), Format::HsdsCsv);
        // UTF-16 with a BOM, as Excel saves "Unicode text".
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "ResourceAgencyNum\tPublicName\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(sniff("export.txt", &utf16).unwrap(), Format::IcarolCsv);
    }

    #[test]
    fn the_name_breaks_ties_and_the_rest_is_unusable() {
        assert_eq!(sniff("broken.json", b"not json").unwrap(), Format::HsdsJson);
        assert_eq!(sniff("broken.xml", b"not xml").unwrap(), Format::AirsXml);
        assert!(matches!(
            sniff("notes.txt", b"hello world"),
            Err(ImportError::Unusable { .. })
        ));
    }
}
