//! Follow-up work: claim, renew, release, complete, reschedule, cancel. The rules live
//! here (who may take a follow-up, what a call leads to); the rows come from the store.
//! Each action is one transaction, and the follow-up's row is locked when it is read, so
//! a read-then-write cannot race another navigator's process on any server. `now` and
//! `today` are always passed in (from the database's clock, `Store::now`).
//!
//! Audit rows name the follow-up (`followup:12`) and the action, never a personal value.
//! The queue reads are in [`super::queue`].

use std::time::Duration;

use jiff::civil::Date;
use jiff::Timestamp;

use super::outcome::{normalize_outcome, OutcomeInput, ValidOutcome};
use super::policy::{after_attempt, lease_end, queue_state, AfterAttempt, Policy, QueueState};
use super::{Claim, ClaimError, CompleteError, Completed};
use crate::casework::{utc_text, FieldError};
use crate::store::idempotency::Earlier;
use crate::store::records::{ReferralOutcome, StoredOutcome};
use crate::store::{Abort, FollowupRow, LeaseRow, Store, StoreError, Tx};

/// The audit action of recording a reached call, and the idempotency scope of recording
/// any call.
const COMPLETE: &str = "followup.complete";

/// Why a follow-up cannot be taken by a user right now.
enum Denied {
    NotFound,
    Closed(QueueState),
    HeldBy { user: String, since: Timestamp },
    NotHeld,
}

impl From<Denied> for ClaimError {
    fn from(d: Denied) -> ClaimError {
        match d {
            Denied::NotFound => ClaimError::NotFound,
            Denied::Closed(state) => ClaimError::Closed { state },
            Denied::HeldBy { user, since } => ClaimError::HeldBy { user, since },
            Denied::NotHeld => ClaimError::NotHeld,
        }
    }
}

impl From<Denied> for CompleteError {
    fn from(d: Denied) -> CompleteError {
        match d {
            Denied::NotFound => CompleteError::NotFound,
            Denied::Closed(state) => CompleteError::Closed { state },
            Denied::HeldBy { user, since } => CompleteError::HeldBy { user, since },
            // Completing claims a free follow-up, so this cannot happen; say "not found"
            // rather than panic if it ever did.
            Denied::NotHeld => CompleteError::NotFound,
        }
    }
}

/// A stored time, or an error naming the bad value.
pub(crate) fn parse_time(text: &str) -> Result<Timestamp, StoreError> {
    text.parse::<Timestamp>()
        .map_err(|e| StoreError::Decode(format!("stored time {text:?}: {e}")))
}

fn closed(row: &FollowupRow) -> Option<QueueState> {
    match row.state.as_str() {
        "completed" => Some(QueueState::Completed),
        "unreachable" => Some(QueueState::Unreachable),
        "cancelled" => Some(QueueState::Cancelled),
        _ => None,
    }
}

/// The holder of a live lease other than `user`, with when their claim started.
fn held_by_other(row: &FollowupRow, user: &str, now: &str) -> Result<Option<Denied>, StoreError> {
    let live = row.state == "claimed" && row.lease_until.as_deref().is_some_and(|u| u >= now);
    match &row.lease_owner {
        Some(owner) if live && owner != user => {
            let since = row.claimed_at.as_deref().or(row.lease_until.as_deref()).unwrap_or(now);
            Ok(Some(Denied::HeldBy {
                user: owner.clone(),
                since: parse_time(since)?,
            }))
        }
        _ => Ok(None),
    }
}

/// Why `user` could not take follow-up `id` (after a conditional UPDATE matched nothing).
fn diagnose(tx: &mut Tx, id: i64, user: &str, now: &str) -> Result<Denied, StoreError> {
    let Some(row) = tx.followup_for_update(id)? else {
        return Ok(Denied::NotFound);
    };
    if let Some(state) = closed(&row) {
        return Ok(Denied::Closed(state));
    }
    Ok(held_by_other(&row, user, now)?.unwrap_or(Denied::NotHeld))
}

/// Follow-up `id` if `user` may act on it: they hold its claim, or it is open and free.
/// The row stays locked until the transaction ends, so nobody can claim it in between.
fn take(tx: &mut Tx, id: i64, user: &str, now: &str) -> Result<Result<FollowupRow, Denied>, StoreError> {
    let Some(row) = tx.followup_for_update(id)? else {
        return Ok(Err(Denied::NotFound));
    };
    if let Some(state) = closed(&row) {
        return Ok(Err(Denied::Closed(state)));
    }
    if let Some(denied) = held_by_other(&row, user, now)? {
        return Ok(Err(denied));
    }
    Ok(Ok(row))
}

fn record(id: i64) -> String {
    format!("followup:{id}")
}

fn claim_of(lease: LeaseRow, renewed: bool) -> Claim {
    Claim {
        id: lease.id,
        contact_id: lease.contact_id,
        claimed_by: lease.lease_owner,
        claimed_at: lease.claimed_at,
        lease_until: lease.lease_until,
        renewed,
    }
}

