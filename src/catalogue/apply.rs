//! Applying an import: the catalogue transaction, then the index commit, and a truthful
//! account when the second fails after the first succeeded. [`Catalogue::import`] streams
//! (the file's reader, the catalogue transaction and the index writer on three threads,
//! chunk by chunk); [`Catalogue::apply`] takes an import already read (the demo).

use std::collections::HashMap;

use navigator_index::import::{Import, ImportReport, Known, Streamed};
use navigator_index::{EngineError, EngineWriter, Service};

use super::{index_failure, Catalogue};
use crate::exit::Failure;
use crate::import_lock::ImportLock;
use crate::store::{ApplyStats, Changed, ImportRecord, StoreError, CHUNK};

/// Why an import was not (fully) applied.
#[derive(Debug)]
pub enum ApplyFailure {
    /// Nothing was written: the catalogue is as it was.
    Nothing(Failure),
    /// The catalogue transaction committed (`stats`), but the index could not be updated:
    /// searches use the previous index until a rebuild succeeds.
    IndexBehind { stats: Box<ApplyStats>, failure: Failure },
}

impl ApplyFailure {
    /// The failure to exit with, its message saying what was and was not committed.
    /// `data_dir` is where the index lives, for the free space left there.
    pub fn into_failure(self, data_dir: &std::path::Path) -> Failure {
        match self {
            ApplyFailure::Nothing(f) => f,
            ApplyFailure::IndexBehind { stats, failure } => {
                let free = crate::access::free_bytes(data_dir)
                    .map(|b| format!(" ({} MB free on the disk of {})", b / 1_000_000, data_dir.display()))
                    .unwrap_or_default();
                Failure::new(
                    failure.code,
                    format!(
                        "the catalogue was updated (generation {}: {} added, {} updated, {} removed), but the \
                         search index could not be: {}{free}. Searches show the previous directory until the \
                         index is rebuilt; navigator rebuilds it at the next search, or run `navigator index \
                         rebuild` once the problem is fixed",
                        stats.generation, stats.added, stats.updated, stats.removed, failure.message
                    ),
                )
            }
        }
    }
}

impl Catalogue {
    /// Applies an import under `lock`: catalogue transaction (with its source and the new
    /// generation), then index commit. Importing over the demo directory replaces it, so
    /// fictional services never mix with real ones.
    pub fn apply(
        &mut self,
        import: &Import,
        replace: bool,
        source: &str,
        origin: &str,
        _lock: &ImportLock,
    ) -> Result<ApplyStats, ApplyFailure> {
        let nothing = ApplyFailure::Nothing;
        let mut writer = self.engine.writer().map_err(|e| nothing(index_failure(e)))?;
        let replace = replace || self.is_demo();
        let record = ImportRecord {
            skipped: skipped(&import.report),
            ..ImportRecord::starting(origin, import.report.format.clone(), crate::user::name())
        };
        let stats = self
            .store
            .apply_import(&import.services, replace, record, source)
            .map_err(|e| nothing(Failure::store(e)))?;
        if stats.changed.is_empty() && stats.removed_ids.is_empty() {
            return Ok(stats);
        }
        let behind = |failure: Failure, stats: &ApplyStats| ApplyFailure::IndexBehind {
            stats: Box::new(stats.clone()),
            failure,
        };
        let by_id: HashMap<&str, &Service> = import.services.iter().map(|s| (s.id.as_str(), s)).collect();
        let fresh = self.engine.num_docs() == 0;
        for id in &stats.changed {
            if let Some(service) = by_id.get(id.as_str()) {
                let written = if fresh {
                    writer.add(service)
                } else {
                    writer.upsert(service)
                };
                written.map_err(|e| behind(index_failure(e), &stats))?;
            }
        }
        self.commit_index(writer, &stats).map_err(|e| behind(e, &stats))?;
        Ok(stats)
    }

