//! The PostgreSQL backend: one database several servers share.
//!
//! - Writes run at READ COMMITTED; a write that reads before it writes locks the rows it
//!   read (`FOR UPDATE`, see [`crate::store::Tx::for_update`]) or a key (`Tx::lock`, a
//!   transaction advisory lock). Reads run in one REPEATABLE READ READ ONLY snapshot.
//! - A broken link is survivable: a transaction that fails because the connection went is
//!   run again on a new one, with backoff, for up to the store's patience (20 s unless
//!   set), then reported as unavailable (exit status 75). Nothing is half-written: a
//!   transaction either committed or left nothing. A write records its result with its
//!   commit in `write_log`, so when the acknowledgement of a COMMIT is what got lost, the
//!   retry finds the commit there and answers with it instead of saving twice.
//! - The password comes from the URL, `PGPASSWORD`, `PGPASSFILE` or `~/.pgpass`; `sslmode`
//!   in the URL is honoured (disable, prefer, require, verify-ca, verify-full).

mod connect;
pub mod import_lock;
mod migrations;
mod pgpass;
mod types;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use postgres::{Client, IsolationLevel, Statement, Transaction};

use super::conn::{Backend, Conn};
use super::location::PgUrl;
use super::value::{Row, Value};
use super::{Body, Committed, Database, Mode, StoreError};

pub use connect::{connect, Connector};
pub use migrations::SCHEMA_VERSION;

/// How long a store keeps trying to reach the database before it gives up (unless set).
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(20);

pub struct PgDb {
    connector: Connector,
    client: Option<Client>,
    statements: HashMap<String, Statement>,
    patience: Duration,
    tokens: u64,
}

/// A postgres error as one line, without the URL (which the caller names, redacted).
pub fn describe(e: &postgres::Error) -> String {
    if tls_refused(e) {
        return format!(
            "{}; the connection was refused at the TLS step (see sslmode, and sslrootcert or PGSSLROOTCERT for the CA that signed the server's certificate)",
            tls_reason(e)
        );
    }
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None if e.to_string().ends_with("password missing") => format!(
            "{}: none in the URL, PGPASSWORD, PGPASSFILE or ~/.pgpass for this host, port, database and user",
            chain(e)
        ),
        None => chain(e),
    }
}

/// An error and its sources, as one line.
fn chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// Why a TLS handshake was refused, in a few words: OpenSSL's reasons ("certificate
/// verify failed") and the certificate check's verdict ("unable to get local issuer
/// certificate"), without its error stack.
fn tls_reason(e: &postgres::Error) -> String {
    let mut outer: Option<String> = None;
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(ssl) = s.downcast_ref::<openssl::ssl::Error>() {
            let mut reasons: Vec<&str> = Vec::new();
            for r in ssl.ssl_error().map(|stack| stack.errors()).unwrap_or_default() {
                if let Some(reason) = r.reason().filter(|r| !reasons.contains(r)) {
                    reasons.push(reason);
                }
            }
            let ssl_text = ssl.to_string();
            let verdict = outer
                .as_deref()
                .and_then(|o| o.strip_prefix(ssl_text.as_str()))
                .map(|v| v.trim_start_matches(": ").trim())
                .filter(|v| !v.is_empty());
            let reasons = if reasons.is_empty() {
                ssl_text
            } else {
                reasons.join(", ")
            };
            return match verdict {
                Some(v) => format!("TLS refused: {reasons} ({v})"),
                None => format!("TLS refused: {reasons}"),
            };
        }
        outer = Some(s.to_string());
        source = s.source();
    }
    format!("TLS refused: {}", outer.unwrap_or_else(|| e.to_string()))
}

/// A TLS handshake that was refused (a certificate that does not verify, a server without
/// TLS when sslmode requires it), not one a dropped link cut short: asking again will not
/// help, so it is no "try again later".
fn tls_refused(e: &postgres::Error) -> bool {
    if e.as_db_error().is_some() || !e.to_string().starts_with("error performing TLS handshake") {
        return false;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(ssl) = s.downcast_ref::<openssl::ssl::Error>() {
            return ssl.io_error().is_none();
        }
        source = s.source();
    }
    true
}

/// What a failed statement means for the transaction around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    /// The connection is gone (or the server is shutting down): reconnect, run again.
    Link,
    /// Serialization failure or deadlock: run again at once.
    Conflict,
    /// Anything else: report it.
    Fatal,
}

