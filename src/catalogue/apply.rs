//! Applying an import: the catalogue transaction, then the index commit, and a truthful
//! account when the second fails after the first succeeded.

use std::collections::HashMap;

use navigator_index::import::{Import, ImportReport};
use navigator_index::Service;

use super::{index_failure, Catalogue};
use crate::exit::Failure;
use crate::import_lock::ImportLock;
use crate::store::{ApplyStats, ImportRecord};

/// Why an import was not (fully) applied.
#[derive(Debug)]
pub enum ApplyFailure {
    /// Nothing was written: the catalogue is as it was.
    Nothing(Failure),
    /// The catalogue transaction committed (`stats`), but the index could not be updated:
    /// searches use the previous index until a rebuild succeeds.
    IndexBehind { stats: ApplyStats, failure: Failure },
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
            finished_at: String::new(),
            source: origin.to_string(),
            format: import.report.format.clone(),
            user: crate::user::name(),
            added: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: skipped(&import.report),
        };
        let stats = self
            .store
            .apply_import(&import.services, replace, record, source)
            .map_err(|e| nothing(Failure::store(e)))?;
        if stats.changed.is_empty() && stats.removed_ids.is_empty() {
            return Ok(stats);
        }
        let behind = |failure: Failure, stats: &ApplyStats| ApplyFailure::IndexBehind {
            stats: stats.clone(),
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
        for id in &stats.removed_ids {
            writer.delete(id);
        }
        crate::fault::check("index-commit").map_err(|e| behind(Failure::io(format!("search index: {e}")), &stats))?;
        writer
            .commit(stats.generation)
            .map_err(|e| behind(index_failure(e), &stats))?;
        self.engine.reload().map_err(|e| behind(index_failure(e), &stats))?;
        Ok(stats)
    }
}

fn skipped(report: &ImportReport) -> usize {
    report
        .problems
        .iter()
        .filter(|p| p.kind == navigator_index::import::ProblemKind::Skipped)
        .count()
}
