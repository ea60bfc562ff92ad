//! Follow-up writes: claim, renew, release, complete, reschedule, cancel. Each is one
//! IMMEDIATE transaction (`Store::write`), so a read-then-write inside it cannot race
//! another navigator's process. `now` and `today` are always passed in.
//!
//! Audit rows name the follow-up (`followup:12`) and the action, never a personal value.
//! The queue reads are in [`super::queue`].

use std::time::Duration;

use jiff::civil::Date;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::outcome::{normalize_outcome, OutcomeInput, ValidOutcome};
use super::policy::{after_attempt, lease_end, queue_state, AfterAttempt, Policy, QueueState};
use super::{Claim, ClaimError, CompleteError, Completed};
use crate::casework::store::audit;
use crate::casework::{utc_text, FieldError};
use crate::store::idempotency::{self, Earlier};
use crate::store::Store;

/// The idempotency scope of recording a call (its audit action too).
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

/// A follow-up row as a write needs it.
struct Row {
    contact_id: i64,
    due: String,
    state: String,
    attempts: u32,
    lease_owner: Option<String>,
    lease_until: Option<String>,
    claimed_at: Option<String>,
}

fn read_row(conn: &Connection, id: i64) -> rusqlite::Result<Option<Row>> {
    conn.query_row(
        "SELECT contact_id, due, state, attempts, lease_owner, lease_until, claimed_at
         FROM followups WHERE id = ?1",
        [id],
        |r| {
            Ok(Row {
                contact_id: r.get(0)?,
                due: r.get(1)?,
                state: r.get(2)?,
                attempts: r.get(3)?,
                lease_owner: r.get(4)?,
                lease_until: r.get(5)?,
                claimed_at: r.get(6)?,
            })
        },
    )
    .optional()
}

