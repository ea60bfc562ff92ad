//! The services table: upserts by id with change detection, and reads for the index.

use std::collections::HashMap;

use navigator_index::Service;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, Tx};
use crate::args;

/// What an import did to the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyStats {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Of the unchanged, those the reader found unchanged by their digest, without
    /// building them (for the log).
    #[serde(skip)]
    pub known_unchanged: usize,
    /// The catalogue generation after the import.
    pub generation: u64,
    /// Ids whose record was added or changed (the index must rewrite these).
    #[serde(skip)]
    pub changed: Vec<String>,
    /// Ids that were removed.
    #[serde(skip)]
    pub removed_ids: Vec<String>,
}

/// The last import, as `index stats` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub finished_at: String,
    pub source: String,
    pub format: String,
    pub user: String,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: usize,
}

impl ImportRecord {
    /// An import of `source` in `format` by `user` about to be applied: the store fills
    /// in when it finished and the counts.
    pub fn starting(source: impl Into<String>, format: impl Into<String>, user: impl Into<String>) -> ImportRecord {
        ImportRecord {
            finished_at: String::new(),
            source: source.into(),
            format: format.into(),
            user: user.into(),
            added: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: 0,
        }
    }

    /// A record for tests that import by hand.
    #[cfg(test)]
    pub fn for_tests() -> ImportRecord {
        ImportRecord::starting("test", "test", "tester")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueStats {
    pub services: u64,
    pub organizations: u64,
    pub locations: u64,
    pub generation: u64,
    pub last_import: Option<ImportRecord>,
}

/// The catalogue's row for `service`: (record JSON, hash, organization, locations).
pub(super) fn encode(service: &Service) -> (String, i64, String, i64) {
    let json = serde_json::to_string(service).expect("a Service always serializes");
    let hash = super::fnv::fnv1a(json.as_bytes());
    let org = service
        .organization
        .id
        .clone()
        .unwrap_or_else(|| service.organization.name.clone());
    (json, hash, org, service.locations.len() as i64)
}

/// Row-level catalogue writes, for an import that writes in several steps (or chunks).
impl Tx<'_> {
    /// Every stored service id with the hash of its record.
    pub fn service_hashes(&mut self) -> Result<HashMap<String, i64>, StoreError> {
        let mut existing = HashMap::new();
        self.conn.each("SELECT id, hash FROM services", &[], &mut |r| {
            existing.insert(r.text(0)?, r.int(1)?);
            Ok(())
        })?;
        Ok(existing)
    }

    /// Removes every version of a service at once (inside a transaction that moves the
    /// generation on, or a move that copies a committed catalogue).
    pub(crate) fn delete_service_versions(&mut self, id: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM service_versions WHERE id = ?1", args![id])?;
        Ok(())
    }

    pub fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        match self.one("SELECT value FROM catalogue_meta WHERE key = ?1", args![key])? {
            Some(r) => Ok(Some(r.text(0)?)),
            None => Ok(None),
        }
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO catalogue_meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
            args![key, value],
        )?;
        Ok(())
    }

    pub fn generation(&mut self) -> Result<u64, StoreError> {
        Ok(self.meta("generation")?.and_then(|g| g.parse().ok()).unwrap_or(0))
    }

    /// Moves the catalogue generation on by one and tells the other servers (they rebuild
    /// their index when it is committed). Returns the new generation. What an unfinished
    /// import staged is removed first: it must never be seen by a generation it did not set.
    pub fn bump_generation(&mut self) -> Result<u64, StoreError> {
        self.discard_staged()?;
        let generation = self.generation()? + 1;
        self.set_generation(generation)
    }

    /// Sets the generation (what readers see) and tells the other servers.
    pub(crate) fn set_generation(&mut self, generation: u64) -> Result<u64, StoreError> {
        self.set_meta("generation", &generation.to_string())?;
        self.notify(GENERATION_CHANNEL, &generation.to_string())?;
        Ok(generation)
    }

    pub fn insert_import(&mut self, record: &ImportRecord, now: &str, generation: u64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO imports (finished_at, source, format, \"user\", added, updated, unchanged, removed, skipped,
             generation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            args![
                now,
                record.source.as_str(),
                record.format.as_str(),
                record.user.as_str(),
                record.added,
                record.updated,
                record.unchanged,
                record.removed,
                record.skipped,
                generation as i64
            ],
        )?;
        Ok(())
    }

    /// The record of a catalogue service by id.
    pub fn service(&mut self, id: &str) -> Result<Option<Service>, StoreError> {
        match self.one("SELECT record FROM services WHERE id = ?1", args![id])? {
            Some(r) => decode(id, &r.text(0)?).map(Some),
            None => Ok(None),
        }
    }
}

