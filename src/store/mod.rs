//! The store: the catalogue (the source of truth for services) and the casework, behind
//! one interface with two backends, chosen by the configured location:
//!
//! - [`sqlite`]: the file in the data directory (one office, nothing to install). WAL,
//!   synchronous=FULL, a busy timeout, foreign keys; every write an IMMEDIATE transaction.
//! - [`postgres`]: a database several servers share. READ COMMITTED with row locks where a
//!   write reads first, advisory locks for migrations and imports, the database's clock,
//!   and reconnection with backoff when the link drops.
//!
//! Every SQL statement of navigator lives in this folder: the row-level methods on [`Tx`]
//! (one file per area: `catalogue`, `contacts`, `followup_rows`, `queue_rows`,
//! `privacy_rows`, `report_rows`), written once in SQL both backends run, and the backends
//! themselves. Domain modules (casework, follow-ups, privacy, reports) keep the rules and
//! ask for rows inside [`Store::read`] and [`Store::write`].

pub mod across_servers;
mod catalogue;
mod conn;
mod contacts;
pub mod erase;
mod fnv;
mod followup_rows;
pub mod idempotency;
mod import_digests;
mod import_rows;
mod location;
mod move_rows;
pub mod postgres;
mod privacy_rows;
mod queue_rows;
pub mod records;
mod report_rows;
pub mod sqlite;
mod staging;
#[doc(hidden)]
pub mod testing;
mod value;

#[cfg(test)]
mod migration_tests;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use catalogue::{ApplyStats, CatalogueStats, ImportRecord};
pub use conn::{Backend, Conn, Tx};
pub use contacts::NewContact;
pub use erase::Erased;
pub use followup_rows::{FollowupRow, LeaseRow, NewOutcome};
pub use import_digests::Remembered;
pub use import_rows::{Changed, ReadResult, CHUNK};
pub use location::{redact, Location, PgUrl};
pub use move_rows::ContactBundle;
pub use postgres::patience_from_env;
pub use privacy_rows::{AuditRow, PurgeCounts};
pub use queue_rows::{CountRow, QueueFilter, QueueRow};
pub use report_rows::{ExportRowData, NeedRow, OutcomeAnswerRow, OutcomeRow};
pub use staging::{StagedRow, Staging};
pub use value::{Row, Value};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{target}: {message}")]
    Postgres { target: String, message: String },
    /// The database cannot be reached now (down, or the link broke): try again later.
    #[error("{target}: the database cannot be reached ({message}); nothing was saved, try again")]
    Unavailable { target: String, message: String },
    #[error("{target}: the database was written by a newer navigator (schema {found}, this one knows {known})")]
    TooNew { target: String, found: i64, known: i64 },
    #[error("{target}: the database needs an upgrade (schema {found} to {known}), which this account may not write")]
    ReadOnlyOld { target: String, found: i64, known: i64 },
    #[error("{target}: stored service {id} is unreadable: {reason}")]
    BadRecord { target: String, id: String, reason: String },
    #[error("stored data is unreadable: {0}")]
    Decode(String),
    #[error("{0}")]
    Config(String),
    /// A domain rule refused the write inside the transaction: it is rolled back.
    #[error("refused")]
    Refused,
}

impl StoreError {
    /// True when trying again later may succeed (exit status 75).
    pub fn is_temporary(&self) -> bool {
        matches!(self, StoreError::Unavailable { .. })
    }
}

/// Why a write that applies domain rules did not happen: the rule's own answer, or the store.
#[derive(Debug)]
pub enum Abort<D> {
    Refused(D),
    Store(StoreError),
}

impl<D> From<StoreError> for Abort<D> {
    fn from(e: StoreError) -> Abort<D> {
        Abort::Store(e)
    }
}

/// What kind of transaction a backend opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One consistent snapshot, no writes.
    Read,
    /// Writes, all or nothing.
    Write,
    /// Writes, all or nothing, without waiting for the disk at commit: a crash may lose
    /// the last few such transactions (never half of one), and the next durable commit
    /// makes them durable too. For an import's staged chunks, which nobody sees until the
    /// import's last, durable transaction.
    Bulk,
}

/// How a write transaction ended.
pub enum Committed {
    /// The body ran and its transaction committed.
    Ran,
    /// The link broke while committing and the commit turned out to have happened: this is
    /// the body's result as it was recorded then (PostgreSQL's write log).
    Replayed(String),
}

/// A transaction's body: its rows through the connection; `Some(json)` to record its
/// result with the commit.
pub type Body<'a> = dyn FnMut(&mut dyn Conn) -> Result<Option<String>, StoreError> + 'a;