/// A stored time, or a conversion error naming the bad value's column.
pub(crate) fn parse_time(text: &str, column: usize) -> rusqlite::Result<Timestamp> {
    text.parse::<Timestamp>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

impl Row {
    fn closed(&self) -> Option<QueueState> {
        match self.state.as_str() {
            "completed" => Some(QueueState::Completed),
            "unreachable" => Some(QueueState::Unreachable),
            "cancelled" => Some(QueueState::Cancelled),
            _ => None,
        }
    }

    /// The holder of a live lease other than `user`, with when their claim started.
    fn held_by_other(&self, user: &str, now: &str) -> rusqlite::Result<Option<Denied>> {
        let live = self.state == "claimed" && self.lease_until.as_deref().is_some_and(|u| u >= now);
        match &self.lease_owner {
            Some(owner) if live && owner != user => {
                let since = self
                    .claimed_at
                    .as_deref()
                    .or(self.lease_until.as_deref())
                    .unwrap_or(now);
                Ok(Some(Denied::HeldBy {
                    user: owner.clone(),
                    since: parse_time(since, 6)?,
                }))
            }
            _ => Ok(None),
        }
    }
}

/// Why `user` could not take follow-up `id` (after a conditional UPDATE matched nothing).
fn diagnose(conn: &Connection, id: i64, user: &str, now: &str) -> rusqlite::Result<Denied> {
    let Some(row) = read_row(conn, id)? else {
        return Ok(Denied::NotFound);
    };
    if let Some(state) = row.closed() {
        return Ok(Denied::Closed(state));
    }
    Ok(row.held_by_other(user, now)?.unwrap_or(Denied::NotHeld))
}

/// Follow-up `id` if `user` may act on it: they hold its claim, or it is open and free.
/// Inside the caller's IMMEDIATE transaction, so nobody can claim it in between.
fn take(conn: &Connection, id: i64, user: &str, now: &str) -> rusqlite::Result<Result<Row, Denied>> {
    let Some(row) = read_row(conn, id)? else {
        return Ok(Err(Denied::NotFound));
    };
    if let Some(state) = row.closed() {
        return Ok(Err(Denied::Closed(state)));
    }
    if let Some(denied) = row.held_by_other(user, now)? {
        return Ok(Err(denied));
    }
    Ok(Ok(row))
}

fn record(id: i64) -> String {
    format!("followup:{id}")
}

fn claim_row(r: &rusqlite::Row, renewed: bool) -> rusqlite::Result<Claim> {
    Ok(Claim {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        claimed_by: r.get(2)?,
        claimed_at: r.get(3)?,
        lease_until: r.get(4)?,
        renewed,
    })
}

const CLAIM_RETURNING: &str = "RETURNING id, contact_id, lease_owner, claimed_at, lease_until";

impl Store {
    /// Claims follow-up `id` for `user` until `now + lease`. Re-claiming one's own live
    /// claim renews it (keeping when it started). An expired lease is free for anyone.
    pub fn claim(&mut self, id: i64, user: &str, now: Timestamp, lease: Duration) -> Result<Claim, ClaimError> {
        let now_text = utc_text(now);
        let until = utc_text(lease_end(now, lease));
        let out = self.write(|tx| {
            let renewing: bool = tx
                .query_row(
                    "SELECT state = 'claimed' AND lease_owner = ?2 AND lease_until >= ?3
                     FROM followups WHERE id = ?1",
                    params![id, user, now_text],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(false);
            let claimed = tx
                .query_row(
                    &format!(
                        "UPDATE followups SET state = 'claimed', lease_owner = ?2, lease_until = ?3,
                         claimed_at = CASE WHEN ?4 THEN claimed_at ELSE ?5 END, updated_at = ?5
                         WHERE id = ?1 AND state IN ('scheduled', 'claimed')
                         AND (lease_until IS NULL OR lease_until < ?5 OR lease_owner = ?2)
                         {CLAIM_RETURNING}"
                    ),
                    params![id, user, until, renewing, now_text],
                    |r| claim_row(r, renewing),
                )
                .optional()?;
            match claimed {
                Some(claim) => {
                    if !renewing {
                        audit(tx, &now_text, user, "followup.claim", &record(id))?;
                    }
                    Ok(Ok(claim))
                }
                None => Ok(Err(diagnose(tx, id, user, &now_text)?)),
            }
        })?;
        out.map_err(ClaimError::from)
    }

    /// Extends `user`'s claim on `id` to `now + lease`. Works on a lapsed lease nobody
    /// else has taken; fails with `HeldBy` once someone has, `NotHeld` when it is free.
    pub fn renew(&mut self, id: i64, user: &str, now: Timestamp, lease: Duration) -> Result<Claim, ClaimError> {
        let now_text = utc_text(now);
        let until = utc_text(lease_end(now, lease));
        let out = self.write(|tx| {
            let renewed = tx
                .query_row(
                    &format!(
                        "UPDATE followups SET lease_until = ?3, updated_at = ?4
                         WHERE id = ?1 AND state = 'claimed' AND lease_owner = ?2
                         {CLAIM_RETURNING}"
                    ),
                    params![id, user, until, now_text],
                    |r| claim_row(r, true),
                )
                .optional()?;
            match renewed {
                Some(claim) => Ok(Ok(claim)),
                None => Ok(Err(diagnose(tx, id, user, &now_text)?)),
            }
        })?;
        out.map_err(ClaimError::from)
    }

    /// Gives `user`'s claim on `id` back: scheduled again, lease cleared.
    pub fn release(&mut self, id: i64, user: &str, now: Timestamp) -> Result<(), ClaimError> {
        let now_text = utc_text(now);
        let out = self.write(|tx| {
            let released = tx.execute(
                "UPDATE followups SET state = 'scheduled', lease_owner = NULL, lease_until = NULL,
                 claimed_at = NULL, updated_at = ?3
                 WHERE id = ?1 AND state = 'claimed' AND lease_owner = ?2",
                params![id, user, now_text],
            )? > 0;
            if !released {
                return Ok(Err(diagnose(tx, id, user, &now_text)?));
            }
            audit(tx, &now_text, user, "followup.release", &record(id))?;
            Ok(Ok(()))
        })?;
        out.map_err(ClaimError::from)
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
        self.write(|tx| complete_in(tx, id, user, outcome, &now_text, today, policy))?
    }

    /// [`Store::complete`] under an idempotency key: returns the result as the JSON
    /// `followups complete` prints, and on a retry with the same key and the same outcome
    /// that first answer again, recording nothing. The same key with a different outcome
    /// is [`CompleteError::KeyReused`].
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
        // The follow-up is part of the request: the same key for another follow-up is a
        // different request.
        let request = format!("{id}\n{}", serde_json::to_string(outcome).expect("outcome serializes"));
        let hash = idempotency::request_hash(request.as_bytes());
        self.write(|tx| {
            match idempotency::earlier(tx, COMPLETE, key, user, hash)? {
                Earlier::Same(answer) => return Ok(Ok(answer)),
                Earlier::Different => return Ok(Err(CompleteError::KeyReused)),
                Earlier::None => {}
            }
            Ok(match complete_in(tx, id, user, outcome, &now_text, today, policy)? {
                Ok(done) => {
                    let answer = serde_json::to_string(&done).expect("a result serializes");
                    idempotency::remember(tx, COMPLETE, key, user, hash, &answer, &now_text)?;
                    Ok(answer)
                }
                Err(e) => Err(e),
            })
        })?
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
        self.write(|tx| {
            let row = match take(tx, id, user, &now_text)? {
                Ok(row) => row,
                Err(denied) => return Ok(Err(denied.into())),
            };
            close(tx, id, "scheduled", row.attempts, &due.to_string(), &now_text)?;
            audit(tx, &now_text, user, "followup.reschedule", &record(id))?;
            Ok(Ok(()))
        })?
    }

    /// Cancels follow-up `id` (the caller asked not to be called, say): `user` holds the
    /// claim or it is free.
    pub fn cancel(&mut self, id: i64, user: &str, now: Timestamp) -> Result<(), ClaimError> {
        let now_text = utc_text(now);
        let out = self.write(|tx| {
            let row = match take(tx, id, user, &now_text)? {
                Ok(row) => row,
                Err(denied) => return Ok(Err(denied)),
            };
            close(tx, id, "cancelled", row.attempts, &row.due, &now_text)?;
            audit(tx, &now_text, user, "followup.cancel", &record(id))?;
            Ok(Ok(()))
        })?;
        out.map_err(ClaimError::from)
    }
}

/// The body of [`Store::complete`], inside the caller's transaction.
fn complete_in(
    tx: &Transaction,
    id: i64,
    user: &str,
    outcome: &OutcomeInput,
    now_text: &str,
    today: Date,
    policy: &Policy,
) -> rusqlite::Result<Result<Completed, CompleteError>> {
    let now_text = now_text.to_string();
    let row = match take(tx, id, user, &now_text)? {
        Ok(row) => row,
        Err(denied) => return Ok(Err(denied.into())),
    };
    let referred = referred_services(tx, row.contact_id)?;
    let valid = match normalize_outcome(outcome, &referred) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(CompleteError::Invalid(errors))),
    };
    if let Some(notes) = &valid.notes {
        add_notes(tx, id, notes)?;
    }
    let result = if valid.reached {
        insert_outcome(tx, id, &valid, &now_text, user)?;
        close(tx, id, "completed", row.attempts, &row.due, &now_text)?;
        audit(tx, &now_text, user, COMPLETE, &record(id))?;
        Completed {
            id,
            state: QueueState::Completed,
            attempts: row.attempts,
            due: row.due,
            at: now_text.clone(),
            by: user.to_string(),
        }
    } else {
        tx.execute(
            "INSERT INTO attempts (followup_id, at, by, result) VALUES (?1, ?2, ?3, ?4)",
            params![id, now_text, user, valid.result],
        )?;
        audit(tx, &now_text, user, "followup.attempt", &record(id))?;
        match after_attempt(row.attempts, valid.result, today, policy) {
            AfterAttempt::Retry { due, attempts } => {
                let due = due.to_string();
                close(tx, id, "scheduled", attempts, &due, &now_text)?;
                done(id, QueueState::Scheduled, attempts, due, &now_text, user)
            }
            AfterAttempt::Unreachable { attempts } => {
                insert_outcome(tx, id, &valid, &now_text, user)?;
                close(tx, id, "unreachable", attempts, &row.due, &now_text)?;
                audit(tx, &now_text, user, "followup.unreachable", &record(id))?;
                done(id, QueueState::Unreachable, attempts, row.due, &now_text, user)
            }
        }
    };
    Ok(Ok(result))
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

