//! Rows for `admin move-to-postgres`: reading an office's SQLite store table by table and
//! writing it into PostgreSQL with new ids, remembering in `moved_ids` which source row
//! became which, so an interrupted move can be run again and a second office's move
//! (`--merge`) never collides with the first's ids.

use std::collections::HashMap;

use super::{Row, StoreError, Tx, Value};
use crate::args;

/// The columns copied for each contact's rows, in order; `contact_id` / `followup_id`
/// are mapped to the new ids. A contact's `office` stays last (a move may set it).
const CONTACT_COLUMNS: &str =
    "started_at, ended_at, navigator, channel, language, municipality, postal_fsa, postal_code, age_group, created_at, office";
const NEED_COLUMNS: &str = "position, category, taxonomy_code, met, unmet_reason";
const REFERRAL_COLUMNS: &str = "position, service_id, service_name, service_phone, service_address, service_hours";
const PERSONAL_COLUMNS: &str = "first_name, phone, best_time, notes, purged_at";
const FOLLOWUP_COLUMNS: &str = "due, state, attempts, created_at, updated_at";
const OUTCOME_COLUMNS: &str =
    "reached, result, better_prepared, health_improved, satisfaction, would_call_again, completed_at, completed_by";
const OUTCOME_REFERRAL_COLUMNS: &str = "position, service_id, contacted, got_help, barrier";
const ATTEMPT_COLUMNS: &str = "at, by, result";
const NOTE_COLUMNS: &str = "notes, purged_at";

/// One contact with everything hanging off it, as read from the source.
#[derive(Debug, Clone)]
pub struct ContactBundle {
    pub id: i64,
    contact: Row,
    needs: Vec<Row>,
    referrals: Vec<Row>,
    personal: Option<Row>,
    followup: Option<FollowupBundle>,
}

/// A follow-up with its outcome, outcome referrals, attempts and notes.
#[derive(Debug, Clone)]
struct FollowupBundle {
    id: i64,
    row: Row,
    outcome: Option<Row>,
    outcome_referrals: Vec<Row>,
    attempts: Vec<Row>,
    notes: Option<Row>,
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

fn columns(list: &str) -> usize {
    list.split(',').count()
}

impl Tx<'_> {
    /// Row counts of the casework tables, for verifying a move.
    pub fn table_count(&mut self, table: &str) -> Result<u64, StoreError> {
        self.number(&format!("SELECT count(*) FROM {table}"), &[])
    }

    pub fn contact_ids(&mut self) -> Result<Vec<i64>, StoreError> {
        self.query("SELECT id FROM contacts ORDER BY id", &[])?
            .iter()
            .map(|r| r.int(0))
            .collect()
    }

    pub fn contact_bundle(&mut self, id: i64) -> Result<Option<ContactBundle>, StoreError> {
        let Some(contact) = self.one(
            &format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1"),
            args![id],
        )?
        else {
            return Ok(None);
        };
        let needs = self.query(
            &format!("SELECT {NEED_COLUMNS} FROM needs WHERE contact_id = ?1 ORDER BY position"),
            args![id],
        )?;
        let referrals = self.query(
            &format!("SELECT {REFERRAL_COLUMNS} FROM referrals WHERE contact_id = ?1 ORDER BY position"),
            args![id],
        )?;
        let personal = self.one(
            &format!("SELECT {PERSONAL_COLUMNS} FROM personal_data WHERE contact_id = ?1"),
            args![id],
        )?;
        let followup = match self.one(
            &format!("SELECT id, {FOLLOWUP_COLUMNS} FROM followups WHERE contact_id = ?1"),
            args![id],
        )? {
            None => None,
            Some(row) => {
                let fid = row.int(0)?;
                let row = Row(row.0[1..].to_vec());
                let outcome = self.one(
                    &format!("SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE followup_id = ?1"),
                    args![fid],
                )?;
                let outcome_referrals = self.query(
                    &format!("SELECT {OUTCOME_REFERRAL_COLUMNS} FROM outcome_referrals WHERE followup_id = ?1 ORDER BY position"),
                    args![fid],
                )?;
                let attempts = self.query(
                    &format!("SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE followup_id = ?1 ORDER BY id"),
                    args![fid],
                )?;
                let notes = self.one(
                    &format!("SELECT {NOTE_COLUMNS} FROM followup_notes WHERE followup_id = ?1"),
                    args![fid],
                )?;
                Some(FollowupBundle {
                    id: fid,
                    row,
                    outcome,
                    outcome_referrals,
                    attempts,
                    notes,
                })
            }
        };
        Ok(Some(ContactBundle {
            id,
            contact,
            needs,
            referrals,
            personal,
            followup,
        }))
    }

