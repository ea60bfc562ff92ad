//! Importers: read a directory export into [`Service`] records plus a report of what was
//! skipped or repaired. Importers never touch the catalogue or the index; the caller
//! decides what to do with the records ([`stream_path`] hands them over one at a time).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::Service;

mod airs;
mod broader;
mod csv_table;
mod encoding;
mod facts;
mod hours_text;
mod hsds_csv;
mod hsds_csv_extension;
mod hsds_details;
mod hsds_digest;
mod hsds_infer;
mod hsds_join;
mod hsds_json;
mod hsds_keys;
mod hsds_services;
mod hsds_spill;
mod hsds_stream;
mod hsds_tables;
mod html_text;
mod icarol;
mod json_extension;
mod json_service;
pub mod limits;
mod phone_lines;
mod schedule_rows;
mod sites;
mod sniff;
mod source_file;
mod status;
mod streamed;
mod unique;
mod values;

pub use streamed::{Known, Streamed, Unchanged};
pub(crate) use values::web_address;

/// Which reader to use. `Auto` recognises the format from the content: a folder of
/// HSDS CSVs, HSDS JSON, an iCarol CSV export, or AIRS XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    HsdsCsv,
    HsdsJson,
    IcarolCsv,
    AirsXml,
}

pub use limits::Limits;

/// What an import keeps beyond the defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep records the source marks inactive, "do not refer" or excluded from its
    /// directory (iCarol, AIRS), marked as such. Without it they are counted, not imported.
    pub include_inactive: bool,
    /// How long a field and a record may be (`[import]` in config.toml); every reader
    /// drops and reports what is longer.
    pub limits: Limits,
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
    /// Service records found in the input (before skipping). For iCarol, resource rows.
    pub services_read: usize,
    pub problems: Vec<Problem>,
    /// Distinct organizations and locations among the services imported.
    pub organizations: usize,
    pub locations: usize,
    /// Records left out by their status, by reason ("inactive", "do not refer",
    /// "excluded from the directory"); kept and marked with `include_inactive`.
    pub excluded: BTreeMap<String, usize>,
    /// What the importer decided about the shape of the data, in words ("1,610 programs
    /// have no ProgramAtSite rows and an address of their own: a service at that address").
    pub notes: Vec<String>,
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
    import_path_with(path, format, Options::default())
}

/// [`import_path`] with options: [`stream_path`], collected.
pub fn import_path_with(path: &Path, format: Format, options: Options) -> Result<Import, ImportError> {
    let mut services = Vec::new();
    let report = stream_path(path, format, options, &mut |s| services.push(s))?;
    Ok(Import { services, report })
}

/// [`stream_known`] with nothing known: every service is built and handed to `emit`.
pub fn stream_path(
    path: &Path,
    format: Format,
    options: Options,
    emit: &mut dyn FnMut(Service),
) -> Result<ImportReport, ImportError> {
    stream_known(path, format, options, &Known::default(), &mut built_only(emit))
}

/// A sink of services as a sink of what the pipeline hands on, for a read that knows
/// nothing (no service can be found unchanged).
fn built_only(emit: &mut dyn FnMut(Service)) -> impl FnMut(Streamed) + '_ {
    move |s| match s {
        Streamed::Service(s, _) => emit(s),
        Streamed::Unchanged(_) => unreachable!("nothing is known"),
    }
}

/// The one import pipeline: reads `path` and hands each service to `emit` as soon as it
/// is assembled, or as unchanged when the reader finds it read from what `known` says
/// its stored record was built from; services with an id already seen left out
/// (reported), organizations and locations counted on the way. Nothing here holds the
/// services: what `emit` keeps is all that is kept (the HSDS JSON and iCarol readers
/// read the whole export before the first one comes out; the AIRS reader holds one
/// agency at a time, the HSDS CSV reader a bucket of services and compact id maps, its
/// tables joined on disk).
pub fn stream_known(
    path: &Path,
    format: Format,
    options: Options,
    known: &Known,
    emit: &mut dyn FnMut(Streamed),
) -> Result<ImportReport, ImportError> {
    let mut unique = unique::Unique::new()?;
    let mut repeated = Vec::new();
    let mut failed = None;
    let mut report = read_streamed(path, format, options, known, &mut |s| {
        if failed.is_some() {
            return;
        }
        let admitted = match &s {
            Streamed::Service(service, _) => unique.admit(service),
            Streamed::Unchanged(u) => unique.admit_unchanged(u),
        };
        match admitted {
            Ok(true) => emit(s),
            Ok(false) => repeated.push(match s {
                Streamed::Service(service, _) => service.id,
                Streamed::Unchanged(u) => u.id,
            }),
            Err(e) => failed = Some(e),
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    unique.finish(&mut report, repeated);
    Ok(report)
}

/// [`read_streamed`] with nothing known.
pub fn read_path(
    path: &Path,
    format: Format,
    options: Options,
    emit: &mut dyn FnMut(Service),
) -> Result<ImportReport, ImportError> {
    read_streamed(path, format, options, &Known::default(), &mut built_only(emit))
}

/// Reads `path`, handing each service to `emit` as it is assembled (see [`stream_known`]
/// for what each reader holds first), with broader terms filled from the code names in
/// the export (the readers that read the whole export, HSDS JSON and iCarol, from all of
/// it; the HSDS CSV reader from its taxonomy table; the AIRS reader, which streams, from
/// the names seen up to each service: see [`broader::Names`]). Services are not yet
/// checked for repeated ids ([`stream_known`] does that).
pub fn read_streamed(
    path: &Path,
    format: Format,
    options: Options,
    known: &Known,
    emit: &mut dyn FnMut(Streamed),
) -> Result<ImportReport, ImportError> {
    // A FIFO, a socket, a device or a symlink loop is refused before anything opens it
    // (opening a FIFO to look at its first bytes would already block).
    let meta = std::fs::metadata(path).map_err(|e| source_file::open_error(path, e))?;
    if !meta.is_dir() {
        source_file::check_file(path)?;
    } else if format == Format::HsdsJson {
        return Err(ImportError::Unusable {
            path: path.display().to_string(),
            reason: "is a directory: --format hsds-json reads one JSON file".into(),
        });
    }
    let format = match format {
        Format::Auto => sniff::format(path)?,
        other => other,
    };
    let whole = |mut import: Import, emit: &mut dyn FnMut(Streamed)| {
        broader::fill_from_codes(&mut import.services);
        import.services.into_iter().map(Streamed::from).for_each(&mut *emit);
        import.report
    };
    match format {
        Format::HsdsCsv => hsds_csv::read(path, options, known, emit),
        Format::HsdsJson => hsds_json::import(path, options.limits).map(|i| whole(i, emit)),
        // The iCarol reader joins the whole export before its first service anyway, so
        // its broader terms come from every code name in it, as the HSDS readers' do; a
        // streaming reader needs the names first (a pass over the taxonomy columns).
        Format::IcarolCsv => {
            let mut all = Vec::new();
            let report = icarol::read(path, options, &mut |s| all.push(s))?;
            broader::fill_from_codes(&mut all);
            all.into_iter().map(Streamed::from).for_each(emit);
            Ok(report)
        }
        Format::AirsXml => {
            let mut names = broader::Names::default();
            airs::read(path, options, &mut |mut s| {
                names.learn(&s);
                names.fill(&mut s);
                emit(Streamed::from(s))
            })
        }
        Format::Auto => unreachable!("resolved above"),
    }
}
