//! An import's catalogue write, streamed: services come in one at a time from the import
//! pipeline and are written in chunks inside one transaction, so the catalogue switches
//! over at once (readers see all of the import or none of it) while nothing holds the
//! whole export. Each record is serialized once; the changed ones are handed on, with
//! their JSON, to whoever writes the index, chunk by chunk, while the transaction goes on.
//! The hash is the one [`Store::apply_import`] stores (FNV-1a of the same JSON), so either
//! path sees the other's rows as unchanged.

use std::collections::HashMap;

use navigator_index::Service;

use super::{ApplyStats, ImportRecord, Store, StoreError, Tx};
use crate::args;

/// Services per chunk: written to the catalogue together, then handed on together.
pub const CHUNK: usize = 1000;

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`, so stored hashes
/// stay comparable after an upgrade.
fn fnv1a(bytes: &[u8]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}

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
    services: Vec<Service>,
    /// Hashes of the services in the catalogue not seen yet in this import.
    existing: HashMap<String, i64>,
    stats: ApplyStats,
    now: String,
    changed: &'a mut dyn FnMut(Vec<Changed>) -> Result<(), StoreError>,
}

impl Chunk<'_> {
    fn flush(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        let mut out = Vec::new();
        for service in self.services.drain(..) {
            let record = serde_json::to_string(&service).expect("a Service always serializes");
            let hash = fnv1a(record.as_bytes());
            let existed = match self.existing.remove(&service.id) {
                Some(old) if old == hash => {
                    self.stats.unchanged += 1;
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
            let org = service.organization.id.as_deref().unwrap_or(&service.organization.name);
            tx.execute(
                "INSERT INTO services (id, record, hash, organization, locations, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET record = ?2, hash = ?3, organization = ?4, locations = ?5,
                 updated_at = ?6",
                args![
                    service.id.as_str(),
                    record.as_str(),
                    hash,
                    org,
                    service.locations.len() as i64,
                    self.now.as_str()
                ],
            )?;
            out.push(Changed {
                service,
                record,
                existed,
            });
        }
        if out.is_empty() {
            return Ok(());
        }
        (self.changed)(out)
    }
}

impl Store {
    /// Applies one import in one transaction, reading it as it goes: `read` gets a sink
    /// and pushes every service into it (ids distinct); new ids are added, changed records
    /// updated, identical ones left alone; with `replace`, ids never pushed are removed.
    /// After each chunk is written, its added and changed services go to `changed` (an
    /// error there rolls back). The
    /// generation goes up when anything changed; `source` ("import", "demo"), when given,
    /// is set in the same transaction. When `read` fails, or pushes nothing, nothing is written (the
    /// error, or `None` for nothing). The caller holds the import lock.
    pub fn apply_import_stream<R>(
        &mut self,
        replace: bool,
        source: Option<&str>,
        read: impl FnOnce(&mut dyn FnMut(Service)) -> ReadResult<R>,
        changed: &mut dyn FnMut(Vec<Changed>) -> Result<(), StoreError>,
    ) -> Result<Option<(R, ApplyStats)>, StoreError> {
        let mut read = Some(read);
        let outcome = self.write_unrecorded(|tx| {
            let Some(read) = read.take() else {
                // A PostgreSQL link lost mid-way: the services read are gone, so the import
                // cannot be re-run from here. Nothing was committed.
                return Err(StoreError::Unavailable {
                    target: "catalogue".into(),
                    message: "the database link was lost during the import; nothing was applied: import again".into(),
                });
            };
            tx.lock("catalogue")?;
            let mut chunk = Chunk {
                services: Vec::with_capacity(CHUNK),
                existing: tx.service_hashes()?,
                stats: ApplyStats::default(),
                now: crate::clock::utc_text(tx.now()?),
                changed: &mut *changed,
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
                    if let Err(e) = chunk.flush(tx) {
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
            chunk.flush(tx)?;
            let mut stats = chunk.stats;
            if replace {
                let mut gone: Vec<String> = chunk.existing.into_keys().collect();
                gone.sort();
                for id in &gone {
                    tx.execute("DELETE FROM services WHERE id = ?1", args![id.as_str()])?;
                }
                stats.removed = gone.len();
                stats.removed_ids = gone;
            }
            stats.generation = if stats.added + stats.updated + stats.removed > 0 {
                tx.bump_generation()?
            } else {
                tx.generation()?
            };
            record.added = stats.added;
            record.updated = stats.updated;
            record.unchanged = stats.unchanged;
            record.removed = stats.removed;
            tx.insert_import(&record, &chunk.now, stats.generation)?;
            if let Some(source) = source {
                tx.set_meta("source", source)?;
            }
            Ok(Some((result, stats)))
        });
        outcome
    }
}
