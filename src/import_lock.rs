//! One writer of the search index at a time per data directory: `import.lock`, held
//! (flock) for a whole import or index rebuild and holding the holder's pid, user, start
//! time and task so a second one can say who it is waiting for. The lock goes with the
//! process: a killed import leaves the file but not the lock.
//!
//! A command that finds the index behind the catalogue only rebuilds it when it can take
//! this lock at once ([`try_acquire`]): while an import holds it, the previous index is
//! still consistent with the previous catalogue generation and keeps being searched.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::exit::Failure;

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "import.lock";

/// Held while it lives; dropping it (or the process ending) releases the lock.
#[derive(Debug)]
pub struct ImportLock {
    _file: File,
}

/// Who holds the lock, as the holder wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub user: Option<String>,
    /// RFC 3339 UTC.
    pub started: Option<String>,
    /// "import" or "index rebuild" (absent in files written before it was recorded).
    pub task: Option<String>,
}

impl Holder {
    fn parse(text: &str) -> Holder {
        let mut h = Holder::default();
        for line in text.lines() {
            match line.split_once('=') {
                Some(("pid", v)) => h.pid = v.trim().parse().ok(),
                Some(("user", v)) => h.user = Some(v.trim().to_string()),
                Some(("started", v)) => h.started = Some(v.trim().to_string()),
                Some(("task", v)) => h.task = Some(v.trim().to_string()),
                _ => {}
            }
        }
        h
    }

    /// "pid 123, started 2026-11-25 14:02:10, by ana", in local time.
    fn describe(&self) -> String {
        let pid = self.pid.map_or("unknown".to_string(), |p| p.to_string());
        let started = self
            .started
            .as_deref()
            .map(|s| match s.parse::<jiff::Timestamp>() {
                Ok(t) => t
                    .to_zoned_datetime(jiff::tz::TimeZone::system())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                Err(_) => s.to_string(),
            })
            .unwrap_or_else(|| "at an unknown time".into());
        let user = self.user.as_deref().map(|u| format!(", by {u}")).unwrap_or_default();
        format!("pid {pid}, started {started}{user}")
    }

    /// "an import is already running" or "an index rebuild is running".
    fn what(&self) -> &'static str {
        match self.task.as_deref() {
            Some(TASK_REBUILD) => "an index rebuild is running",
            _ => "an import is already running",
        }
    }
}

/// What the holder is doing, as the lock file records it.
pub const TASK_IMPORT: &str = "import";
pub const TASK_REBUILD: &str = "index rebuild";

fn try_lock(file: &File) -> std::io::Result<bool> {
    // SAFETY: the descriptor is open for as long as `file` lives.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(e)
    }
}

fn holder(path: &Path) -> Holder {
    // The holder writes its details just after taking the lock: give it a moment.
    for _ in 0..5 {
        let mut text = String::new();
        if File::open(path).and_then(|mut f| f.read_to_string(&mut text)).is_ok() && !text.is_empty() {
            return Holder::parse(&text);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Holder::default()
}

fn open(data_dir: &Path) -> Result<(File, std::path::PathBuf), Failure> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Failure::io(format!("cannot create data directory {}: {e}", data_dir.display())))?;
    let path = data_dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| crate::access::failure(&path, &e))?;
    if crate::shared::is_shared(data_dir) {
        let _ = navigator_index::shared_dir::widen_mode(&path, navigator_index::shared_dir::SHARED_FILE_MODE);
    }
    Ok((file, path))
}

/// Takes the lock of `data_dir` for `task` if nobody holds it; `None` when someone does.
pub fn try_acquire(data_dir: &Path, task: &str) -> Result<Option<ImportLock>, Failure> {
    let (file, path) = open(data_dir)?;
    if !try_lock(&file).map_err(|e| Failure::io(format!("{}: {e}", path.display())))? {
        return Ok(None);
    }
    Ok(Some(record(file, &path, task)))
}