fn trouble(e: &postgres::Error) -> Trouble {
    match e.code().map(|c| c.code()) {
        Some("40001" | "40P01") => Trouble::Conflict,
        Some(code) if code.starts_with("08") || code.starts_with("57P") || code == "53300" => Trouble::Link,
        Some(_) => Trouble::Fatal,
        None if tls_refused(e) => Trouble::Fatal,
        // A password missing (no pgpass entry for this host), a bad option: no link trouble.
        None if e.to_string().starts_with("invalid configuration") => Trouble::Fatal,
        None if e.is_closed() => Trouble::Link,
        // No server answer at all: an I/O or TLS error on the way.
        None => Trouble::Link,
    }
}

impl PgDb {
    /// Connects and migrates, trying an unreachable database for `patience`.
    pub fn open(url: &PgUrl, patience: Duration) -> Result<PgDb, StoreError> {
        let connector = Connector::new(url)?;
        let mut db = PgDb {
            connector,
            client: None,
            statements: HashMap::new(),
            patience,
            tokens: 0,
        };
        let target = db.target();
        let deadline = Instant::now() + db.patience;
        let mut backoff = Duration::from_millis(100);
        loop {
            match db.connector.connect().and_then(|mut c| {
                migrations::apply(&mut c, &target)?;
                Ok(c)
            }) {
                Ok(client) => {
                    db.client = Some(client);
                    break;
                }
                Err(e @ StoreError::Unavailable { .. }) => {
                    if Instant::now() + backoff > deadline {
                        return Err(e);
                    }
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                }
                Err(e) => return Err(e),
            }
        }
        db.prune_write_log();
        Ok(db)
    }

    fn prune_write_log(&mut self) {
        if let Some(c) = self.client.as_mut() {
            // A day is far longer than any retry of a lost acknowledgement; a keyed write
            // (a save held through an outage) is remembered for a month.
            let _ = c.execute(
                "DELETE FROM write_log WHERE at < to_char(now() AT TIME ZONE 'UTC' - CASE WHEN token LIKE 'key:%' THEN interval '30 days' ELSE interval '1 day' END, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                &[],
            );
        }
    }

    fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.client = None;
        }
        if self.client.is_none() {
            self.statements.clear();
            self.client = Some(self.connector.connect()?);
        }
        Ok(self.client.as_mut().expect("just connected"))
    }

    fn token(&mut self) -> String {
        self.tokens += 1;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("{}-{}-{nanos}-{}", crate::user::host(), std::process::id(), self.tokens)
    }

    /// Whether the write recorded under `token` committed.
    fn committed(&mut self, token: &str) -> Result<Option<String>, StoreError> {
        let target = self.target();
        let client = self.client()?;
        let row = client
            .query_opt("SELECT result FROM write_log WHERE token = $1", &[&token])
            .map_err(|e| pg_error(&target, &e))?;
        Ok(row.map(|r| r.get(0)))
    }

    /// One run of `body`. `keyed`: the token is a caller's key, and a write that committed
    /// under it before answers instead of running again.
    fn attempt(
        &mut self,
        mode: Mode,
        token: &str,
        keyed: bool,
        body: &mut Body,
    ) -> Result<Committed, (Trouble, bool, StoreError)> {
        let target = self.target();
        let link = |e: StoreError| (Trouble::Link, false, e);
        self.client().map_err(link)?;
        let PgDb { client, statements, .. } = self;
        let client = client.as_mut().expect("connected above");
        let mut builder = client.build_transaction();
        if mode == Mode::Read {
            builder = builder.isolation_level(IsolationLevel::RepeatableRead).read_only(true);
        }
        let fail = |e: postgres::Error, committing: bool| (trouble(&e), committing, pg_error(&target, &e));
        let mut tx = builder.start().map_err(|e| fail(e, false))?;
        if mode == Mode::Bulk {
            // The commit does not wait for the WAL flush; a later synchronous commit
            // flushes it with everything before it.
            tx.batch_execute("SET LOCAL synchronous_commit TO OFF")
                .map_err(|e| fail(e, false))?;
        }
        if keyed {
            let earlier = tx
                .query_opt("SELECT result FROM write_log WHERE token = $1", &[&token])
                .map_err(|e| fail(e, false))?;
            if let Some(row) = earlier {
                return Ok(Committed::Replayed(row.get(0)));
            }
        }
        let mut conn = PgConn {
            tx: &mut tx,
            statements,
            target: &target,
            trouble: None,
        };
        let out = body(&mut conn);
        let seen = conn.trouble.take();
        let json = match out {
            Ok(json) => json,
            Err(e) => return Err((seen.unwrap_or(Trouble::Fatal), false, e)),
        };
        let recorded = json.is_some();
        if let Some(json) = json {
            tx.execute(
                "INSERT INTO write_log (token, at, result) VALUES ($1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), $2)",
                &[&token, &json],
            )
            .map_err(|e| match e.code().map(|c| c.code()) {
                // Another process committed a write under the same key meanwhile: run
                // again, and the check above answers with its result.
                Some("23505") if keyed => (Trouble::Conflict, false, pg_error(&target, &e)),
                _ => fail(e, false),
            })?;
        }
        if mode == Mode::Write {
            pause_before_commit();
        }
        tx.commit().map_err(|e| fail(e, recorded))?;
        Ok(Committed::Ran)
    }
}

