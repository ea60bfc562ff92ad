//! `navigator import PATH`: read an export, apply it to the catalogue, report.

use std::io::Write;
use std::path::Path;

use std::collections::BTreeMap;

use navigator_index::import::{stream_known, Format, ImportError, ImportReport, Options, ProblemKind};
use serde::Serialize;

use super::import_report::{split_counts, write_groups};
use crate::catalogue::{ApplyFailure, Catalogue, SOURCE_IMPORT};
use crate::cli::{ImportArgs, ImportFormat};
use crate::exit::{Failure, OK};
use crate::progress::Progress;
use crate::store::ApplyStats;

/// The `--json` report. Stable: fields are only ever added.
#[derive(Serialize)]
struct JsonReport<'a> {
    path: String,
    format: &'a str,
    files: &'a [String],
    services_read: usize,
    added: usize,
    updated: usize,
    unchanged: usize,
    removed: usize,
    skipped: usize,
    repaired: usize,
    generation: u64,
    /// False when the catalogue was updated but the search index could not be (the
    /// command then exits non-zero; searches show the previous directory until a rebuild).
    index_updated: bool,
    problems: &'a [navigator_index::import::Problem],
    organizations: usize,
    locations: usize,
    excluded: &'a BTreeMap<String, usize>,
    notes: &'a [String],
    /// The import replaced the built-in demo directory (its services are the `removed`).
    replaced_demo: bool,
    /// The problems grouped by file, kind, field and reason, with counts.
    problem_groups: Vec<super::import_report::Group<'a>>,
}

pub fn run(args: &ImportArgs, data_dir: &Path) -> Result<u8, Failure> {
    let format = match args.format {
        ImportFormat::Auto => Format::Auto,
        ImportFormat::HsdsCsv => Format::HsdsCsv,
        ImportFormat::HsdsJson => Format::HsdsJson,
        ImportFormat::IcarolCsv => Format::IcarolCsv,
        ImportFormat::AirsXml => Format::AirsXml,
    };
    let options = Options {
        include_inactive: args.include_inactive,
        limits: crate::config::Config::load()?.import_limits()?,
    };
    // symlink_metadata: a symlink loop exists (and is refused by name below).
    if std::fs::symlink_metadata(&args.path).is_err() {
        return Err(Failure::no_input(ImportError::NotFound(args.path.clone()).to_string()));
    }
    // One import at a time per data directory (and across servers on PostgreSQL), held
    // until this returns.
    let lock = crate::import_lock::acquire(data_dir, std::time::Duration::from_secs(args.wait))?;
    let mut catalogue = Catalogue::open_locked(data_dir, &lock)?;
    let replaced_demo = catalogue.is_demo();
    let origin = args
        .path
        .canonicalize()
        .unwrap_or_else(|_| args.path.clone())
        .display()
        .to_string();
    // The one pipeline: the file is read, and each service goes to the catalogue and the
    // index as it comes, in chunks (see `Catalogue::import`).
    let progress = Progress::new("importing", 0);
    let mut read_report = None;
    let mut pushed = 0u64;
    let applied = catalogue.import(
        |known, sink| {
            let report = stream_known(&args.path, format, options, known, &mut |service| {
                pushed += 1;
                if pushed % 10_000 == 0 {
                    progress.set(pushed);
                }
                sink(service)
            })
            .map_err(|e| match e {
                ImportError::NotFound(_) => Failure::no_input(e.to_string()),
                ImportError::Unusable { .. } => Failure::data(e.to_string()),
                ImportError::Io { .. } => Failure::io(e.to_string()),
            })?;
            read_report = Some(report.clone());
            Ok(report)
        },
        args.replace,
        SOURCE_IMPORT,
        &origin,
        &lock,
    );
    progress.finish();
    let (report, stats, failure) = match applied {
        Ok(Some((report, stats))) => (report, stats, None),
        Ok(None) => {
            let report = read_report.unwrap_or_default();
            print_problems(&report, args.verbose);
            return Err(Failure::data(format!(
                "{}: {}",
                args.path.display(),
                nothing_usable(&report)
            )));
        }
        // The catalogue committed, the index did not: report what was committed, truly.
        Err(ApplyFailure::IndexBehind { stats, failure }) => {
            let failure = ApplyFailure::IndexBehind {
                stats: stats.clone(),
                failure,
            };
            (
                read_report.unwrap_or_default(),
                *stats,
                Some(failure.into_failure(data_dir)),
            )
        }
        Err(nothing) => return Err(nothing.into_failure(data_dir)),
    };
    tracing::info!(
        path = %origin,
        format = %report.format,
        services_read = report.services_read,
        added = stats.added,
        updated = stats.updated,
        unchanged = stats.unchanged,
        known_unchanged = stats.known_unchanged,
        removed = stats.removed,
        skipped = count(&report, ProblemKind::Skipped),
        generation = stats.generation,
        index_updated = failure.is_none(),
        "import applied"
    );
    if args.json {
        print_json(&args.path, &report, &stats, failure.is_none(), replaced_demo);
    } else {
        print_human(&report, &stats, replaced_demo, args.verbose);
    }
    match failure {
        Some(f) => Err(f),
        None => Ok(OK),
    }
}

