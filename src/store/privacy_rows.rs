//! Personal-data rows for retention: counting and clearing the personal values of
//! contacts that are done with, deleting old drafts, and reading the audit trail. Which
//! contacts are done with is the rule in `crate::privacy`; `closed` carries its states.

use serde::{Deserialize, Serialize};

use super::{StoreError, Tx, Value};
use crate::args;

/// What a purge removed (or, dry, would remove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeCounts {
    /// Contacts whose personal data (name, phone, best time, notes) was cleared.
    pub personal_data: u64,
    /// Follow-up notes cleared.
    pub followup_notes: u64,
    /// Drafts deleted.
    pub drafts: u64,
}

/// One row of the audit trail. Records name ids and counts, never personal values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub user: String,
    pub action: String,
    pub record: String,
}

/// Contacts started before `?1` whose follow-up (if any) is in one of `closed` states
/// since before `?1`. `closed` are literal state names from code, never user input.
fn done_contacts(closed: &[&str]) -> String {
    let states: Vec<String> = closed.iter().map(|s| format!("'{s}'")).collect();
    format!(
        "SELECT c.id FROM contacts c LEFT JOIN followups f ON f.contact_id = c.id
         WHERE c.started_at < ?1
           AND (f.id IS NULL OR (f.state IN ({}) AND f.updated_at < ?1))",
        states.join(", ")
    )
}

impl Tx<'_> {
    /// Clears (or with `dry_run` only counts) the personal values of the contacts
    /// [`done_contacts`] selects, their follow-up notes, and drafts older than `cutoff`.
    pub fn purge_personal(
        &mut self,
        closed: &[&str],
        cutoff: &str,
        now: &str,
        dry_run: bool,
    ) -> Result<PurgeCounts, StoreError> {
        let done = done_contacts(closed);
        let personal_where = format!(
            "contact_id IN ({done}) AND purged_at IS NULL
             AND (first_name IS NOT NULL OR phone IS NOT NULL OR best_time IS NOT NULL OR notes IS NOT NULL)"
        );
        let notes_where = format!(
            "followup_id IN (SELECT f.id FROM followups f WHERE f.contact_id IN ({done}))
             AND notes IS NOT NULL"
        );
        let mut counts = PurgeCounts {
            personal_data: self.number(
                &format!("SELECT count(*) FROM personal_data WHERE {personal_where}"),
                args![cutoff],
            )?,
            followup_notes: self.number(
                &format!("SELECT count(*) FROM followup_notes WHERE {notes_where}"),
                args![cutoff],
            )?,
            drafts: self.number("SELECT count(*) FROM drafts WHERE updated_at < ?1", args![cutoff])?,
        };
        if dry_run {
            return Ok(counts);
        }
        counts.personal_data = self.execute(
            &format!(
                "UPDATE personal_data SET first_name = NULL, phone = NULL, best_time = NULL, notes = NULL,
                 purged_at = ?2 WHERE {personal_where}"
            ),
            args![cutoff, now],
        )?;
        counts.followup_notes = self.execute(
            &format!("UPDATE followup_notes SET notes = NULL, purged_at = ?2 WHERE {notes_where}"),
            args![cutoff, now],
        )?;
        counts.drafts = self.execute("DELETE FROM drafts WHERE updated_at < ?1", args![cutoff])?;
        Ok(counts)
    }

    /// The audit trail, oldest first: rows at or after `since` (RFC 3339 UTC) by `user`.
    pub fn audit_rows(&mut self, since: Option<&str>, user: Option<&str>) -> Result<Vec<AuditRow>, StoreError> {
        let user: Value = user.into();
        self.query(
            "SELECT id, at, \"user\", action, record FROM audit
             WHERE at >= ?1 AND (CAST(?2 AS TEXT) IS NULL OR \"user\" = ?2) ORDER BY at, id",
            &[since.unwrap_or("").into(), user],
        )?
        .iter()
        .map(|r| {
            Ok(AuditRow {
                id: r.int(0)?,
                at: r.text(1)?,
                user: r.text(2)?,
                action: r.text(3)?,
                record: r.text(4)?,
            })
        })
        .collect()
    }
}