/// A backend. The body may run more than once (after a dropped connection, before
/// anything was committed), so it must not have effects outside the transaction.
pub trait Database: Send {
    fn backend(&self) -> Backend;
    /// The location, for messages: a path, or a URL without its password.
    fn target(&self) -> String;
    /// Runs `body` in a transaction of `mode`. A body returning `Some(json)` asks for its
    /// result to be recorded with the commit, so a commit whose acknowledgement was lost
    /// can be told from one that never happened.
    ///
    /// With a `key` (a write only), the write happens at most once under that key, across
    /// connections, processes and servers: when a write under `key` committed before, the
    /// body does not run and its recorded result comes back as [`Committed::Replayed`].
    fn transaction(&mut self, mode: Mode, key: Option<&str>, body: &mut Body) -> Result<Committed, StoreError>;
    /// How long to keep trying to reach the database before a transaction reports it
    /// unavailable (PostgreSQL; a local file is always there).
    fn set_patience(&mut self, _patience: std::time::Duration) {}
    /// Makes values a purge or a discarded draft removed unrecoverable from the files too
    /// (PostgreSQL: VACUUM FULL of the personal-data tables; SQLite: see `sqlite::erase`),
    /// trying for up to `patience` while other processes hold what it needs.
    fn compact_personal_data(&mut self, patience: std::time::Duration) -> Result<Erased, StoreError>;
    /// The cheaper step after a discarded draft: the write-ahead log only (SQLite), or
    /// nothing to do (PostgreSQL rewrites on VACUUM).
    fn erase_log(&mut self, patience: std::time::Duration) -> Result<Erased, StoreError> {
        let _ = patience;
        Ok(Erased::Clean)
    }
    /// True when this account may only read the database (writes fail naming the file).
    fn read_only(&self) -> bool {
        false
    }
    /// Bytes the database takes, where the backend can say.
    fn size_bytes(&mut self) -> Option<u64>;
}

