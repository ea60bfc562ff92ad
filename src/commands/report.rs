//! `navigator report needs|outcomes`: needs and outcome reports over a period, as tables,
//! CSV (one row per figure) or one JSON object. Coded fields only: no personal values.

use std::io::Write;
use std::path::Path;

use crate::cli::{ReportArgs, ReportCommand, ReportFormat};
use crate::exit::{Failure, OK};
use crate::report::{format, needs_report, outcomes_report, Period};

pub fn run(command: &ReportCommand, data_dir: &Path) -> Result<u8, Failure> {
    match command {
        ReportCommand::Needs(args) => needs(args, data_dir),
        ReportCommand::Outcomes(args) => outcomes(args, data_dir),
    }
}

/// The period of `--from` / `--to`; exit 65 naming the option when a date is bad or
/// `--from` is after `--to`.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<Period, Failure> {
    Period::parse(from, to).map_err(|e| Failure::data(format!("--{}: {}", e.field, e.message)))
}

/// `--municipality`, which must not be blank.
fn municipality(args: &ReportArgs) -> Result<Option<&str>, Failure> {
    match args.municipality.as_deref() {
        Some(m) if m.trim().is_empty() => Err(Failure::data("--municipality: expected a municipality name".into())),
        other => Ok(other.map(str::trim)),
    }
}

fn needs(args: &ReportArgs, data_dir: &Path) -> Result<u8, Failure> {
    let period = period(args.from.as_deref(), args.to.as_deref())?;
    let municipality = municipality(args)?;
    let store = crate::catalogue::open_store(data_dir)?;
    let report = needs_report(&store, &period, municipality).map_err(Failure::store)?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string(&report).expect("a report serializes")),
        ReportFormat::Csv => format::write_csv(&format::needs_figures(&report), &mut out),
        ReportFormat::Table => format::needs_table(&report, municipality, &mut out, crate::output::width()),
    };
    finish(written)
}

fn outcomes(args: &ReportArgs, data_dir: &Path) -> Result<u8, Failure> {
    let period = period(args.from.as_deref(), args.to.as_deref())?;
    let municipality = municipality(args)?;
    let store = crate::catalogue::open_store(data_dir)?;
    let today = jiff::ZonedDateTime::now().date();
    let report = outcomes_report(&store, &period, municipality, today).map_err(Failure::store)?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string(&report).expect("a report serializes")),
        ReportFormat::Csv => format::write_csv(&format::outcomes_figures(&report), &mut out),
        ReportFormat::Table => format::outcomes_table(&report, municipality, &mut out, crate::output::width()),
    };
    finish(written)
}

/// A closed pipe (`| head`) is fine; any other write error is exit 74.
pub fn finish(written: std::io::Result<()>) -> Result<u8, Failure> {
    match written.and_then(|()| std::io::stdout().flush()) {
        Ok(()) => Ok(OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(OK),
        Err(e) => Err(Failure::io(format!("stdout: {e}"))),
    }
}
