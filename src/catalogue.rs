//! The service catalogue as commands see it: the SQLite services table (source of truth)
//! and the tantivy index derived from it, kept in step.
//!
//! Import order is catalogue first (one transaction), index second (one commit), the two
//! written at the same time as the services stream in. If the process dies between the
//! two commits, the index's recorded generation is behind the catalogue's
//! and the next open rebuilds it, so a search never shows a half-applied import.

use std::path::{Path, PathBuf};

use navigator_index::import::{Import, ImportReport};
use navigator_index::{Engine, EngineError, EngineWriter, Service, Synonyms};

use crate::exit::Failure;
use crate::progress::Progress;
use crate::store::{ApplyStats, Changed, ImportRecord, Store, StoreError, CHUNK};

/// Where the catalogue's services came from.
pub const SOURCE_DEMO: &str = "demo";
pub const SOURCE_IMPORT: &str = "import";

pub struct Catalogue {
    pub store: Store,
    pub engine: Engine,
    pub data_dir: PathBuf,
}

impl Catalogue {
    /// Opens the catalogue in `data_dir`, importing the demo directory when it is empty and
    /// rebuilding the index when it is missing, damaged, another version, or behind.
    ///
    /// In a shared (setgid) data directory, files created from here on are group read/write
    /// whatever the user's umask, and the database files are made 0660. With `[retention]
    /// personal_data_days` set, old personal data is purged (at most once a day).
    pub fn open(data_dir: &Path) -> Result<Catalogue, Failure> {
        crate::shared::prepare(data_dir);
        std::fs::create_dir_all(data_dir)
            .map_err(|e| Failure::io(format!("cannot create data directory {}: {e}", data_dir.display())))?;
        let location = crate::config::store_location(data_dir)?;
        let mut store = Store::open_at(&location).map_err(Failure::store)?;
        crate::shared::share_db_files(data_dir);
        if let Some(days) = crate::config::retention_days()? {
            retention_purge(&mut store, days);
        }
        let engine = open_index(&store, data_dir)?;
        let mut catalogue = Catalogue {
            store,
            engine,
            data_dir: data_dir.to_path_buf(),
        };
        if catalogue.source()?.is_none() {
            crate::demo::install(&mut catalogue)?;
        }
        Ok(catalogue)
    }

    /// "demo", "import", or `None` for a catalogue nothing was ever put into.
    pub fn source(&self) -> Result<Option<String>, Failure> {
        self.store.catalogue_meta("source").map_err(Failure::store)
    }

    pub fn is_demo(&self) -> bool {
        self.source().ok().flatten().as_deref() == Some(SOURCE_DEMO)
    }

    /// Applies an import already read (the demo directory): see [`Catalogue::import`].
    pub fn apply(&mut self, import: &Import, replace: bool, source: &str, origin: &str) -> Result<ApplyStats, Failure> {
        let applied = self.import(
            |sink| {
                import.services.iter().cloned().for_each(sink);
                Ok(import.report.clone())
            },
            replace,
            source,
            origin,
        )?;
        Ok(applied.map(|(_, stats)| stats).unwrap_or_default())
    }

