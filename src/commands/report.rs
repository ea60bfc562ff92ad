//! `navigator report needs|outcomes`: needs and outcome reports over a period, as tables,
//! CSV (one row per figure) or one JSON object. Coded fields only: no personal values.

use std::io::Write;
use std::path::Path;

use crate::cli::{ReportArgs, ReportCommand, ReportFormat};
use crate::exit::{Failure, OK};
use crate::report::{format, needs_report, needs_report_by_office, outcomes_report, NeedsReport, Period};

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
    if args.by.is_some() {
        let reports = needs_report_by_office(&store, &period, municipality).map_err(Failure::store)?;
        return by_office(&reports, args, municipality);
    }
    let report = needs_report(&store, &period, municipality).map_err(Failure::store)?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string(&report).expect("a report serializes")),
        ReportFormat::Csv => format::write_csv(&format::needs_figures(&report), &mut out),
        ReportFormat::Table => format::needs_table(&report, municipality, &mut out, crate::output::width()),
    };
    finish(written)
}

/// One needs report per office: JSON Lines, CSV with the office in the `group` column
/// (`Sudbury` or `Sudbury/food`), or a table per office under its name.
fn by_office(reports: &[NeedsReport], args: &ReportArgs, municipality: Option<&str>) -> Result<u8, Failure> {
    let mut out = std::io::stdout().lock();
    let name = |r: &NeedsReport| r.office.clone().unwrap_or_else(|| "(no office)".into());
    let written = match args.format {
        ReportFormat::Json => reports
            .iter()
            .try_for_each(|r| writeln!(out, "{}", serde_json::to_string(r).expect("a report serializes"))),
        ReportFormat::Csv => {
            let mut figures = Vec::new();
            for r in reports {
                for mut f in format::needs_figures(r) {
                    f.group = if f.group.is_empty() {
                        name(r)
                    } else {
                        format!("{}/{}", name(r), f.group)
                    };
                    figures.push(f);
                }
            }
            format::write_csv(&figures, &mut out)
        }
        ReportFormat::Table => reports.iter().try_for_each(|r| {
            writeln!(out, "Office: {}", navigator_index::text::sanitize(&name(r)))?;
            format::needs_table(r, municipality, &mut out, crate::output::width())?;
            writeln!(out)
        }),
    };
    finish(written)
}

fn outcomes(args: &ReportArgs, data_dir: &Path) -> Result<u8, Failure> {
    let period = period(args.from.as_deref(), args.to.as_deref())?;
    let municipality = municipality(args)?;
    let store = crate::catalogue::open_store(data_dir)?;
    let today = crate::clock::today();
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
