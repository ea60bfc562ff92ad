//! The one thing a backend must provide inside a transaction: run a statement with
//! parameters and hand back rows. Statements are written once, with `?1`-style
//! placeholders, in SQL both SQLite and PostgreSQL run; the few places where the two differ
//! ask [`Tx::backend`] or call a method here that each backend implements its own way.

use jiff::Timestamp;

use super::value::{Row, Value};
use super::StoreError;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection inside an open transaction.
pub trait Conn {
    fn backend(&self) -> Backend;
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError>;
    /// Every row of a query.
    fn query(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Rows one at a time, without holding them all (a catalogue of a million services).
    fn each(
        &mut self,
        sql: &str,
        args: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// The database's clock: leases and stored times use it, never a server's own clock.
    fn now(&mut self) -> Result<Timestamp, StoreError>;
    /// Holds `key` until the transaction ends, against every process on every server.
    fn lock(&mut self, key: &str) -> Result<(), StoreError>;
    /// Tells other servers something changed (PostgreSQL NOTIFY); delivered on commit.
    fn notify(&mut self, channel: &str, payload: &str) -> Result<(), StoreError>;
}

/// A transaction as the domain modules see it: the row-level methods of `store/` are on
/// this type, one file per area (catalogue, contacts, follow-ups, privacy, reports).
pub struct Tx<'a> {
    pub(crate) conn: &'a mut dyn Conn,
}

impl<'a> Tx<'a> {
    pub fn new(conn: &'a mut dyn Conn) -> Tx<'a> {
        Tx { conn }
    }

    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    pub fn now(&mut self) -> Result<Timestamp, StoreError> {
        self.conn.now()
    }

    pub(crate) fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        self.conn.execute(sql, args)
    }

    pub(crate) fn query(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.conn.query(sql, args)
    }

    /// The first row, if any.
    pub(crate) fn one(&mut self, sql: &str, args: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.conn.query(sql, args)?.into_iter().next())
    }

    /// A single integer (a count), 0 when the query returns nothing.
    pub(crate) fn number(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        match self.one(sql, args)? {
            Some(row) => Ok(row.opt_int(0)?.unwrap_or(0).max(0) as u64),
            None => Ok(0),
        }
    }

    /// `FOR UPDATE` where the backend locks rows (PostgreSQL); SQLite's write transaction
    /// already holds the whole database.
    pub(crate) fn for_update(&self) -> &'static str {
        match self.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    pub(crate) fn lock(&mut self, key: &str) -> Result<(), StoreError> {
        self.conn.lock(key)
    }

    pub(crate) fn notify(&mut self, channel: &str, payload: &str) -> Result<(), StoreError> {
        self.conn.notify(channel, payload)
    }

    /// Runs raw SQL, for tests that set up a state no command makes (an old draft, a
    /// follow-up closed long ago). Both backends run it.
    #[doc(hidden)]
    pub fn execute_for_tests(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        self.conn.execute(sql, args)
    }

    #[doc(hidden)]
    pub fn query_for_tests(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.conn.query(sql, args)
    }
}