/// `NAVIGATOR_TEST_PAUSE_BEFORE_COMMIT_MS`: every write waits that long between its last
/// statement and its COMMIT, so a test can drop the connection in the middle of a save
/// (`tests/postgres_link.rs`). A test hook with no other use, like the clock's skew.
fn pause_before_commit() {
    static PAUSE: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    let pause = PAUSE.get_or_init(|| {
        std::env::var("NAVIGATOR_TEST_PAUSE_BEFORE_COMMIT_MS")
            .ok()
            .and_then(|ms| ms.trim().parse().ok())
            .map(Duration::from_millis)
    });
    if let Some(pause) = pause {
        std::thread::sleep(*pause);
    }
}

/// `NAVIGATOR_DATABASE_PATIENCE_SECS`, else [`DEFAULT_PATIENCE`].
pub fn patience_from_env() -> Duration {
    std::env::var("NAVIGATOR_DATABASE_PATIENCE_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(DEFAULT_PATIENCE, Duration::from_secs)
}

pub(crate) fn pg_error(target: &str, e: &postgres::Error) -> StoreError {
    match trouble(e) {
        Trouble::Link => StoreError::Unavailable {
            target: target.to_string(),
            message: describe(e),
        },
        _ => StoreError::Postgres {
            target: target.to_string(),
            message: describe(e),
        },
    }
}

impl Database for PgDb {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn target(&self) -> String {
        self.connector.url.to_string()
    }

    fn set_patience(&mut self, patience: Duration) {
        self.patience = patience;
    }

    fn transaction(&mut self, mode: Mode, key: Option<&str>, body: &mut Body) -> Result<Committed, StoreError> {
        let deadline = Instant::now() + self.patience;
        let mut backoff = Duration::from_millis(50);
        let token = match key {
            Some(key) => format!("key:{key}"),
            None => self.token(),
        };
        let keyed = key.is_some() && mode == Mode::Write;
        let mut uncertain = false;
        loop {
            if uncertain {
                // The last COMMIT's answer was lost: did it happen?
                match self.committed(&token) {
                    Ok(Some(json)) => return Ok(Committed::Replayed(json)),
                    Ok(None) => uncertain = false,
                    Err(e) if Instant::now() + backoff > deadline => return Err(e),
                    Err(_) => {
                        self.client = None;
                        std::thread::sleep(backoff);
                        backoff = (backoff * 2).min(Duration::from_secs(2));
                        continue;
                    }
                }
            }
            match self.attempt(mode, &token, keyed, body) {
                Ok(done) => return Ok(done),
                Err((Trouble::Conflict, _, _)) => continue,
                Err((Trouble::Link, committing, e)) => {
                    tracing::warn!(error = %e, "database link lost; retrying");
                    self.client = None;
                    uncertain = committing;
                    if Instant::now() + backoff > deadline {
                        return Err(match e {
                            e @ StoreError::Unavailable { .. } => e,
                            other => StoreError::Unavailable {
                                target: self.target(),
                                message: other.to_string(),
                            },
                        });
                    }
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                }
                Err((Trouble::Fatal, _, e)) => return Err(e),
            }
        }
    }

    fn compact_personal_data(&mut self, _patience: std::time::Duration) -> Result<super::Erased, StoreError> {
        let target = self.target();
        let client = self.client()?;
        // VACUUM FULL rewrites each table into new files, so purged values are not left in
        // dead tuples. It cannot run inside a transaction block. It waits for its own
        // lock, so it either finishes or fails.
        client
            .batch_execute("VACUUM FULL personal_data, followup_notes, drafts, idempotency_keys")
            .map_err(|e| pg_error(&target, &e))?;
        // The write-ahead log still holds the values as they were logged. A checkpoint, a
        // new segment and a second checkpoint let the server remove the segments from
        // before the purge: gone with `wal_recycle = off` and nothing keeping old WAL (an
        // archive, wal_keep_size, a replication slot, a standby); otherwise they stay until
        // their segments are reused. Needs the pg_checkpoint role and EXECUTE on
        // pg_switch_wal; without them the purge says so in the log and carries on.
        for sql in ["CHECKPOINT", "SELECT pg_switch_wal()", "CHECKPOINT"] {
            if let Err(e) = client.batch_execute(sql) {
                if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
                    tracing::warn!(
                        statement = sql,
                        "not allowed: purged values stay in the WAL until it is recycled"
                    );
                    break;
                }
                return Err(pg_error(&target, &e));
            }
        }
        Ok(super::Erased::Clean)
    }

    fn size_bytes(&mut self) -> Option<u64> {
        let client = self.client().ok()?;
        let row = client
            .query_one("SELECT pg_database_size(current_database())", &[])
            .ok()?;
        u64::try_from(row.get::<_, i64>(0)).ok()
    }
}

