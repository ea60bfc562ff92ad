//! navigator-bench: the reproducible benchmark. One command measures import, keystroke
//! search (navigator and SQLite FTS5), and the TUI in a pseudo-terminal, then writes
//! BENCHMARKS.md with the machine, date, commit and command. Progress goes to stderr.
//!
//! `cargo run --release -p navigator-bench -- [--quick] [--sizes demo,60000,1000000] [--out BENCHMARKS.md]`
//!
//! With `--postgres URL` it also measures the stores for many offices (SQLite against
//! PostgreSQL under 16 processes, and keystrokes with each as the store); `--stores-only`
//! measures that alone and rewrites only its section of the file.

mod corpus;
mod fts5;
mod import;
mod judged;
mod load;
mod machine;
mod navsearch;
mod pty;
mod queries;
mod reimport;
mod relevance;
mod report;
mod report_relevance;
mod stats;
mod store_worker;
mod stores;
mod stores_report;
mod targets;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;

use corpus::Size;
use import::Navigator;
use report::{Run, SizeResult};

/// Measure navigator and write BENCHMARKS.md.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Smoke run: the demo and 20,000 services only, and a shorter TUI typing session.
    #[arg(long, conflicts_with = "sizes")]
    quick: bool,
    /// Sizes to run, comma separated: "demo" or a number of services (60000, 60k, 1m).
    #[arg(long, value_delimiter = ',', value_parser = Size::parse)]
    sizes: Vec<Size>,
    /// Where to write the report.
    #[arg(long, default_value = "BENCHMARKS.md")]
    out: PathBuf,
    /// The navigator binary (default: `navigator` beside this binary, built first).
    #[arg(long)]
    navigator: Option<PathBuf>,
    /// Do not run `cargo build -p navigator` first.
    #[arg(long)]
    no_build: bool,
    /// Keep corpora here and reuse them across runs (default: a temporary directory).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Seed of the synthetic corpora (the demo always uses its own).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Before each timed phase, wait up to this many seconds for other processes to leave
    /// the CPUs alone (under 10% of the machine for a second).
    #[arg(long, default_value_t = 0, value_name = "SECONDS")]
    wait_quiet: u64,
    /// Only the TUI session, on a data directory already imported; prints its figures and
    /// writes no report (for looking into one figure without a whole run).
    #[arg(long, value_name = "DATA_DIR")]
    tui_only: Option<PathBuf>,
    /// Only the relevance harness (judged queries on DC 211 and the demo): replaces the
    /// Relevance section of --out (the rest of the file stays as it was) and prints it.
    #[arg(long, conflicts_with = "tui_only")]
    relevance_only: bool,
    /// The shared reference data (DC 211's export is judged when it is there); default
    /// $NAVIGATOR_SHARED_DATA, else ../shared/data beside the workspace.
    #[arg(long, value_name = "DIR")]
    shared_data: Option<PathBuf>,
    /// A PostgreSQL cluster for the "Many offices" section: a URL whose user may create
    /// databases (the password from the URL or PGPASSFILE). Without it a full run keeps
    /// that section of the previous file.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// Only the "Many offices" section (needs --postgres): the rest of the file is kept as
    /// it is. With --quick: fewer contacts and a small catalogue.
    #[arg(long, requires = "postgres", conflicts_with_all = ["sizes", "tui_only"])]
    stores_only: bool,
    /// Internal: one navigator process of the store benchmark, on this data directory.
    #[arg(long, value_name = "DATA_DIR", hide = true)]
    store_worker: Option<PathBuf>,
    #[command(flatten)]
    worker: store_worker::WorkerArgs,
}

const DEFAULT_SIZES: [Size; 3] = [Size::Demo, Size::Services(60_000), Size::Services(1_000_000)];
const QUICK_SIZES: [Size; 2] = [Size::Demo, Size::Services(20_000)];
/// Queries typed in the TUI session: all of them, or a few in quick mode.
const QUICK_SESSION_QUERIES: usize = 1;

