//! The SQLite backend: one file in the data directory.
//!
//! Every connection: WAL, synchronous=FULL, secure_delete (see [`erase`]), a busy timeout,
//! foreign keys. Every write runs
//! in an IMMEDIATE transaction: a deferred read-then-write can fail with BUSY_SNAPSHOT,
//! which no busy timeout cures. Reads run in a deferred transaction (one snapshot).

mod erase;
mod migrations;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::conn::{Backend, Conn};
use super::value::{Row, Value};
use super::{Body, Committed, Database, Erased, Mode, StoreError};

pub use migrations::SCHEMA_VERSION;

pub struct SqliteDb {
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

/// The database is held by another connection (and this step did not wait for it).
fn busy(code: rusqlite::ErrorCode) -> bool {
    matches!(
        code,
        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
    )
}

fn err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

impl SqliteDb {
    /// Opens (creating if needed) the file; one this account may read but not write (or
    /// in a folder it may not write) is opened read-only.
    pub fn open(path: &Path) -> Result<SqliteDb, StoreError> {
        if path.exists() && !writable(path) {
            return SqliteDb::open_read_only(path);
        }
        // Some steps of opening do not wait on the busy timeout: switching a database
        // another connection is creating at that moment to WAL answers "locked" at once
        // (eight navigators starting on a new shared directory). Every step is idempotent,
        // so the whole opening is tried again, for as long as the busy timeout.
        let deadline = std::time::Instant::now() + erase::BUSY_TIMEOUT;
        loop {
            match SqliteDb::open_once(path) {
                Err(StoreError::Sqlite {
                    source: rusqlite::Error::SqliteFailure(e, _),
                    ..
                }) if busy(e.code) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                done => return done,
            }
        }
    }