    /// Applies an import as `read` produces it (it pushes each service into the sink it is
    /// given, and returns the import's report): the catalogue in one transaction, chunk by
    /// chunk, while a second thread writes the changed services into the index; the
    /// catalogue commits first, the index second (a crash between the two leaves the index
    /// behind, and it is rebuilt). Importing over the demo directory replaces it, so
    /// fictional services never mix with real ones. `None` when `read` pushed nothing
    /// (nothing was changed).
    pub fn import(
        &mut self,
        read: impl FnOnce(&mut dyn FnMut(Service)) -> Result<ImportReport, Failure>,
        replace: bool,
        source: &str,
        origin: &str,
    ) -> Result<Option<(ImportReport, ApplyStats)>, Failure> {
        // Take the index writer first: a second import fails here, before touching anything.
        let mut writer = self.engine.writer().map_err(index_failure)?;
        let replace = replace || self.is_demo();
        let record = ImportRecord {
            finished_at: String::new(),
            source: origin.to_string(),
            format: String::new(),
            user: crate::user::name(),
            added: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: 0,
        };
        let store = &mut self.store;
        let mut read_failure: Option<Failure> = None;
        // Three stages on three threads, each handing chunks to the next through a short
        // queue: reading (here), the catalogue transaction, the index. The transaction
        // begins with the first chunk, so it is not held while an HSDS reader joins tables.
        let (to_catalogue, from_reader) = std::sync::mpsc::sync_channel::<Read>(2);
        let (to_index, from_catalogue) = std::sync::mpsc::sync_channel::<Vec<Changed>>(2);
        let (applied, written) = std::thread::scope(|scope| {
            let spawn = |name: &str| std::thread::Builder::new().name(name.into());
            let indexer = spawn("import-index").spawn_scoped(scope, move || -> Result<EngineWriter, EngineError> {
                for chunk in from_catalogue {
                    for c in chunk {
                        writer.put_encoded(&c.service, c.record.as_bytes(), c.existed)?;
                    }
                }
                Ok(writer)
            })?;
            let cataloguer = spawn("import-catalogue").spawn_scoped(scope, move || {
                let first = match from_reader.recv() {
                    Ok(Read::Chunk(services)) => services,
                    // Nothing read (or the reader failed): no transaction at all.
                    Ok(Read::Done(_)) | Err(_) => return Ok(None),
                };
                store.apply_import_stream(
                    replace,
                    Some(source),
                    |sink| {
                        first.into_iter().for_each(&mut *sink);
                        loop {
                            match from_reader.recv() {
                                Ok(Read::Chunk(services)) => services.into_iter().for_each(&mut *sink),
                                Ok(Read::Done(report)) => {
                                    let mut record = record;
                                    record.format = report.format.clone();
                                    record.skipped = skipped(&report);
                                    return Ok((*report, record));
                                }
                                // The reader failed: roll back.
                                Err(_) => return Err(StoreError::Refused),
                            }
                        }
                    },
                    &mut |chunk| {
                        to_index
                            .send(chunk)
                            .map_err(|_| StoreError::Decode("the index writer stopped".into()))
                    },
                )
            })?;
            let mut chunk = Vec::with_capacity(CHUNK);
            let mut open = true;
            let outcome = read(&mut |service| {
                if !open {
                    return;
                }
                chunk.push(service);
                if chunk.len() >= CHUNK {
                    open = to_catalogue.send(Read::Chunk(std::mem::take(&mut chunk))).is_ok();
                }
            });
            match outcome {
                Ok(report) => {
                    if !chunk.is_empty() {
                        let _ = to_catalogue.send(Read::Chunk(chunk));
                    }
                    let _ = to_catalogue.send(Read::Done(Box::new(report)));
                }
                Err(f) => read_failure = Some(f),
            }
            drop(to_catalogue);
            let applied = cataloguer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let written = indexer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok::<_, std::io::Error>((applied, written))
        })
        .map_err(|e| Failure::software(format!("cannot start the import's threads: {e}")))?;
        if let Some(f) = read_failure {
            return Err(f);
        }
        // An index error explains a stopped writer better than the catalogue's error does;
        // either way the catalogue rolled back, or (index failed after its commit) the index
        // is behind and is rebuilt.
        let mut writer = written.map_err(index_failure)?;
        let Some((report, stats)) = applied.map_err(Failure::store)? else {
            return Ok(None);
        };
        if stats.added + stats.updated + stats.removed == 0 {
            return Ok(Some((report, stats)));
        }
        for id in &stats.removed_ids {
            writer.delete(id);
        }
        writer.commit(stats.generation).map_err(index_failure)?;
        self.engine.reload().map_err(index_failure)?;
        Ok(Some((report, stats)))
    }

    /// Rebuilds the index from the catalogue, swapping it in only when complete.
    pub fn rebuild(&mut self) -> Result<(), Failure> {
        let index_dir = self.data_dir.join("index");
        self.engine = rebuild_index(&self.store, &index_dir)?;
        Ok(())
    }

    /// The synonyms in effect: the user's file when there is one, else the defaults.
    pub fn synonyms() -> Result<Synonyms, Failure> {
        let Some(path) = crate::config::synonyms_path().filter(|p| p.exists()) else {
            return Ok(Synonyms::defaults());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Failure::io(format!("{}: {e}", path.display())))?;
        Synonyms::parse(&text).map_err(|e| Failure::data(format!("{}: {e}", path.display())))
    }
}

/// What the reading stage hands the catalogue stage.
enum Read {
    Chunk(Vec<Service>),
    /// Everything was read; nothing follows.
    Done(Box<ImportReport>),
}

fn skipped(report: &ImportReport) -> usize {
    report
        .problems
        .iter()
        .filter(|p| p.kind == navigator_index::import::ProblemKind::Skipped)
        .count()
}

