//! Many offices: the store under 16 navigator processes, SQLite on one server against one
//! PostgreSQL database shared by two servers (two data directories), and the app's
//! keystroke latency with each as its store. Needs a PostgreSQL cluster (`--postgres URL`,
//! a user who may create databases; the password from PGPASSFILE or the URL); every
//! database it creates is dropped at the end.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use navigator::store::{testing::with_database, PgUrl};

use crate::corpus::{self, Size};
use crate::import::{self, Navigator};
use crate::machine::Machine;
use crate::pty::{self, TuiFigures};
use crate::stats::Samples;
use crate::store_worker::{Done, Task};

/// Navigator processes working at once.
pub const PROCESSES: usize = 16;

pub struct Options {
    /// Contacts each process saves.
    pub contacts_each: usize,
    /// Services in the catalogue of the keystroke session.
    pub keystroke_size: Size,
    pub session_queries: usize,
    pub seed: u64,
}

/// One store under [`PROCESSES`] processes.
pub struct Load {
    pub store: &'static str,
    pub servers: usize,
    pub contacts: usize,
    pub contacts_wall: Duration,
    pub save: Samples,
    pub claims: usize,
    pub claims_wall: Duration,
    pub claim: Samples,
    /// Claims another process won first (the claim was refused, as it must be).
    pub lost_races: usize,
    /// Follow-ups two processes both claimed: must be 0.
    pub double_claims: usize,
}

