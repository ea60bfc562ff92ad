//! `navigator import` of a corpus into a fresh data directory, timed from spawn to exit,
//! with the process's peak RSS from `wait4`'s rusage (exact, no polling).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::Value;

/// How to run the navigator binary: where it is, and the environment it gets.
#[derive(Debug, Clone)]
pub struct Navigator {
    pub bin: PathBuf,
    /// An empty config directory, so no user config changes the results.
    pub config_dir: PathBuf,
    /// More environment (the database URL of a PostgreSQL run).
    pub env: Vec<(String, String)>,
}

impl Navigator {
    /// The environment every navigator process of the benchmark gets: an empty config
    /// (no system file either), no progress bars, no inherited data directory or database.
    pub fn environment(&self) -> Vec<(String, Option<String>)> {
        let mut env = vec![
            (
                "NAVIGATOR_CONFIG_DIR".to_string(),
                Some(self.config_dir.display().to_string()),
            ),
            (
                "NAVIGATOR_SYSTEM_CONFIG".to_string(),
                Some(self.config_dir.join("no-system-config.toml").display().to_string()),
            ),
            ("NAVIGATOR_NO_PROGRESS".to_string(), Some("1".to_string())),
            ("NAVIGATOR_DATA_DIR".to_string(), None),
            ("NAVIGATOR_DATABASE_URL".to_string(), None),
            ("NO_COLOR".to_string(), None),
        ];
        env.extend(self.env.iter().map(|(k, v)| (k.clone(), Some(v.clone()))));
        env
    }

    pub fn command(&self, data_dir: &Path) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--data-dir").arg(data_dir);
        for (k, v) in self.environment() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd
    }

    /// The same binary with `key=value` added to its environment.
    pub fn with_env(&self, key: &str, value: &str) -> Navigator {
        let mut nav = self.clone();
        nav.env.push((key.to_string(), value.to_string()));
        nav
    }

    /// Runs to completion and parses stdout as one JSON value.
    pub fn json(&self, data_dir: &Path, args: &[&str]) -> anyhow::Result<Value> {
        let out = self
            .command(data_dir)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {}", self.bin.display()))?;
        if !out.status.success() {
            bail!(
                "navigator {} failed ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        serde_json::from_slice(&out.stdout).with_context(|| format!("navigator {} printed no JSON", args.join(" ")))
    }
}

#[derive(Debug, Clone)]
pub struct ImportFigures {
    pub services: u64,
    pub wall: Duration,
    pub index_bytes: u64,
    pub database_bytes: u64,
    pub peak_rss_bytes: u64,
    pub user: Duration,
    pub system: Duration,
    pub skipped: u64,
    pub repaired: u64,
}

impl ImportFigures {
    pub fn services_per_s(&self) -> f64 {
        self.services as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Exit status and resource usage of a finished child, from `wait4`.
pub struct Reaped {
    pub status: i32,
    pub usage: libc::rusage,
}

pub fn wait4(pid: u32) -> anyhow::Result<Reaped> {
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it in for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waiting for a child this process spawned; pointers are to live locals.
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if r == pid as libc::pid_t {
            return Ok(Reaped { status, usage });
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            bail!("wait4({pid}): {err}");
        }
    }
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

fn field(v: &Value, name: &str) -> anyhow::Result<u64> {
    v.get(name)
        .and_then(Value::as_u64)
        .with_context(|| format!("no number {name:?} in {v}"))
}

/// Runs `navigator import CORPUS --json` over `data_dir` as a child of its own (its output
/// in `DATA_DIR.<logs>/`), timing it and reaping its resource use: the wait status, the
/// wall time and the import's JSON report. A failed import is an error with its stderr.
pub fn timed_import(
    nav: &Navigator,
    data_dir: &Path,
    corpus: &Path,
    logs: &str,
) -> anyhow::Result<(Reaped, Duration, Value)> {
    let logs = data_dir.with_extension(logs);
    std::fs::create_dir_all(&logs)?;
    let (out_path, err_path) = (logs.join("stdout.json"), logs.join("stderr.txt"));
    let start = Instant::now();
    let child = nav
        .command(data_dir)
        .arg("import")
        .arg(corpus)
        .arg("--json")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path)?)
        .stderr(File::create(&err_path)?)
        .spawn()
        .with_context(|| format!("starting {}", nav.bin.display()))?;
    let reaped = wait4(child.id())?;
    let wall = start.elapsed();
    if !(libc::WIFEXITED(reaped.status) && libc::WEXITSTATUS(reaped.status) == 0) {
        bail!(
            "navigator import {} failed (wait status {}): {}",
            corpus.display(),
            reaped.status,
            std::fs::read_to_string(&err_path).unwrap_or_default().trim()
        );
    }
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out_path)?).context("navigator import --json printed no JSON")?;
    Ok((reaped, wall, report))
}

/// Installs the demo (first use of a data dir), then times the import of `corpus`.
pub fn run(nav: &Navigator, corpus: &Path, data_dir: &Path) -> anyhow::Result<ImportFigures> {
    if data_dir.exists() {
        std::fs::remove_dir_all(data_dir)?;
    }
    nav.json(data_dir, &["index", "stats", "--json"])?;
    let (reaped, wall, report) = timed_import(nav, data_dir, corpus, "import")?;
    let stats = nav.json(data_dir, &["index", "stats", "--json"])?;
    Ok(ImportFigures {
        services: field(&stats, "services")?,
        wall,
        index_bytes: field(&stats, "index_bytes")?,
        database_bytes: field(&stats, "database_bytes")?,
        // Linux reports ru_maxrss in kilobytes.
        peak_rss_bytes: reaped.usage.ru_maxrss as u64 * 1024,
        user: timeval(reaped.usage.ru_utime),
        system: timeval(reaped.usage.ru_stime),
        skipped: field(&report, "skipped").unwrap_or(0),
        repaired: field(&report, "repaired").unwrap_or(0),
    })
}
