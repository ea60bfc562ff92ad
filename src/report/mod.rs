//! Reports over casework, and de-identified exports: the figures funders and boards ask
//! for, computed from coded fields only (never a personal value).
//!
//! - [`needs`]: needs recorded on contacts, met and unmet, by category and municipality.
//! - [`outcomes`]: what follow-up calls found out.
//! - [`export`]: one row per need, for spreadsheets and statistics packages.
//! - [`format`]: the tables and CSV the CLI prints (the TUI draws its own).
//!
//! # Periods
//!
//! A [`Period`] is a range of local dates, inclusive on both ends, either end open. It
//! becomes a range of stored UTC times the way `contacts list --since` does it: `from` is
//! the local midnight starting that day, `to` the local midnight starting the day after
//! (exclusive). A contact is in a period by its `started_at`, an outcome by its
//! `completed_at`; follow-up due dates (local dates already) are compared as dates.
//!
//! # Percentages
//!
//! Every percentage comes with its numerator and denominator ([`Ratio`]). It is rounded
//! to one decimal, half away from zero, from integers (2 of 3 is 66.7); with nothing to
//! divide by it is `None` (JSON null), never 0.

pub mod export;
pub mod format;
pub mod needs;
pub mod outcomes;

use jiff::civil::Date;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

pub use export::{export_contacts, record_export, ExportCounts, ExportPersonal, ExportRow};
pub use needs::{needs_report, needs_report_by_office, MunicipalityNeeds, NeedCount, NeedsReport};
pub use outcomes::{outcomes_report, OutcomesReport};

use crate::casework::start_of_day;

/// Inclusive local dates; `None` leaves that end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A bad period: which end (`"from"` or `"to"`) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PeriodError {
    pub field: &'static str,
    pub message: String,
}

/// Stored UTC times sort as text; these bound every one of them.
const BEFORE_ALL: &str = "";
const AFTER_ALL: &str = "~";

impl Period {
    /// The whole history.
    pub fn all() -> Period {
        Period::default()
    }

    /// A period from dates written YYYY-MM-DD (blank: open). A bad date is an error on
    /// its end; `from` after `to` is an error on `from`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Period, PeriodError> {
        let date = |field: &'static str, text: Option<&str>| match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => crate::casework::check_date(t)
                .map(Some)
                .map_err(|message| PeriodError { field, message }),
        };
        let period = Period {
            from: date("from", from)?,
            to: date("to", to)?,
        };
        period.check()?;
        Ok(period)
    }

    /// `from` must not be after `to`.
    pub fn check(&self) -> Result<(), PeriodError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(PeriodError {
                field: "from",
                message: format!("{from} is after the end of the period ({to})"),
            }),
            _ => Ok(()),
        }
    }

    /// The stored-time range `[start, end)` (RFC 3339 UTC text) this period covers:
    /// local midnight starting `from`, local midnight starting the day after `to`.
    pub fn utc_bounds(&self) -> (String, String) {
        let start = self.from.map(start_of_day).unwrap_or_else(|| BEFORE_ALL.to_string());
        let end = match self.to.map(|d| d.tomorrow()) {
            Some(Ok(next)) => start_of_day(next),
            // No to, or the last day of the calendar: nothing stored is later.
            _ => AFTER_ALL.to_string(),
        };
        (start, end)
    }

    /// Whether a local date is in the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t)
    }
}

/// A share: `yes` of `of`. Serializes as `{"yes": n, "of": m}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub yes: u64,
    pub of: u64,
}

impl Ratio {
    pub fn new(yes: u64, of: u64) -> Ratio {
        Ratio { yes, of }
    }

    /// Counts one case into the denominator, and into the numerator when `hit`.
    pub fn count(&mut self, hit: bool) {
        self.of += 1;
        if hit {
            self.yes += 1;
        }
    }

    /// The percentage in tenths (667 for 2 of 3), rounded half away from zero; `None`
    /// when `of` is 0.
    pub fn tenths(&self) -> Option<u64> {
        if self.of == 0 {
            return None;
        }
        let (yes, of) = (u128::from(self.yes), u128::from(self.of));
        // yes / of * 1000, plus a half, floored: exact in integers.
        Some(((2 * yes * 1000 + of) / (2 * of)) as u64)
    }

    /// The percentage to one decimal (66.7 for 2 of 3); `None` when `of` is 0.
    pub fn pct(&self) -> Option<f64> {
        self.tenths().map(|t| t as f64 / 10.0)
    }

    /// "66.7% (2 of 3)", or "n/a (0 of 0)" when there is nothing to divide by.
    pub fn text(&self) -> String {
        format!(
            "{} ({} of {})",
            self.pct_text().unwrap_or_else(|| "n/a".into()),
            self.yes,
            self.of
        )
    }

    /// "66.7", from the integer tenths (no float formatting); `None` when `of` is 0.
    pub fn pct_text(&self) -> Option<String> {
        self.tenths().map(|t| format!("{}.{}%", t / 10, t % 10))
    }
}

