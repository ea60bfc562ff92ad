//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! They run inside one IMMEDIATE transaction that re-reads the version first: when several
//! navigator processes start at once, one migrates and the others wait on the write lock,
//! then find nothing left to do.

use rusqlite::TransactionBehavior;

use super::{Store, StoreError};

/// Each entry moves the schema from version i to i + 1. Never edit a released entry;
/// append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the service catalogue.
    "CREATE TABLE services (
        id TEXT PRIMARY KEY,
        record TEXT NOT NULL,          -- the Service as JSON
        hash INTEGER NOT NULL,         -- FNV-1a of record, to tell changed from unchanged
        organization TEXT NOT NULL,    -- organization id or name, for counts
        locations INTEGER NOT NULL,    -- number of locations, for counts
        updated_at TEXT NOT NULL
    );
    CREATE TABLE catalogue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO catalogue_meta (key, value) VALUES ('generation', '0');
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        finished_at TEXT NOT NULL,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        user TEXT NOT NULL,
        added INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        removed INTEGER NOT NULL, skipped INTEGER NOT NULL,
        generation INTEGER NOT NULL
    );",
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn apply(store: &mut Store) -> Result<(), StoreError> {
    let path = store.path.clone();
    let err = |source| StoreError::Sqlite {
        path: path.clone(),
        source,
    };
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path,
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    // Another process may have migrated while we waited for the lock.
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.execute_batch(sql).map_err(err)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .map_err(err)?;
    }
    tx.commit().map_err(err)
}
