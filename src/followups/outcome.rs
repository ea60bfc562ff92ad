//! What a navigator records when a follow-up call is made: the JSON `followups complete
//! --json` reads and the TUI outcome form builds, and its validation. One code path:
//! [`normalize_outcome`] checks every field and returns the values to store;
//! [`validate_outcome`] is its error list, for the form. Messages never repeat notes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::casework::{check_notes, FieldError};

/// How the call went. `reached` is the only one that completes a follow-up.
pub const RESULTS: &[&str] = &["reached", "no_answer", "left_message", "wrong_number"];
/// Results of a call that did not reach the caller.
pub const NOT_REACHED_RESULTS: &[&str] = &["no_answer", "left_message", "wrong_number"];
/// Whether the caller got help from a referred service.
pub const GOT_HELP: &[&str] = &["yes", "partly", "no", "waitlisted"];
/// Why a referral did not work out.
pub const BARRIERS: &[&str] = &[
    "eligibility",
    "cost",
    "transportation",
    "waitlist",
    "no_answer",
    "language",
    "hours",
    "other",
];
/// Whether the caller's health improved; `not_applicable` is also written as null.
pub const HEALTH_IMPROVED: &[&str] = &["yes", "no", "not_applicable"];
/// How satisfied the caller was with the help from 211.
pub const SATISFACTION: &[&str] = &[
    "very_satisfied",
    "satisfied",
    "neutral",
    "dissatisfied",
    "very_dissatisfied",
];

/// One follow-up call as entered. Unknown fields are an error; blank strings count as
/// absent. Reached: `{"reached":true,"referrals":[...],"better_prepared":true,
/// "health_improved":null,"satisfaction":"satisfied","would_call_again":true,"notes":"..."}`;
/// not reached: `{"reached":false,"result":"no_answer"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    pub reached: bool,
    /// Required when not reached: one of [`NOT_REACHED_RESULTS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// One answer per service the caller was referred to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<ReferralOutcomeInput>,
    /// Did 211 leave the caller better prepared to meet their need?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better_prepared: Option<bool>,
    /// true, false, or null / "not_applicable"; also "yes" / "no".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_improved: Option<HealthImproved>,
    /// One of [`SATISFACTION`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub would_call_again: Option<bool>,
    /// Free text; personal, kept apart and purged with the caller's details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `health_improved` as given: a boolean or a word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HealthImproved {
    Answer(bool),
    Text(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralOutcomeInput {
    #[serde(default)]
    pub service_id: String,
    /// Did the caller contact the service? Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacted: Option<bool>,
    /// One of [`GOT_HELP`]. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub got_help: Option<String>,
    /// One of [`BARRIERS`]; required when the caller did not contact the service or got
    /// no help (`no`, `waitlisted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barrier: Option<String>,
}

/// An outcome that passed validation, normalized for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOutcome {
    pub reached: bool,
    /// `reached`, or the not-reached result.
    pub result: &'static str,
    pub referrals: Vec<ValidReferralOutcome>,
    pub better_prepared: Option<bool>,
    /// `yes`, `no` or `not_applicable` when reached; None when not.
    pub health_improved: Option<&'static str>,
    pub satisfaction: Option<&'static str>,
    pub would_call_again: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReferralOutcome {
    pub service_id: String,
    pub contacted: bool,
    pub got_help: &'static str,
    pub barrier: Option<&'static str>,
}

/// Every problem with `input`, in field order; empty when it can be saved.
/// `referred_service_ids` are the services the contact was referred to.
pub fn validate_outcome(input: &OutcomeInput, referred_service_ids: &[String]) -> Vec<FieldError> {
    normalize_outcome(input, referred_service_ids).err().unwrap_or_default()
}

/// Checks every field and returns the values to store, or every problem found.
pub fn normalize_outcome(
    input: &OutcomeInput,
    referred_service_ids: &[String],
) -> Result<ValidOutcome, Vec<FieldError>> {
    let mut errors = Vec::new();
    let result = if input.reached {
        match present(&input.result) {
            None => Some("reached"),
            Some(v) if v.trim().eq_ignore_ascii_case("reached") => Some("reached"),
            Some(_) => {
                errors.push(FieldError::new(
                    "result",
                    "only \"reached\" when the caller was reached (reached is true)",
                ));
                None
            }
        }
    } else {
        match present(&input.result) {
            None => {
                errors.push(FieldError::new(
                    "result",
                    format!(
                        "required when the caller was not reached, {}",
                        one_of(NOT_REACHED_RESULTS)
                    ),
                ));
                None
            }
            Some(v) => choice(v, NOT_REACHED_RESULTS)
                .map_err(|m| errors.push(FieldError::new("result", m)))
                .ok(),
        }
    };

    let mut referrals = Vec::new();
    if input.reached {
        referrals = referral_answers(&input.referrals, referred_service_ids, &mut errors);
    } else {
        not_when_unreached(input, &mut errors);
    }

    let health_improved = match (&input.health_improved, input.reached) {
        (_, false) => None,
        (None, true) => Some("not_applicable"),
        (Some(HealthImproved::Answer(true)), true) => Some("yes"),
        (Some(HealthImproved::Answer(false)), true) => Some("no"),
        (Some(HealthImproved::Text(t)), true) if t.trim().is_empty() => Some("not_applicable"),
        (Some(HealthImproved::Text(t)), true) => choice(t, HEALTH_IMPROVED)
            .map_err(|m| {
                errors.push(FieldError::new(
                    "health_improved",
                    format!("{m}, or true, false or null"),
                ))
            })
            .ok(),
    };
    let satisfaction = match present(&input.satisfaction) {
        Some(v) if input.reached => choice(v, SATISFACTION)
            .map_err(|m| errors.push(FieldError::new("satisfaction", m)))
            .ok(),
        _ => None,
    };
    let notes = present(&input.notes).and_then(|v| {
        check_notes(v)
            .map_err(|m| errors.push(FieldError::new("notes", m)))
            .ok()
    });

    match result {
        Some(result) if errors.is_empty() => Ok(ValidOutcome {
            reached: input.reached,
            result,
            referrals,
            better_prepared: input.better_prepared.filter(|_| input.reached),
            health_improved,
            satisfaction,
            would_call_again: input.would_call_again.filter(|_| input.reached),
            notes,
        }),
        _ => Err(errors),
    }
}

/// The answers about each referral of a reached caller; every referral needs one.
fn referral_answers(
    answers: &[ReferralOutcomeInput],
    referred: &[String],
    errors: &mut Vec<FieldError>,
) -> Vec<ValidReferralOutcome> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let most = crate::casework::checks::MAX_REFERRALS;
    if answers.len() > most {
        errors.push(FieldError::new(
            "referrals",
            format!("at most {most} answers ({} given)", answers.len()),
        ));
    }
    for (i, r) in answers.iter().enumerate().take(most) {
        let mut fail = |field: &str, m: String| {
            errors.push(FieldError::new(format!("referrals[{i}].{field}"), m));
        };
        let id = r.service_id.trim();
        let mut id_ok = false;
        if id.is_empty() {
            fail("service_id", "required, a service the caller was referred to".into());
        } else if let Some(first) = seen.get(id) {
            fail(
                "service_id",
                format!("{id:?} is already answered at referrals[{first}]"),
            );
        } else if !referred.iter().any(|s| s == id) {
            let expected = if referred.is_empty() {
                "this caller was referred to no services".to_string()
            } else {
                let quoted: Vec<String> = referred.iter().map(|s| format!("{s:?}")).collect();
                format!("expected one of {}", quoted.join(", "))
            };
            fail(
                "service_id",
                format!("{id:?} was not referred to this caller; {expected}"),
            );
            seen.insert(id, i);
        } else {
            seen.insert(id, i);
            id_ok = true;
        }
        let contacted = r.contacted;
        if contacted.is_none() {
            fail("contacted", "required: yes (true) or no (false)".into());
        }
        let got_help = match present(&r.got_help) {
            None => {
                fail("got_help", format!("required, {}", one_of(GOT_HELP)));
                None
            }
            Some(v) => choice(v, GOT_HELP).map_err(|m| fail("got_help", m)).ok(),
        };
        let needs_barrier = contacted == Some(false) || matches!(got_help, Some("no" | "waitlisted"));
        let barrier = match present(&r.barrier) {
            None if needs_barrier => {
                fail(
                    "barrier",
                    format!(
                        "required when the caller did not contact the service or got no help, {}",
                        one_of(BARRIERS)
                    ),
                );
                None
            }
            None => None,
            Some(_) if got_help == Some("yes") && contacted == Some(true) => {
                fail(
                    "barrier",
                    "only when the referral did not fully work out (got_help is yes)".into(),
                );
                None
            }
            Some(v) => choice(v, BARRIERS).map_err(|m| fail("barrier", m)).ok(),
        };
        if let (true, Some(contacted), Some(got_help)) = (id_ok, contacted, got_help) {
            out.push(ValidReferralOutcome {
                service_id: id.to_string(),
                contacted,
                got_help,
                barrier,
            });
        }
    }
    for id in referred {
        if !seen.contains_key(id.as_str()) {
            errors.push(FieldError::new(
                "referrals",
                format!("no answer for referred service {id:?}"),
            ));
        }
    }
    out
}

