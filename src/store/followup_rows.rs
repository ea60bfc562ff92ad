//! Follow-up rows: the lease (claim, renew, release), the state after a call, attempts,
//! outcomes and follow-up notes (personal, apart). The rules (who may take a follow-up,
//! what happens after an attempt) are in `crate::followups`.

use super::records::StoredOutcome;
use super::{Row, StoreError, Tx};
use crate::args;

/// A follow-up as a write needs it.
#[derive(Debug, Clone)]
pub struct FollowupRow {
    pub contact_id: i64,
    pub due: String,
    pub state: String,
    pub attempts: u32,
    pub lease_owner: Option<String>,
    pub lease_until: Option<String>,
    pub claimed_at: Option<String>,
}

/// A lease as a claim or renewal left it.
#[derive(Debug, Clone)]
pub struct LeaseRow {
    pub id: i64,
    pub contact_id: i64,
    pub lease_owner: String,
    pub claimed_at: String,
    pub lease_until: String,
}

/// An outcome as it is written.
pub type NewOutcome = StoredOutcome;

const LEASE_RETURNING: &str = "RETURNING id, contact_id, lease_owner, claimed_at, lease_until";

fn lease(r: &Row) -> Result<LeaseRow, StoreError> {
    Ok(LeaseRow {
        id: r.int(0)?,
        contact_id: r.int(1)?,
        lease_owner: r.text(2)?,
        claimed_at: r.opt_text(3)?.unwrap_or_default(),
        lease_until: r.text(4)?,
    })
}

impl FollowupRow {
    /// The row from `contact_id, due, state, attempts, lease_owner, lease_until,
    /// claimed_at` at column `at` on.
    pub(crate) fn read(r: &Row, at: usize) -> Result<FollowupRow, StoreError> {
        Ok(FollowupRow {
            contact_id: r.int(at)?,
            due: r.text(at + 1)?,
            state: r.text(at + 2)?,
            attempts: r.int(at + 3)? as u32,
            lease_owner: r.opt_text(at + 4)?,
            lease_until: r.opt_text(at + 5)?,
            claimed_at: r.opt_text(at + 6)?,
        })
    }
}

impl Tx<'_> {
    /// Follow-up `id`, locked against other writers until the transaction ends.
    pub fn followup_for_update(&mut self, id: i64) -> Result<Option<FollowupRow>, StoreError> {
        let sql = format!(
            "SELECT contact_id, due, state, attempts, lease_owner, lease_until, claimed_at
             FROM followups WHERE id = ?1{}",
            self.for_update()
        );
        self.one(&sql, args![id])?.map(|r| FollowupRow::read(&r, 0)).transpose()
    }

    /// Takes the lease for `user` until `until` when it is free, lapsed (before `now`) or
    /// already `user`'s. `renewing` keeps when the claim started.
    pub fn claim_lease(
        &mut self,
        id: i64,
        user: &str,
        until: &str,
        renewing: bool,
        now: &str,
    ) -> Result<Option<LeaseRow>, StoreError> {
        let sql = format!(
            "UPDATE followups SET state = 'claimed', lease_owner = ?2, lease_until = ?3,
             claimed_at = CASE WHEN ?4 = 1 THEN claimed_at ELSE ?5 END, updated_at = ?5
             WHERE id = ?1 AND state IN ('scheduled', 'claimed')
             AND (lease_until IS NULL OR lease_until < ?5 OR lease_owner = ?2)
             {LEASE_RETURNING}"
        );
        self.one(&sql, args![id, user, until, renewing, now])?
            .map(|r| lease(&r))
            .transpose()
    }

    /// Extends `user`'s claim to `until`; None when `user` does not hold it.
    pub fn renew_lease(&mut self, id: i64, user: &str, until: &str, now: &str) -> Result<Option<LeaseRow>, StoreError> {
        let sql = format!(
            "UPDATE followups SET lease_until = ?3, updated_at = ?4
             WHERE id = ?1 AND state = 'claimed' AND lease_owner = ?2 {LEASE_RETURNING}"
        );
        self.one(&sql, args![id, user, until, now])?
            .map(|r| lease(&r))
            .transpose()
    }

    /// Gives `user`'s claim back (scheduled again); whether they held it.
    pub fn release_lease(&mut self, id: i64, user: &str, now: &str) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE followups SET state = 'scheduled', lease_owner = NULL, lease_until = NULL,
             claimed_at = NULL, updated_at = ?3
             WHERE id = ?1 AND state = 'claimed' AND lease_owner = ?2",
            args![id, user, now],
        )? > 0)
    }

    /// Sets the state, attempts and due date, and clears the lease.
    pub fn close_followup(
        &mut self,
        id: i64,
        state: &str,
        attempts: u32,
        due: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE followups SET state = ?2, attempts = ?3, due = ?4, lease_owner = NULL,
             lease_until = NULL, claimed_at = NULL, updated_at = ?5 WHERE id = ?1",
            args![id, state, attempts, due, now],
        )?;
        Ok(())
    }

    pub fn insert_attempt(&mut self, id: i64, at: &str, by: &str, result: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO attempts (followup_id, at, by, result) VALUES (?1, ?2, ?3, ?4)",
            args![id, at, by, result],
        )?;
        Ok(())
    }

    /// The services the contact was referred to, in the order given.
    pub fn referred_services(&mut self, contact_id: i64) -> Result<Vec<String>, StoreError> {
        self.query(
            "SELECT service_id FROM referrals WHERE contact_id = ?1 ORDER BY position",
            args![contact_id],
        )?
        .iter()
        .map(|r| r.text(0))
        .collect()
    }

    pub fn insert_outcome(&mut self, id: i64, o: &NewOutcome) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO outcomes (followup_id, reached, result, better_prepared, health_improved,
             satisfaction, would_call_again, completed_at, completed_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            args![
                id,
                o.reached,
                o.result.as_str(),
                o.better_prepared,
                &o.health_improved,
                &o.satisfaction,
                o.would_call_again,
                o.completed_at.as_str(),
                o.completed_by.as_str()
            ],
        )?;
        for (i, r) in o.referrals.iter().enumerate() {
            self.execute(
                "INSERT INTO outcome_referrals (followup_id, position, service_id, contacted, got_help, barrier)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    id,
                    i,
                    r.service_id.as_str(),
                    r.contacted,
                    r.got_help.as_str(),
                    &r.barrier
                ],
            )?;
        }
        Ok(())
    }

    /// Adds follow-up call notes (personal) after any taken on earlier calls. Fresh notes
    /// on a purged row are live again.
    pub fn add_followup_notes(&mut self, id: i64, notes: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO followup_notes (followup_id, notes) VALUES (?1, ?2)
             ON CONFLICT (followup_id) DO UPDATE SET notes = CASE
                 WHEN followup_notes.notes IS NULL OR followup_notes.notes = '' THEN excluded.notes
                 ELSE followup_notes.notes || ?3 || excluded.notes END, purged_at = NULL",
            args![id, notes, "\n"],
        )?;
        Ok(())
    }
}
