//! The needs report: contacts in a period, the needs recorded on them, met and unmet,
//! by category, by reason not met and by municipality.
//!
//! Definitions:
//! - A contact is in the period by its `started_at` (see [`super::Period`]); with a
//!   municipality filter, only contacts whose municipality equals it, ignoring case.
//! - `contacts_with_needs`: contacts with at least one need recorded; `tracked` is that
//!   over `contacts` (every contact saved through navigator has one, so 100% unless data
//!   came in some other way).
//! - `needs`: one entry per category recorded in the period: needs in total, met, unmet;
//!   largest total first, ties by category slug.
//! - `unmet_reasons`: unmet needs by reason, every reason of
//!   [`crate::casework::UNMET_REASONS`] present, in that order, zeros included.
//! - `by_municipality`: contacts, needs and unmet needs per municipality, most contacts
//!   first, ties by name (contacts without a municipality last among equals, as `null`).
//!   Spellings that differ only by case are one municipality, named as most of its
//!   contacts spell it (ties: the first in text order).

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;

use super::{date_or_null, fold, municipality_matches, Period, Ratio, Tally};
use crate::casework::UNMET_REASONS;
use crate::store::{Store, StoreError};

/// The needs report. Field names are the JSON `report needs --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedsReport {
    /// Contacts in the period (and municipality).
    pub contacts: u64,
    /// Of those, contacts with at least one need recorded.
    pub contacts_with_needs: u64,
    /// `tracked` as a percentage; null when there were no contacts.
    pub tracked_pct: Option<f64>,
    /// contacts_with_needs of contacts.
    pub tracked: Ratio,
    /// By category, largest total first, ties by category.
    pub needs: Vec<NeedCount>,
    /// Unmet needs by reason: every reason, zeros included.
    pub unmet_reasons: Tally,
    /// Most contacts first; `municipality` null for contacts without one.
    pub by_municipality: Vec<MunicipalityNeeds>,
    /// The office these figures cover when the report is split by office (`--by office`;
    /// null for contacts recorded without one); null for a report of every office.
    pub office: Option<String>,
    #[serde(serialize_with = "date_or_null")]
    pub from: Option<Date>,
    #[serde(serialize_with = "date_or_null")]
    pub to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedCount {
    /// The category slug (`food`, `housing`, ...).
    pub category: String,
    pub total: u64,
    pub met: u64,
    pub unmet: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityNeeds {
    /// None for contacts recorded without a municipality.
    pub municipality: Option<String>,
    pub contacts: u64,
    /// Needs recorded on those contacts.
    pub needs: u64,
    /// Of those, needs not met.
    pub unmet: u64,
}

/// One need row (or a contact without needs: `category` None).
type Row = crate::store::NeedRow;

/// The needs report for `period`, only contacts in `municipality` when given (case does
/// not matter). Reads coded fields only.
pub fn needs_report(store: &Store, period: &Period, municipality: Option<&str>) -> Result<NeedsReport, StoreError> {
    Ok(compute(&read_rows(store, period, municipality)?, period))
}

/// The needs report split by office: one report per office with contacts in the period,
/// by office name, contacts recorded without an office last.
pub fn needs_report_by_office(
    store: &Store,
    period: &Period,
    municipality: Option<&str>,
) -> Result<Vec<NeedsReport>, StoreError> {
    let mut offices: BTreeMap<(bool, String), Vec<Row>> = BTreeMap::new();
    for row in read_rows(store, period, municipality)? {
        let key = (row.office.is_none(), row.office.clone().unwrap_or_default());
        offices.entry(key).or_default().push(row);
    }
    Ok(offices
        .into_iter()
        .map(|((none, office), rows)| NeedsReport {
            office: (!none).then_some(office),
            ..compute(&rows, period)
        })
        .collect())
}

fn read_rows(store: &Store, period: &Period, municipality: Option<&str>) -> Result<Vec<Row>, StoreError> {
    let (start, end) = period.utc_bounds();
    let rows = store.read(|tx| tx.need_rows(&start, &end))?;
    Ok(rows
        .into_iter()
        .filter(|r| municipality_matches(municipality, r.municipality.as_deref()))
        .collect())
}

/// Per municipality (folded name, or None), while counting.
#[derive(Default)]
struct Place {
    contacts: u64,
    needs: u64,
    unmet: u64,
    /// Spelling -> contacts spelling it so.
    spellings: BTreeMap<String, u64>,
}

fn compute(rows: &[Row], period: &Period) -> NeedsReport {
    let mut contacts = 0u64;
    let mut with_needs = 0u64;
    let mut categories: HashMap<&str, NeedCount> = HashMap::new();
    let mut reasons = Tally::zeros(UNMET_REASONS);
    let mut places: HashMap<Option<String>, Place> = HashMap::new();
    let mut last_contact = None;
    for row in rows {
        let key = row.municipality.as_deref().map(fold);
        let place = places.entry(key).or_default();
        if last_contact != Some(row.contact_id) {
            last_contact = Some(row.contact_id);
            contacts += 1;
            place.contacts += 1;
            if let Some(m) = &row.municipality {
                *place.spellings.entry(m.clone()).or_default() += 1;
            }
            if row.category.is_some() {
                with_needs += 1;
            }
        }
        let Some(category) = row.category.as_deref() else {
            continue;
        };
        let count = categories.entry(category).or_insert_with(|| NeedCount {
            category: category.to_string(),
            total: 0,
            met: 0,
            unmet: 0,
        });
        count.total += 1;
        place.needs += 1;
        if row.met {
            count.met += 1;
        } else {
            count.unmet += 1;
            place.unmet += 1;
            reasons.add(row.unmet_reason.as_deref().unwrap_or("other"));
        }
    }

    let mut needs: Vec<NeedCount> = categories.into_values().collect();
    needs.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.category.cmp(&b.category)));

    let mut by_municipality: Vec<MunicipalityNeeds> = places
        .into_values()
        .map(|p| MunicipalityNeeds {
            // The spelling most contacts used; BTreeMap order breaks ties.
            municipality: p
                .spellings
                .iter()
                .rev()
                .max_by_key(|(_, n)| **n)
                .map(|(name, _)| name.clone()),
            contacts: p.contacts,
            needs: p.needs,
            unmet: p.unmet,
        })
        .collect();
    by_municipality.sort_by(|a, b| {
        b.contacts
            .cmp(&a.contacts)
            .then_with(|| a.municipality.is_none().cmp(&b.municipality.is_none()))
            .then_with(|| a.municipality.cmp(&b.municipality))
    });

    let tracked = Ratio::new(with_needs, contacts);
    NeedsReport {
        contacts,
        contacts_with_needs: with_needs,
        tracked_pct: tracked.pct(),
        tracked,
        needs,
        unmet_reasons: reasons,
        by_municipality,
        office: None,
        from: period.from,
        to: period.to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, municipality: Option<&str>, need: Option<(&str, Option<&str>)>) -> Row {
        Row {
            contact_id: id,
            municipality: municipality.map(String::from),
            office: None,
            category: need.map(|(c, _)| c.to_string()),
            met: need.is_some_and(|(_, reason)| reason.is_none()),
            unmet_reason: need.and_then(|(_, r)| r.map(String::from)),
        }
    }

    #[test]
    fn counts_sort_and_group_case_insensitively() {
        let rows = vec![
            row(1, Some("Sudbury"), Some(("food", None))),
            row(1, Some("Sudbury"), Some(("housing", Some("waitlist")))),
            row(2, Some("sudbury"), Some(("housing", Some("cost")))),
            row(3, Some("Sudbury"), Some(("food", None))),
            row(4, None, Some(("legal", Some("waitlist")))),
            row(5, Some("Kenora"), None),
        ];
        let r = compute(&rows, &Period::all());
        assert_eq!((r.contacts, r.contacts_with_needs), (5, 4));
        assert_eq!(r.tracked, Ratio::new(4, 5));
        assert_eq!(r.tracked_pct, Some(80.0));
        let needs: Vec<(&str, u64, u64, u64)> = r
            .needs
            .iter()
            .map(|n| (n.category.as_str(), n.total, n.met, n.unmet))
            .collect();
        assert_eq!(needs, [("food", 2, 2, 0), ("housing", 2, 0, 2), ("legal", 1, 0, 1)]);
        assert_eq!(r.unmet_reasons.get("waitlist"), 2);
        assert_eq!(r.unmet_reasons.get("cost"), 1);
        assert_eq!(r.unmet_reasons.0.len(), UNMET_REASONS.len());
        let places: Vec<(Option<&str>, u64, u64, u64)> = r
            .by_municipality
            .iter()
            .map(|m| (m.municipality.as_deref(), m.contacts, m.needs, m.unmet))
            .collect();
        assert_eq!(
            places,
            [(Some("Sudbury"), 3, 4, 2), (Some("Kenora"), 1, 0, 0), (None, 1, 1, 1)]
        );
    }

    #[test]
    fn nothing_in_the_period_gives_null_percentages() {
        let r = compute(&[], &Period::all());
        assert_eq!(r.contacts, 0);
        assert_eq!(r.tracked_pct, None);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["tracked_pct"], serde_json::Value::Null);
        assert_eq!(json["tracked"], serde_json::json!({"yes": 0, "of": 0}));
        assert_eq!(json["from"], serde_json::Value::Null);
    }
}