/// A call that did not reach the caller records only its result and notes.
fn not_when_unreached(input: &OutcomeInput, errors: &mut Vec<FieldError>) {
    let health_given = match &input.health_improved {
        None => false,
        Some(HealthImproved::Text(t)) => !t.trim().is_empty(),
        Some(HealthImproved::Answer(_)) => true,
    };
    let given = [
        ("referrals", !input.referrals.is_empty()),
        ("better_prepared", input.better_prepared.is_some()),
        ("health_improved", health_given),
        ("satisfaction", present(&input.satisfaction).is_some()),
        ("would_call_again", input.would_call_again.is_some()),
    ];
    for (field, is_given) in given {
        if is_given {
            errors.push(FieldError::new(
                field,
                "only when the caller was reached (reached is false)",
            ));
        }
    }
}

/// What was expected, in kebab-case as everywhere people see slugs.
fn one_of(list: &[&str]) -> String {
    let shown: Vec<String> = list.iter().map(|s| crate::slug::kebab(s)).collect();
    format!("expected one of {}", shown.join(", "))
}

/// `value` as the list spells it (case-insensitive; "no-answer" and "no_answer" alike),
/// or what was expected.
fn choice(value: &str, list: &[&'static str]) -> Result<&'static str, String> {
    let v = crate::slug::stored(value);
    list.iter().find(|c| **c == v).copied().ok_or_else(|| one_of(list))
}

/// The value, unless absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
#[path = "outcome_tests.rs"]
mod tests;
