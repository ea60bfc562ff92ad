//! Staged catalogue writes: an import writes its services in short transactions, chunk by
//! chunk, and the catalogue switches over to them in one last, short transaction, so
//! casework (which shares SQLite's one write lock) never waits for an import.
//!
//! Services are kept in versions (`service_versions`; SQLite migration 9, PostgreSQL 5): a
//! version is seen while its generation is at most the catalogue's and it is not retired
//! at or before it (the `services` view, which every reader uses). An import at generation
//! G writes its changed services as versions of G + 1 and marks the versions they replace
//! (and, with `--replace`, the services it no longer has) retired at G + 1. None of that
//! is seen: readers see G until [`Store::finish_staging`] moves the generation to G + 1,
//! atomically, on both backends. Afterwards the retired versions are deleted a page per
//! transaction ([`Store::collect_garbage`]).
//!
//! An import killed half-way leaves versions of G + 1 nobody sees; the next import (or any
//! other generation change) removes them first. One import stages at a time (the caller
//! holds the import lock); a chunk finds out, and fails, when anything else moved the
//! catalogue on or discarded its staging in the meantime.

use std::collections::HashMap;

use super::{Store, StoreError, Tx};
use crate::args;

/// Versions deleted per transaction by the garbage collection, and removed services
/// marked per transaction.
const PAGE: usize = 5000;

/// An import being staged: the generation readers see, and the one it writes.
#[derive(Debug, Clone)]
pub struct Staging {
    pub base: u64,
    pub next: u64,
    /// The database's time when staging began: every version written gets it.
    pub now: String,
}

/// A service row as staged: (id, record JSON, hash, organization, locations).
pub struct StagedRow<'a> {
    pub id: &'a str,
    pub record: &'a str,
    pub hash: i64,
    pub organization: &'a str,
    pub locations: i64,
    /// A version of it is seen now (it is retired at the next generation).
    pub replaces: bool,
}

impl Tx<'_> {
    /// Removes what an import that never finished staged: its versions, and its retired
    /// marks on the versions seen now.
    pub fn discard_staged(&mut self) -> Result<(), StoreError> {
        let generation = self.generation()? as i64;
        if self.meta("staging")?.is_some() {
            self.execute("DELETE FROM service_versions WHERE generation > ?1", args![generation])?;
            self.execute("DELETE FROM catalogue_meta WHERE key = 'staging'", &[])?;
        }
        self.execute(
            "UPDATE service_versions SET retired = NULL WHERE retired IS NOT NULL AND retired > ?1",
            args![generation],
        )?;
        Ok(())
    }

    /// True while an import is staging (its versions unseen yet).
    pub fn is_staging(&mut self) -> Result<bool, StoreError> {
        Ok(self.meta("staging")?.is_some())
    }

    /// Fails unless `staging` is still the one under way on the generation it began on.
    fn check_staging(&mut self, staging: &Staging) -> Result<(), StoreError> {
        let mine = self.meta("staging")?.as_deref() == Some(staging.next.to_string().as_str());
        if !mine || self.generation()? != staging.base {
            return Err(StoreError::Decode(
                "the catalogue changed while this import was written (another import, the demo or a move): \
                 nothing was applied; import again"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Writes one version of generation `generation`.
    pub(crate) fn insert_version(&mut self, generation: u64, now: &str, row: &StagedRow) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO service_versions (id, generation, retired, hash, organization, locations, updated_at, record)
             VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id, generation) DO UPDATE SET hash = ?3, organization = ?4, locations = ?5,
             updated_at = ?6, record = ?7",
            args![
                row.id,
                generation as i64,
                row.hash,
                row.organization,
                row.locations,
                now,
                row.record
            ],
        )?;
        Ok(())
    }

    /// Marks the version of `id` seen now as retired at `staging.next`.
    fn retire(&mut self, staging: &Staging, id: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE service_versions SET retired = ?1 WHERE id = ?2 AND retired IS NULL AND generation <= ?3",
            args![staging.next as i64, id, staging.base as i64],
        )?;
        Ok(())
    }
}

impl Store {
    /// Starts staging an import (the caller holds the import lock): removes what a killed
    /// import left, records that one is staging, and returns the hash of every service
    /// seen at the staging's base generation (to tell changed from unchanged). The hashes
    /// are read after the write committed, in a snapshot of their own, so a million of
    /// them never hold the write lock; were the catalogue to move on in between, the
    /// first chunk would find the staging stale and fail.
    pub fn begin_staging(&mut self) -> Result<(Staging, HashMap<String, i64>), StoreError> {
        self.collect_garbage()?;
        self.discard_staged_in_pages()?;
        let staging = self.write_unrecorded(|tx| {
            tx.lock("catalogue")?;
            tx.discard_staged()?;
            let base = tx.generation()?;
            tx.set_meta("staging", &(base + 1).to_string())?;
            Ok(Staging {
                base,
                next: base + 1,
                now: crate::clock::utc_text(tx.now()?),
            })
        })?;
        let hashes = self.read(|tx| {
            if tx.generation()? != staging.base {
                return Err(StoreError::Decode(
                    "the catalogue changed as this import began: nothing was applied; import again".into(),
                ));
            }
            tx.service_hashes()
        })?;
        Ok((staging, hashes))
    }

