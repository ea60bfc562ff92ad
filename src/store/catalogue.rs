//! The services table: upserts by id with change detection, and reads for the index.

use std::collections::HashMap;

use navigator_index::Service;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// What an import did to the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyStats {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
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
    /// A record for tests that import by hand.
    #[cfg(test)]
    pub fn for_tests() -> ImportRecord {
        ImportRecord {
            finished_at: String::new(),
            source: "test".into(),
            format: "test".into(),
            user: "tester".into(),
            added: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: 0,
        }
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

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`, so stored hashes
/// stay comparable after an upgrade.
fn fnv1a(bytes: &[u8]) -> i64 {
    super::idempotency::request_hash(bytes)
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
        self.write(|tx| apply_in(tx, services, replace, record, source))
    }

    /// [`Store::apply_import`] only when nothing was ever put into the catalogue, decided
    /// inside the transaction: an import that commits first is never replaced by this.
    pub fn install_if_empty(
        &mut self,
        services: &[Service],
        record: ImportRecord,
        source: &str,
    ) -> Result<Option<ApplyStats>, StoreError> {
        self.write(|tx| {
            if meta(tx, "source")?.is_some() {
                return Ok(None);
            }
            apply_in(tx, services, true, record, source).map(Some)
        })
    }
}

/// The body of [`Store::apply_import`], inside the caller's transaction.
fn apply_in(
    tx: &rusqlite::Transaction,
    services: &[Service],
    replace: bool,
    mut record: ImportRecord,
    source: &str,
) -> Result<ApplyStats, rusqlite::Error> {
    let now = jiff::Timestamp::now().to_string();
    let mut existing: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT id, hash FROM services")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (id, hash) = row?;
            existing.insert(id, hash);
        }
    }
    let mut stats = ApplyStats::default();
    let mut insert = tx.prepare(
        "INSERT INTO services (id, record, hash, organization, locations, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET record = ?2, hash = ?3, organization = ?4, locations = ?5,
                 updated_at = ?6",
    )?;
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(services.len());
    for service in services {
        seen.insert(service.id.as_str(), ());
        let json = serde_json::to_string(service).expect("a Service always serializes");
        let hash = fnv1a(json.as_bytes());
        match existing.get(&service.id) {
            Some(&old) if old == hash => {
                stats.unchanged += 1;
                continue;
            }
            Some(_) => stats.updated += 1,
            None => stats.added += 1,
        }
        let org = service
            .organization
            .id
            .clone()
            .unwrap_or_else(|| service.organization.name.clone());
        insert.execute(params![
            service.id,
            json,
            hash,
            org,
            service.locations.len() as i64,
            now
        ])?;
        stats.changed.push(service.id.clone());
    }
    if replace {
        let mut delete = tx.prepare("DELETE FROM services WHERE id = ?1")?;
        for id in existing.keys().filter(|id| !seen.contains_key(id.as_str())) {
            delete.execute([id])?;
            stats.removed_ids.push(id.clone());
        }
        stats.removed = stats.removed_ids.len();
        stats.removed_ids.sort();
    }
    let mut generation: u64 = meta(tx, "generation")?.and_then(|g| g.parse().ok()).unwrap_or(0);
    if !stats.changed.is_empty() || stats.removed > 0 {
        generation += 1;
        set_meta(tx, "generation", &generation.to_string())?;
    }
    stats.generation = generation;
    record.added = stats.added;
    record.updated = stats.updated;
    record.unchanged = stats.unchanged;
    record.removed = stats.removed;
    tx.execute(
        "INSERT INTO imports (finished_at, source, format, user, added, updated, unchanged, removed, skipped,
                 generation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            now,
            record.source,
            record.format,
            record.user,
            record.added as i64,
            record.updated as i64,
            record.unchanged as i64,
            record.removed as i64,
            record.skipped as i64,
            generation as i64
        ],
    )?;
    set_meta(tx, "source", source)?;
    Ok(stats)
}

impl Store {
    /// The catalogue generation: goes up with every import that changed something.
    pub fn generation(&self) -> Result<u64, StoreError> {
        Ok(meta(&self.conn, "generation")
            .map_err(|e| self.err(e))?
            .and_then(|g| g.parse().ok())
            .unwrap_or(0))
    }

    /// A catalogue-level setting, such as where the services came from ("demo").
    pub fn catalogue_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        meta(&self.conn, key).map_err(|e| self.err(e))
    }

    pub fn set_catalogue_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|tx| set_meta(tx, key, value))
    }

    pub fn service(&self, id: &str) -> Result<Option<Service>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT record FROM services WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        json.map(|j| self.decode(id, &j)).transpose()
    }

    /// Every service, in id order, for rebuilding the index. Streams: memory stays flat.
    pub fn for_each_service(&self, mut f: impl FnMut(Service)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, record FROM services ORDER BY id")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: String = row.get(0).map_err(|e| self.err(e))?;
            let json: String = row.get(1).map_err(|e| self.err(e))?;
            f(self.decode(&id, &json)?);
        }
        Ok(())
    }

    fn decode(&self, id: &str, json: &str) -> Result<Service, StoreError> {
        serde_json::from_str(json).map_err(|e| StoreError::BadRecord {
            path: self.path.clone(),
            id: id.to_string(),
            reason: e.to_string(),
        })
    }

    pub fn catalogue_stats(&self) -> Result<CatalogueStats, StoreError> {
        let err = |e| self.err(e);
        let (services, organizations, locations): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT count(*), count(DISTINCT organization), coalesce(sum(locations), 0) FROM services",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(err)?;
        let last_import = self
            .conn
            .query_row(
                "SELECT finished_at, source, format, user, added, updated, unchanged, removed, skipped
                 FROM imports ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(ImportRecord {
                        finished_at: r.get(0)?,
                        source: r.get(1)?,
                        format: r.get(2)?,
                        user: r.get(3)?,
                        added: r.get::<_, i64>(4)? as usize,
                        updated: r.get::<_, i64>(5)? as usize,
                        unchanged: r.get::<_, i64>(6)? as usize,
                        removed: r.get::<_, i64>(7)? as usize,
                        skipped: r.get::<_, i64>(8)? as usize,
                    })
                },
            )
            .optional()
            .map_err(err)?;
        Ok(CatalogueStats {
            services: services as u64,
            organizations: organizations as u64,
            locations: locations as u64,
            generation: self.generation()?,
            last_import,
        })
    }
}

fn meta(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>, rusqlite::Error> {
    conn.query_row("SELECT value FROM catalogue_meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

fn set_meta(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT INTO catalogue_meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        [key, value],
    )?;
    Ok(())
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
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
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
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        Store::open(&path)
            .unwrap()
            .apply_import(&[service("a", "A")], false, ImportRecord::for_tests(), "test")
            .unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.generation().unwrap(), 1);
        assert_eq!(store.service("a").unwrap().unwrap().name, "A");
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