/// What a refused follow-up write answers.
/// The body of [`Store::complete`], inside the caller's transaction.
fn complete_in(
    tx: &mut Tx,
    id: i64,
    user: &str,
    outcome: &OutcomeInput,
    now_text: &str,
    today: Date,
    policy: &Policy,
) -> Result<Completed, Abort<CompleteError>> {
    let now_text = now_text.to_string();
    let row = match take(tx, id, user, &now_text)? {
        Ok(row) => row,
        Err(denied) => return refuse(denied),
    };
    let referred = tx.referred_services(row.contact_id)?;
    let valid = normalize_outcome(outcome, &referred).map_err(|e| Abort::Refused(CompleteError::Invalid(e)))?;
    if let Some(notes) = &valid.notes {
        tx.add_followup_notes(id, notes)?;
    }
    let result = if valid.reached {
        tx.insert_outcome(id, &stored(&valid, &now_text, user))?;
        tx.close_followup(id, "completed", row.attempts, &row.due, &now_text)?;
        tx.audit(&now_text, user, COMPLETE, &record(id))?;
        done(id, QueueState::Completed, row.attempts, row.due, &now_text, user)
    } else {
        tx.insert_attempt(id, &now_text, user, valid.result)?;
        tx.audit(&now_text, user, "followup.attempt", &record(id))?;
        match after_attempt(row.attempts, valid.result, today, policy) {
            AfterAttempt::Retry { due, attempts } => {
                let due = due.to_string();
                tx.close_followup(id, "scheduled", attempts, &due, &now_text)?;
                done(id, QueueState::Scheduled, attempts, due, &now_text, user)
            }
            AfterAttempt::Unreachable { attempts } => {
                tx.insert_outcome(id, &stored(&valid, &now_text, user))?;
                tx.close_followup(id, "unreachable", attempts, &row.due, &now_text)?;
                tx.audit(&now_text, user, "followup.unreachable", &record(id))?;
                done(id, QueueState::Unreachable, attempts, row.due, &now_text, user)
            }
        }
    };
    Ok(result)
}

fn refuse<T, E: From<Denied>>(d: Denied) -> Result<T, Abort<E>> {
    Err(Abort::Refused(E::from(d)))
}

fn claim_error(a: Abort<ClaimError>) -> ClaimError {
    match a {
        Abort::Refused(e) => e,
        Abort::Store(e) => ClaimError::Store(e),
    }
}

fn complete_error(a: Abort<CompleteError>) -> CompleteError {
    match a {
        Abort::Refused(e) => e,
        Abort::Store(e) => CompleteError::Store(e),
    }
}

impl Store {
    /// Claims follow-up `id` for `user` until `now + lease`. Re-claiming one's own live
    /// claim renews it (keeping when it started). An expired lease is free for anyone.
    pub fn claim(&mut self, id: i64, user: &str, now: Timestamp, lease: Duration) -> Result<Claim, ClaimError> {
        let now_text = utc_text(now);
        let until = utc_text(lease_end(now, lease));
        self.write_or_refuse(|tx| {
            let Some(row) = tx.followup_for_update(id)? else {
                return refuse(Denied::NotFound);
            };
            let renewing = row.state == "claimed"
                && row.lease_owner.as_deref() == Some(user)
                && row.lease_until.as_deref().is_some_and(|u| u >= now_text.as_str());
            match tx.claim_lease(id, user, &until, renewing, &now_text)? {
                Some(lease) => {
                    if !renewing {
                        tx.audit(&now_text, user, "followup.claim", &record(id))?;
                    }
                    Ok(claim_of(lease, renewing))
                }
                None => refuse(diagnose(tx, id, user, &now_text)?),
            }
        })
        .map_err(claim_error)
    }

    /// Extends `user`'s claim on `id` to `now + lease`. Works on a lapsed lease nobody
    /// else has taken; fails with `HeldBy` once someone has, `NotHeld` when it is free.
    pub fn renew(&mut self, id: i64, user: &str, now: Timestamp, lease: Duration) -> Result<Claim, ClaimError> {
        let now_text = utc_text(now);
        let until = utc_text(lease_end(now, lease));
        self.write_or_refuse(|tx| match tx.renew_lease(id, user, &until, &now_text)? {
            Some(lease) => Ok(claim_of(lease, true)),
            None => refuse(diagnose(tx, id, user, &now_text)?),
        })
        .map_err(claim_error)
    }

    /// Gives `user`'s claim on `id` back: scheduled again, lease cleared.
    pub fn release(&mut self, id: i64, user: &str, now: Timestamp) -> Result<(), ClaimError> {
        let now_text = utc_text(now);
        self.write_or_refuse(|tx| {
            if !tx.release_lease(id, user, &now_text)? {
                return refuse(diagnose(tx, id, user, &now_text)?);
            }
            tx.audit(&now_text, user, "followup.release", &record(id))?;
            Ok(())
        })
        .map_err(claim_error)
    }

