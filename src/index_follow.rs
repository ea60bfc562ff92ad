//! Each server keeps its own search index, following the catalogue's generation in the
//! store. When the catalogue is ahead (an import on another server, or one that died
//! between its two commits), the index is rebuilt in the background of what searches
//! use: the previous index keeps answering until the new one is swapped in.
//!
//! - Never two rebuilds on one server at once: a rebuild holds `rebuild.lock` (flock) in
//!   the data directory; a process that finds it held keeps the index it has.
//! - Not behind an import running on this server: that import writes the index itself.
//! - Long-running processes (the app) watch the generation: woken by PostgreSQL's
//!   LISTEN/NOTIFY when an import commits anywhere, and polling every few seconds as a
//!   fallback (and for SQLite), so another server's import shows within seconds.

use std::fs::OpenOptions;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use navigator_index::Engine;

use crate::exit::Failure;
use crate::store::{Location, Store};

/// How often a watcher looks at the generation when no notification came.
pub const POLL: Duration = Duration::from_secs(3);

/// The rebuild lock's file in the data directory.
pub const REBUILD_LOCK: &str = "rebuild.lock";

/// Held while a rebuild runs.
pub struct RebuildLock {
    _file: std::fs::File,
}

fn lock_file(data_dir: &Path) -> std::io::Result<std::fs::File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(data_dir.join(REBUILD_LOCK))
}

/// Takes this server's rebuild lock without waiting; None when another process holds it.
pub fn try_rebuild_lock(data_dir: &Path) -> Option<RebuildLock> {
    let file = lock_file(data_dir).ok()?;
    // SAFETY: the descriptor is open for as long as `file` lives.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    (rc == 0).then_some(RebuildLock { _file: file })
}

/// Takes this server's rebuild lock, waiting for a rebuild another process here is doing.
pub fn wait_rebuild_lock(data_dir: &Path) -> Result<RebuildLock, Failure> {
    let path = data_dir.join(REBUILD_LOCK);
    let file = lock_file(data_dir).map_err(|e| crate::access::failure(&path, &e))?;
    if crate::shared::is_shared(data_dir) {
        let _ = navigator_index::shared_dir::widen_mode(&path, navigator_index::shared_dir::SHARED_FILE_MODE);
    }
    // SAFETY: the descriptor is open for as long as `file` lives.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    Ok(RebuildLock { _file: file })
}

/// Rebuilds a missing or damaged index: there is no previous one to search meanwhile, so
/// this waits for a rebuild another process here is already doing, and uses its result.
pub fn rebuild_missing(store: &Store, data_dir: &Path) -> Result<Engine, Failure> {
    let _lock = wait_rebuild_lock(data_dir)?;
    let dir = data_dir.join("index");
    let generation = store.generation().map_err(Failure::store)?;
    if let Ok(engine) = Engine::open(&dir) {
        if engine.commit_info().map(|c| c.generation) == Some(generation) {
            return Ok(engine);
        }
    }
    crate::catalogue::rebuild_index(store, &dir)
}

/// A fresh index replacing the one searches use, handed from the watcher to the search
/// worker (which swaps it in before its next search).
pub type Swap = Arc<Mutex<Option<Engine>>>;

/// Watches the catalogue generation for a long-running process and rebuilds this server's
/// index when it falls behind, putting the new engine in `swap` and calling `swapped` with
/// its number of services (the app then searches again). `known` is the generation of the
/// index the process started with.
pub fn spawn_watcher(
    location: Location,
    data_dir: PathBuf,
    mut known: u64,
    swap: Swap,
    swapped: impl Fn(u64) + Send + 'static,
) {
    let _ = std::thread::Builder::new().name("index-follow".into()).spawn(move || {
        let mut store: Option<Store> = None;
        let mut listener = crate::store::across_servers::CatalogueWatch::new(&location);
        loop {
            listener.wait(POLL);
            if store.is_none() {
                store = Store::open_at(&location).ok();
            }
            let Some(s) = store.as_ref() else { continue };
            let generation = match s.generation() {
                Ok(g) => g,
                Err(_) => {
                    store = None;
                    continue;
                }
            };
            if generation <= known {
                continue;
            }
            let put = |engine: Engine| {
                let services = engine.num_docs();
                *swap.lock().unwrap_or_else(|p| p.into_inner()) = Some(engine);
                swapped(services);
            };
            match rebuild_behind(s, &data_dir, generation) {
                Ok(Some(engine)) => {
                    known = generation;
                    put(engine);
                }
                // Someone else here is rebuilding or importing: their index is reopened
                // once it is in place.
                Ok(None) => {
                    if let Ok(engine) = Engine::open(&data_dir.join("index")) {
                        if engine.commit_info().map(|c| c.generation) == Some(generation) {
                            known = generation;
                            put(engine);
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e.message, "background index rebuild failed"),
            }
        }
    });
}

/// Rebuilds the index of `data_dir` from `store` unless another process here is
/// rebuilding or importing; None then. Re-checks the index under the lock, since the
/// process that held it may have just brought it up to `generation`.
pub fn rebuild_behind(store: &Store, data_dir: &Path, generation: u64) -> Result<Option<Engine>, Failure> {
    if crate::import_lock::import_running(data_dir) {
        return Ok(None);
    }
    let Some(_lock) = try_rebuild_lock(data_dir) else {
        return Ok(None);
    };
    let dir = data_dir.join("index");
    if let Ok(engine) = Engine::open(&dir) {
        if engine.commit_info().map(|c| c.generation) == Some(generation) {
            return Ok(Some(engine));
        }
    }
    tracing::info!(generation, "rebuilding the search index behind the catalogue");
    crate::catalogue::rebuild_index(store, &dir).map(Some)
}