struct PgConn<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    statements: &'a mut HashMap<String, Statement>,
    target: &'a str,
    /// The kind of the last failure, so the transaction knows whether to run again.
    trouble: Option<Trouble>,
}

impl PgConn<'_, '_> {
    fn fail(&mut self, e: postgres::Error) -> StoreError {
        self.trouble = Some(trouble(&e));
        pg_error(self.target, &e)
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.tx.prepare(&types::placeholders(sql)).map_err(|e| self.fail(e))?;
        self.statements.insert(sql.to_string(), prepared.clone());
        Ok(prepared)
    }
}

fn params(args: &[Value]) -> Vec<types::Param<'_>> {
    args.iter().map(types::Param).collect()
}

fn row(r: &postgres::Row) -> Result<Row, postgres::Error> {
    let mut out = Vec::with_capacity(r.len());
    for i in 0..r.len() {
        out.push(r.try_get::<_, types::Column>(i)?.0);
    }
    Ok(Row(out))
}

impl Conn for PgConn<'_, '_> {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        let stmt = self.statement(sql)?;
        let params = params(args);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        self.tx.execute(&stmt, &refs).map_err(|e| self.fail(e))
    }

    fn query(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(sql)?;
        let params = params(args);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.tx.query(&stmt, &refs).map_err(|e| self.fail(e))?;
        rows.iter().map(|r| row(r).map_err(|e| self.fail(e))).collect()
    }

    fn each(
        &mut self,
        sql: &str,
        args: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let stmt = self.statement(sql)?;
        let params = params(args);
        // A portal, fetched 2,000 rows at a time: a million services never sit in memory.
        let portal = self
            .tx
            .bind(
                &stmt,
                &params
                    .iter()
                    .map(|p| p as &(dyn postgres::types::ToSql + Sync))
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| self.fail(e))?;
        loop {
            let batch = self.tx.query_portal(&portal, 2000).map_err(|e| self.fail(e))?;
            if batch.is_empty() {
                break;
            }
            for r in &batch {
                f(row(r).map_err(|e| self.fail(e))?)?;
            }
        }
        Ok(())
    }

    fn now(&mut self) -> Result<Timestamp, StoreError> {
        let rows = self.query(
            "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000000) AS BIGINT)",
            &[],
        )?;
        let micros = rows.first().map(|r| r.int(0)).transpose()?.unwrap_or(0);
        Timestamp::from_microsecond(micros).map_err(|e| StoreError::Decode(e.to_string()))
    }

    fn lock(&mut self, key: &str) -> Result<(), StoreError> {
        self.execute("SELECT pg_advisory_xact_lock(?1)", &[Value::Int(lock_key(key))])?;
        Ok(())
    }

    fn notify(&mut self, channel: &str, payload: &str) -> Result<(), StoreError> {
        self.execute("SELECT pg_notify(?1, ?2)", &[channel.into(), payload.into()])?;
        Ok(())
    }
}

/// A stable 64-bit advisory-lock key for a name (FNV-1a).
pub fn lock_key(name: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("navigator:{name}").bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}

/// A connection listening for catalogue changes (see `store::catalogue`'s NOTIFY).
pub fn listen(url: &PgUrl) -> Result<Client, StoreError> {
    let mut client = connect(url)?;
    client
        .batch_execute(&format!("LISTEN {}", super::catalogue::GENERATION_CHANNEL))
        .map_err(|e| pg_error(&url.to_string(), &e))?;
    Ok(client)
}

/// Waits up to `timeout` for a notification on a listening connection; whether one came.
pub fn wait_notification(client: &mut Client, timeout: Duration) -> Result<bool, StoreError> {
    use postgres::fallible_iterator::FallibleIterator;
    let mut notifications = client.notifications();
    let got = notifications.timeout_iter(timeout).next();
    match got {
        Ok(Some(_)) => {
            // Drain a burst: one rebuild answers them all.
            let mut buffered = notifications.iter();
            while let Ok(Some(_)) = buffered.next() {}
            Ok(true)
        }
        Ok(None) => Ok(false),
        Err(e) => Err(pg_error("listener", &e)),
    }
}