/// The channel a catalogue change is announced on (PostgreSQL LISTEN/NOTIFY).
pub const GENERATION_CHANNEL: &str = "navigator_catalogue";

fn decode(id: &str, json: &str) -> Result<Service, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::BadRecord {
        target: "services".into(),
        id: id.to_string(),
        reason: e.to_string(),
    })
}

impl Store {
    /// Writes `services` in one transaction: new ids are added, changed records updated,
    /// identical ones left alone; with `replace`, ids not in `services` are removed. The
    /// generation goes up when anything changed. `record` describes the import for stats;
    /// `source` ("demo", "import") is recorded in the same transaction, so the catalogue
    /// never says it is the demo when it holds an import, whatever fails afterwards.
    pub fn apply_import(
        &mut self,
        services: &[Service],
        replace: bool,
        record: ImportRecord,
        source: &str,
    ) -> Result<ApplyStats, StoreError> {
        self.write_unrecorded(|tx| apply_in(tx, services, replace, &record, source))
    }

    /// [`Store::apply_import`] only when nothing was ever put into the catalogue, decided
    /// inside the transaction: an import that commits first is never replaced by this.
    pub fn install_if_empty(
        &mut self,
        services: &[Service],
        record: ImportRecord,
        source: &str,
    ) -> Result<Option<ApplyStats>, StoreError> {
        self.write_unrecorded(|tx| {
            tx.lock("catalogue")?;
            // An import under way (its first, unseen yet) wins too.
            if tx.meta("source")?.is_some() || tx.is_staging()? {
                return Ok(None);
            }
            apply_in(tx, services, true, &record, source).map(Some)
        })
    }
}

/// The body of [`Store::apply_import`], inside the caller's transaction.
fn apply_in(
    tx: &mut Tx,
    services: &[Service],
    replace: bool,
    record: &ImportRecord,
    source: &str,
) -> Result<ApplyStats, StoreError> {
    let now = crate::clock::utc_text(tx.now()?);
    tx.lock("catalogue")?;
    // One transaction: what it writes is seen when it commits, with the generation it
    // sets. An unfinished import's staging goes first (it fails when it next writes).
    tx.discard_staged()?;
    let existing = tx.service_hashes()?;
    let next = tx.generation()? + 1;
    let mut stats = ApplyStats::default();
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(services.len());
    for service in services {
        seen.insert(service.id.as_str(), ());
        let (record, hash, organization, locations) = encode(service);
        let replaces = match existing.get(&service.id) {
            Some(&old) if old == hash => {
                stats.unchanged += 1;
                continue;
            }
            Some(_) => {
                stats.updated += 1;
                true
            }
            None => {
                stats.added += 1;
                false
            }
        };
        if replaces {
            tx.delete_service_versions(&service.id)?;
        }
        let row = super::StagedRow {
            id: &service.id,
            record: &record,
            hash,
            organization: &organization,
            locations,
            replaces,
        };
        tx.insert_version(next, &now, &row)?;
        stats.changed.push(service.id.clone());
    }
    if replace {
        for id in existing.keys().filter(|id| !seen.contains_key(id.as_str())) {
            tx.delete_service_versions(id)?;
            stats.removed_ids.push(id.clone());
        }
        stats.removed = stats.removed_ids.len();
        stats.removed_ids.sort();
    }
    stats.generation = if !stats.changed.is_empty() || stats.removed > 0 {
        tx.set_generation(next)?
    } else {
        tx.generation()?
    };
    let mut record = record.clone();
    record.added = stats.added;
    record.updated = stats.updated;
    record.unchanged = stats.unchanged;
    record.removed = stats.removed;
    tx.insert_import(&record, &now, stats.generation)?;
    tx.set_meta("source", source)?;
    Ok(stats)
}

impl Store {
    /// The catalogue generation: goes up with every import that changed something.
    pub fn generation(&self) -> Result<u64, StoreError> {
        self.read(|tx| tx.generation())
    }