fn started() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// One line of progress on stderr, with the time since the start.
pub fn progress(message: &str) {
    eprintln!("[{:>7.1}s] {message}", started().elapsed().as_secs_f64());
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `navigator` beside this binary, built with this binary's profile unless told not to.
fn navigator_binary(args: &Args) -> anyhow::Result<PathBuf> {
    if let Some(path) = &args.navigator {
        if !path.is_file() {
            bail!("--navigator {}: no such file", path.display());
        }
        return Ok(path.clone());
    }
    let exe = std::env::current_exe().context("locating this binary")?;
    let dir = exe.parent().context("this binary has no directory")?;
    let bin = dir.join(format!("navigator{}", std::env::consts::EXE_SUFFIX));
    if !args.no_build {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(workspace_root())
            .args(["build", "-p", "navigator", "--bin", "navigator"]);
        if !cfg!(debug_assertions) {
            cmd.arg("--release");
        }
        progress(&format!("building navigator: {cmd:?}"));
        let status = cmd
            .stdout(std::process::Stdio::null())
            .status()
            .context("running cargo build -p navigator (use --no-build or --navigator)")?;
        if !status.success() {
            bail!("cargo build -p navigator failed ({status})");
        }
    }
    if !bin.is_file() {
        bail!(
            "{} does not exist: build it with `cargo build --release -p navigator`, or pass --navigator",
            bin.display()
        );
    }
    Ok(bin)
}

struct Settings {
    seed: u64,
    session_queries: usize,
    wait_quiet: Duration,
}

/// Runs `phase` after waiting for a quiet machine; records how busy others kept it.
fn phase<T>(
    settings: &Settings,
    busy: &mut Vec<(&'static str, f64)>,
    name: &'static str,
    phase: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    load::wait_quiet(settings.wait_quiet);
    let before = load::CpuSample::now();
    let out = phase()?;
    if let (Some(a), Some(b)) = (before, load::CpuSample::now()) {
        busy.push((name, b.others_since(&a)));
    }
    Ok(out)
}

fn run_size(nav: &Navigator, work: &Path, size: Size, settings: &Settings) -> anyhow::Result<SizeResult> {
    progress(&format!("== {} services ==", size.label()));
    let corpus = corpus::ensure(work, size, settings.seed)?;
    let data_dir = work.join(format!("data-{}", size.slug()));
    let mut busy = Vec::new();
    let imported = phase(settings, &mut busy, "navigator import", || {
        import::run(nav, &corpus, &data_dir)
    })?;
    progress(&format!(
        "  navigator import: {} services in {:.2} s ({:.0}/s), peak RSS {}",
        imported.services,
        imported.wall.as_secs_f64(),
        imported.services_per_s(),
        machine::human_bytes(imported.peak_rss_bytes)
    ));
    let nav_figures = phase(settings, &mut busy, "navigator keystrokes", || {
        navsearch::run(&data_dir)
    })?;
    let fts_db = work.join(format!("fts5-{}.db", size.slug()));
    let fts = phase(settings, &mut busy, "FTS5 import and keystrokes", || {
        fts5::run(&corpus, &fts_db, nav_figures.origin)
    })?;
    let _ = std::fs::remove_file(&fts_db);
    let tui = phase(settings, &mut busy, "TUI session", || {
        progress("  TUI session in a pseudo-terminal");
        pty::run(nav, &data_dir, settings.session_queries)
    })?;
    progress(&format!(
        "  TUI: start-up {:.1} ms (warm {:.1} ms), key-to-frame p99 {:.2} ms, idle bytes {}",
        tui.startup.as_secs_f64() * 1000.0,
        tui.startup_warm.p50(),
        tui.latency.p99(),
        tui.idle_bytes
    ));
    // At the sizes a nightly import is timed at (the demo has nothing to change, and a
    // second 1,000,000-service import would double the run).
    let reimport = if size == Size::Demo || size.services() > reimport::LARGEST {
        None
    } else {
        let re = phase(settings, &mut busy, "re-import, 1% changed", || {
            reimport::run(nav, &corpus, &data_dir, work)
        })?;
        progress(&format!(
            "  re-import, 1% changed: {} updated in {:.2} s, {} of the index written",
            re.updated,
            re.wall.as_secs_f64(),
            machine::human_bytes(re.index_bytes_written)
        ));
        Some(re)
    };
    let _ = std::fs::remove_dir_all(&data_dir);
    let _ = std::fs::remove_dir_all(data_dir.with_extension("import"));
    Ok(SizeResult {
        size,
        import: imported,
        nav: nav_figures,
        fts,
        tui: Some(tui),
        reimport,
        busy,
    })
}

/// The "Many offices" measurement's settings.
fn store_options(args: &Args, settings: &Settings) -> stores::Options {
    stores::Options {
        contacts_each: if args.quick { 3 } else { 25 },
        keystroke_size: Size::Services(if args.quick { 2_000 } else { 60_000 }),
        session_queries: settings.session_queries,
        seed: settings.seed,
    }
}

fn main() -> anyhow::Result<()> {
    started();
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let args = Args::parse();
    if let Some(data_dir) = &args.store_worker {
        return store_worker::run(data_dir, &args.worker);
    }
    let sizes: Vec<Size> = if args.quick {
        QUICK_SIZES.to_vec()
    } else if args.sizes.is_empty() {
        DEFAULT_SIZES.to_vec()
    } else {
        args.sizes.clone()
    };
    let settings = Settings {
        seed: args.seed,
        session_queries: if args.quick {
            QUICK_SESSION_QUERIES
        } else {
            queries::QUERIES.len()
        },
        wait_quiet: Duration::from_secs(args.wait_quiet),
    };
    // The stores alone need neither FTS5 nor the judged queries.
    let relevance = if args.stores_only {
        Vec::new()
    } else {
        fts5::check_fts5()?;
        let shared = args
            .shared_data
            .clone()
            .or_else(|| std::env::var_os("NAVIGATOR_SHARED_DATA").map(PathBuf::from))
            .unwrap_or_else(|| workspace_root().join("../shared/data"));
        relevance::run(relevance::sets(&shared, &workspace_root()))?
    };
    if args.relevance_only {
        let m = machine::Machine::probe(&workspace_root(), &raw);
        let at = format!(
            "Measured {} at commit {} with `{}` (the rest of this file may be from another run).",
            m.date, m.commit, m.command
        );
        let section = report_relevance::section(&relevance, Some(&at));
        let previous = std::fs::read_to_string(&args.out).unwrap_or_default();
        std::fs::write(&args.out, report_relevance::splice(&previous, &section))
            .with_context(|| format!("writing {}", args.out.display()))?;
        print!("{section}");
        for t in targets::relevance_targets(&relevance) {
            progress(&format!("{} (goal {}): {}", t.name, t.limit_text(), t.result_text()));
        }
        progress(&format!("wrote the Relevance section of {}", args.out.display()));
        return Ok(());
    }
    let bin = navigator_binary(&args)?;
    let machine = machine::Machine::probe(&workspace_root(), &raw);
    let temp = tempfile::Builder::new().prefix("navigator-bench-").tempdir()?;
    let work = match &args.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => temp.path().to_path_buf(),
    };
    let config_dir = work.join("config");
    std::fs::create_dir_all(&config_dir)?;
    let nav = Navigator {
        bin: bin.clone(),
        config_dir,
        env: Vec::new(),
    };
    progress(&format!(
        "navigator {} on {} cores; work in {}",
        bin.display(),
        machine.cores,
        work.display()
    ));
    if let Some(data_dir) = &args.tui_only {
        let tui = pty::run(&nav, data_dir, settings.session_queries)?;
        println!("{tui:#?}");
        return Ok(());
    }
    let previous = std::fs::read_to_string(&args.out).ok();
    let measure_stores = |machine: machine::Machine| -> anyhow::Result<String> {
        let url = args.postgres.as_deref().unwrap_or_default();
        let run = stores::run(&nav, &work, url, machine, &store_options(&args, &settings))?;
        Ok(stores_report::render(&run))
    };
    if args.stores_only {
        let section = measure_stores(machine)?;
        let text = stores_report::with_section(previous.as_deref().unwrap_or(""), stores_report::HEADING, &section);
        std::fs::write(&args.out, text).with_context(|| format!("writing {}", args.out.display()))?;
        progress(&format!("wrote the \"Many offices\" section of {}", args.out.display()));
        return Ok(());
    }
    let mut results = Vec::new();
    for size in sizes {
        results.push(
            run_size(&nav, &work, size, &settings)
                .with_context(|| format!("benchmark at {} services", size.label()))?,
        );
    }
    let stores = match args.postgres {
        Some(_) => Some(measure_stores(machine.clone())?),
        None => {
            let kept = previous
                .as_deref()
                .and_then(|p| stores_report::section(p, stores_report::HEADING));
            if kept.is_some() {
                progress("kept the \"Many offices\" section of the previous file (no --postgres to measure it)");
            }
            kept
        }
    };
    let run = Run {
        machine,
        navigator: bin.strip_prefix(workspace_root()).unwrap_or(&bin).display().to_string(),
        seed: args.seed,
        results,
        relevance,
    };
    let analysis = previous.as_deref().and_then(report::previous_analysis);
    if analysis.is_some() {
        progress("kept the Analysis section of the previous file: check it against the new figures");
    }
    let text = report::render(&run, stores.as_deref(), analysis.as_deref());
    std::fs::write(&args.out, text).with_context(|| format!("writing {}", args.out.display()))?;
    for t in targets::evaluate(&run.results, &run.relevance) {
        progress(&format!("{} (goal {}): {}", t.name, t.limit_text(), t.result_text()));
    }
    progress(&format!("wrote {}", args.out.display()));
    Ok(())
}
