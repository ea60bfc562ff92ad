//! The outcomes report: follow-ups due and closed in a period, and what reached callers
//! said. With a municipality filter, only follow-ups of contacts in that municipality
//! (case does not matter).
//!
//! Definitions:
//! - `followups_due`: follow-ups, not cancelled, whose due date is in the period, both
//!   ends inclusive. The due date is the current one: a not-reached call that is retried,
//!   or a reschedule, moves it, and a follow-up is counted once, on its latest date. With
//!   no `to`, the period ends `today` for this count (a follow-up not due yet is not
//!   "due"); an explicit `to` after today also counts those scheduled up to it.
//! - `followups_completed`: follow-ups closed by a reached call whose outcome was
//!   recorded (`completed_at`) in the period.
//! - `reached`: reached calls in the period. Each completes its follow-up, so it equals
//!   `followups_completed`; it is the base of the answers below.
//! - `unreachable`: follow-ups given up on in the period (the last not-reached attempt,
//!   or a wrong number), by the outcome's `completed_at`.
//!
//! Of the reached callers in the period:
//! - `followed_up_on_referral`: callers who contacted at least one referred service, of
//!   callers with at least one referral (a caller referred nowhere is left out).
//! - `connected`: referrals where the caller got help (`yes` or `partly`), of every
//!   referral asked about.
//! - `better_prepared`, `would_call_again`: yes of answered (no answer: left out).
//! - `health_improved`: yes of yes + no; `not_applicable` is left out.
//! - `very_satisfied`: `very_satisfied` of every satisfaction answer.
//! - `barriers`: referrals by barrier, every barrier of [`crate::followups::BARRIERS`],
//!   in that order, zeros included.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use serde::Serialize;

use super::{date_or_null, municipality_matches, Period, Ratio, Tally};
use crate::followups::BARRIERS;
use crate::store::{Store, StoreError};

/// The outcomes report. Field names are the JSON `report outcomes --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomesReport {
    pub followups_due: u64,
    pub followups_completed: u64,
    pub reached: u64,
    pub unreachable: u64,
    pub followed_up_on_referral_pct: Option<f64>,
    pub followed_up_on_referral: Ratio,
    pub connected_pct: Option<f64>,
    pub connected: Ratio,
    pub better_prepared_pct: Option<f64>,
    pub better_prepared: Ratio,
    pub health_improved_pct: Option<f64>,
    pub health_improved: Ratio,
    pub very_satisfied_pct: Option<f64>,
    pub very_satisfied: Ratio,
    pub would_call_again_pct: Option<f64>,
    pub would_call_again: Ratio,
    /// Referrals of reached callers by barrier: every barrier, zeros included.
    pub barriers: Tally,
    #[serde(serialize_with = "date_or_null")]
    pub from: Option<Date>,
    #[serde(serialize_with = "date_or_null")]
    pub to: Option<Date>,
}

/// An outcome recorded in the period.
type Outcome = crate::store::OutcomeRow;

/// A reached caller's answer about one referral.
type Answer = crate::store::OutcomeAnswerRow;

/// The outcomes report for `period`, only follow-ups of contacts in `municipality` when
/// given. `today` ends the due count of a period without `to`.
pub fn outcomes_report(
    store: &Store,
    period: &Period,
    municipality: Option<&str>,
    today: Date,
) -> Result<OutcomesReport, StoreError> {
    let (start, end) = period.utc_bounds();
    // Follow-ups not cancelled whose due date is in the period (`to` defaults to `today`).
    let due_from = period.from.map(|d| d.to_string()).unwrap_or_default();
    let due_to = period.to.unwrap_or(today).to_string();
    let (due, outcomes, answers) = store.read(|tx| {
        Ok((
            tx.due_followups(&due_from, &due_to)?,
            tx.outcome_rows(&start, &end)?,
            tx.answer_rows(&start, &end)?,
        ))
    })?;
    let due = due
        .iter()
        .filter(|(m, _)| municipality_matches(municipality, m.as_deref()))
        .count() as u64;
    let outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .filter(|o| municipality_matches(municipality, o.municipality.as_deref()))
        .collect();
    let reached_ids: HashSet<i64> = outcomes.iter().filter(|o| o.reached).map(|o| o.followup_id).collect();
    let answers: Vec<Answer> = answers
        .into_iter()
        .filter(|a| reached_ids.contains(&a.followup_id))
        .collect();
    Ok(compute(due, &outcomes, &answers, period))
}

