//! This server's clock. Leases and stored times come from the database's clock
//! ([`crate::store::Store::now`]); this one is what a single SQLite server uses as that
//! clock, and what everything else (log lines, local dates) reads.
//!
//! Local dates and times (which follow-ups are due today, a follow-up's default date,
//! report periods, the times shown) are in the office's zone, not the server's: a shared
//! server is often on UTC while its navigators are five or eight hours away. The zone is
//! `TZ` when the session sets one, else `[catalogue] timezone`, else the machine's.
//!
//! `NAVIGATOR_TEST_CLOCK_SKEW_SECS` moves it by that many seconds (negative: back): a
//! test hook for a server whose clock is wrong. It has no other use.

use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};

static LOCAL_ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Sets the zone of local dates and times, once, at start-up (`configured`: `[catalogue]
/// timezone`). Later calls change nothing.
pub fn set_local_zone(configured: Option<&str>) {
    let _ = LOCAL_ZONE.set(choose_zone(std::env::var("TZ").ok().as_deref(), configured));
}

/// `TZ` when set (the navigator's own choice), else the configured zone, else the machine's.
fn choose_zone(tz: Option<&str>, configured: Option<&str>) -> TimeZone {
    if tz.is_some_and(|t| !t.trim().is_empty()) {
        return TimeZone::system();
    }
    configured
        .and_then(|zone| TimeZone::get(zone.trim()).ok())
        .unwrap_or_else(TimeZone::system)
}

/// The zone of local dates and times (the machine's until [`set_local_zone`]).
pub fn local_zone() -> TimeZone {
    LOCAL_ZONE.get().cloned().unwrap_or_else(TimeZone::system)
}

/// Today's date where the navigators are.
pub fn today() -> Date {
    local(now()).date()
}

/// `t` in the local zone.
pub fn local(t: Timestamp) -> ZonedDateTime {
    t.to_zoned_datetime(local_zone())
}

/// `t` as local text in the `strftime` format `format`.
pub fn local_text(t: Timestamp, format: &str) -> String {
    local(t).strftime(format).to_string()
}

/// A stored UTC time as local text in `format`; the text itself when it is not a time.
pub fn local_text_of(utc: &str, format: &str) -> String {
    utc.parse::<Timestamp>()
        .map(|t| local_text(t, format))
        .unwrap_or_else(|_| utc.to_string())
}

/// The first moment of a local date, as a UTC time.
pub fn start_of(date: Date) -> Option<Timestamp> {
    date.to_zoned_datetime(local_zone()).ok().map(|z| z.timestamp())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_zone_holds_unless_the_session_sets_tz() {
        let kathmandu = choose_zone(None, Some("Asia/Kathmandu"));
        assert_eq!(kathmandu.iana_name(), Some("Asia/Kathmandu"));
        assert_eq!(
            choose_zone(Some(""), Some(" Asia/Kathmandu ")).iana_name(),
            Some("Asia/Kathmandu")
        );
        let system = TimeZone::system();
        assert_eq!(
            choose_zone(Some("UTC"), Some("Asia/Kathmandu")).iana_name(),
            system.iana_name()
        );
        assert_eq!(choose_zone(None, Some("Not/AZone")).iana_name(), system.iana_name());
        assert_eq!(choose_zone(None, None).iana_name(), system.iana_name());
        // 23:30 UTC is already the next day in Kathmandu (UTC+5:45).
        let t: Timestamp = "2026-12-01T23:30:00Z".parse().unwrap();
        assert_eq!(
            t.to_zoned_datetime(kathmandu).strftime("%Y-%m-%d %H:%M").to_string(),
            "2026-12-02 05:15"
        );
    }
}