    /// A catalogue-level setting, such as where the services came from ("demo").
    pub fn catalogue_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| tx.meta(key))
    }

    pub fn set_catalogue_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|tx| tx.set_meta(key, value))
    }

    pub fn service(&self, id: &str) -> Result<Option<Service>, StoreError> {
        self.read(|tx| tx.service(id))
    }

    /// Every service, in id order, for rebuilding the index. Streams: memory stays flat.
    pub fn for_each_service(&self, mut f: impl FnMut(Service)) -> Result<(), StoreError> {
        self.read(|tx| {
            tx.conn
                .each("SELECT id, record FROM services ORDER BY id", &[], &mut |r| {
                    f(decode(&r.text(0)?, &r.text(1)?)?);
                    Ok(())
                })
        })
    }

    pub fn catalogue_stats(&self) -> Result<CatalogueStats, StoreError> {
        self.read(|tx| {
            let counts = tx
                .one(
                    "SELECT count(*), count(DISTINCT organization), CAST(coalesce(sum(locations), 0) AS BIGINT)
                     FROM services",
                    &[],
                )?
                .ok_or_else(|| StoreError::Decode("no counts".into()))?;
            let last_import = tx
                .one(
                    "SELECT finished_at, source, format, \"user\", added, updated, unchanged, removed, skipped
                     FROM imports ORDER BY id DESC LIMIT 1",
                    &[],
                )?
                .map(|r| -> Result<ImportRecord, StoreError> {
                    Ok(ImportRecord {
                        finished_at: r.text(0)?,
                        source: r.text(1)?,
                        format: r.text(2)?,
                        user: r.text(3)?,
                        added: r.count(4)? as usize,
                        updated: r.count(5)? as usize,
                        unchanged: r.count(6)? as usize,
                        removed: r.count(7)? as usize,
                        skipped: r.count(8)? as usize,
                    })
                })
                .transpose()?;
            Ok(CatalogueStats {
                services: counts.count(0)?,
                organizations: counts.count(1)?,
                locations: counts.count(2)?,
                generation: tx.generation()?,
                last_import,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(id: &str, name: &str) -> Service {
        Service {
            id: id.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn upsert_counts_added_updated_unchanged_and_replace_removes() {
        crate::store::testing::each_backend(|db| upsert_counts(&mut db.open()));
    }

    fn upsert_counts(store: &mut Store) {
        let s = store
            .apply_import(
                &[service("a", "A"), service("b", "B")],
                false,
                ImportRecord::for_tests(),
                "test",
            )
            .unwrap();
        assert_eq!(
            (s.added, s.updated, s.unchanged, s.removed, s.generation),
            (2, 0, 0, 0, 1)
        );
        let s = store
            .apply_import(
                &[service("a", "A2"), service("b", "B")],
                false,
                ImportRecord::for_tests(),
                "test",
            )
            .unwrap();
        assert_eq!(
            (s.added, s.updated, s.unchanged, s.removed, s.generation),
            (0, 1, 1, 0, 2)
        );
        assert_eq!(s.changed, ["a"]);
        // Nothing changed: the generation stays.
        let s = store
            .apply_import(&[service("a", "A2")], false, ImportRecord::for_tests(), "test")
            .unwrap();
        assert_eq!((s.unchanged, s.generation), (1, 2));
        assert_eq!(
            store.catalogue_stats().unwrap().services,
            2,
            "without --replace b stays"
        );
        let s = store
            .apply_import(&[service("c", "C")], true, ImportRecord::for_tests(), "test")
            .unwrap();
        assert_eq!((s.added, s.removed, s.generation), (1, 2, 3));
        assert_eq!(s.removed_ids, ["a", "b"]);
        assert_eq!(store.service("c").unwrap().unwrap().name, "C");
        assert!(store.service("a").unwrap().is_none());
        let stats = store.catalogue_stats().unwrap();
        assert_eq!((stats.services, stats.last_import.unwrap().added), (1, 1));
    }

    #[test]
    fn reopening_keeps_data_and_does_not_remigrate() {
        crate::store::testing::each_backend(|db| {
            db.open()
                .apply_import(&[service("a", "A")], false, ImportRecord::for_tests(), "test")
                .unwrap();
            let store = db.open();
            assert_eq!(store.generation().unwrap(), 1);
            assert_eq!(store.service("a").unwrap().unwrap().name, "A");
        });
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        std::fs::write(
            &path,
            b"this is not sqlite, just some text that is long enough to look like a header",
        )
        .unwrap();
        let err = Store::open(&path).err().expect("must fail").to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
}
