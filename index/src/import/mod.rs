//! Importers: read a directory export into [`Service`] records plus a report of what was
//! skipped or repaired. Importers never touch the catalogue or the index; the caller
//! decides what to do with the records (the store upserts them in one transaction).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::Service;

mod broader;
mod csv_table;
mod facts;
mod fast_map;
mod hsds_csv;
mod hsds_details;
mod hsds_join;
mod hsds_json;
mod hsds_services;
mod hsds_tables;
mod json_service;
mod schedule_rows;
mod values;

/// Which reader to use. `Auto` looks at the path: a folder of CSVs, or a JSON/JSONL file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    HsdsCsv,
    HsdsJson,
}

/// What an importer produced.
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub services: Vec<Service>,
    pub report: ImportReport,
}

/// What was read and every record that was skipped or repaired, each with its place.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// e.g. "hsds-csv 1.1", "hsds-csv 3.0", "hsds-json 3.0".
    pub format: String,
    /// Files that were read, relative to the import path.
    pub files: Vec<String>,
    /// Service records found in the input (before skipping).
    pub services_read: usize,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemKind {
    /// The record was left out.
    Skipped,
    /// The record was kept; a value was dropped or fixed.
    Repaired,
}

/// One skipped or repaired record: `file:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub file: String,
    /// 1-based line where the record starts (CSV), or the record's index (JSON Lines).
    pub line: Option<u64>,
    /// The column or JSON field at fault, when one is.
    pub field: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path does not exist (exit 66 in the CLI).
    #[error("{}: no such file or directory", .0.display())]
    NotFound(PathBuf),
    /// Nothing in the input could be read as services (exit 65).
    #[error("{path}: {reason}")]
    Unusable { path: String, reason: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// Reads `path` in `format`. Succeeds when the input was recognised, even if every
/// record was skipped; the caller treats zero services as "nothing usable".
pub fn import_path(path: &Path, format: Format) -> Result<Import, ImportError> {
    if !path.exists() {
        return Err(ImportError::NotFound(path.to_path_buf()));
    }
    let format = match format {
        Format::Auto if path.is_dir() => Format::HsdsCsv,
        Format::Auto => match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json" | "jsonl" | "ndjson") => Format::HsdsJson,
            Some("csv") => Format::HsdsCsv,
            _ => {
                return Err(ImportError::Unusable {
                    path: path.display().to_string(),
                    reason: "not a folder of HSDS CSV files or an HSDS JSON file (use --format)".into(),
                })
            }
        },
        other => other,
    };
    let mut import = match format {
        Format::HsdsCsv => hsds_csv::import(path),
        Format::HsdsJson => hsds_json::import(path),
        Format::Auto => unreachable!("resolved above"),
    }?;
    broader::fill_from_codes(&mut import.services);
    Ok(import)
}