    /// Records a follow-up call by `user`, who holds the claim or takes it now when free.
    ///
    /// Reached: the outcome is validated against the contact's referrals and stored; the
    /// follow-up is completed. Not reached: an attempt is recorded and the policy decides:
    /// back to scheduled on the retry date, or unreachable (after the last attempt, or at
    /// once for a wrong number), which also stores an outcome row saying how it ended.
    /// Either way the lease is cleared. On any error nothing is written.
    pub fn complete(
        &mut self,
        id: i64,
        user: &str,
        outcome: &OutcomeInput,
        now: Timestamp,
        today: Date,
        policy: &Policy,
    ) -> Result<Completed, CompleteError> {
        let now_text = utc_text(now);
        self.write_or_refuse(|tx| complete_in(tx, id, user, outcome, &now_text, today, policy))
            .map_err(complete_error)
    }

    /// [`Store::complete`] under an idempotency key: returns the result as the JSON
    /// `followups complete` prints, and on a retry with the same key and the same outcome
    /// that first answer again, recording nothing. The same key with a different outcome
    /// (or for another follow-up) is [`CompleteError::KeyReused`].
    #[allow(clippy::too_many_arguments)]
    pub fn complete_once(
        &mut self,
        id: i64,
        user: &str,
        outcome: &OutcomeInput,
        now: Timestamp,
        today: Date,
        policy: &Policy,
        key: &str,
    ) -> Result<String, CompleteError> {
        let now_text = utc_text(now);
        let request = format!("{id}\n{}", serde_json::to_string(outcome).expect("outcome serializes"));
        let hash = crate::store::idempotency::request_hash(request.as_bytes());
        self.write_or_refuse(|tx| {
            match tx.earlier_answer(COMPLETE, key, user, hash)? {
                Earlier::Same(answer) => return Ok(answer),
                Earlier::Different => return Err(Abort::Refused(CompleteError::KeyReused)),
                Earlier::None => {}
            }
            let done = complete_in(tx, id, user, outcome, &now_text, today, policy)?;
            let answer = serde_json::to_string(&done).map_err(|e| StoreError::Decode(e.to_string()))?;
            tx.remember_answer(COMPLETE, key, user, hash, &answer, &now_text)?;
            Ok(answer)
        })
        .map_err(complete_error)
    }

    /// Moves follow-up `id` to `due` (not before `today`): `user` holds the claim or it is
    /// free. It goes back to scheduled with the lease cleared.
    pub fn reschedule(
        &mut self,
        id: i64,
        user: &str,
        due: Date,
        now: Timestamp,
        today: Date,
    ) -> Result<(), CompleteError> {
        if let Err(message) = crate::casework::checks::check_due_date(due, today) {
            return Err(CompleteError::Invalid(vec![FieldError::new("due", message)]));
        }
        let now_text = utc_text(now);
        self.write_or_refuse(|tx| {
            let row = match take(tx, id, user, &now_text)? {
                Ok(row) => row,
                Err(denied) => return refuse(denied),
            };
            tx.close_followup(id, "scheduled", row.attempts, &due.to_string(), &now_text)?;
            tx.audit(&now_text, user, "followup.reschedule", &record(id))?;
            Ok(())
        })
        .map_err(complete_error)
    }

    /// Cancels follow-up `id` (the caller asked not to be called, say): `user` holds the
    /// claim or it is free.
    pub fn cancel(&mut self, id: i64, user: &str, now: Timestamp) -> Result<(), ClaimError> {
        let now_text = utc_text(now);
        self.write_or_refuse(|tx| {
            let row = match take(tx, id, user, &now_text)? {
                Ok(row) => row,
                Err(denied) => return refuse(denied),
            };
            tx.close_followup(id, "cancelled", row.attempts, &row.due, &now_text)?;
            tx.audit(&now_text, user, "followup.cancel", &record(id))?;
            Ok(())
        })
        .map_err(claim_error)
    }
}

/// The outcome row of a validated call.
fn stored(o: &ValidOutcome, now: &str, user: &str) -> StoredOutcome {
    StoredOutcome {
        reached: o.reached,
        result: o.result.to_string(),
        referrals: o
            .referrals
            .iter()
            .map(|r| ReferralOutcome {
                service_id: r.service_id.clone(),
                contacted: r.contacted,
                got_help: r.got_help.to_string(),
                barrier: r.barrier.map(str::to_string),
            })
            .collect(),
        better_prepared: o.better_prepared,
        health_improved: o.health_improved.map(str::to_string),
        satisfaction: o.satisfaction.map(str::to_string),
        would_call_again: o.would_call_again,
        completed_at: now.to_string(),
        completed_by: user.to_string(),
    }
}

fn done(id: i64, state: QueueState, attempts: u32, due: String, at: &str, by: &str) -> Completed {
    Completed {
        id,
        state,
        attempts,
        due,
        at: at.to_string(),
        by: by.to_string(),
    }
}

/// `queue_state` for a stored row, for readers in this module's sibling.
pub(crate) fn row_state(
    stored: &str,
    due: &str,
    lease_until: Option<&str>,
    today: Date,
    now: Timestamp,
) -> Result<QueueState, StoreError> {
    let due_date = due
        .parse::<Date>()
        .map_err(|e| StoreError::Decode(format!("stored date {due:?}: {e}")))?;
    let until = lease_until.map(parse_time).transpose()?;
    Ok(queue_state(stored, due_date, until, today, now))
}
