//! Idempotency keys: a client-chosen key per request (`--idempotency-key`), so a script
//! killed after the commit but before it read the answer can retry without doing the work
//! twice. Looked up and recorded inside the request's own IMMEDIATE transaction, so two
//! retries racing each other cannot both get through.

use rusqlite::{params, OptionalExtension, Transaction};

/// Longest key accepted.
pub const MAX_KEY: usize = 200;

/// What an earlier request with the same key left.
pub enum Earlier {
    /// None: do the work and [`remember`] its answer.
    None,
    /// The same request: answer this again.
    Same(String),
    /// Another request (or another user) used this key: refuse.
    Different,
}

/// A key as given, checked: 1 to [`MAX_KEY`] printable ASCII characters.
pub fn check_key(key: &str) -> Result<&str, String> {
    let ok = !key.is_empty() && key.len() <= MAX_KEY && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(key)
    } else {
        Err(format!(
            "expected 1 to {MAX_KEY} printable ASCII characters without spaces (a UUID, say)"
        ))
    }
}

/// FNV-1a of a request's bytes: enough to tell a retry from a different request.
pub fn request_hash(request: &[u8]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in request {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}

/// What `key` was used for before, if anything.
pub fn earlier(tx: &Transaction, action: &str, key: &str, user: &str, hash: i64) -> rusqlite::Result<Earlier> {
    let row: Option<(String, i64, String)> = tx
        .query_row(
            "SELECT user, request_hash, response FROM idempotency_keys WHERE action = ?1 AND key = ?2",
            params![action, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        None => Earlier::None,
        Some((u, h, response)) if u == user && h == hash => Earlier::Same(response),
        Some(_) => Earlier::Different,
    })
}

/// Records the answer to the request made with `key`.
pub fn remember(
    tx: &Transaction,
    action: &str,
    key: &str,
    user: &str,
    hash: i64,
    response: &str,
    now: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO idempotency_keys (action, key, user, request_hash, response, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![action, key, user, hash, response, now],
    )?;
    Ok(())
}
