//! Idempotency keys: a client-chosen key per request (`--idempotency-key`), so a script
//! killed after the commit but before it read the answer can retry without doing the work
//! twice. Looked up and recorded inside the request's own transaction (under its lock),
//! so two retries racing each other cannot both get through.

use super::{StoreError, Tx};
use crate::args;

/// Longest key accepted.
pub const MAX_KEY: usize = 200;

/// What an earlier request with the same key left.
pub enum Earlier {
    /// None: do the work and [`Tx::remember_answer`].
    None,
    /// The same request: answer this again.
    Same(String),
    /// Another request (or another account) used this key: refuse.
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
    super::fnv::fnv1a(request)
}

impl Tx<'_> {
    /// What `key` was used for before under `action`, if anything.
    pub fn earlier_answer(&mut self, action: &str, key: &str, account: &str, hash: i64) -> Result<Earlier, StoreError> {
        self.lock(&format!("idempotency:{action}"))?;
        let row = self.one(
            "SELECT account, request_hash, response FROM idempotency_keys WHERE action = ?1 AND key = ?2",
            args![action, key],
        )?;
        Ok(match row {
            None => Earlier::None,
            Some(r) if r.text(0)? == account && r.int(1)? == hash => Earlier::Same(r.text(2)?),
            Some(_) => Earlier::Different,
        })
    }

    /// Records the answer to the request made with `key`.
    pub fn remember_answer(
        &mut self,
        action: &str,
        key: &str,
        account: &str,
        hash: i64,
        response: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO idempotency_keys (action, key, account, request_hash, response, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            args![action, key, account, hash, response, now],
        )?;
        Ok(())
    }

    /// Forgets keys older than `cutoff`: they hold a hash of requests with personal
    /// values, and are for retries within minutes, not for keeping.
    pub fn forget_answers(&mut self, cutoff: &str) -> Result<u64, StoreError> {
        self.execute("DELETE FROM idempotency_keys WHERE created_at < ?1", args![cutoff])
    }
}
