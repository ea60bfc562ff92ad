//! Opening the search index for a catalogue, and rebuilding it when it must be.
//!
//! The index records the catalogue generation it reflects. When it is behind:
//!
//! - an import (or an index rebuild) is running here, or another process is rebuilding:
//!   the previous index is searched. It is consistent with the previous generation, and
//!   the import brings it up to date itself. Nothing rebuilds behind a running import
//!   (see [`crate::index_follow`]: one rebuild at a time under `rebuild.lock`).
//! - otherwise this process rebuilds it (a stale staging folder of a killed rebuild is
//!   removed first).
//! - the rebuild fails (a full disk): the last good index is searched, with a warning,
//!   until a rebuild succeeds.
//! - the caller holds the import lock (an import, `index rebuild`): it rebuilds now, so
//!   the import's changes go onto an index that has every earlier one.
//!
//! Only a missing, damaged or other-version index, which cannot be searched at all, makes
//! a search wait for a rebuild and fail when it does.

use std::path::Path;

use navigator_index::{Engine, EngineError};

use super::index_failure;
use crate::exit::Failure;
use crate::import_lock::ImportLock;
use crate::progress::Progress;
use crate::store::Store;

/// The index of `data_dir` for `store`, and a warning when it is not the catalogue's
/// current generation. `lock` is the import lock when the caller holds it.
pub fn open(store: &Store, data_dir: &Path, lock: Option<&ImportLock>) -> Result<(Engine, Option<String>), Failure> {
    let dir = data_dir.join("index");
    let generation = store.generation().map_err(Failure::store)?;
    match Engine::open(&dir) {
        Ok(engine) if indexed(&engine) == generation => Ok((engine, None)),
        Ok(engine) => behind(store, data_dir, engine, generation, lock),
        Err(EngineError::Missing(_)) if generation == 0 && !store.is_read_only() => {
            Engine::create(&dir).map(|e| (e, None)).map_err(index_failure)
        }
        Err(e) if e.needs_rebuild() && !store.is_read_only() => {
            crate::say!("navigator: {e}; rebuilding it from the catalogue");
            tracing::warn!(error = %e, "rebuilding the search index from the catalogue");
            match lock {
                // The caller holds the rebuild lock already (`Catalogue::open_locked`).
                Some(_) => rebuild_index(store, &dir).map(|e| (e, None)),
                None => crate::index_follow::rebuild_missing(store, data_dir).map(|e| (e, None)),
            }
        }
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
    let was = indexed(&engine);
    if lock.is_some() {
        // The caller holds the rebuild lock too (see `Catalogue::open_locked`). Whoever
        // held it before may have just brought the index up to date.
        if let Ok(fresh) = Engine::open(&data_dir.join("index")) {
            if indexed(&fresh) == generation {
                return Ok((fresh, None));
            }
        }
        crate::say!(
            "navigator: the search index (generation {was}) is behind the catalogue ({generation}); rebuilding it"
        );
        tracing::warn!(
            indexed = was,
            generation,
            "search index behind the catalogue; rebuilding"
        );
        return rebuild_index(store, &data_dir.join("index")).map(|e| (e, None));
    }
    if store.is_read_only() {
        return Ok((
            engine,
            Some(stale(was, generation, "the data directory is read-only for you")),
        ));
    }
    match crate::index_follow::rebuild_behind(store, data_dir, generation) {
        Ok(Some(fresh)) => {
            crate::say!(
                "navigator: the search index (generation {was}) was behind the catalogue ({generation}); rebuilt it"
            );
            tracing::warn!(indexed = was, generation, "search index behind the catalogue; rebuilt");
            Ok((fresh, None))
        }
        // An import is bringing it up to date, or another process is rebuilding it.
        Ok(None) => {
            tracing::info!(
                indexed = was,
                generation,
                "index behind while an import or rebuild runs; searching the previous one"
            );
            Ok((engine, None))
        }
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

/// Builds a fresh index of the whole catalogue in `dir`, swapping it in when complete.
/// The caller holds the rebuild lock.
pub fn rebuild_index(store: &Store, dir: &Path) -> Result<Engine, Failure> {
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
