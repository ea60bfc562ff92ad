//! HSDS 3.0 JSON: one `service` object (service_full), an array of them, a paginated list
//! (`{"contents": [...], "total_items": ...}`), or JSON Lines (one object per line).
//! Services nested in an organization (organization_full) or a service_at_location
//! (service_at_location_full) are found too.

use std::path::Path;

use serde_json::Value;

use super::facts;
use super::json_service::{self, Ctx, Wrapper};
use super::limits::Limits;
use super::values::Problems;
use super::{Import, ImportError, ImportReport};
use crate::fast_map::FastMap;
use crate::model::Service;

/// Reads an HSDS JSON or JSON Lines file, every string and record within `limits`.
pub fn import(path: &Path, limits: Limits) -> Result<Import, ImportError> {
    let bytes = super::source_file::read(path)?;
    let file = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut problems = Problems::with_limits(limits);
    let text = decode(bytes, &file, &mut problems);
    let unusable = |reason: String| ImportError::Unusable {
        path: path.display().to_string(),
        reason,
    };

    let lines_ext = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    let mut found = Found::default();
    let format = if lines_ext {
        json_lines(&text, &mut found).map_err(unusable)?;
        "hsds-json 3.0 (JSON Lines)"
    } else {
        match serde_json::from_str::<Value>(&text) {
            Ok(doc) => {
                found.documents.push((doc, None));
                "hsds-json 3.0"
            }
            // Several documents, one per line: JSON Lines without the extension.
            Err(e) if e.is_syntax() && e.line() > 1 && first_line_is_object(&text) => {
                json_lines(&text, &mut found).map_err(unusable)?;
                "hsds-json 3.0 (JSON Lines)"
            }
            Err(e) => return Err(unusable(json_error(&e))),
        }
    };
    for (doc, line) in &mut found.documents {
        cap_strings(doc, String::new(), &file, *line, &mut problems);
    }
    found.map(&file, &mut problems);
    if found.objects == 0 {
        return Err(unusable("no HSDS service records in this JSON".into()));
    }
    let mut services = std::mem::take(&mut found.services);
    services.iter_mut().for_each(facts::finish);
    Ok(Import {
        services,
        report: ImportReport {
            format: format.into(),
            files: vec![file],
            services_read: found.objects + found.unreadable,
            problems: problems.list,
            ..Default::default()
        },
    })
}

/// "not valid JSON: expected value at line 3, column 7"
fn json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    format!("not valid JSON: {msg} at line {}, column {}", e.line(), e.column())
}

fn first_line_is_object(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))))
}

/// Service objects found, and the raw documents they sit in until they are mapped.
#[derive(Default)]
struct Found {
    /// (document, line for JSON Lines)
    documents: Vec<(Value, Option<u64>)>,
    /// Unparseable JSON Lines: (line, reason).
    bad_lines: Vec<(u64, String)>,
    /// How many lines were not JSON.
    unreadable: usize,
    objects: usize,
    services: Vec<Service>,
}

/// One JSON value per line; blank lines are fine. Unusable when no line is JSON. (The
/// record limit is checked on each service once its oversized strings are dropped.)
fn json_lines(text: &str, found: &mut Found) -> Result<(), String> {
    let mut first_error = None;
    for (i, l) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if l.trim().is_empty() {
            continue;
        }

        match serde_json::from_str::<Value>(l) {
            Ok(v) => found.documents.push((v, Some(n))),
            Err(e) => {
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                first_error.get_or_insert_with(|| format!("not valid JSON: {msg} at line {n}, column {}", e.column()));
                found
                    .bad_lines
                    .push((n, format!("not valid JSON: {msg} at column {}", e.column())));
                found.unreadable += 1;
            }
        }
    }
    match first_error {
        Some(e) if found.documents.is_empty() => Err(e),
        _ => Ok(()),
    }
}

/// Drops every string longer than the field limit (reported with its JSON path), so no
/// later step ever holds or indexes it.
fn cap_strings(v: &mut Value, path: String, file: &str, line: Option<u64>, problems: &mut Problems) {
    match v {
        Value::String(s) => {
            if let Some(reason) = problems.limits.field_too_long(s.len()) {
                let field = if path.is_empty() { "(value)".to_string() } else { path };
                problems.repaired(file, line, Some(&field), reason);
                *v = Value::Null;
            }
        }
        Value::Array(a) => {
            for (i, e) in a.iter_mut().enumerate() {
                cap_strings(e, format!("{path}[{i}]"), file, line, problems);
            }
        }
        Value::Object(o) => {
            for (k, e) in o.iter_mut() {
                let key = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                cap_strings(e, key, file, line, problems);
            }
        }
        _ => {}
    }
}

