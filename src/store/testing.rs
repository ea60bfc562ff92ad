//! Running one test body against both backends: a fresh SQLite file, then a fresh
//! database in the PostgreSQL cluster named by `NAVIGATOR_TEST_PG_URL` (`.ci/run` starts
//! one). Without that variable an ordinary `cargo test` runs SQLite only and prints a line
//! saying so; under CI (`CI=true`) a missing cluster fails the test instead.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::{Location, PgUrl, Row, Store, Value};

/// The variable naming the test cluster (a URL to its `postgres` database; the password
/// comes from `PGPASSFILE`).
pub const PG_URL_VAR: &str = "NAVIGATOR_TEST_PG_URL";

/// One backend's fresh, empty store for a test, and a scratch directory beside it.
pub struct TestDb {
    pub location: Location,
    dir: tempfile::TempDir,
    admin: Option<(PgUrl, String)>,
}

impl TestDb {
    /// Opens (another connection to) this test's store.
    pub fn open(&self) -> Store {
        Store::open_at(&self.location).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A scratch directory for files the test needs (a data directory, say).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn name(&self) -> &'static str {
        if self.location.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.admin {
            if let Ok(mut client) = super::postgres::connect(admin) {
                let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// The test cluster's admin URL, or None (after saying so) when there is none. Panics
/// under CI, where the cluster must be there.
pub fn pg_admin_url() -> Option<PgUrl> {
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(PgUrl::new(&url)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{PG_URL_VAR} is not set: under CI the PostgreSQL tests must run (.ci/run starts a cluster)")
        }
        _ => {
            eprintln!("skipping the PostgreSQL run: {PG_URL_VAR} is not set (.ci/run starts a test cluster)");
            None
        }
    }
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &PgUrl, name: &str) -> PgUrl {
    let text = url.secret();
    let (base, query) = match text.find('?') {
        Some(q) => (&text[..q], &text[q..]),
        None => (text, ""),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    PgUrl::new(&format!("{base}/{name}{query}"))
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A new, empty database in the test cluster.
pub fn fresh_pg(admin: &PgUrl) -> (PgUrl, String) {
    let name = format!(
        "navtest_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut client = super::postgres::connect(admin).unwrap_or_else(|e| panic!("test cluster: {e}"));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    (with_database(admin, &name), name)
}

/// A fresh SQLite store's location.
pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("navigator.db");
    TestDb {
        location: Location::Sqlite(path),
        dir,
        admin: None,
    }
}

/// A fresh PostgreSQL database, when there is a test cluster.
pub fn postgres() -> Option<TestDb> {
    let admin = pg_admin_url()?;
    let (url, name) = fresh_pg(&admin);
    Some(TestDb {
        location: Location::Postgres(url),
        dir: tempfile::tempdir().unwrap(),
        admin: Some((admin, name)),
    })
}

/// Runs `body` on a fresh SQLite store, then on a fresh PostgreSQL one (see the module
/// docs). A failure names the backend.
pub fn each_backend(body: impl Fn(&TestDb)) {
    let run = |db: TestDb| {
        let name = db.name();
        if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&db))) {
            eprintln!("(the failing run above was on {name})");
            std::panic::resume_unwind(panic);
        }
    };
    run(sqlite());
    if let Some(db) = postgres() {
        run(db);
    }
}

impl Store {
    /// Runs one SQL statement both backends understand and returns its rows: for tests
    /// that set up a state no command makes, or look at what was stored.
    #[doc(hidden)]
    pub fn sql(&self, sql: &str, args: &[Value]) -> Vec<Row> {
        self.try_sql(sql, args).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// [`Store::sql`] for statements a test expects the schema to refuse.
    #[doc(hidden)]
    pub fn try_sql(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, super::StoreError> {
        let mut rows = Vec::new();
        self.db
            .borrow_mut()
            .transaction(super::Mode::Write, None, &mut |conn| {
                rows = super::Tx::new(conn).query_for_tests(sql, args)?;
                Ok(None)
            })?;
        Ok(rows)
    }

    /// The first column of the first row of `sql`, as an integer.
    #[doc(hidden)]
    pub fn sql_int(&self, sql: &str, args: &[Value]) -> i64 {
        self.sql(sql, args)[0].int(0).unwrap()
    }
}
