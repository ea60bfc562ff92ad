//! This server's clock. Leases and stored times come from the database's clock
//! ([`crate::store::Store::now`]); this one is what a single SQLite server uses as that
//! clock, and what everything else (log lines, local dates) reads.
//!
//! `NAVIGATOR_TEST_CLOCK_SKEW_SECS` moves it by that many seconds (negative: back): a
//! test hook for a server whose clock is wrong. It has no other use.

use jiff::{SignedDuration, Timestamp};

pub fn now() -> Timestamp {
    let now = Timestamp::now();
    match skew() {
        Some(s) => now.checked_add(SignedDuration::from_secs(s)).unwrap_or(now),
        None => now,
    }
}

fn skew() -> Option<i64> {
    std::env::var("NAVIGATOR_TEST_CLOCK_SKEW_SECS")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// RFC 3339 UTC to the second, as every time is stored: fixed width, so text order is
/// time order.
pub fn utc_text(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