    /// Applies an import as `read` produces it (it pushes each service into the sink it is
    /// given, and returns the import's report; it is given the digests the catalogue
    /// remembers, to pass on as unchanged the services read from what they were last built
    /// from): the catalogue in one transaction, chunk by
    /// chunk, while a second thread writes the changed services into the index; the
    /// catalogue commits first, the index second (a crash between the two leaves the index
    /// behind, and it is rebuilt). Importing over the demo directory replaces it, so
    /// fictional services never mix with real ones. `None` when `read` pushed nothing
    /// (nothing was changed).
    pub fn import(
        &mut self,
        read: impl FnOnce(&Known, &mut dyn FnMut(Streamed)) -> Result<ImportReport, Failure>,
        replace: bool,
        source: &str,
        origin: &str,
        _lock: &ImportLock,
    ) -> Result<Option<(ImportReport, ApplyStats)>, ApplyFailure> {
        let nothing = ApplyFailure::Nothing;
        // Take the index writer first: a second import fails here, before touching anything.
        let mut writer = self.engine.writer().map_err(|e| nothing(index_failure(e)))?;
        let replace = replace || self.is_demo();
        // Read under the import lock, so no other import changes the records they are for
        // before the staging reads its hashes (the catalogue stage checks each anyway).
        let known = self.store.known_digests().map_err(|e| nothing(Failure::store(e)))?;
        let record = ImportRecord::starting(origin, "", crate::user::name());
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
                        writer.put_encoded(&c.service, &c.record, c.existed)?;
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
            let outcome = read(&known, &mut |service| {
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
        .map_err(|e| nothing(Failure::software(format!("cannot start the import's threads: {e}"))))?;
        if let Some(f) = read_failure {
            return Err(nothing(f));
        }
        let applied = match (applied, written) {
            // The index writer stopped first: its error explains the rolled-back catalogue.
            (Err(_), Err(e)) => return Err(nothing(index_failure(e))),
            (Err(e), _) => return Err(nothing(Failure::store(e))),
            (Ok(None), _) => return Ok(None),
            (Ok(Some(applied)), written) => (applied, written),
        };
        let ((report, stats), written) = applied;
        if stats.added + stats.updated + stats.removed == 0 {
            return Ok(Some((report, stats)));
        }
        let behind = |failure: Failure, stats: &ApplyStats| ApplyFailure::IndexBehind {
            stats: Box::new(stats.clone()),
            failure,
        };
        let writer = written.map_err(|e| behind(index_failure(e), &stats))?;
        self.commit_index(writer, &stats).map_err(|e| behind(e, &stats))?;
        // The versions this import replaced or removed are seen by nobody now: deleted a
        // page per transaction (what is left, after a failure, the next import deletes).
        if let Err(e) = self.store.collect_garbage() {
            tracing::warn!(error = %e, "replaced catalogue versions not deleted yet");
        }
        Ok(Some((report, stats)))
    }
}

/// What the reading stage hands the catalogue stage.
enum Read {
    Chunk(Vec<Streamed>),
    /// Everything was read; nothing follows.
    Done(Box<ImportReport>),
}

impl Catalogue {
    /// The index's half of an import, after the catalogue's commit: the removed services
    /// deleted, the index committed at the catalogue's generation and reloaded. A failure
    /// leaves the index behind the catalogue (rebuilt by the next command).
    fn commit_index(&self, mut writer: EngineWriter, stats: &ApplyStats) -> Result<(), Failure> {
        for id in &stats.removed_ids {
            writer.delete(id);
        }
        crate::fault::check("index-commit").map_err(|e| Failure::io(format!("search index: {e}")))?;
        writer.commit(stats.generation).map_err(index_failure)?;
        self.engine.reload().map_err(index_failure)?;
        Ok(())
    }
}

fn skipped(report: &ImportReport) -> usize {
    report
        .problems
        .iter()
        .filter(|p| p.kind == navigator_index::import::ProblemKind::Skipped)
        .count()
}