pub struct Store {
    /// Reads need the connection mutably too (PostgreSQL's client is `&mut`); a store is
    /// used by one thread at a time, so a RefCell lets reads take `&self`.
    db: RefCell<Box<dyn Database>>,
    location: Location,
    /// The key the next write is made under (see [`Store::once`]).
    key: Option<String>,
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path` and brings its schema up
    /// to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_at(&Location::Sqlite(path.to_path_buf()))
    }

    /// Opens the store at `location`, migrating its schema under a database lock. An
    /// unreachable database is tried again for `NAVIGATOR_DATABASE_PATIENCE_SECS` (20).
    pub fn open_at(location: &Location) -> Result<Store, StoreError> {
        Store::open_patient(location, postgres::patience_from_env())
    }

    /// [`Store::open_at`], trying an unreachable database for `patience` only (zero: one
    /// attempt), which also becomes the patience of its transactions: for the app, which
    /// holds work locally rather than keep a navigator waiting.
    pub fn open_patient(location: &Location, patience: std::time::Duration) -> Result<Store, StoreError> {
        let db: Box<dyn Database> = match location {
            Location::Sqlite(path) => Box::new(sqlite::SqliteDb::open(path)?),
            Location::Postgres(url) => Box::new(postgres::PgDb::open(url, patience)?),
        };
        Ok(Store {
            db: RefCell::new(db),
            location: location.clone(),
            key: None,
        })
    }

    /// How long a transaction keeps trying to reach the database (see [`Store::open_patient`]).
    pub fn set_patience(&mut self, patience: std::time::Duration) {
        self.db.get_mut().set_patience(patience);
    }

    /// Runs `f`, whose write (the first, if it makes several) happens at most once under
    /// `key`: run again with the same key, after a lost acknowledgement, a crash or from
    /// another process, it answers what the first run saved instead of saving again. The
    /// app's saves held while the database was unreachable carry such a key.
    pub fn once<R>(&mut self, key: &str, f: impl FnOnce(&mut Store) -> R) -> R {
        self.key = Some(key.to_string());
        let out = f(self);
        self.key = None;
        out
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn backend(&self) -> Backend {
        self.db.borrow().backend()
    }

    /// The SQLite file, for the shared-install file modes; None on PostgreSQL.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::Sqlite(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }

    /// The location for messages (no password).
    pub fn target(&self) -> String {
        self.db.borrow().target()
    }

    pub fn size_bytes(&self) -> Option<u64> {
        self.db.borrow_mut().size_bytes()
    }

    /// True when this account may only read the database: searches, reports and lists
    /// work, and nothing that writes is attempted on its behalf (retention, the demo).
    pub fn is_read_only(&self) -> bool {
        self.db.borrow().read_only()
    }

    /// The database's clock now: what leases and stored times are measured by.
    pub fn now(&self) -> Result<jiff::Timestamp, StoreError> {
        self.read(|tx| tx.now())
    }

    /// Reads in one snapshot.
    pub fn read<T>(&self, f: impl FnMut(&mut Tx) -> Result<T, StoreError>) -> Result<T, StoreError> {
        unrecorded(&mut **self.db.borrow_mut(), Mode::Read, f)
    }

    /// Writes all or nothing. The result is recorded with the commit (see [`Committed`]),
    /// so a save whose connection broke as it committed still answers what it saved.
    pub fn write<T: Serialize + DeserializeOwned>(
        &mut self,
        mut f: impl FnMut(&mut Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_or_refuse(|tx| f(tx).map_err(Abort::<std::convert::Infallible>::Store))
            .map_err(|e| match e {
                Abort::Store(e) => e,
                Abort::Refused(never) => match never {},
            })
    }

    /// Like [`Store::write`], for bodies whose rules may refuse: a refusal rolls back.
    pub fn write_or_refuse<T: Serialize + DeserializeOwned, D>(
        &mut self,
        mut f: impl FnMut(&mut Tx) -> Result<T, Abort<D>>,
    ) -> Result<T, Abort<D>> {
        let mut out: Option<Result<T, Abort<D>>> = None;
        let key = self.key.take();
        let done =
            self.db
                .get_mut()
                .transaction(Mode::Write, key.as_deref(), &mut |conn| match f(&mut Tx::new(conn)) {
                    Ok(t) => {
                        let json = serde_json::to_string(&t).map_err(|e| StoreError::Decode(e.to_string()))?;
                        out = Some(Ok(t));
                        Ok(Some(json))
                    }
                    Err(Abort::Store(e)) => Err(e),
                    Err(Abort::Refused(d)) => {
                        out = Some(Err(Abort::Refused(d)));
                        Err(StoreError::Refused)
                    }
                });
        match done {
            Ok(Committed::Ran) => out.unwrap_or_else(|| Err(Abort::Store(StoreError::Decode("no result".into())))),
            Ok(Committed::Replayed(json)) => {
                serde_json::from_str(&json).map_err(|e| Abort::Store(StoreError::Decode(e.to_string())))
            }
            Err(StoreError::Refused) => out.unwrap_or(Err(Abort::Store(StoreError::Refused))),
            Err(e) => Err(Abort::Store(e)),
        }
    }

    /// A write whose result is too large to record (an import's id lists): a commit whose
    /// acknowledgement is lost is reported as unavailable, and the write can be re-run.
    pub fn write_unrecorded<T>(&mut self, f: impl FnMut(&mut Tx) -> Result<T, StoreError>) -> Result<T, StoreError> {
        debug_assert!(
            self.key.is_none(),
            "an unrecorded write cannot be made once under a key"
        );
        unrecorded(&mut **self.db.get_mut(), Mode::Write, f)
    }

    /// Like [`Store::write_unrecorded`], in a [`Mode::Bulk`] transaction.
    pub fn write_bulk<T>(&mut self, f: impl FnMut(&mut Tx) -> Result<T, StoreError>) -> Result<T, StoreError> {
        unrecorded(&mut **self.db.get_mut(), Mode::Bulk, f)
    }

    /// See [`Database::compact_personal_data`].
    pub fn compact_personal_data(&mut self, patience: std::time::Duration) -> Result<Erased, StoreError> {
        let erased = self.db.get_mut().compact_personal_data(patience)?;
        if erased == Erased::WalBusy {
            tracing::warn!("the write-ahead log could not be cleared: other processes are reading");
        }
        Ok(erased)
    }

    /// See [`Database::erase_log`].
    pub fn erase_log(&mut self, patience: std::time::Duration) -> Result<Erased, StoreError> {
        let erased = self.db.get_mut().erase_log(patience)?;
        if erased == Erased::WalBusy {
            tracing::warn!("the write-ahead log could not be cleared: other processes are reading");
        }
        Ok(erased)
    }
}

/// A transaction of `mode` whose result is not recorded with the commit.
fn unrecorded<T>(
    db: &mut dyn Database,
    mode: Mode,
    mut f: impl FnMut(&mut Tx) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut out = None;
    db.transaction(mode, None, &mut |conn| {
        out = Some(f(&mut Tx::new(conn))?);
        Ok(None)
    })?;
    out.ok_or_else(|| StoreError::Decode("a transaction returned nothing".into()))
}
