//! Making deleted values unrecoverable from the files, not just from the tables. SQLite
//! leaves a deleted or overwritten cell's bytes in the page, and the write-ahead log keeps
//! a copy of every page version written since it was last reset; `strings navigator.db`
//! would find a purged caller's name in either. These are the SQLite backend's steps:
//!
//! 1. `secure_delete` on every connection (set in [`Store::open`]): freed cells and pages
//!    are zeroed as they are freed, in the page that goes to the WAL and then the file.
//! 2. After a purge or a discarded draft, a `TRUNCATE` checkpoint: every page goes back
//!    to `navigator.db` and `navigator.db-wal` is cut to zero bytes. It cannot finish while
//!    another process is in the middle of a read of an older snapshot, so it is retried
//!    for a while, and the caller is told when it still could not.
//! 3. A database created before secure_delete may hold freed copies from then: the first
//!    purge rewrites it once (VACUUM) and records that it did.
//!
//! `navigator.db-shm` holds only the WAL's index (page numbers), never row data.

use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;

use super::{Store, StoreError};

/// `catalogue_meta` key: set once every freed byte in the file is known to be zeroed
/// (the database was created with secure_delete, or rewritten by VACUUM since).
pub(crate) const ZEROED_KEY: &str = "freed_space_zeroed";

/// How long a purge keeps retrying the checkpoint while other processes read.
pub const PURGE_PATIENCE: Duration = Duration::from_secs(20);

/// How long a discarded draft waits: the app is waiting on it.
pub const DRAFT_PATIENCE: Duration = Duration::from_secs(2);

/// The busy timeout every connection has (see [`Store::open`]).
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the files hold no copy of what was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erased {
    /// The WAL is empty and freed space is zeroed.
    Clean,
    /// Other processes kept reading an older snapshot: deleted values may still be in
    /// `navigator.db-wal` until they finish and a later purge or discard clears it.
    WalBusy,
}

impl Store {
    /// Moves every page out of the WAL and truncates it, retrying for `patience` while
    /// readers hold old snapshots.
    pub fn erase_wal(&self, patience: Duration) -> Result<Erased, StoreError> {
        let deadline = Instant::now() + patience;
        // Each try waits briefly for readers; between tries they may finish.
        let _ = self.conn.busy_timeout(Duration::from_millis(250));
        let result = loop {
            let busy = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
            match busy {
                Ok(0) => break Ok(Erased::Clean),
                Ok(_) => {
                    if Instant::now() >= deadline {
                        break Ok(Erased::WalBusy);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
                    if Instant::now() >= deadline {
                        break Ok(Erased::WalBusy);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => break Err(self.err(e)),
            }
        };
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        if matches!(result, Ok(Erased::WalBusy)) {
            tracing::warn!("the write-ahead log could not be cleared: other processes are reading");
        }
        result
    }

    /// Rewrites the whole file once when it may still hold bytes freed before
    /// secure_delete was on, then clears the WAL. Returns whether the files are clean.
    pub fn erase_freed(&mut self, patience: Duration) -> Result<Erased, StoreError> {
        let zeroed: Option<String> = self
            .conn
            .query_row("SELECT value FROM catalogue_meta WHERE key = ?1", [ZEROED_KEY], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?;
        if zeroed.is_none() {
            crate::say!(
                "navigator: rewriting {} once, so that data deleted before this version zeroed \
                 freed space cannot be recovered",
                self.path.display()
            );
            tracing::info!("rewriting the database once to zero space freed before secure_delete");
            self.conn.execute_batch("VACUUM").map_err(|e| self.err(e))?;
            self.write(|tx| {
                tx.execute(
                    "INSERT INTO catalogue_meta (key, value) VALUES (?1, 'vacuum')
                     ON CONFLICT (key) DO NOTHING",
                    [ZEROED_KEY],
                )
                .map(|_| ())
            })?;
        }
        self.erase_wal(patience)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(path: &std::path::Path, needle: &str) -> bool {
        let bytes = std::fs::read(path).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn a_reader_holding_an_old_snapshot_is_waited_for_then_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("navigator.db");
        let mut store = Store::open(&path).unwrap();
        store.set_catalogue_meta("k", "one").unwrap();
        let reader = rusqlite::Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        reader
            .query_row("SELECT count(*) FROM catalogue_meta", [], |r| r.get::<_, i64>(0))
            .unwrap();
        store.set_catalogue_meta("k", "two").unwrap();
        assert_eq!(store.erase_wal(Duration::from_millis(300)).unwrap(), Erased::WalBusy);
        reader.execute_batch("COMMIT").unwrap();
        assert_eq!(store.erase_wal(Duration::from_millis(300)).unwrap(), Erased::Clean);
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
            let old = rusqlite::Connection::open(&path).unwrap();
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
        assert_eq!(store.erase_freed(Duration::from_secs(1)).unwrap(), Erased::Clean);
        assert!(!contains(&path, "Persnickety-Quandary"));
        let marked: String = store
            .conn()
            .query_row("SELECT value FROM catalogue_meta WHERE key = ?1", [ZEROED_KEY], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(marked, "vacuum");
    }
}
