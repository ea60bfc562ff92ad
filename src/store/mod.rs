//! SQLite storage. The catalogue table is the source of truth for services; the search
//! index is derived from it. Casework tables join later migrations.
//!
//! Every connection: WAL, synchronous=FULL, secure_delete (see [`erase`]), a busy timeout,
//! foreign keys. Every write runs
//! in an IMMEDIATE transaction: a deferred read-then-write can fail with BUSY_SNAPSHOT,
//! which no busy timeout cures.

mod catalogue;
pub mod erase;
pub mod idempotency;
mod migrations;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use catalogue::{ApplyStats, CatalogueStats, ImportRecord};
pub use erase::Erased;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{path}: the database was written by a newer navigator (schema {found}, this one knows {known})")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: the database needs an upgrade (schema {found} to {known}), which this account may not write")]
    ReadOnlyOld { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: stored service {id} is unreadable: {reason}")]
    BadRecord { path: PathBuf, id: String, reason: String },
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened read-only: this account may read the database but not write it (or the
    /// folder it is in). Searches and reports work; writes fail naming the file.
    read_only: bool,
}

/// Whether this account may write the database file and the folder its `-wal` and `-shm`
/// files live in (access(2), which judges the real uid like the kernel will).
fn writable(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    crate::access::may(path, libc::W_OK) && crate::access::may(dir, libc::W_OK | libc::X_OK)
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A database this account may read but not write (or in a folder it may not write)
    /// is opened read-only.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let err = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        if path.exists() && !writable(path) {
            return Store::open_read_only(path);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(err)?;
        conn.busy_timeout(erase::BUSY_TIMEOUT).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        // Freed cells and pages are zeroed as they are freed: a deleted caller's details
        // must not stay readable in the file (see `erase`).
        conn.pragma_update(None, "secure_delete", "ON").map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(err)?;
        // A damaged file shows here, before anything writes to it.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
        };
        migrations::apply(&mut store)?;
        Ok(store)
    }

    /// Read-only access for an account that may read the database but not write it. While
    /// other processes have it open its `-wal` and `-shm` exist and are shared read-only;
    /// when they do not, nobody is writing and the file is read as it is (immutable).
    fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let err = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let in_use = ["-wal", "-shm"].iter().all(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            Path::new(&p).exists()
        });
        let mut uri = String::from("file:");
        for b in path.as_os_str().as_encoded_bytes() {
            match b {
                b'%' | b'?' | b'#' => uri.push_str(&format!("%{b:02X}")),
                _ => uri.push(*b as char),
            }
        }
        uri.push_str(if in_use { "?mode=ro" } else { "?mode=ro&immutable=1" });
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&uri, flags).map_err(err)?;
        conn.busy_timeout(erase::BUSY_TIMEOUT).map_err(err)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(err)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
        if version != migrations::SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyOld {
                path: path.to_path_buf(),
                found: version,
                known: migrations::SCHEMA_VERSION,
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
        })
    }

    /// True when this account may only read the database (see [`Store::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The connection, for reads outside this module (casework).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in an IMMEDIATE transaction, committing when it returns Ok.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T, rusqlite::Error>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let out = f(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(out)
    }
}