    fn open_once(path: &Path) -> Result<SqliteDb, StoreError> {
        let err = err(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(&err)?;
        conn.busy_timeout(erase::BUSY_TIMEOUT).map_err(&err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(&err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(&err)?;
        // Freed cells and pages are zeroed as they are freed: a deleted caller's details
        // must not stay readable in the file (see `erase`).
        conn.pragma_update(None, "secure_delete", "ON").map_err(&err)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(&err)?;
        // A damaged file shows here, before anything writes to it.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(&err)?;
        let mut db = SqliteDb {
            conn,
            path: path.to_path_buf(),
            read_only: false,
        };
        migrations::apply(&mut db.conn, path)?;
        Ok(db)
    }

    /// Read-only access for an account that may read the database but not write it. While
    /// other processes have it open its `-wal` and `-shm` exist and are shared read-only;
    /// when they do not, nobody is writing and the file is read as it is (immutable).
    fn open_read_only(path: &Path) -> Result<SqliteDb, StoreError> {
        let err = err(path);
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
        let conn = Connection::open_with_flags(&uri, flags).map_err(&err)?;
        conn.busy_timeout(erase::BUSY_TIMEOUT).map_err(&err)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(&err)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(&err)?;
        if version != SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyOld {
                target: path.display().to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        Ok(SqliteDb {
            conn,
            path: path.to_path_buf(),
            read_only: true,
        })
    }
}

impl Database for SqliteDb {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn target(&self) -> String {
        self.path.display().to_string()
    }

    fn transaction(&mut self, mode: Mode, key: Option<&str>, body: &mut Body) -> Result<Committed, StoreError> {
        if mode != Mode::Bulk {
            return self.transaction_synced(mode, key, body);
        }
        // WAL with synchronous=NORMAL: the commit is not synced; a later FULL one syncs the
        // log with everything before it.
        let path = self.path.clone();
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(err(&path))?;
        let done = self.transaction_synced(Mode::Write, None, body);
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(err(&path))?;
        done
    }

    fn compact_personal_data(&mut self, patience: std::time::Duration) -> Result<Erased, StoreError> {
        erase::erase_freed(&self.conn, &self.path, patience)
    }

    fn erase_log(&mut self, patience: std::time::Duration) -> Result<Erased, StoreError> {
        erase::clear_wal(&self.conn, &self.path, patience)
    }

    fn read_only(&self) -> bool {
        self.read_only
    }

    fn size_bytes(&mut self) -> Option<u64> {
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        Some(size(&self.path) + size(&wal))
    }
}

impl SqliteDb {
    fn transaction_synced(&mut self, mode: Mode, key: Option<&str>, body: &mut Body) -> Result<Committed, StoreError> {
        let behavior = match mode {
            Mode::Read => TransactionBehavior::Deferred,
            Mode::Write | Mode::Bulk => TransactionBehavior::Immediate,
        };
        let err = err(&self.path);
        let tx = self.conn.transaction_with_behavior(behavior).map_err(&err)?;
        // A commit here is never in doubt (one local file); only a write made under a key
        // is logged, for a caller that cannot know whether it ran (a crash in between).
        let key = key.filter(|_| mode == Mode::Write).map(|k| format!("key:{k}"));
        if let Some(key) = &key {
            let earlier: Option<String> = tx
                .query_row("SELECT result FROM write_log WHERE token = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(&err)?;
            if let Some(result) = earlier {
                return Ok(Committed::Replayed(result));
            }
        }
        let mut conn = SqliteConn {
            conn: &tx,
            path: &self.path,
        };
        // Dropping `tx` without commit rolls back.
        let recorded = body(&mut conn)?;
        if let (Some(key), Some(result)) = (&key, recorded) {
            let now = crate::clock::now();
            // Remembered for a month: far longer than any outage a held save waits through.
            let month_ago = now - jiff::SignedDuration::from_hours(30 * 24);
            tx.execute(
                "DELETE FROM write_log WHERE at < ?1",
                [crate::clock::utc_text(month_ago)],
            )
            .map_err(&err)?;
            tx.execute(
                "INSERT INTO write_log (token, at, result) VALUES (?1, ?2, ?3)",
                rusqlite::params![key, crate::clock::utc_text(now), result],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(Committed::Ran)
    }
}

struct SqliteConn<'a> {
    conn: &'a Connection,
    path: &'a Path,
}

struct Arg<'a>(&'a Value);

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

fn row(r: &rusqlite::Row, columns: usize) -> rusqlite::Result<Row> {
    let mut out = Vec::with_capacity(columns);
    for i in 0..columns {
        out.push(match r.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Int(v),
            ValueRef::Real(v) => Value::Int(v as i64),
            ValueRef::Text(t) | ValueRef::Blob(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        });
    }
    Ok(Row(out))
}

impl SqliteConn<'_> {
    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.to_path_buf(),
            source,
        }
    }
}

impl Conn for SqliteConn<'_> {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let params: Vec<Arg> = args.iter().map(Arg).collect();
        stmt.execute(rusqlite::params_from_iter(params.iter()))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    fn query(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut out = Vec::new();
        self.each(sql, args, &mut |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    fn each(
        &mut self,
        sql: &str,
        args: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let columns = stmt.column_count();
        let params: Vec<Arg> = args.iter().map(Arg).collect();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| StoreError::Sqlite {
                path: self.path.to_path_buf(),
                source: e,
            })?;
        loop {
            let next = rows.next().map_err(|e| StoreError::Sqlite {
                path: self.path.to_path_buf(),
                source: e,
            })?;
            let Some(r) = next else { break };
            let r = row(r, columns).map_err(|e| StoreError::Sqlite {
                path: self.path.to_path_buf(),
                source: e,
            })?;
            f(r)?;
        }
        Ok(())
    }

    /// One server, one clock: this machine's (with the test hook's skew, if set).
    fn now(&mut self) -> Result<Timestamp, StoreError> {
        Ok(crate::clock::now())
    }

    /// The IMMEDIATE transaction already holds the database's one write lock.
    fn lock(&mut self, _key: &str) -> Result<(), StoreError> {
        Ok(())
    }

    /// Nobody else to tell: every process reads the same file.
    fn notify(&mut self, _channel: &str, _payload: &str) -> Result<(), StoreError> {
        Ok(())
    }
}