/// Counts by code, in a fixed order (every known code present, zeros included).
/// Serializes as a JSON object in that order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(pub Vec<(String, u64)>);

impl Tally {
    /// Every code of `known` at zero.
    pub fn zeros(known: &[&str]) -> Tally {
        Tally(known.iter().map(|k| (k.to_string(), 0)).collect())
    }

    /// Adds one to `code`; a code not known yet is appended.
    pub fn add(&mut self, code: &str) {
        match self.0.iter_mut().find(|(k, _)| k == code) {
            Some((_, n)) => *n += 1,
            None => self.0.push((code.to_string(), 1)),
        }
    }

    /// The count of `code` (0 when absent).
    pub fn get(&self, code: &str) -> u64 {
        self.0.iter().find(|(k, _)| k == code).map_or(0, |(_, n)| *n)
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, n) in &self.0 {
            map.serialize_entry(k, n)?;
        }
        map.end()
    }
}

/// Municipality filter: case-insensitive, surrounding blanks ignored. `None` (or a
/// blank filter) matches every contact; a filter never matches a contact without one.
pub(crate) fn municipality_matches(filter: Option<&str>, municipality: Option<&str>) -> bool {
    match filter.map(str::trim).filter(|f| !f.is_empty()) {
        None => true,
        Some(f) => municipality.is_some_and(|m| fold(m) == fold(f)),
    }
}

/// A municipality name folded for comparison.
pub(crate) fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Serializes an optional date as "YYYY-MM-DD" or null.
pub(crate) fn date_or_null<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod store_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_away_from_zero_from_integers() {
        assert_eq!(Ratio::new(2, 3).pct(), Some(66.7));
        assert_eq!(Ratio::new(1, 3).pct(), Some(33.3));
        assert_eq!(Ratio::new(1, 16).pct(), Some(6.3)); // 6.25
        assert_eq!(Ratio::new(1, 8).pct(), Some(12.5));
        assert_eq!(Ratio::new(1, 2000).pct(), Some(0.1)); // 0.05
        assert_eq!(Ratio::new(1, 2001).pct(), Some(0.0)); // 0.04998
        assert_eq!(Ratio::new(3, 3).pct(), Some(100.0));
        assert_eq!(Ratio::new(0, 5).pct(), Some(0.0));
        assert_eq!(Ratio::new(0, 0).pct(), None);
        assert_eq!(Ratio::new(2, 3).text(), "66.7% (2 of 3)");
        assert_eq!(Ratio::new(3, 3).text(), "100.0% (3 of 3)");
        assert_eq!(Ratio::new(0, 0).text(), "n/a (0 of 0)");
        assert_eq!(Ratio::new(u64::MAX, u64::MAX).pct(), Some(100.0));
        assert_eq!(serde_json::to_string(&Ratio::new(2, 3)).unwrap(), r#"{"yes":2,"of":3}"#);
    }

    #[test]
    fn periods_parse_check_and_bound() {
        let p = Period::parse(Some("2026-01-01"), Some(" 2026-01-31 ")).unwrap();
        assert_eq!(p.from, Some("2026-01-01".parse().unwrap()));
        assert!(p.contains("2026-01-31".parse().unwrap()));
        assert!(!p.contains("2026-02-01".parse().unwrap()));
        assert_eq!(Period::parse(None, Some("")).unwrap(), Period::all());
        let e = Period::parse(Some("2026-02-01"), Some("2026-01-31")).unwrap_err();
        assert_eq!(e.field, "from");
        assert_eq!(Period::parse(Some("2026-02-30"), None).unwrap_err().field, "from");
        assert_eq!(Period::parse(None, Some("31/01/2026")).unwrap_err().field, "to");
        assert_eq!(Period::all().utc_bounds(), (String::new(), "~".to_string()));
        let last = Period {
            from: None,
            to: Some(Date::MAX),
        };
        assert_eq!(last.utc_bounds().1, "~");
    }

    #[test]
    fn tallies_keep_their_order_and_zeros() {
        let mut t = Tally::zeros(&["b", "a"]);
        t.add("a");
        t.add("a");
        t.add("z");
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"b":0,"a":2,"z":1}"#);
        assert_eq!(t.get("a"), 2);
        assert_eq!(t.get("q"), 0);
    }

    #[test]
    fn municipality_filter_folds_case() {
        assert!(municipality_matches(None, None));
        assert!(municipality_matches(Some(" "), None));
        assert!(municipality_matches(Some("sudbury"), Some("Sudbury")));
        assert!(municipality_matches(Some("GRAND-SAULT"), Some("Grand-Sault")));
        assert!(municipality_matches(Some("lévis"), Some("LÉVIS")));
        assert!(!municipality_matches(Some("Sudbury"), Some("Greater Sudbury")));
        assert!(!municipality_matches(Some("Sudbury"), None));
    }
}