/// Why an import has no service to apply: the records the source left out by their status
/// are not "skipped" (nothing was wrong with them), and `--include-inactive` brings them in.
fn nothing_usable(report: &ImportReport) -> String {
    let read = report.services_read;
    let left_out: usize = report.excluded.values().sum();
    if left_out == 0 {
        return format!("nothing usable to import ({read} service records read, all skipped)");
    }
    let reasons: Vec<String> = report.excluded.iter().map(|(why, n)| format!("{why}: {n}")).collect();
    format!(
        "nothing to import: {read} service records read, {left_out} left out by their status at the \
         source ({}); --include-inactive imports them, marked",
        reasons.join(", ")
    )
}

fn count(report: &ImportReport, kind: ProblemKind) -> usize {
    report.problems.iter().filter(|p| p.kind == kind).count()
}

fn print_json(path: &Path, report: &ImportReport, stats: &ApplyStats, index_updated: bool, replaced_demo: bool) {
    let json = JsonReport {
        path: path.display().to_string(),
        format: &report.format,
        files: &report.files,
        services_read: report.services_read,
        added: stats.added,
        updated: stats.updated,
        unchanged: stats.unchanged,
        removed: stats.removed,
        skipped: count(report, ProblemKind::Skipped),
        repaired: count(report, ProblemKind::Repaired),
        generation: stats.generation,
        index_updated,
        problems: &report.problems,
        organizations: report.organizations,
        locations: report.locations,
        excluded: &report.excluded,
        notes: &report.notes,
        replaced_demo,
        problem_groups: super::import_report::groups(report),
    };
    crate::output::line(&serde_json::to_string(&json).expect("report serializes"));
}

fn print_human(report: &ImportReport, stats: &ApplyStats, replaced_demo: bool, verbose: bool) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Imported {} ({} service records read)",
        report.format, report.services_read
    );
    let _ = writeln!(out, "  {:<10} {:>8}", "added", stats.added);
    let _ = writeln!(out, "  {:<10} {:>8}", "updated", stats.updated);
    let _ = writeln!(out, "  {:<10} {:>8}", "unchanged", stats.unchanged);
    if replaced_demo {
        // Its fictional services are gone, not services of the directory being imported.
        let _ = writeln!(out, "  {:<10} {:>8}", "replaced", "the built-in demo");
    } else {
        let _ = writeln!(out, "  {:<10} {:>8}", "removed", stats.removed);
    }
    // Services apart from rows of the other files: 20 skipped phone rows are not 20
    // services lost.
    for kind in [ProblemKind::Skipped, ProblemKind::Repaired] {
        let (services, others) = split_counts(report, &kind);
        let word = if kind == ProblemKind::Skipped {
            "skipped"
        } else {
            "repaired"
        };
        let others = if others > 0 {
            format!(" (and {others} rows of other files)")
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {word:<10} {services:>8} services{others}");
    }
    let _ = writeln!(
        out,
        "  {}, {}",
        crate::output::plural(report.organizations, "organization", "organizations"),
        crate::output::plural(report.locations, "location", "locations")
    );
    for (reason, n) in &report.excluded {
        let _ = writeln!(out, "  not imported ({reason}): {n}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "  note: {}", navigator_index::text::sanitize(note));
    }
    drop(out);
    print_problems(report, verbose);
}

/// Problems go to stderr, grouped by file and reason, so stdout stays the summary.
fn print_problems(report: &ImportReport, verbose: bool) {
    let mut err = std::io::stderr().lock();
    let _ = write_groups(&mut err, report, verbose);
}
