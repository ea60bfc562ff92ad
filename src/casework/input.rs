//! What a navigator records about one contact, as the form and `contacts add --json` give
//! it, and its validation. One code path: [`normalize`] checks every field and returns the
//! values to store; [`validate`] is its error list, for the form.

use std::collections::HashMap;
use std::fmt;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::checks::*;

/// One contact as entered. Mirrors the JSON `contacts add --json` reads; unknown fields
/// are an error. Blank strings count as absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default)]
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// A Canadian FSA (kept for input written before `postal_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_fsa: Option<String>,
    /// The postal area as the office's country keeps it (`[casework] country`): an FSA
    /// ("P3A") in Canada, a five-digit ZIP ("20001") in the US.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_group: Option<String>,
    #[serde(default)]
    pub needs: Vec<NeedInput>,
    /// Service ids, in the order they were given to the caller.
    #[serde(default)]
    pub referrals: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// RFC 3339; defaults to the end time (or now) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// RFC 3339; defaults to now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    #[serde(default)]
    pub category: String,
    pub met: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmet_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    /// The caller agreed to be called back. Without it no personal detail is kept.
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_time: Option<String>,
}

/// One problem with one field: `field` is a path such as `needs[1].unmet_reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A contact that passed validation, with every value normalized for storage.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidContact {
    pub channel: String,
    pub language: Option<String>,
    pub municipality: Option<String>,
    /// Canada only: the FSA (the older column, kept filled).
    pub postal_fsa: Option<String>,
    /// The postal area for the office's country.
    pub postal_code: Option<String>,
    pub age_group: Option<String>,
    pub needs: Vec<ValidNeed>,
    pub referrals: Vec<String>,
    pub follow_up: Option<ValidFollowUp>,
    pub notes: Option<String>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidNeed {
    pub category: String,
    pub taxonomy_code: Option<String>,
    pub met: bool,
    pub unmet_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidFollowUp {
    pub due: Date,
    pub first_name: String,
    pub phone: String,
    pub best_time: Option<String>,
}

/// What validation needs beyond the input itself: the office's country (postal codes) and
/// the catalogue's municipalities (`None`: not checked, as in tests of other rules).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    pub country: Country,
    pub places: Option<Vec<String>>,
}

/// Every problem with `input`, in field order; empty when it can be saved.
/// `service_exists` answers whether a referred service id is in the catalogue.
pub fn validate(input: &ContactInput, today: Date, service_exists: &dyn Fn(&str) -> bool) -> Vec<FieldError> {
    validate_with(input, today, service_exists, &Rules::default())
}

/// [`validate`] with the office's rules.
pub fn validate_with(
    input: &ContactInput,
    today: Date,
    service_exists: &dyn Fn(&str) -> bool,
    rules: &Rules,
) -> Vec<FieldError> {
    normalize_with(input, today, service_exists, rules)
        .err()
        .unwrap_or_default()
}

/// Checks every field and returns the values to store, or every problem found.
pub fn normalize(
    input: &ContactInput,
    today: Date,
    service_exists: &dyn Fn(&str) -> bool,
) -> Result<ValidContact, Vec<FieldError>> {
    normalize_with(input, today, service_exists, &Rules::default())
}

