//! Opening the search index for a catalogue, and rebuilding it when it must be.
//!
//! The index records the catalogue generation it reflects. When it is behind:
//!
//! - an import (or another rebuild) holds the import lock: the previous index is searched.
//!   It is consistent with the previous generation, and the import brings it up to date
//!   itself. Nothing rebuilds behind a running import.
//! - nobody holds the lock: this process takes it and rebuilds (one rebuild at a time,
//!   a stale staging folder of a killed rebuild removed first).
//! - the rebuild fails (a full disk): the last good index is searched, with a warning,
//!   until a rebuild succeeds.
//!
//! Only a missing, damaged or other-version index, which cannot be searched at all, makes
//! a search wait for the lock and fail when the rebuild does.

use std::path::Path;
use std::time::Duration;

use navigator_index::{Engine, EngineError};

use super::index_failure;
use crate::exit::Failure;
use crate::import_lock::{self, ImportLock, TASK_REBUILD};
use crate::progress::Progress;
use crate::store::Store;

/// How long a search waits for a running import or rebuild when there is no index to
/// search meanwhile.
const WAIT_FOR_AN_INDEX: Duration = Duration::from_secs(120);

/// The index of `data_dir` for `store`, and a warning when it is not the catalogue's
/// current generation. `lock` is the import lock when the caller holds it.
pub fn open(store: &Store, data_dir: &Path, lock: Option<&ImportLock>) -> Result<(Engine, Option<String>), Failure> {
    let dir = data_dir.join("index");
    let generation = store.generation().map_err(Failure::store)?;
    match Engine::open(&dir) {
        Ok(engine) if indexed(&engine) == generation => Ok((engine, None)),
        Ok(engine) => behind(store, data_dir, engine, generation, lock),
        Err(EngineError::Missing(_)) if generation == 0 && !store.is_read_only() => {
            let _held = match lock {
                Some(_) => None,
                None => Some(import_lock::acquire(data_dir, WAIT_FOR_AN_INDEX, TASK_REBUILD)?),
            };
            match Engine::open(&dir) {
                Ok(engine) => Ok((engine, None)),
                Err(_) => Engine::create(&dir).map(|e| (e, None)).map_err(index_failure),
            }
        }
        Err(e) if e.needs_rebuild() => unusable(store, data_dir, e, lock),
        Err(e) => Err(index_failure(e)),
    }
}

fn indexed(engine: &Engine) -> u64 {
    engine.commit_info().map_or(0, |c| c.generation)
}

/// The index works but is behind (or ahead of) the catalogue.
fn behind(
    store: &Store,
    data_dir: &Path,
    engine: Engine,
    generation: u64,
    lock: Option<&ImportLock>,
) -> Result<(Engine, Option<String>), Failure> {
    let dir = data_dir.join("index");
    let was = indexed(&engine);
    if lock.is_some() {
        crate::say!(
            "navigator: the search index (generation {was}) is behind the catalogue ({generation}); rebuilding it"
        );
        tracing::warn!(
            indexed = was,
            generation,
            "search index behind the catalogue; rebuilding"
        );
        return rebuild(store, &dir).map(|e| (e, None));
    }
    if store.is_read_only() {
        return Ok((
            engine,
            Some(stale(was, generation, "the data directory is read-only for you")),
        ));
    }
    let held = match import_lock::try_acquire(data_dir, TASK_REBUILD) {
        Ok(held) => held,
        Err(f) => return Ok((engine, Some(stale(was, generation, &f.message)))),
    };
    let Some(_held) = held else {
        // An import is bringing it up to date (or another process is rebuilding it).
        tracing::info!(
            indexed = was,
            generation,
            "index behind while an import runs; searching the previous one"
        );
        return Ok((engine, None));
    };
    // Someone may have finished a rebuild or an import between our look and the lock.
    let _ = engine.reload();
    let generation = store.generation().map_err(Failure::store)?;
    if indexed(&engine) == generation {
        return Ok((engine, None));
    }
    crate::say!("navigator: the search index (generation {was}) is behind the catalogue ({generation}); rebuilding it");
    tracing::warn!(
        indexed = was,
        generation,
        "search index behind the catalogue; rebuilding"
    );
    match rebuild(store, &dir) {
        Ok(fresh) => Ok((fresh, None)),
        Err(f) => {
            tracing::warn!(status = f.code, "index rebuild failed; searching the last good index");
            Ok((engine, Some(stale(was, generation, &f.message))))
        }
    }
}

/// "searching the last good index ...": what a navigator is told while it is behind.
fn stale(was: u64, generation: u64, why: &str) -> String {
    format!(
        "the search index could not be brought up to date ({why}); searching the last good index \
         (catalogue generation {was}, the catalogue is at {generation}) until a rebuild succeeds \
         (`navigator index rebuild`)"
    )
}

/// No index that can be searched: wait for whoever holds the lock, then rebuild.
fn unusable(
    store: &Store,
    data_dir: &Path,
    e: EngineError,
    lock: Option<&ImportLock>,
) -> Result<(Engine, Option<String>), Failure> {
    let dir = data_dir.join("index");
    if store.is_read_only() {
        return Err(index_failure(e));
    }
    let _held = match lock {
        Some(_) => None,
        None => Some(import_lock::acquire(data_dir, WAIT_FOR_AN_INDEX, TASK_REBUILD)?),
    };
    // Whoever held the lock may have rebuilt it.
    if let Ok(engine) = Engine::open(&dir) {
        if indexed(&engine) == store.generation().map_err(Failure::store)? {
            return Ok((engine, None));
        }
    }
    crate::say!("navigator: {e}; rebuilding it from the catalogue");
    tracing::warn!(error = %e, "rebuilding the search index from the catalogue");
    rebuild(store, &dir).map(|e| (e, None))
}

/// Builds a fresh index of the whole catalogue in `dir`. The caller holds the lock.
pub fn rebuild(store: &Store, dir: &Path) -> Result<Engine, Failure> {
    crate::fault::check("index-rebuild").map_err(|e| Failure::io(format!("{}: {e}", dir.display())))?;
    let stats = store.catalogue_stats().map_err(Failure::store)?;
    let progress = Progress::new("indexing", stats.services);
    let mut services = Vec::with_capacity(stats.services as usize);
    store.for_each_service(|s| services.push(s)).map_err(Failure::store)?;
    let engine = Engine::rebuild(dir, services, stats.generation, |n| progress.set(n)).map_err(index_failure)?;
    progress.finish();
    tracing::info!(
        services = stats.services,
        generation = stats.generation,
        "index rebuilt"
    );
    Ok(engine)
}
