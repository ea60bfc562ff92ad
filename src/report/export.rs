//! De-identified exports: one row per need, with the contact's coded fields.
//!
//! Kept: contact id, the local date the contact started (not the time), channel,
//! language, municipality, postal FSA, age group; the need's category, met, reason not
//! met and taxonomy code; the ids of the services referred; the follow-up's state and the
//! outcome's result when there are any. Left out: first names, phones, best times, notes
//! and any other free text, and the navigator's user name (staff data).
//!
//! With personal data (for users listed in `[privacy] personal_data_readers`), each row
//! also carries the caller's first name, phone and notes; null once purged.
//!
//! A contact without needs (not possible through navigator, but the schema allows it)
//! still gets one row, with the need fields empty.

use jiff::Timestamp;
use serde::Serialize;

use super::Period;
use crate::casework::utc_text;
use crate::store::{Store, StoreError};

/// One exported row: a need with its contact's coded fields. Field names are the JSON
/// Lines keys and the CSV header (see [`ExportRow::CSV_HEADER`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub contact_id: i64,
    /// The local date the contact started, YYYY-MM-DD (no time of day).
    pub started_at: String,
    pub channel: String,
    pub language: Option<String>,
    pub municipality: Option<String>,
    pub postal_fsa: Option<String>,
    pub age_group: Option<String>,
    /// None only for a contact without needs.
    pub category: Option<String>,
    pub met: Option<bool>,
    pub unmet_reason: Option<String>,
    pub taxonomy_code: Option<String>,
    /// Service ids referred on the contact, in order (CSV: joined with ";").
    pub referrals: Vec<String>,
    /// scheduled, claimed, completed, unreachable or cancelled; None without a follow-up.
    pub followup_state: Option<String>,
    /// reached, no-answer, left-message or wrong-number once the follow-up is closed by a
    /// call; None before.
    #[serde(serialize_with = "crate::slug::ser_opt")]
    pub outcome_result: Option<String>,
    /// Only with personal data.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub personal: Option<ExportPersonal>,
}

/// The personal columns, only for users allowed to read personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportPersonal {
    pub first_name: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

impl ExportRow {
    /// The CSV columns, in order; personal ones are appended with personal data.
    pub const CSV_HEADER: &'static [&'static str] = &[
        "contact_id",
        "started_at",
        "channel",
        "language",
        "municipality",
        "postal_fsa",
        "age_group",
        "category",
        "met",
        "unmet_reason",
        "taxonomy_code",
        "referrals",
        "followup_state",
        "outcome_result",
    ];
    pub const CSV_PERSONAL: &'static [&'static str] = &["first_name", "phone", "notes"];

    /// The CSV cells, in header order: absent values empty, booleans true/false.
    pub fn csv_record(&self) -> Vec<String> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut cells = vec![
            self.contact_id.to_string(),
            self.started_at.clone(),
            self.channel.clone(),
            text(&self.language),
            text(&self.municipality),
            text(&self.postal_fsa),
            text(&self.age_group),
            text(&self.category),
            self.met.map(|m| m.to_string()).unwrap_or_default(),
            text(&self.unmet_reason),
            text(&self.taxonomy_code),
            self.referrals.join(";"),
            text(&self.followup_state),
            text(&self.outcome_result.as_deref().map(crate::slug::kebab)),
        ];
        if let Some(p) = &self.personal {
            cells.extend([text(&p.first_name), text(&p.phone), text(&p.notes)]);
        }
        cells
    }
}

/// What an export held, for the audit trail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub contacts: u64,
    pub rows: u64,
}

impl ExportCounts {
    pub fn of(rows: &[ExportRow]) -> ExportCounts {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.contact_id).collect();
        ids.dedup();
        ExportCounts {
            contacts: ids.len() as u64,
            rows: rows.len() as u64,
        }
    }
}

/// The export rows of contacts started in `period`, oldest contact first, needs in the
/// order recorded. Personal columns only `with_personal_data`: the caller checks that
/// the user may read them.
pub fn export_contacts(store: &Store, period: &Period, with_personal_data: bool) -> Result<Vec<ExportRow>, StoreError> {
    let (start, end) = period.utc_bounds();
    let (referrals, rows) = store.read(|tx| {
        Ok((
            tx.referrals_in(&start, &end)?,
            tx.export_rows(&start, &end, with_personal_data)?,
        ))
    })?;
    Ok(rows
        .into_iter()
        .map(|r| ExportRow {
            contact_id: r.contact_id,
            started_at: local_date(&r.started_at),
            channel: r.channel,
            language: r.language,
            municipality: r.municipality,
            postal_fsa: r.postal_fsa,
            age_group: r.age_group,
            category: r.category,
            met: r.met,
            unmet_reason: r.unmet_reason,
            taxonomy_code: r.taxonomy_code,
            referrals: referrals.get(&r.contact_id).cloned().unwrap_or_default(),
            followup_state: r.followup_state,
            outcome_result: r.outcome_result,
            personal: r.personal.map(|(first_name, phone, notes)| ExportPersonal {
                first_name,
                phone,
                notes,
            }),
        })
        .collect())
}

/// A stored UTC time's local date, YYYY-MM-DD; the text's first ten characters when it
/// is not a time.
fn local_date(utc: &str) -> String {
    match utc.parse::<Timestamp>() {
        Ok(t) => crate::clock::local(t).date().to_string(),
        Err(_) => utc.chars().take(10).collect(),
    }
}

/// Audits an export by `user`: `export.contacts` with its counts ("contacts=3 rows=5"),
/// and `export.personal` too when it held personal data. Counts only, one transaction.
pub fn record_export(
    store: &mut Store,
    user: &str,
    counts: ExportCounts,
    personal: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    let now = utc_text(now);
    let record = format!("contacts={} rows={}", counts.contacts, counts.rows);
    store.write(|tx| {
        tx.audit(&now, user, "export.contacts", &record)?;
        if personal {
            tx.audit(&now, user, "export.personal", &record)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> ExportRow {
        ExportRow {
            contact_id: id,
            started_at: "2026-01-15".into(),
            channel: "phone".into(),
            language: None,
            municipality: Some("Sudbury".into()),
            postal_fsa: None,
            age_group: None,
            category: Some("food".into()),
            met: Some(false),
            unmet_reason: Some("cost".into()),
            taxonomy_code: None,
            referrals: vec!["a".into(), "b".into()],
            followup_state: None,
            outcome_result: None,
            personal: None,
        }
    }

    #[test]
    fn rows_serialize_without_personal_keys_unless_asked() {
        let json = serde_json::to_value(row(1)).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), ExportRow::CSV_HEADER.len());
        assert!(!keys.contains(&"first_name"));
        assert_eq!(json["referrals"], serde_json::json!(["a", "b"]));
        let cells = row(1).csv_record();
        assert_eq!(cells.len(), ExportRow::CSV_HEADER.len());
        assert_eq!(cells[8], "false");
        assert_eq!(cells[11], "a;b");
        let mut personal = row(1);
        personal.personal = Some(ExportPersonal {
            first_name: Some("Ana".into()),
            phone: None,
            notes: None,
        });
        let json = serde_json::to_value(&personal).unwrap();
        assert_eq!(json["first_name"], "Ana");
        assert_eq!(json["phone"], serde_json::Value::Null);
        assert_eq!(personal.csv_record().len(), 17);
        assert_eq!(
            ExportCounts::of(&[row(1), row(1), row(2)]),
            ExportCounts { contacts: 2, rows: 3 }
        );
    }
}
