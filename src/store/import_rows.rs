//! An import's catalogue write, streamed: services come in one at a time from the import
//! pipeline and are staged in chunks, each in a short transaction of its own (casework
//! never waits for more than one chunk), and the catalogue switches over to them in one
//! short transaction at the end (readers see all of the import or none of it; see
//! `store/staging.rs`), while nothing holds the whole export. Each record is serialized
//! once; the changed ones are handed on, with their JSON, to whoever writes the index,
//! chunk by chunk, as each chunk commits. The hash is the one [`Store::apply_import`]
//! stores (FNV-1a of the same JSON), so either path sees the other's rows as unchanged.

use std::collections::HashMap;

use navigator_index::import::Streamed;
use navigator_index::Service;

use super::fnv::{fnv1a, record_hash};
use super::{ApplyStats, ImportRecord, Remembered, StagedRow, Staging, Store, StoreError};

/// Services per chunk: written to the catalogue together, then handed on together.
pub const CHUNK: usize = 1000;

/// A service the import added or changed, with its JSON record (the catalogue's row, and
/// the index's stored record: the same bytes).
pub struct Changed {
    pub service: Service,
    pub record: String,
    /// It was in the catalogue before (the index must replace it, not just add it).
    pub existed: bool,
}

/// What the reader hands back at the end: its own result, and the import's description
/// for the catalogue's history (the counts are filled in here).
pub type ReadResult<R> = Result<(R, ImportRecord), StoreError>;

struct Chunk<'a> {
    services: Vec<Streamed>,
    /// Hashes of the services in the catalogue not seen yet in this import.
    existing: HashMap<String, i64>,
    stats: ApplyStats,
    changed: &'a mut dyn FnMut(Vec<Changed>) -> Result<(), StoreError>,
}

impl Chunk<'_> {
    /// Stages the services gathered (one transaction), then hands the changed ones on;
    /// the digests that came with them are remembered (another transaction).
    fn flush(&mut self, store: &mut Store, staging: &Staging) -> Result<(), StoreError> {
        let mut out = Vec::new();
        let mut remember: Vec<(String, u64, i64)> = Vec::new();
        for item in self.services.drain(..) {
            let (service, digest) = match item {
                Streamed::Service(service, digest) => (service, digest),
                Streamed::Unchanged(u) => {
                    // The reader found it built from what the record it kept was: that
                    // record must still be the catalogue's (the import lock keeps other
                    // imports out; anything else is a reason to stop, not to guess).
                    if self.existing.remove(&u.id) != Some(u.hash) {
                        return Err(StoreError::Decode(format!(
                            "service {} changed in the catalogue during this import: nothing was applied; \
                             import again",
                            u.id
                        )));
                    }
                    self.stats.unchanged += 1;
                    self.stats.known_unchanged += 1;
                    continue;
                }
            };
            // A service the catalogue has is hashed as its record is written out, and the
            // text made only when it changed: most of a nightly import is unchanged.
            let existed = match self.existing.remove(&service.id) {
                Some(old) if old == record_hash(&service) => {
                    self.stats.unchanged += 1;
                    remember.extend(digest.map(|d| (service.id, d, old)));
                    continue;
                }
                Some(_) => {
                    self.stats.updated += 1;
                    true
                }
                None => {
                    self.stats.added += 1;
                    false
                }
            };
            let record = serde_json::to_string(&service).expect("a Service always serializes");
            let hash = fnv1a(record.as_bytes());
            remember.extend(digest.map(|d| (service.id.clone(), d, hash)));
            out.push((
                Changed {
                    service,
                    record,
                    existed,
                },
                hash,
            ));
        }
        let remembered: Vec<Remembered> = remember
            .iter()
            .map(|(id, digest, hash)| Remembered {
                id,
                digest: *digest,
                hash: *hash,
            })
            .collect();
        store.remember_digests(&remembered)?;
        if out.is_empty() {
            return Ok(());
        }
        let rows: Vec<StagedRow> = out
            .iter()
            .map(|(c, hash)| StagedRow {
                id: &c.service.id,
                record: &c.record,
                hash: *hash,
                organization: c
                    .service
                    .organization
                    .id
                    .as_deref()
                    .unwrap_or(&c.service.organization.name),
                locations: c.service.locations.len() as i64,
                replaces: c.existed,
            })
            .collect();
        store.stage(staging, &rows)?;
        drop(rows);
        (self.changed)(out.into_iter().map(|(c, _)| c).collect())
    }
}

impl Store {
    /// Applies one import, reading it as it goes: `read` gets a sink and pushes every
    /// service into it (ids distinct); new ids are added, changed records updated,
    /// identical ones (and those the reader found unchanged) left alone; with `replace`, ids never pushed are removed. Chunks are
    /// staged in transactions of their own and nothing is seen until the last, short one
    /// switches the catalogue over. After each chunk is staged, its added and changed
    /// services go to `changed` (an error there abandons the import). The generation goes
    /// up when anything changed; `source` ("import", "demo"), when given, is set in the
    /// switch. When `read` fails, or pushes nothing, nothing is applied (the error, or
    /// `None` for nothing). The caller holds the import lock.
    pub fn apply_import_stream<R>(
        &mut self,
        replace: bool,
        source: Option<&str>,
        read: impl FnOnce(&mut dyn FnMut(Streamed)) -> ReadResult<R>,
        changed: &mut dyn FnMut(Vec<Changed>) -> Result<(), StoreError>,
    ) -> Result<Option<(R, ApplyStats)>, StoreError> {
        let (staging, existing) = self.begin_staging()?;
        let outcome = self.stage_stream(&staging, existing, replace, source, read, changed);
        if !matches!(outcome, Ok(Some(_))) {
            // Best effort: what was staged is unseen anyway, and the next import removes it.
            let _ = self.abandon_staging();
        }
        outcome
    }

    fn stage_stream<R>(
        &mut self,
        staging: &Staging,
        existing: HashMap<String, i64>,
        replace: bool,
        source: Option<&str>,
        read: impl FnOnce(&mut dyn FnMut(Streamed)) -> ReadResult<R>,
        changed: &mut dyn FnMut(Vec<Changed>) -> Result<(), StoreError>,
    ) -> Result<Option<(R, ApplyStats)>, StoreError> {
        let mut chunk = Chunk {
            services: Vec::with_capacity(CHUNK),
            existing,
            stats: ApplyStats::default(),
            changed,
        };
        let mut failed: Option<StoreError> = None;
        let mut pushed = 0usize;
        let (result, mut record) = read(&mut |service| {
            if failed.is_some() {
                return;
            }
            pushed += 1;
            chunk.services.push(service);
            if chunk.services.len() >= CHUNK {
                if let Err(e) = chunk.flush(self, staging) {
                    failed = Some(e);
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        if pushed == 0 {
            return Ok(None);
        }
        chunk.flush(self, staging)?;
        let mut stats = chunk.stats;
        if replace {
            let mut gone: Vec<String> = chunk.existing.into_keys().collect();
            gone.sort();
            self.stage_removals(staging, &gone)?;
            self.forget_digests(&gone)?;
            stats.removed = gone.len();
            stats.removed_ids = gone;
        }
        record.added = stats.added;
        record.updated = stats.updated;
        record.unchanged = stats.unchanged;
        record.removed = stats.removed;
        let changed = stats.added + stats.updated + stats.removed > 0;
        stats.generation = self.finish_staging(staging, changed, &record, source)?;
        Ok(Some((result, stats)))
    }
}