/// Sets the state, attempts and due date, and clears the lease.
fn close(tx: &Transaction, id: i64, state: &str, attempts: u32, due: &str, now: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE followups SET state = ?2, attempts = ?3, due = ?4, lease_owner = NULL,
         lease_until = NULL, claimed_at = NULL, updated_at = ?5 WHERE id = ?1",
        params![id, state, attempts, due, now],
    )?;
    Ok(())
}

/// The services the contact was referred to, in the order given.
fn referred_services(conn: &Connection, contact_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT service_id FROM referrals WHERE contact_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([contact_id], |r| r.get(0))?;
    rows.collect()
}

fn insert_outcome(tx: &Transaction, id: i64, o: &ValidOutcome, now: &str, user: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO outcomes (followup_id, reached, result, better_prepared, health_improved,
         satisfaction, would_call_again, completed_at, completed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            o.reached,
            o.result,
            o.better_prepared,
            o.health_improved,
            o.satisfaction,
            o.would_call_again,
            now,
            user
        ],
    )?;
    let mut stmt = tx.prepare(
        "INSERT INTO outcome_referrals (followup_id, position, service_id, contacted, got_help,
         barrier) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, r) in o.referrals.iter().enumerate() {
        stmt.execute(params![id, i as i64, r.service_id, r.contacted, r.got_help, r.barrier])?;
    }
    Ok(())
}

/// Adds follow-up call notes (personal) after any taken on earlier calls. Fresh notes on a
/// purged row are live again.
fn add_notes(tx: &Transaction, id: i64, notes: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO followup_notes (followup_id, notes) VALUES (?1, ?2)
         ON CONFLICT (followup_id) DO UPDATE SET notes = CASE
             WHEN notes IS NULL OR notes = '' THEN excluded.notes
             ELSE notes || char(10) || excluded.notes END, purged_at = NULL",
        params![id, notes],
    )?;
    Ok(())
}

/// `queue_state` for a stored row, for readers in this module's sibling.
pub(crate) fn row_state(
    stored: &str,
    due: &str,
    lease_until: Option<&str>,
    today: Date,
    now: Timestamp,
) -> rusqlite::Result<QueueState> {
    let due_date = due
        .parse::<Date>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
    let until = lease_until.map(|u| parse_time(u, 6)).transpose()?;
    Ok(queue_state(stored, due_date, until, today, now))
}