    /// The new id of source row `old` of `kind` moved from `origin`, if it was moved.
    pub fn moved(&mut self, origin: &str, kind: &str, old: &str) -> Result<Option<String>, StoreError> {
        self.one(
            "SELECT new_id FROM moved_ids WHERE origin = ?1 AND kind = ?2 AND old_id = ?3",
            args![origin, kind, old],
        )?
        .map(|r| r.text(0))
        .transpose()
    }

    /// Every moved id of `kind` from `origin`: old -> new.
    pub fn moved_map(&mut self, origin: &str, kind: &str) -> Result<HashMap<String, String>, StoreError> {
        self.query(
            "SELECT old_id, new_id FROM moved_ids WHERE origin = ?1 AND kind = ?2",
            args![origin, kind],
        )?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect()
    }

    pub fn moved_count(&mut self, origin: &str, kind: &str) -> Result<u64, StoreError> {
        self.number(
            "SELECT count(*) FROM moved_ids WHERE origin = ?1 AND kind = ?2",
            args![origin, kind],
        )
    }

    fn record_moved(&mut self, origin: &str, kind: &str, old: i64, new: i64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO moved_ids (origin, kind, old_id, new_id) VALUES (?1, ?2, ?3, ?4)",
            args![origin, kind, old.to_string(), new.to_string()],
        )?;
        Ok(())
    }

    fn insert_returning(&mut self, table: &str, cols: &str, values: &[Value]) -> Result<i64, StoreError> {
        let sql = format!(
            "INSERT INTO {table} ({cols}) VALUES ({}) RETURNING id",
            placeholders(1, columns(cols))
        );
        self.one(&sql, values)?
            .ok_or_else(|| StoreError::Decode(format!("INSERT INTO {table} returned no id")))?
            .int(0)
    }

    fn insert_under(&mut self, table: &str, key: &str, id: i64, cols: &str, row: &Row) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO {table} ({key}, {cols}) VALUES (?1, {})",
            placeholders(2, columns(cols))
        );
        let mut values = vec![Value::Int(id)];
        values.extend(row.0.iter().cloned());
        self.execute(&sql, &values)?;
        Ok(())
    }

    /// Writes one contact's bundle with new ids (its office set to `office` when the
    /// source had none), recording the mapping. Returns (new contact id, new follow-up id).
    pub fn insert_bundle(
        &mut self,
        origin: &str,
        b: &ContactBundle,
        office: Option<&str>,
    ) -> Result<(i64, Option<(i64, i64)>), StoreError> {
        let mut contact = b.contact.0.clone();
        if let (Some(slot), Some(office)) = (contact.last_mut(), office) {
            if *slot == Value::Null {
                *slot = office.into();
            }
        }
        let id = self.insert_returning("contacts", CONTACT_COLUMNS, &contact)?;
        self.record_moved(origin, "contact", b.id, id)?;
        for n in &b.needs {
            self.insert_under("needs", "contact_id", id, NEED_COLUMNS, n)?;
        }
        for r in &b.referrals {
            self.insert_under("referrals", "contact_id", id, REFERRAL_COLUMNS, r)?;
        }
        if let Some(p) = &b.personal {
            self.insert_under("personal_data", "contact_id", id, PERSONAL_COLUMNS, p)?;
        }
        let mut followup = None;
        if let Some(FollowupBundle {
            id: old,
            row,
            outcome,
            outcome_referrals,
            attempts,
            notes,
        }) = &b.followup
        {
            // A claim does not move: it was one server's, and its lease that server's clock.
            let mut values = vec![Value::Int(id)];
            values.extend(row.0.iter().cloned());
            if values[2] == Value::Text("claimed".into()) {
                values[2] = "scheduled".into();
            }
            let fid = self.insert_returning("followups", &format!("contact_id, {FOLLOWUP_COLUMNS}"), &values)?;
            self.record_moved(origin, "followup", *old, fid)?;
            if let Some(o) = outcome {
                self.insert_under("outcomes", "followup_id", fid, OUTCOME_COLUMNS, o)?;
                for r in outcome_referrals {
                    self.insert_under("outcome_referrals", "followup_id", fid, OUTCOME_REFERRAL_COLUMNS, r)?;
                }
            }
            for a in attempts {
                self.insert_under("attempts", "followup_id", fid, ATTEMPT_COLUMNS, a)?;
            }
            if let Some(n) = notes {
                self.insert_under("followup_notes", "followup_id", fid, NOTE_COLUMNS, n)?;
            }
            followup = Some((*old, fid));
        }
        Ok((id, followup))
    }

    /// Audit rows with an id above `after`, oldest first: (id, at, user, action, record).
    pub fn audit_after(&mut self, after: i64, limit: usize) -> Result<Vec<Row>, StoreError> {
        self.query(
            "SELECT id, at, \"user\", action, record FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
            args![after, limit],
        )
    }

    /// Copies one audit row (its record already pointing at the new ids).
    pub fn insert_moved_audit(&mut self, origin: &str, old: i64, row: &Row, record: &str) -> Result<(), StoreError> {
        let id = self.insert_returning(
            "audit",
            "at, \"user\", action, record",
            &[row.0[1].clone(), row.0[2].clone(), row.0[3].clone(), record.into()],
        )?;
        self.record_moved(origin, "audit", old, id)
    }

    /// Every draft: (owner, kind, body, updated_at, session, session_label, session_since).
    pub fn drafts(&mut self) -> Result<Vec<Row>, StoreError> {
        self.query(
            "SELECT owner, kind, body, updated_at, session, session_label, session_since FROM drafts",
            &[],
        )
    }

    /// Adds a draft unless that session of the owner has one of that kind already there.
    pub fn insert_draft_if_absent(&mut self, row: &Row) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO drafts (owner, kind, body, updated_at, session, session_label, session_since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (owner, kind, session) DO NOTHING",
            &row.0,
        )?;
        Ok(())
    }

    /// Services with an id after `after`, in id order: (id, record, hash, organization,
    /// locations, updated_at).
    pub fn services_after(&mut self, after: &str, limit: usize) -> Result<Vec<Row>, StoreError> {
        self.query(
            "SELECT id, record, hash, organization, locations, updated_at FROM services WHERE id > ?1 ORDER BY id LIMIT ?2",
            args![after, limit],
        )
    }

    /// Puts a moved service in as the one version of its id, seen at once (a move is not
    /// an import: it copies what another store already committed).
    pub fn upsert_service_row(&mut self, row: &Row) -> Result<(), StoreError> {
        self.delete_service_versions(row.text(0)?.as_str())?;
        self.execute(
            "INSERT INTO service_versions (id, generation, retired, hash, organization, locations, updated_at, record)
             VALUES (?1, 0, NULL, ?3, ?4, ?5, ?6, ?2)",
            &row.0,
        )?;
        Ok(())
    }

    pub fn has_service(&mut self, id: &str) -> Result<bool, StoreError> {
        Ok(self.one("SELECT 1 FROM services WHERE id = ?1", args![id])?.is_some())
    }
}