/// How many bytes `obj` takes as compact JSON text, counted without writing it anywhere:
/// what the record limit is checked against.
fn json_size(obj: &serde_json::Map<String, Value>) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, obj);
    count.0
}

/// Where a service object sits: (path, object, what wraps it).
type Located<'a> = (String, &'a serde_json::Map<String, Value>, Wrapper<'a>);

/// Finds service objects in a document, depth first, in document order.
fn collect<'a>(v: &'a Value, path: String, wrapper: Wrapper<'a>, out: &mut Vec<Located<'a>>) {
    let index = |i: usize| format!("{path}[{i}]");
    match v {
        Value::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                collect(e, index(i), wrapper.clone(), out);
            }
        }
        Value::Object(o) if json_service::is_service(o) => out.push((path, o, wrapper)),
        Value::Object(o) => {
            let key = |k: &str| {
                if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                }
            };
            if let Some(Value::Array(contents)) = o.get("contents") {
                for (i, e) in contents.iter().enumerate() {
                    collect(e, format!("{}[{i}]", key("contents")), wrapper.clone(), out);
                }
            } else if let Some(Value::Array(services)) = o.get("services") {
                let wrapper = Wrapper {
                    organization: Some(o),
                    ..wrapper
                };
                for (i, e) in services.iter().enumerate() {
                    collect(e, format!("{}[{i}]", key("services")), wrapper.clone(), out);
                }
            } else if let Some(service @ Value::Object(_)) = o.get("service") {
                let wrapper = Wrapper {
                    service_at_location: Some((o, path.clone())),
                    ..wrapper
                };
                collect(service, key("service"), wrapper, out);
            }
        }
        _ => {}
    }
}

impl Found {
    /// Maps every service object found, keeping the first of any repeated id.
    fn map(&mut self, file: &str, problems: &mut Problems) {
        let documents = std::mem::take(&mut self.documents);
        let mut bad_lines = std::mem::take(&mut self.bad_lines).into_iter().peekable();
        let mut seen: FastMap<String, String> = FastMap::default();
        for (doc, line) in &documents {
            while let Some((n, reason)) = bad_lines.next_if(|(n, _)| line.is_some_and(|l| *n < l)) {
                problems.skipped(file, Some(n), None, reason);
            }
            let mut located = Vec::new();
            collect(doc, String::new(), Wrapper::default(), &mut located);
            for (path, obj, wrapper) in located {
                self.objects += 1;
                if let Some(reason) = problems.limits.record_too_long(json_size(obj)) {
                    let field = (!path.is_empty()).then_some(path.as_str());
                    problems.skipped(file, *line, field, reason);
                    continue;
                }
                let mut ctx = Ctx {
                    file,
                    line: *line,
                    problems,
                };
                let Some(service) = json_service::service(obj, &path, wrapper, &mut ctx) else {
                    continue;
                };
                let at = if path.is_empty() {
                    line.map_or_else(|| "the top".to_string(), |l| format!("line {l}"))
                } else {
                    path.clone()
                };
                if let Some(first) = seen.get(&service.id) {
                    let field = if path.is_empty() {
                        "id".to_string()
                    } else {
                        format!("{path}.id")
                    };
                    problems.skipped(
                        file,
                        *line,
                        Some(&field),
                        format!("duplicate service id {} (first at {first})", service.id),
                    );
                    continue;
                }
                seen.insert(service.id.clone(), at);
                self.services.push(service);
            }
        }
        for (n, reason) in bad_lines {
            problems.skipped(file, Some(n), None, reason);
        }
    }
}

/// UTF-8 (a BOM is dropped); bytes that are not UTF-8 are read as Windows-1252 where
/// they are, the rest left as it is, each line with a repair reported.
fn decode(mut bytes: Vec<u8>, file: &str, problems: &mut Problems) -> String {
    if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let mut line = 1u64;
            let mut reported = 0u64;
            for chunk in bytes.utf8_chunks() {
                line += chunk.valid().bytes().filter(|&b| b == b'\n').count() as u64;
                if !chunk.invalid().is_empty() && reported != line {
                    problems.repaired(file, Some(line), None, super::encoding::REPAIRED.into());
                    reported = line;
                }
            }
            super::encoding::repair(&bytes).into_owned()
        }
    }
}