pub struct StoreRun {
    pub machine: Machine,
    pub postgres: String,
    pub loads: Vec<Load>,
    pub services: u64,
    pub keys: Vec<(&'static str, TuiFigures)>,
    /// Share of the machine other processes used during the whole measurement.
    pub busy: Option<f64>,
}

/// A database of the cluster for this run, dropped when done.
struct Database {
    admin: PgUrl,
    name: String,
    url: String,
}

impl Database {
    fn create(admin: &PgUrl, purpose: &str) -> anyhow::Result<Database> {
        let name = format!("navbench_{}_{purpose}", std::process::id());
        let mut client = navigator::store::postgres::connect(admin).map_err(|e| anyhow::anyhow!("{e}"))?;
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        client.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let url = with_database(admin, &name).to_string();
        Ok(Database {
            admin: admin.clone(),
            name,
            url,
        })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut client) = navigator::store::postgres::connect(&self.admin) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// The server's version and the settings that decide what a commit costs.
fn describe_postgres(admin: &PgUrl) -> anyhow::Result<String> {
    let mut client = navigator::store::postgres::connect(admin).map_err(|e| anyhow::anyhow!("{e}"))?;
    let show = |client: &mut postgres::Client, name: &str| -> anyhow::Result<String> {
        Ok(client.query_one(&format!("SHOW {name}"), &[])?.get(0))
    };
    let version = show(&mut client, "server_version")?;
    let fsync = show(&mut client, "fsync")?;
    let sync = show(&mut client, "synchronous_commit")?;
    Ok(format!(
        "PostgreSQL {version} on this machine over TCP loopback (fsync={fsync}, synchronous_commit={sync})"
    ))
}

/// Starts [`PROCESSES`] workers on `dirs` (round robin), lets them connect, starts them
/// together and collects what each did.
fn workers(nav: &Navigator, dirs: &[PathBuf], task: Task, count: usize, work: &Path) -> anyhow::Result<Vec<Done>> {
    let go = work.join(format!("go-{task:?}"));
    let _ = std::fs::remove_file(&go);
    let exe = std::env::current_exe()?;
    let mut children = Vec::new();
    for w in 0..PROCESSES {
        let server = w % dirs.len();
        let mut cmd = Command::new(&exe);
        cmd.arg("--store-worker")
            .arg(&dirs[server])
            .args(["--worker-task", &format!("{task:?}").to_lowercase()])
            .args(["--worker-count", &count.to_string()])
            .arg("--worker-go")
            .arg(&go)
            .args([
                "--worker-name",
                &format!("nav{w}"),
                "--worker-seed",
                &(w + 1).to_string(),
            ])
            .env("NAVIGATOR_OFFICE", format!("office{}", server + 1))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in nav.environment() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        children.push(cmd.spawn().context("starting a store worker")?);
    }
    // Opening the catalogue (and its index) is not what is measured: start together.
    std::thread::sleep(Duration::from_secs(2));
    std::fs::write(&go, b"go")?;
    let mut done = Vec::new();
    for child in children {
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!("a store worker failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        done.push(serde_json::from_slice(&out.stdout).context("a store worker's report")?);
    }
    Ok(done)
}

fn span(done: &[Done]) -> Duration {
    let start = done.iter().map(|d| d.start_ns).min().unwrap_or(0);
    let end = done.iter().map(|d| d.end_ns).max().unwrap_or(0);
    Duration::from_nanos(end.saturating_sub(start) as u64)
}

fn latencies(done: &[Done]) -> Samples {
    let mut s = Samples::default();
    for us in done.iter().flat_map(|d| &d.latencies_us) {
        s.push(Duration::from_micros(*us));
    }
    s
}

/// Contacts then claims under [`PROCESSES`] processes on `servers` data directories.
fn load(nav: &Navigator, work: &Path, store: &'static str, servers: usize, opts: &Options) -> anyhow::Result<Load> {
    let dirs: Vec<PathBuf> = (1..=servers)
        .map(|i| work.join(format!("stores-{store}-{i}")))
        .collect();
    for dir in &dirs {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        nav.json(dir, &["index", "stats", "--json"])?;
    }
    crate::progress(&format!("  {store}: {PROCESSES} processes saving contacts"));
    let saved = workers(nav, &dirs, Task::Contacts, opts.contacts_each, work)?;
    crate::progress(&format!("  {store}: {PROCESSES} processes claiming follow-ups"));
    let claimed = workers(nav, &dirs, Task::Claims, 0, work)?;
    let mut ids: Vec<i64> = claimed.iter().flat_map(|d| d.claimed.clone()).collect();
    let claims = ids.len();
    ids.sort_unstable();
    ids.dedup();
    let contacts = PROCESSES * opts.contacts_each;
    if ids.len() != contacts {
        bail!("{store}: {} of {contacts} follow-ups were claimed", ids.len());
    }
    for dir in &dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(Load {
        store,
        servers,
        contacts,
        contacts_wall: span(&saved),
        save: latencies(&saved),
        claims,
        claims_wall: span(&claimed),
        claim: latencies(&claimed),
        lost_races: claimed.iter().map(|d| d.conflicts).sum(),
        double_claims: claims - ids.len(),
    })
}

/// The app's keystroke session on a catalogue imported into the store `nav` points at.
fn keys(nav: &Navigator, work: &Path, store: &str, corpus: &Path, opts: &Options) -> anyhow::Result<TuiFigures> {
    let data_dir = work.join(format!("stores-keys-{store}"));
    crate::progress(&format!("  {store}: importing for the keystroke session"));
    import::run(nav, corpus, &data_dir)?;
    crate::progress(&format!("  {store}: TUI session in a pseudo-terminal"));
    let fig = pty::run(nav, &data_dir, opts.session_queries)?;
    let _ = std::fs::remove_dir_all(&data_dir);
    let _ = std::fs::remove_dir_all(data_dir.with_extension("import"));
    Ok(fig)
}

pub fn run(nav: &Navigator, work: &Path, admin: &str, machine: Machine, opts: &Options) -> anyhow::Result<StoreRun> {
    let admin = PgUrl::new(admin);
    let postgres = describe_postgres(&admin).context("--postgres: the cluster cannot be used")?;
    crate::progress(&format!("== stores: SQLite against {postgres} =="));
    let started = Instant::now();
    let cpu = crate::load::CpuSample::now();
    let mut loads = vec![load(nav, work, "SQLite", 1, opts)?];
    {
        let db = Database::create(&admin, "load")?;
        let pg = nav.with_env("NAVIGATOR_DATABASE_URL", &db.url);
        loads.push(load(&pg, work, "PostgreSQL", 2, opts)?);
    }
    for l in &loads {
        crate::progress(&format!(
            "  {}: {:.0} contacts/s, {:.0} claims/s, {} lost races, {} double claims",
            l.store,
            l.contacts as f64 / l.contacts_wall.as_secs_f64().max(1e-9),
            l.claims as f64 / l.claims_wall.as_secs_f64().max(1e-9),
            l.lost_races,
            l.double_claims
        ));
    }
    let corpus = corpus::ensure(work, opts.keystroke_size, opts.seed)?;
    let mut keys_figures = vec![("SQLite", keys(nav, work, "sqlite", &corpus, opts)?)];
    {
        let db = Database::create(&admin, "keys")?;
        let pg = nav.with_env("NAVIGATOR_DATABASE_URL", &db.url);
        keys_figures.push(("PostgreSQL", keys(&pg, work, "postgres", &corpus, opts)?));
    }
    crate::progress(&format!("  stores done in {:.0} s", started.elapsed().as_secs_f64()));
    let busy = cpu.zip(crate::load::CpuSample::now()).map(|(a, b)| b.others_since(&a));
    Ok(StoreRun {
        busy,
        machine,
        postgres,
        loads,
        services: opts.keystroke_size.options(opts.seed).services,
        keys: keys_figures,
    })
}