/// Who holds the lock of `data_dir` right now, if anyone does.
pub fn holder_of(data_dir: &Path) -> Option<Holder> {
    let path = data_dir.join(LOCK_FILE);
    let file = File::open(&path).ok()?;
    // SAFETY: the descriptor is open for as long as `file` lives.
    let free = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) } == 0;
    (!free).then(|| holder(&path))
}

/// Takes the import lock of `data_dir` for `task`, waiting up to `wait` for another import
/// or rebuild to finish. Fails with exit status 75 (try again later) naming the holder.
pub fn acquire(data_dir: &Path, wait: Duration, task: &str) -> Result<ImportLock, Failure> {
    let (file, path) = open(data_dir)?;
    let deadline = Instant::now() + wait;
    let mut said_waiting = false;
    loop {
        if try_lock(&file).map_err(|e| Failure::io(format!("{}: {e}", path.display())))? {
            break;
        }
        let who = holder(&path);
        if Instant::now() >= deadline {
            tracing::warn!(holder = %who.describe(), "refused: another import or rebuild is running");
            return Err(Failure::temporary(format!(
                "{} ({}); try again when it has finished, or use --wait SECONDS",
                who.what(),
                who.describe()
            )));
        }
        if !said_waiting {
            let task = who.task.as_deref().unwrap_or(TASK_IMPORT);
            crate::say!("navigator: waiting for the {task} already running ({})", who.describe());
            tracing::info!(holder = %who.describe(), "waiting for another import");
            said_waiting = true;
        }
        std::thread::sleep(Duration::from_millis(100).min(deadline.saturating_duration_since(Instant::now())));
    }
    Ok(record(file, &path, task))
}

/// Writes who holds the lock into the lock file, which this process now holds.
fn record(mut file: File, path: &Path, task: &str) -> ImportLock {
    let me = format!(
        "pid={}\nuser={}\nstarted={}\ntask={task}\n",
        std::process::id(),
        crate::user::name(),
        crate::casework::utc_text(jiff::Timestamp::now())
    );
    let written = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(me.as_bytes()))
        .and_then(|()| file.flush());
    if let Err(e) = written {
        // The lock is held all the same; only the message for others suffers.
        tracing::warn!(file = %path.display(), error = %e, "cannot record the import in the lock file");
    }
    ImportLock { _file: file }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Duration::ZERO, TASK_IMPORT).unwrap();
        let e = acquire(dir.path(), Duration::from_millis(150), TASK_IMPORT).unwrap_err();
        assert_eq!(e.code, crate::exit::TEMP_FAIL);
        assert!(
            e.message.contains(&format!(
                "an import is already running (pid {}, started ",
                std::process::id()
            )),
            "{}",
            e.message
        );
        assert!(try_acquire(dir.path(), TASK_REBUILD).unwrap().is_none());
        assert_eq!(holder_of(dir.path()).and_then(|h| h.pid), Some(std::process::id()));
        drop(first);
        assert!(holder_of(dir.path()).is_none());
        let rebuild = try_acquire(dir.path(), TASK_REBUILD)
            .unwrap()
            .expect("free once the first is dropped");
        let e = acquire(dir.path(), Duration::ZERO, TASK_IMPORT).unwrap_err();
        assert!(
            e.message.starts_with("an index rebuild is running (pid "),
            "{}",
            e.message
        );
        drop(rebuild);
    }

    #[test]
    fn holder_lines_parse() {
        let h = Holder::parse("pid=42\nuser=ana\nstarted=2026-11-25T14:02:10Z\n");
        assert_eq!(h.pid, Some(42));
        assert_eq!(h.user.as_deref(), Some("ana"));
        assert!(
            h.describe().starts_with("pid 42, started 2026-11-2"),
            "{}",
            h.describe()
        );
        assert!(h.describe().ends_with(", by ana"));
    }
}
