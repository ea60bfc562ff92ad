//! One import at a time across every server on the database: a session advisory lock,
//! held on its own connection for the whole import (the server releases it if the
//! importing process dies), and the holder's details in `import_holder` so a refused
//! import can say who it waits for.

use postgres::Client;

use super::{connect, lock_key, pg_error};
use crate::store::{PgUrl, StoreError};

/// Who holds (or held) the lock, as they recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportHolder {
    pub server: String,
    pub pid: i64,
    pub user: String,
    /// RFC 3339 UTC.
    pub started: String,
}

/// Held while it lives.
pub struct ImportLock {
    _client: Client,
}

impl std::fmt::Debug for ImportLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImportLock(database)")
    }
}

/// Takes the lock for `me`, or says who holds it.
pub fn try_acquire(url: &PgUrl, me: &ImportHolder) -> Result<Result<ImportLock, Option<ImportHolder>>, StoreError> {
    let target = url.to_string();
    let err = |e: postgres::Error| pg_error(&target, &e);
    let mut client = connect(url)?;
    // An import may be the first command a new database sees: `import_holder` is made
    // by the migrations (which wait for each other, and do nothing when done).
    super::migrations::apply(&mut client, &target)?;
    let key = lock_key("import");
    let got: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
        .map_err(err)?
        .get(0);
    if !got {
        let row = client
            .query_opt(
                "SELECT server, pid, \"user\", started FROM import_holder WHERE id = 1",
                &[],
            )
            .map_err(err)?;
        return Ok(Err(row.map(|r| ImportHolder {
            server: r.get(0),
            pid: r.get(1),
            user: r.get(2),
            started: r.get(3),
        })));
    }
    client
        .execute(
            "INSERT INTO import_holder (id, server, pid, \"user\", started) VALUES (1, $1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET server = $1, pid = $2, \"user\" = $3, started = $4",
            &[&me.server, &me.pid, &me.user, &me.started],
        )
        .map_err(err)?;
    Ok(Ok(ImportLock { _client: client }))
}