/// [`normalize`] with the office's rules: postal codes of its country, municipalities of
/// its catalogue.
pub fn normalize_with(
    input: &ContactInput,
    today: Date,
    service_exists: &dyn Fn(&str) -> bool,
    rules: &Rules,
) -> Result<ValidContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut check = |field: &str, r: Result<String, String>| match r {
        Ok(v) => Some(v),
        Err(m) => {
            errors.push(FieldError::new(field, m));
            None
        }
    };

    let channel = check("channel", check_channel(&input.channel));
    let language = present(&input.language).and_then(|v| check("language", check_language(v)));
    let municipality = present(&input.municipality).and_then(|v| {
        let checked = match &rules.places {
            Some(places) => check_place(v, places),
            None => check_municipality(v),
        };
        check("municipality", checked)
    });
    // postal_code is the field for any country; postal_fsa, for Canada, is still read.
    let postal_code = match (present(&input.postal_code), present(&input.postal_fsa)) {
        (Some(v), _) => check("postal_code", check_postal(v, rules.country)),
        (None, Some(v)) if rules.country == Country::Canada => check("postal_fsa", check_fsa(v)),
        (None, Some(_)) => check(
            "postal_fsa",
            Err("an FSA is Canadian: this office keeps US ZIP codes, in postal_code".into()),
        ),
        (None, None) => None,
    };
    let postal_fsa = postal_code.clone().filter(|_| rules.country == Country::Canada);
    let age_group = present(&input.age_group).and_then(|v| check("age_group", check_age_group(v)));

    let mut needs = Vec::new();
    if input.needs.is_empty() {
        errors.push(FieldError::new("needs", "at least one need is required"));
    }
    if input.needs.len() > MAX_NEEDS {
        errors.push(FieldError::new(
            "needs",
            format!("at most {MAX_NEEDS} needs ({} given)", input.needs.len()),
        ));
    }
    if input.referrals.len() > MAX_REFERRALS {
        errors.push(FieldError::new(
            "referrals",
            format!("at most {MAX_REFERRALS} referrals ({} given)", input.referrals.len()),
        ));
    }
    for (i, need) in input.needs.iter().enumerate().take(MAX_NEEDS) {
        let mut check = |field: &str, r: Result<String, String>| match r {
            Ok(v) => Some(v),
            Err(m) => {
                errors.push(FieldError::new(format!("needs[{i}].{field}"), m));
                None
            }
        };
        let category = check("category", check_category(&need.category));
        let taxonomy_code = present(&need.taxonomy_code).and_then(|v| check("taxonomy_code", check_taxonomy_code(v)));
        let unmet_reason = match (need.met, present(&need.unmet_reason)) {
            (true, None) => None,
            (true, Some(_)) => check(
                "unmet_reason",
                Err("only for a need that was not met (met is true)".into()),
            ),
            (false, None) => check(
                "unmet_reason",
                Err(format!(
                    "required when the need was not met, expected one of {}",
                    UNMET_REASONS.join(", ")
                )),
            ),
            (false, Some(v)) => check("unmet_reason", check_unmet_reason(v)),
        };
        if let Some(category) = category {
            needs.push(ValidNeed {
                category,
                taxonomy_code,
                met: need.met,
                unmet_reason,
            });
        }
    }

    let mut referrals: Vec<String> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, id) in input.referrals.iter().enumerate().take(MAX_REFERRALS) {
        let field = format!("referrals[{i}]");
        let id = match check_service_id(id) {
            Ok(id) => id,
            Err(m) => {
                errors.push(FieldError::new(field, m));
                continue;
            }
        };
        let id = id.as_str();
        if let Some(first) = seen.get(id) {
            errors.push(FieldError::new(
                field,
                format!("{id:?} is already referred at referrals[{first}]"),
            ));
        } else if !service_exists(id) {
            seen.insert(id.to_string(), i);
            errors.push(FieldError::new(field, format!("no service with id {id:?}")));
        } else {
            seen.insert(id.to_string(), i);
            referrals.push(id.to_string());
        }
    }

    let follow_up = input.follow_up.as_ref().and_then(|f| follow_up(f, today, &mut errors));

    let notes = present(&input.notes).and_then(|v| match check_notes(v) {
        Ok(v) => Some(v),
        Err(m) => {
            errors.push(FieldError::new("notes", m));
            None
        }
    });

    let mut time = |field: &str, value: &Option<String>| {
        present(value).and_then(|v| match check_contact_time(v) {
            Ok(t) => Some(t),
            Err(m) => {
                errors.push(FieldError::new(field, m));
                None
            }
        })
    };
    let started_at = time("started_at", &input.started_at);
    let ended_at = time("ended_at", &input.ended_at);
    if let (Some(s), Some(e)) = (started_at, ended_at) {
        if e < s {
            errors.push(FieldError::new("ended_at", "must not be before started_at"));
        }
    }

    match channel {
        Some(channel) if errors.is_empty() => Ok(ValidContact {
            channel,
            language,
            municipality,
            postal_fsa,
            postal_code,
            age_group,
            needs,
            referrals,
            follow_up,
            notes,
            started_at,
            ended_at,
        }),
        _ => Err(errors),
    }
}

fn follow_up(f: &FollowUpInput, today: Date, errors: &mut Vec<FieldError>) -> Option<ValidFollowUp> {
    let due = present(&f.due);
    let first_name = present(&f.first_name);
    let phone = present(&f.phone);
    let best_time = present(&f.best_time);
    if !f.consent {
        let personal = [
            ("due", due),
            ("first_name", first_name),
            ("phone", phone),
            ("best_time", best_time),
        ];
        for (field, value) in personal {
            if value.is_some() {
                errors.push(FieldError::new(
                    format!("follow_up.{field}"),
                    "a follow-up and its personal details need the caller's consent \
                     (follow_up.consent is false)",
                ));
            }
        }
        return None;
    }
    let mut fail = |field: &str, m: String| {
        errors.push(FieldError::new(format!("follow_up.{field}"), m));
    };
    let due = match due {
        None => {
            fail("due", "required, a date written YYYY-MM-DD".into());
            None
        }
        Some(v) => check_due(v, today).map_err(|m| fail("due", m)).ok(),
    };
    let first_name = check_first_name(first_name.unwrap_or(""))
        .map_err(|m| fail("first_name", m))
        .ok();
    let phone = match phone {
        None => {
            fail(
                "phone",
                "required for a follow-up, a 10-digit number such as 705-555-0142".into(),
            );
            None
        }
        Some(v) => check_phone(v).map_err(|m| fail("phone", m)).ok(),
    };
    let best_time = best_time.and_then(|v| check_best_time(v).map_err(|m| fail("best_time", m)).ok());
    Some(ValidFollowUp {
        due: due?,
        first_name: first_name?,
        phone: phone?,
        best_time,
    })
}

/// The value, unless absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
