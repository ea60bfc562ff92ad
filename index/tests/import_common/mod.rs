//! Helpers shared by the importer tests.
#![allow(dead_code)]

use std::path::PathBuf;

use navigator_index::import::{import_path, Format, Import, ProblemKind};
use navigator_index::Service;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn import(name: &str) -> Import {
    import_path(&fixture(name), Format::Auto).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn service<'a>(import: &'a Import, id: &str) -> &'a Service {
    import
        .services
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no service {id}"))
}

pub fn ids(import: &Import) -> Vec<&str> {
    import.services.iter().map(|s| s.id.as_str()).collect()
}

/// A problem as a comparable tuple: (kind, file, line, field, reason).
pub type P = (ProblemKind, String, Option<u64>, Option<String>, String);

pub fn problems(import: &Import) -> Vec<P> {
    import
        .report
        .problems
        .iter()
        .map(|p| {
            (
                p.kind.clone(),
                p.file.clone(),
                p.line,
                p.field.clone(),
                p.reason.clone(),
            )
        })
        .collect()
}

pub fn skipped(file: &str, line: Option<u64>, field: Option<&str>, reason: &str) -> P {
    (
        ProblemKind::Skipped,
        file.into(),
        line,
        field.map(Into::into),
        reason.into(),
    )
}

pub fn repaired(file: &str, line: Option<u64>, field: Option<&str>, reason: &str) -> P {
    (
        ProblemKind::Repaired,
        file.into(),
        line,
        field.map(Into::into),
        reason.into(),
    )
}

/// Weekly hours as "monday 09:00-12:00".
pub fn hours(s: &Service) -> Vec<String> {
    s.schedules
        .iter()
        .map(|h| {
            format!(
                "{} {:02}:{:02}-{:02}:{:02}",
                h.weekday.name().to_lowercase(),
                h.opens / 60,
                h.opens % 60,
                h.closes / 60,
                h.closes % 60
            )
        })
        .collect()
}

pub fn phone_numbers(s: &Service) -> Vec<&str> {
    s.phones.iter().map(|p| p.number.as_str()).collect()
}

pub fn language_codes(s: &Service) -> Vec<&str> {
    s.languages.iter().map(|l| l.code.as_str()).collect()
}

pub fn location_ids(s: &Service) -> Vec<&str> {
    s.locations.iter().filter_map(|l| l.id.as_deref()).collect()
}

pub fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
