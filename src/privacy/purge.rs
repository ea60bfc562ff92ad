//! The purge of personal data on the retention schedule (or by `admin purge`), and the
//! audit trail's reads.
//!
//! A purge removes the personal values of contacts that are done with: the caller's first
//! name, phone, best time and free-text notes (`personal_data`, and follow-up notes in
//! `followup_notes` when that table exists), for contacts older than the limit whose
//! follow-up is closed (completed, unreachable, cancelled) since before the limit, or that
//! had none. Drafts older than the limit go too. Coded fields (needs, referrals, outcomes)
//! stay, so reports do not change. Each purge that changes anything writes one audit row
//! with counts only.

use jiff::{SignedDuration, Timestamp};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use crate::casework::store::audit;
use crate::casework::utc_text;
use crate::store::erase::PURGE_PATIENCE;
use crate::store::{Erased, Store, StoreError};

/// Follow-up states after which the caller's details are no longer needed.
pub const CLOSED_STATES: [&str; 3] = ["completed", "unreachable", "cancelled"];

/// `catalogue_meta` key: when the automatic retention purge last ran (RFC 3339 UTC).
pub const LAST_RUN_KEY: &str = "retention_last_run";

/// What a purge removed (or, dry, would remove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeCounts {
    /// Contacts whose personal data (name, phone, best time, notes) was cleared.
    pub personal_data: u64,
    /// Follow-up notes cleared.
    pub followup_notes: u64,
    /// Drafts deleted.
    pub drafts: u64,
}

impl PurgeCounts {
    pub fn total(&self) -> u64 {
        self.personal_data + self.followup_notes + self.drafts
    }

    /// "personal_data=3 followup_notes=1 drafts=0": the audit record, counts only.
    fn audit_record(&self) -> String {
        format!(
            "personal_data={} followup_notes={} drafts={}",
            self.personal_data, self.followup_notes, self.drafts
        )
    }
}

/// A purge's counts, and whether the purged values are gone from the files too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub counts: PurgeCounts,
    /// `WalBusy` when other processes kept reading so long that copies may remain in
    /// `navigator.db-wal`; a later purge clears them. Always `Clean` for a dry run.
    pub erased: Erased,
}

/// The moment `days` days before `now`.
pub fn cutoff(now: Timestamp, days: u32) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(Timestamp::MIN)
}

/// The contacts a purge applies to, as SQL over `contacts c`, with `?1` the cutoff.
const DONE_CONTACTS: &str = "SELECT c.id FROM contacts c LEFT JOIN followups f ON f.contact_id = c.id
     WHERE c.started_at < ?1
       AND (f.id IS NULL OR (f.state IN ('completed', 'unreachable', 'cancelled') AND f.updated_at < ?1))";