fn compute(due: u64, outcomes: &[Outcome], answers: &[Answer], period: &Period) -> OutcomesReport {
    let mut reached = 0;
    let mut unreachable = 0;
    let mut better_prepared = Ratio::default();
    let mut health_improved = Ratio::default();
    let mut very_satisfied = Ratio::default();
    let mut would_call_again = Ratio::default();
    for o in outcomes {
        if !o.reached {
            unreachable += 1;
            continue;
        }
        reached += 1;
        if let Some(b) = o.better_prepared {
            better_prepared.count(b);
        }
        match o.health_improved.as_deref() {
            Some("yes") => health_improved.count(true),
            Some("no") => health_improved.count(false),
            _ => {}
        }
        if let Some(s) = o.satisfaction.as_deref() {
            very_satisfied.count(s == "very_satisfied");
        }
        if let Some(w) = o.would_call_again {
            would_call_again.count(w);
        }
    }

    let mut connected = Ratio::default();
    let mut barriers = Tally::zeros(BARRIERS);
    // Follow-up -> whether any referred service was contacted.
    let mut callers: HashMap<i64, bool> = HashMap::new();
    for a in answers {
        connected.count(matches!(a.got_help.as_str(), "yes" | "partly"));
        if let Some(b) = &a.barrier {
            barriers.add(b);
        }
        *callers.entry(a.followup_id).or_default() |= a.contacted;
    }
    let mut followed_up = Ratio::default();
    for contacted in callers.values() {
        followed_up.count(*contacted);
    }

    OutcomesReport {
        followups_due: due,
        followups_completed: reached,
        reached,
        unreachable,
        followed_up_on_referral_pct: followed_up.pct(),
        followed_up_on_referral: followed_up,
        connected_pct: connected.pct(),
        connected,
        better_prepared_pct: better_prepared.pct(),
        better_prepared,
        health_improved_pct: health_improved.pct(),
        health_improved,
        very_satisfied_pct: very_satisfied.pct(),
        very_satisfied,
        would_call_again_pct: would_call_again.pct(),
        would_call_again,
        // Shown and exported in kebab-case, like every slug ("no-answer").
        barriers: Tally(
            barriers
                .0
                .into_iter()
                .map(|(b, n)| (crate::slug::kebab(&b), n))
                .collect(),
        ),
        from: period.from,
        to: period.to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reached(id: i64, health: &str, satisfaction: Option<&str>) -> Outcome {
        Outcome {
            followup_id: id,
            municipality: None,
            office: None,
            reached: true,
            better_prepared: Some(id % 2 == 1),
            health_improved: Some(health.to_string()),
            satisfaction: satisfaction.map(String::from),
            would_call_again: None,
        }
    }

    fn answer(id: i64, contacted: bool, got_help: &str, barrier: Option<&str>) -> Answer {
        Answer {
            followup_id: id,
            contacted,
            got_help: got_help.to_string(),
            barrier: barrier.map(String::from),
        }
    }

    #[test]
    fn answers_count_with_their_denominators() {
        let mut gone = reached(9, "no", None);
        gone.reached = false;
        let outcomes = [
            reached(1, "yes", Some("very_satisfied")),
            reached(2, "not_applicable", Some("satisfied")),
            reached(3, "no", None),
            gone,
        ];
        let answers = [
            answer(1, true, "yes", None),
            answer(1, false, "no", Some("cost")),
            answer(2, true, "partly", None),
            answer(3, false, "waitlisted", Some("waitlist")),
        ];
        let r = compute(4, &outcomes, &answers, &Period::all());
        assert_eq!(
            (r.followups_due, r.followups_completed, r.reached, r.unreachable),
            (4, 3, 3, 1)
        );
        assert_eq!(r.followed_up_on_referral, Ratio::new(2, 3));
        assert_eq!(r.followed_up_on_referral_pct, Some(66.7));
        assert_eq!(r.connected, Ratio::new(2, 4));
        assert_eq!(r.better_prepared, Ratio::new(2, 3));
        assert_eq!(r.health_improved, Ratio::new(1, 2));
        assert_eq!(r.very_satisfied, Ratio::new(1, 2));
        assert_eq!(r.would_call_again, Ratio::new(0, 0));
        assert_eq!(r.would_call_again_pct, None);
        assert_eq!(r.barriers.get("cost"), 1);
        assert_eq!(r.barriers.get("waitlist"), 1);
        assert_eq!(r.barriers.0.len(), BARRIERS.len());
    }
}
