//! SQLite's steps for making deleted values unrecoverable (see `store::erase`):
//!
//! 1. `secure_delete` on every connection (set when the file is opened): freed cells and
//!    pages are zeroed as they are freed, in the page that goes to the WAL and then the file.
//! 2. After a purge or a discarded draft, a `TRUNCATE` checkpoint: every page goes back to
//!    `navigator.db` and `navigator.db-wal` is cut to zero bytes. It cannot finish while
//!    another process is in the middle of a read of an older snapshot, so it is retried
//!    for a while, and the caller is told when it still could not.
//! 3. A database created before secure_delete may hold freed copies from then: the first
//!    purge rewrites it once (VACUUM) and records that it did.
//!
//! `navigator.db-shm` holds only the WAL's index (page numbers), never row data.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension};

use super::err;
use crate::store::erase::{Erased, ZEROED_KEY};
use crate::store::StoreError;

/// The busy timeout every connection has.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Moves every page out of the WAL and truncates it, retrying for `patience` while readers
/// hold old snapshots.
pub(super) fn clear_wal(conn: &Connection, path: &Path, patience: Duration) -> Result<Erased, StoreError> {
    let deadline = Instant::now() + patience;
    // Each try waits briefly for readers; between tries they may finish.
    let _ = conn.busy_timeout(Duration::from_millis(250));
    let result = loop {
        match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0)) {
            Ok(0) => break Ok(Erased::Clean),
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {}
            Err(e) => break Err(err(path)(e)),
        }
        if Instant::now() >= deadline {
            break Ok(Erased::WalBusy);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
    result
}

/// Rewrites the whole file once when it may still hold bytes freed before secure_delete
/// was on, then clears the WAL.
pub(super) fn erase_freed(conn: &Connection, path: &Path, patience: Duration) -> Result<Erased, StoreError> {
    let zeroed: Option<String> = conn
        .query_row("SELECT value FROM catalogue_meta WHERE key = ?1", [ZEROED_KEY], |r| {
            r.get(0)
        })
        .optional()
        .map_err(err(path))?;
    if zeroed.is_none() {
        crate::say!(
            "navigator: rewriting {} once, so that data deleted before this version zeroed freed \
             space cannot be recovered",
            path.display()
        );
        tracing::info!("rewriting the database once to zero space freed before secure_delete");
        conn.execute_batch("VACUUM").map_err(err(path))?;
        conn.execute(
            "INSERT INTO catalogue_meta (key, value) VALUES (?1, 'vacuum') ON CONFLICT (key) DO NOTHING",
            [ZEROED_KEY],
        )
        .map_err(err(path))?;
    }
    clear_wal(conn, path, patience)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn contains(path: &Path, needle: &str) -> bool {
        let bytes = std::fs::read(path).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn a_reader_holding_an_old_snapshot_is_waited_for_then_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("navigator.db");
        let mut store = Store::open(&path).unwrap();
        store.set_catalogue_meta("k", "one").unwrap();
        let reader = Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        reader
            .query_row("SELECT count(*) FROM catalogue_meta", [], |r| r.get::<_, i64>(0))
            .unwrap();
        store.set_catalogue_meta("k", "two").unwrap();
        assert_eq!(store.erase_log(Duration::from_millis(300)).unwrap(), Erased::WalBusy);
        reader.execute_batch("COMMIT").unwrap();
        assert_eq!(store.erase_log(Duration::from_millis(300)).unwrap(), Erased::Clean);
        let wal = std::fs::metadata(dir.path().join("navigator.db-wal")).map_or(0, |m| m.len());
        assert_eq!(wal, 0, "the WAL is truncated");
    }

    #[test]
    fn a_database_from_before_secure_delete_is_rewritten_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("navigator.db");
        drop(Store::open(&path).unwrap());
        {
            // An older navigator: no secure_delete, no record that freed space is zeroed.
            let old = Connection::open(&path).unwrap();
            old.pragma_update(None, "secure_delete", "OFF").unwrap();
            old.execute("DELETE FROM catalogue_meta WHERE key = ?1", [ZEROED_KEY])
                .unwrap();
            old.execute(
                "INSERT INTO catalogue_meta (key, value) VALUES ('old', 'Persnickety-Quandary')",
                [],
            )
            .unwrap();
            old.execute("DELETE FROM catalogue_meta WHERE key = 'old'", []).unwrap();
            old.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .unwrap();
        }
        assert!(contains(&path, "Persnickety-Quandary"), "freed but not zeroed");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            store.compact_personal_data(Duration::from_secs(1)).unwrap(),
            Erased::Clean
        );
        assert!(!contains(&path, "Persnickety-Quandary"));
        assert_eq!(store.catalogue_meta(ZEROED_KEY).unwrap().as_deref(), Some("vacuum"));
    }
}
