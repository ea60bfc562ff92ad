//! Contacts as stored and printed: the rows the store hands back. Field names are the JSON the CLI prints; fields are only
//! ever added. Only [`ContactRecord::personal`] carries personal values.

use serde::{Deserialize, Serialize};

/// A saved contact's coded fields: what `contacts add` prints. No personal values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedContact {
    pub id: i64,
    /// RFC 3339 UTC, to the second.
    pub started_at: String,
    pub ended_at: String,
    /// The OS user who recorded the contact.
    pub navigator: String,
    pub channel: String,
    pub language: Option<String>,
    pub municipality: Option<String>,
    pub postal_fsa: Option<String>,
    /// The postal area in the office's country's form: an FSA or a five-digit ZIP.
    pub postal_code: Option<String>,
    pub age_group: Option<String>,
    /// The office the contact was taken at (`office` in config.toml); None before offices.
    pub office: Option<String>,
    pub needs: Vec<Need>,
    pub referrals: Vec<Referral>,
    pub follow_up: Option<FollowUp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub category: String,
    pub taxonomy_code: Option<String>,
    pub met: bool,
    pub unmet_reason: Option<String>,
}

/// A referral with the service as it was when referred (the catalogue changes later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub service_id: String,
    pub name: String,
    /// Every phone, joined with "; ".
    pub phone: Option<String>,
    /// One line.
    pub address: Option<String>,
    /// "Mon 9:00-17:00; Tue closed; ..."; None when the service listed no hours.
    pub hours: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: i64,
    /// YYYY-MM-DD
    pub due: String,
    pub state: String,
}

/// One line of `contacts list`. No personal values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSummary {
    pub id: i64,
    pub started_at: String,
    pub navigator: String,
    pub channel: String,
    pub municipality: Option<String>,
    pub office: Option<String>,
    /// Category slugs, in the order recorded.
    pub needs: Vec<String>,
    /// How many needs were not met.
    pub unmet: usize,
    /// How many services were referred.
    pub referrals: usize,
    pub follow_up: Option<FollowUp>,
}

/// The whole contact, for `contacts show`: coded fields, and personal data kept apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    #[serde(flatten)]
    pub contact: SavedContact,
    pub created_at: String,
    /// Personal data (purged on a retention schedule); None when there was none, or once
    /// it was purged.
    pub personal: Option<Personal>,
    /// When the personal data was purged (RFC 3339 UTC); None while it is kept.
    pub personal_purged_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personal {
    pub first_name: Option<String>,
    pub phone: Option<String>,
    pub best_time: Option<String>,
    pub notes: Option<String>,
}

/// A not-reached call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// RFC 3339 UTC.
    pub at: String,
    /// The navigator who called.
    pub by: String,
    /// no-answer, left-message or wrong-number (stored with underscores, shown kebab-case).
    #[serde(serialize_with = "crate::slug::ser")]
    pub result: String,
}

/// A recorded outcome: the reached call's answers, or how an unreachable one ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOutcome {
    pub reached: bool,
    #[serde(serialize_with = "crate::slug::ser")]
    pub result: String,
    pub referrals: Vec<ReferralOutcome>,
    pub better_prepared: Option<bool>,
    #[serde(serialize_with = "crate::slug::ser_opt")]
    pub health_improved: Option<String>,
    #[serde(serialize_with = "crate::slug::ser_opt")]
    pub satisfaction: Option<String>,
    pub would_call_again: Option<bool>,
    pub completed_at: String,
    pub completed_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralOutcome {
    pub service_id: String,
    pub contacted: bool,
    pub got_help: String,
    #[serde(serialize_with = "crate::slug::ser_opt")]
    pub barrier: Option<String>,
}