    /// Stages one chunk in one short transaction: each row as a version of the next
    /// generation, the version it replaces marked retired. Unseen until the switch.
    pub fn stage(&mut self, staging: &Staging, rows: &[StagedRow]) -> Result<(), StoreError> {
        self.write_bulk(|tx| {
            tx.lock("catalogue")?;
            tx.check_staging(staging)?;
            for row in rows {
                tx.insert_version(staging.next, &staging.now, row)?;
                if row.replaces {
                    tx.retire(staging, row.id)?;
                }
            }
            Ok(())
        })
    }

    /// Marks `ids` (services seen now) removed at the next generation, a page per
    /// transaction.
    pub fn stage_removals(&mut self, staging: &Staging, ids: &[String]) -> Result<(), StoreError> {
        for page in ids.chunks(PAGE) {
            self.write_bulk(|tx| {
                tx.lock("catalogue")?;
                tx.check_staging(staging)?;
                page.iter().try_for_each(|id| tx.retire(staging, id))
            })?;
        }
        Ok(())
    }

    /// Switches the catalogue to what was staged, in one short durable transaction: the
    /// generation moves to `staging.next` when `changed` (else stays and the empty staging
    /// is dropped), the import is recorded, and `source` set. Returns the generation now
    /// seen. Fails, changing nothing, when the catalogue moved on since staging began.
    pub fn finish_staging(
        &mut self,
        staging: &Staging,
        changed: bool,
        record: &super::ImportRecord,
        source: Option<&str>,
    ) -> Result<u64, StoreError> {
        self.write_unrecorded(|tx| {
            tx.lock("catalogue")?;
            tx.check_staging(staging)?;
            let generation = if changed {
                tx.execute("DELETE FROM catalogue_meta WHERE key = 'staging'", &[])?;
                tx.set_generation(staging.next)?
            } else {
                tx.discard_staged()?;
                staging.base
            };
            tx.insert_import(record, &staging.now, generation)?;
            if let Some(source) = source {
                tx.set_meta("source", source)?;
            }
            Ok(generation)
        })
    }

    /// Deletes what a killed import staged a page per transaction (a million staged
    /// versions deleted at once would hold casework up for seconds), walking the ids in
    /// order. Only under the import lock: no import is staging meanwhile.
    fn discard_staged_in_pages(&mut self) -> Result<(), StoreError> {
        if !self.read(|tx| tx.is_staging())? {
            return Ok(());
        }
        let mut after = String::new();
        loop {
            let last = self.write_bulk(|tx| {
                let generation = tx.generation()? as i64;
                let page = tx.query(
                    "SELECT id FROM service_versions WHERE id > ?1 AND generation > ?2 ORDER BY id LIMIT ?3",
                    args![after.as_str(), generation, PAGE],
                )?;
                let ids: Vec<String> = page.iter().map(|r| r.text(0)).collect::<Result<_, _>>()?;
                for id in &ids {
                    tx.execute(
                        "DELETE FROM service_versions WHERE id = ?1 AND generation > ?2",
                        args![id.as_str(), generation],
                    )?;
                }
                Ok(ids.last().cloned())
            })?;
            match last {
                Some(id) => after = id,
                None => return Ok(()),
            }
        }
    }

    /// Ends a staging that will not finish (an error on the way): what it wrote is removed.
    pub fn abandon_staging(&mut self) -> Result<(), StoreError> {
        self.discard_staged_in_pages()?;
        self.write_unrecorded(|tx| {
            tx.lock("catalogue")?;
            tx.discard_staged()
        })
    }

    /// Deletes versions nobody sees any more (retired at or before the generation), a
    /// page per transaction so casework never waits long. Returns how many.
    pub fn collect_garbage(&mut self) -> Result<u64, StoreError> {
        let mut total = 0;
        loop {
            let n = self.write_bulk(|tx| {
                let generation = tx.generation()? as i64;
                tx.execute(
                    "DELETE FROM service_versions WHERE (id, generation) IN (
                        SELECT id, generation FROM service_versions
                        WHERE retired IS NOT NULL AND retired <= ?1 LIMIT ?2)",
                    args![generation, PAGE],
                )
            })?;
            total += n;
            if n < PAGE as u64 {
                return Ok(total);
            }
        }
    }
}