/// Whether `table` exists with `column` (tables other parts of navigator add later).
fn has_column(tx: &Transaction, table: &str, column: &str) -> rusqlite::Result<bool> {
    let exists: Option<String> = tx
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(false);
    }
    let mut stmt = tx.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for name in names {
        if name? == column {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The purge itself, inside the caller's transaction. With `dry_run`, counts only.
fn purge_in(tx: &Transaction, cutoff: &str, now: &str, dry_run: bool) -> rusqlite::Result<PurgeCounts> {
    let mut counts = PurgeCounts::default();
    let personal_where = format!(
        "contact_id IN ({DONE_CONTACTS}) AND purged_at IS NULL
         AND (first_name IS NOT NULL OR phone IS NOT NULL OR best_time IS NOT NULL OR notes IS NOT NULL)"
    );
    counts.personal_data = tx.query_row(
        &format!("SELECT count(*) FROM personal_data WHERE {personal_where}"),
        [cutoff],
        |r| r.get::<_, i64>(0),
    )? as u64;
    if !dry_run {
        tx.execute(
            &format!(
                "UPDATE personal_data SET first_name = NULL, phone = NULL, best_time = NULL, notes = NULL,
                 purged_at = ?2 WHERE {personal_where}"
            ),
            params![cutoff, now],
        )?;
    }
    if has_column(tx, "followup_notes", "notes")? {
        let stamped = has_column(tx, "followup_notes", "purged_at")?;
        let notes_where = format!(
            "followup_id IN (SELECT f.id FROM followups f WHERE f.contact_id IN ({DONE_CONTACTS}))
             AND notes IS NOT NULL"
        );
        counts.followup_notes = tx.query_row(
            &format!("SELECT count(*) FROM followup_notes WHERE {notes_where}"),
            [cutoff],
            |r| r.get::<_, i64>(0),
        )? as u64;
        if !dry_run {
            let set = if stamped {
                "notes = NULL, purged_at = ?2"
            } else {
                "notes = NULL"
            };
            let sql = format!("UPDATE followup_notes SET {set} WHERE {notes_where}");
            if stamped {
                tx.execute(&sql, params![cutoff, now])?;
            } else {
                tx.execute(&sql, params![cutoff])?;
            }
        }
    }
    counts.drafts = tx.query_row("SELECT count(*) FROM drafts WHERE updated_at < ?1", [cutoff], |r| {
        r.get::<_, i64>(0)
    })? as u64;
    if !dry_run {
        tx.execute("DELETE FROM drafts WHERE updated_at < ?1", [cutoff])?;
        // Idempotency keys hold a hash of the request (personal values included): they
        // are for retries within minutes, not for keeping.
        if has_column(tx, "idempotency_keys", "created_at")? {
            tx.execute("DELETE FROM idempotency_keys WHERE created_at < ?1", [cutoff])?;
        }
    }
    Ok(counts)
}

/// One row of the audit trail. Records name ids and counts, never personal values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub user: String,
    pub action: String,
    pub record: String,
}

impl Store {
    /// Purges personal data older than `cutoff` (see the module docs), auditing the run as
    /// `action` by `user` when it changed anything, then removes what was purged from the
    /// files (see [`crate::store::erase`]), every time: a purge that found nothing new
    /// still clears copies an earlier one could not. With `dry_run`, only counts.
    pub fn purge_personal_data(
        &mut self,
        cutoff: Timestamp,
        now: Timestamp,
        dry_run: bool,
        user: &str,
        action: &str,
    ) -> Result<Purged, StoreError> {
        let (cutoff, now) = (utc_text(cutoff), utc_text(now));
        let counts = self.write(|tx| {
            let counts = purge_in(tx, &cutoff, &now, dry_run)?;
            if !dry_run && counts.total() > 0 {
                audit(tx, &now, user, action, &counts.audit_record())?;
            }
            Ok(counts)
        })?;
        let erased = if dry_run {
            Erased::Clean
        } else {
            self.erase_freed(PURGE_PATIENCE)?
        };
        Ok(Purged { counts, erased })
    }

    /// The automatic purge of `[retention] personal_data_days`: runs at most once a day
    /// across every process (the last run is kept in `catalogue_meta`). `None` when it had
    /// already run in the last 24 hours.
    pub fn retention_purge(&mut self, days: u32, now: Timestamp, user: &str) -> Result<Option<Purged>, StoreError> {
        let now_text = utc_text(now);
        let day_ago = utc_text(cutoff(now, 1));
        let cutoff_text = utc_text(cutoff(now, days));
        let counts = self.write(|tx| {
            let last: Option<String> = tx
                .query_row("SELECT value FROM catalogue_meta WHERE key = ?1", [LAST_RUN_KEY], |r| {
                    r.get(0)
                })
                .optional()?;
            if last.is_some_and(|l| l > day_ago && l <= now_text) {
                return Ok(None);
            }
            let counts = purge_in(tx, &cutoff_text, &now_text, false)?;
            if counts.total() > 0 {
                audit(tx, &now_text, user, "retention.purge", &counts.audit_record())?;
            }
            tx.execute(
                "INSERT INTO catalogue_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
                [LAST_RUN_KEY, &now_text],
            )?;
            Ok(Some(counts))
        })?;
        let Some(counts) = counts else { return Ok(None) };
        let erased = self.erase_freed(PURGE_PATIENCE)?;
        Ok(Some(Purged { counts, erased }))
    }

    /// The audit trail, oldest first: rows at or after `since` (RFC 3339 UTC) by `user`.
    pub fn audit_rows(&self, since: Option<&str>, user: Option<&str>) -> Result<Vec<AuditRow>, StoreError> {
        let read = || -> rusqlite::Result<Vec<AuditRow>> {
            let mut stmt = self.conn().prepare(
                "SELECT id, at, user, action, record FROM audit
                 WHERE at >= ?1 AND (?2 IS NULL OR user = ?2) ORDER BY at, id",
            )?;
            let rows = stmt.query_map(params![since.unwrap_or(""), user], |r| {
                Ok(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    action: r.get(3)?,
                    record: r.get(4)?,
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::ContactInput;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("navigator.db")).unwrap();
        (dir, store)
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn add(store: &mut Store, at: &str, follow_up: bool) -> i64 {
        let mut json = serde_json::json!({
            "channel": "phone",
            "started_at": at,
            "needs": [{"category": "food", "met": true}],
            "notes": "Secret note",
        });
        if follow_up {
            json["follow_up"] = serde_json::json!({"consent": true, "first_name": "Zelda", "phone": "705-555-0199", "due": "2026-01-20"});
        }
        let input: ContactInput = serde_json::from_value(json).unwrap();
        let now = ts(at);
        let today = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        store.add_contact(&input, "ana", now, today).unwrap().id
    }

    fn personal(store: &Store, id: i64) -> (Option<String>, Option<String>, Option<String>) {
        store
            .conn()
            .query_row(
                "SELECT first_name, notes, purged_at FROM personal_data WHERE contact_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    }

    #[test]
    fn purges_old_closed_contacts_and_keeps_open_follow_ups() {
        let (_dir, mut store) = store();
        let old_plain = add(&mut store, "2026-01-02T10:00:00Z", false);
        let old_open = add(&mut store, "2026-01-03T10:00:00Z", true);
        let recent = add(&mut store, "2026-06-01T10:00:00Z", false);
        store
            .save_draft("ana", "contact", "{\"first_name\":\"Zelda\"}")
            .unwrap();
        store
            .conn()
            .execute("UPDATE drafts SET updated_at = '2026-01-01T00:00:00Z'", [])
            .unwrap();
        let needs_before: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM needs", [], |r| r.get(0))
            .unwrap();

        let now = ts("2026-06-02T00:00:00Z");
        let dry = store
            .purge_personal_data(cutoff(now, 90), now, true, "admin", "admin.purge")
            .unwrap()
            .counts;
        assert_eq!(
            dry,
            PurgeCounts {
                personal_data: 1,
                followup_notes: 0,
                drafts: 1
            }
        );
        assert_eq!(personal(&store, old_plain).0, None, "no first name was given");
        assert_eq!(
            personal(&store, old_plain).1.as_deref(),
            Some("Secret note"),
            "a dry run changes nothing"
        );

        let done = store
            .purge_personal_data(cutoff(now, 90), now, false, "admin", "admin.purge")
            .unwrap()
            .counts;
        assert_eq!(done, dry);
        assert_eq!(
            personal(&store, old_plain),
            (None, None, Some("2026-06-02T00:00:00Z".into()))
        );
        assert_eq!(
            personal(&store, old_open).0.as_deref(),
            Some("Zelda"),
            "the follow-up is still open"
        );
        assert_eq!(
            personal(&store, recent).1.as_deref(),
            Some("Secret note"),
            "younger than the limit"
        );
        assert!(store.load_draft("ana", "contact").unwrap().is_none());
        let needs_after: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM needs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(needs_before, needs_after, "coded fields stay");

        // Once the follow-up closes (and that too is older than the limit), it goes as well.
        store
            .conn()
            .execute(
                "UPDATE followups SET state = 'completed', updated_at = '2026-01-10T00:00:00Z' WHERE contact_id = ?1",
                [old_open],
            )
            .unwrap();
        let again = store
            .purge_personal_data(cutoff(now, 90), now, false, "admin", "admin.purge")
            .unwrap()
            .counts;
        assert_eq!(again.personal_data, 1);
        assert_eq!(personal(&store, old_open).0, None);

        let audit = store.audit_rows(None, Some("admin")).unwrap();
        assert_eq!(audit.len(), 2, "one row per purge that changed something: {audit:?}");
        assert_eq!(audit[0].record, "personal_data=1 followup_notes=0 drafts=1");
        for row in store.audit_rows(None, None).unwrap() {
            assert!(!row.record.contains("Zelda") && !row.record.contains("Secret"));
        }
    }

    #[test]
    fn the_retention_purge_runs_at_most_once_a_day() {
        let (_dir, mut store) = store();
        add(&mut store, "2026-01-02T10:00:00Z", false);
        let now = ts("2026-06-02T00:00:00Z");
        let first = store.retention_purge(30, now, "ana").unwrap();
        assert_eq!(first.map(|p| p.counts.personal_data), Some(1));
        let later = ts("2026-06-02T20:00:00Z");
        assert_eq!(store.retention_purge(30, later, "ana").unwrap(), None);
        let next_day = ts("2026-06-03T01:00:00Z");
        assert_eq!(
            store
                .retention_purge(30, next_day, "ana")
                .unwrap()
                .map(|p| p.counts.total()),
            Some(0)
        );
    }
}
