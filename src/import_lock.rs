//! One import at a time per data directory: `import.lock`, held (flock) for the whole
//! import and holding the importer's pid, user and start time so a second import can say
//! who it is waiting for. The lock goes with the process: a killed import leaves the file
//! but not the lock. With PostgreSQL as the store, one import at a time across every
//! server too: the store's lock (see `store::across_servers`; PostgreSQL's advisory lock),
//! whose refusal names the server as well.

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
    _database: Option<crate::store::across_servers::StoreImportLock>,
}

/// Who holds the lock, as the holder wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    /// The server (host name) when the lock is the database's.
    pub server: Option<String>,
    pub pid: Option<u32>,
    pub user: Option<String>,
    /// RFC 3339 UTC.
    pub started: Option<String>,
}

impl Holder {
    fn parse(text: &str) -> Holder {
        let mut h = Holder::default();
        for line in text.lines() {
            match line.split_once('=') {
                Some(("pid", v)) => h.pid = v.trim().parse().ok(),
                Some(("user", v)) => h.user = Some(v.trim().to_string()),
                Some(("started", v)) => h.started = Some(v.trim().to_string()),
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
                Ok(t) => crate::clock::local_text(t, "%Y-%m-%d %H:%M:%S"),
                Err(_) => s.to_string(),
            })
            .unwrap_or_else(|| "at an unknown time".into());
        let user = self.user.as_deref().map(|u| format!(", by {u}")).unwrap_or_default();
        let server = self.server.as_deref().map(|s| format!(" on {s}")).unwrap_or_default();
        format!("pid {pid}{server}, started {started}{user}")
    }
}

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

/// Takes the import lock of `data_dir` (and of the database, when it is PostgreSQL),
/// waiting up to `wait` for another import to finish. Fails with exit status 75 (try
/// again later) naming the import that holds it.
pub fn acquire(data_dir: &Path, wait: Duration) -> Result<ImportLock, Failure> {
    acquire_as(data_dir, wait, true)
}

/// The lock of this data directory only (an index rebuild is this server's business).
pub fn acquire_local(data_dir: &Path, wait: Duration) -> Result<ImportLock, Failure> {
    acquire_as(data_dir, wait, false)
}

fn acquire_as(data_dir: &Path, wait: Duration, across_servers: bool) -> Result<ImportLock, Failure> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Failure::io(format!("cannot create data directory {}: {e}", data_dir.display())))?;
    let path = data_dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| crate::access::failure(&path, &e))?;
    if crate::shared::is_shared(data_dir) {
        let _ = navigator_index::shared_dir::widen_mode(&path, navigator_index::shared_dir::SHARED_FILE_MODE);
    }
    // At least a moment: a searching process looks at the lock ([`import_running`]) by
    // taking it for a few microseconds, which must not make an import fail.
    let deadline = Instant::now() + wait.max(Duration::from_millis(250));
    let mut said_waiting = false;
    loop {
        if try_lock(&file).map_err(|e| Failure::io(format!("{}: {e}", path.display())))? {
            break;
        }
        let who = holder(&path);
        if Instant::now() >= deadline {
            tracing::warn!(holder = %who.describe(), "import refused: another import is running");
            return Err(Failure::temporary(format!(
                "an import is already running ({}); try again when it has finished, or use --wait SECONDS",
                who.describe()
            )));
        }
        if !said_waiting {
            crate::say!("navigator: waiting for the import already running ({})", who.describe());
            tracing::info!(holder = %who.describe(), "waiting for another import");
            said_waiting = true;
        }
        std::thread::sleep(Duration::from_millis(100).min(deadline.saturating_duration_since(Instant::now())));
    }
    let me = format!(
        "pid={}\nuser={}\nstarted={}\n",
        std::process::id(),
        crate::user::name(),
        crate::casework::utc_text(crate::clock::now())
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
    let database = if across_servers {
        store_lock(&crate::config::store_location(data_dir)?, deadline)?
    } else {
        None
    };
    Ok(ImportLock {
        _file: file,
        _database: database,
    })
}

/// The store's import lock (None when the store needs none), waiting until `deadline`
/// for an import on another server.
fn store_lock(
    location: &crate::store::Location,
    deadline: Instant,
) -> Result<Option<crate::store::across_servers::StoreImportLock>, Failure> {
    use crate::store::across_servers::{try_import_lock, ImportHolder};
    let me = ImportHolder {
        server: crate::user::host(),
        pid: i64::from(std::process::id()),
        user: crate::user::name(),
        started: crate::casework::utc_text(crate::clock::now()),
    };
    let mut said_waiting = false;
    loop {
        let who = match try_import_lock(location, &me).map_err(Failure::store)? {
            Ok(lock) => return Ok(lock),
            Err(holder) => holder.map_or_else(Holder::default, |h| Holder {
                server: Some(h.server),
                pid: u32::try_from(h.pid).ok(),
                user: Some(h.user),
                started: Some(h.started),
            }),
        };
        if Instant::now() >= deadline {
            tracing::warn!(holder = %who.describe(), "import refused: another server's import is running");
            return Err(Failure::temporary(format!(
                "an import is already running ({}); try again when it has finished, or use --wait SECONDS",
                who.describe()
            )));
        }
        if !said_waiting {
            crate::say!("navigator: waiting for the import already running ({})", who.describe());
            said_waiting = true;
        }
        std::thread::sleep(Duration::from_millis(250).min(deadline.saturating_duration_since(Instant::now())));
    }
}

/// True when an import holds this data directory's lock right now (another process).
pub fn import_running(data_dir: &Path) -> bool {
    let Ok(file) = File::open(data_dir.join(LOCK_FILE)) else {
        return false;
    };
    match try_lock(&file) {
        Ok(true) => false,
        Ok(false) => true,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Duration::ZERO).unwrap();
        let e = acquire(dir.path(), Duration::from_millis(150)).unwrap_err();
        assert_eq!(e.code, crate::exit::TEMP_FAIL);
        assert!(
            e.message.contains(&format!(
                "an import is already running (pid {}, started ",
                std::process::id()
            )),
            "{}",
            e.message
        );
        drop(first);
        acquire(dir.path(), Duration::ZERO).expect("free once the first is dropped");
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