fn open_index(store: &Store, data_dir: &Path) -> Result<Engine, Failure> {
    let dir = &data_dir.join("index");
    let generation = store.generation().map_err(Failure::store)?;
    match Engine::open(dir) {
        Ok(engine) if engine.commit_info().map(|c| c.generation) == Some(generation) => Ok(engine),
        Ok(engine) => {
            let behind = engine.commit_info().map_or(0, |c| c.generation);
            // Another process here is rebuilding it, or an import here is writing it:
            // search the previous index meanwhile (see `index_follow`).
            match crate::index_follow::rebuild_behind(store, data_dir, generation)? {
                Some(fresh) => {
                    eprintln!("navigator: the search index (generation {behind}) was behind the catalogue ({generation}); rebuilt it");
                    tracing::warn!(behind, generation, "search index behind the catalogue; rebuilt");
                    Ok(fresh)
                }
                None => Ok(engine),
            }
        }
        Err(EngineError::Missing(_)) if generation == 0 => Engine::create(dir).map_err(index_failure),
        Err(e) if e.needs_rebuild() => {
            eprintln!("navigator: {e}; rebuilding it from the catalogue");
            tracing::warn!(error = %e, "rebuilding the search index from the catalogue");
            crate::index_follow::rebuild_missing(store, data_dir)
        }
        Err(e) => Err(index_failure(e)),
    }
}

/// The automatic retention purge. A failure is reported, not fatal: a navigator on a call
/// still needs to search.
fn retention_purge(store: &mut Store, days: u32) {
    match store.retention_purge(days, crate::clock::now(), &crate::user::name()) {
        Ok(Some(counts)) => tracing::info!(
            days,
            personal_data = counts.personal_data,
            followup_notes = counts.followup_notes,
            drafts = counts.drafts,
            "retention purge"
        ),
        Ok(None) => {}
        Err(e) => {
            eprintln!("navigator: the retention purge did not run: {e}");
            tracing::warn!(error = %e, "retention purge failed");
        }
    }
}

/// Rebuilds the index in `dir` from the catalogue, swapping it in when complete. The
/// services stream from the catalogue to the index writer on a second thread, a few
/// chunks at a time: memory does not grow with the catalogue.
pub fn rebuild_index(store: &Store, dir: &Path) -> Result<Engine, Failure> {
    let stats = store.catalogue_stats().map_err(Failure::store)?;
    let progress = Progress::new("indexing", stats.services);
    // `None` ends the stream; a stream that stops without it is a failed read, and the
    // rebuild then fails rather than swap in part of the catalogue.
    let (to_index, from_store) = std::sync::mpsc::sync_channel::<Option<Vec<Service>>>(4);
    let (read, built) = std::thread::scope(|scope| {
        let progress = &progress;
        let builder = std::thread::Builder::new()
            .name("rebuild-index".into())
            .spawn_scoped(scope, move || {
                let mut pending = Vec::new().into_iter();
                let mut ended = false;
                let services = std::iter::from_fn(move || loop {
                    if let Some(s) = pending.next() {
                        return Some(Ok(s));
                    }
                    if ended {
                        return None;
                    }
                    match from_store.recv() {
                        Ok(Some(chunk)) => pending = chunk.into_iter(),
                        Ok(None) => ended = true,
                        Err(_) => {
                            ended = true;
                            let stopped = std::io::Error::other("the catalogue read stopped before its end");
                            return Some(Err(EngineError::Io(stopped)));
                        }
                    }
                });
                Engine::rebuild(dir, services, stats.generation, |n| progress.set(n))
            })?;
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut open = true;
        let read = store.for_each_service(|s| {
            if open {
                chunk.push(s);
                if chunk.len() >= CHUNK {
                    open = to_index.send(Some(std::mem::take(&mut chunk))).is_ok();
                }
            }
        });
        if read.is_ok() && open {
            let _ = to_index.send(Some(chunk));
            let _ = to_index.send(None);
        }
        drop(to_index);
        let built = builder.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok::<_, std::io::Error>((read, built))
    })
    .map_err(|e| Failure::software(format!("cannot start the index rebuild: {e}")))?;
    progress.finish();
    // A failed read ended the stream without `None`: the rebuild failed too, and the
    // catalogue's error is the one to tell.
    read.map_err(Failure::store)?;
    built.map_err(index_failure)
}

pub fn index_failure(e: EngineError) -> Failure {
    match e {
        EngineError::Locked(_) => Failure::temporary("an import is already running on this data directory".into()),
        other => Failure::software(other.to_string()),
    }
}

#[cfg(test)]
#[path = "catalogue_tests.rs"]
mod tests;
