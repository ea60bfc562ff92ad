//! The purge of personal data on the retention schedule (or by `admin purge`), and the
//! audit trail's reads.
//!
//! A purge removes the personal values of contacts that are done with: the caller's first
//! name, phone, best time and free-text notes (`personal_data`, and follow-up notes in
//! `followup_notes`), for contacts older than the limit whose follow-up is closed
//! (completed, unreachable, cancelled) since before the limit, or that had none. Drafts
//! older than the limit go too. Coded fields (needs, referrals, outcomes) stay, so reports
//! do not change. Each purge that changes anything writes one audit row with counts only.
//! Every purge then has the database make the purged values unrecoverable from its files
//! too (see [`crate::store::erase`]), and says when it could not yet.

use jiff::{SignedDuration, Timestamp};

use crate::casework::utc_text;
use crate::store::erase::PURGE_PATIENCE;
use crate::store::{Erased, Store, StoreError};

pub use crate::store::{AuditRow, PurgeCounts};

/// Follow-up states after which the caller's details are no longer needed.
pub const CLOSED_STATES: [&str; 3] = ["completed", "unreachable", "cancelled"];

/// `catalogue_meta` key: when the automatic retention purge last ran (RFC 3339 UTC).
pub const LAST_RUN_KEY: &str = "retention_last_run";

/// "personal_data=3 followup_notes=1 drafts=0": the audit record, counts only.
fn audit_record(c: &PurgeCounts) -> String {
    format!(
        "personal_data={} followup_notes={} drafts={}",
        c.personal_data, c.followup_notes, c.drafts
    )
}

impl PurgeCounts {
    pub fn total(&self) -> u64 {
        self.personal_data + self.followup_notes + self.drafts
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

impl Store {
    /// Purges personal data older than `cutoff` (see the module docs), auditing the run as
    /// `action` by `user` when it changed anything, then removes what was purged from the
    /// files, every time: a purge that found nothing new still clears copies an earlier
    /// one could not. With `dry_run`, only counts.
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
            let counts = tx.purge_personal(&CLOSED_STATES, &cutoff, &now, dry_run)?;
            if !dry_run {
                tx.forget_answers(&cutoff)?;
                if counts.total() > 0 {
                    tx.audit(&now, user, action, &audit_record(&counts))?;
                }
            }
            Ok(counts)
        })?;
        let erased = if dry_run {
            Erased::Clean
        } else {
            self.compact_personal_data(PURGE_PATIENCE)?
        };
        Ok(Purged { counts, erased })
    }

    /// The automatic purge of `[retention] personal_data_days`: runs at most once a day
    /// across every process on every server (the last run is kept in `catalogue_meta`,
    /// read and written under a lock). `None` when it had already run in the last 24 hours.
    pub fn retention_purge(&mut self, days: u32, now: Timestamp, user: &str) -> Result<Option<Purged>, StoreError> {
        let now_text = utc_text(now);
        let day_ago = utc_text(cutoff(now, 1));
        let cutoff_text = utc_text(cutoff(now, days));
        let counts = self.write(|tx| {
            tx.lock("retention")?;
            let last = tx.meta(LAST_RUN_KEY)?;
            if last.is_some_and(|l| l > day_ago && l <= now_text) {
                return Ok(None);
            }
            let counts = tx.purge_personal(&CLOSED_STATES, &cutoff_text, &now_text, false)?;
            tx.forget_answers(&cutoff_text)?;
            if counts.total() > 0 {
                tx.audit(&now_text, user, "retention.purge", &audit_record(&counts))?;
            }
            tx.set_meta(LAST_RUN_KEY, &now_text)?;
            Ok(Some(counts))
        })?;
        let Some(counts) = counts else { return Ok(None) };
        let erased = self.compact_personal_data(PURGE_PATIENCE)?;
        Ok(Some(Purged { counts, erased }))
    }

    /// The audit trail, oldest first: rows at or after `since` (RFC 3339 UTC) by `user`.
    pub fn audit_rows(&self, since: Option<&str>, user: Option<&str>) -> Result<Vec<AuditRow>, StoreError> {
        self.read(|tx| tx.audit_rows(since, user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::ContactInput;

    use crate::args;
    use crate::store::testing::each_backend;

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
        let rows = store.sql(
            "SELECT first_name, notes, purged_at FROM personal_data WHERE contact_id = ?1",
            args![id],
        );
        let r = &rows[0];
        (r.opt_text(0).unwrap(), r.opt_text(1).unwrap(), r.opt_text(2).unwrap())
    }

    #[test]
    fn purges_old_closed_contacts_and_keeps_open_follow_ups() {
        each_backend(|db| {
            let mut store = db.open();
            let old_plain = add(&mut store, "2026-01-02T10:00:00Z", false);
            let old_open = add(&mut store, "2026-01-03T10:00:00Z", true);
            let recent = add(&mut store, "2026-06-01T10:00:00Z", false);
            store
                .save_draft("ana", "contact", "{\"first_name\":\"Zelda\"}")
                .unwrap();
            store.sql("UPDATE drafts SET updated_at = '2026-01-01T00:00:00Z'", &[]);
            let needs_before: i64 = store.sql_int("SELECT count(*) FROM needs", &[]);

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
            let needs_after: i64 = store.sql_int("SELECT count(*) FROM needs", &[]);
            assert_eq!(needs_before, needs_after, "coded fields stay");

            // Once the follow-up closes (and that too is older than the limit), it goes as well.
            store.sql(
                "UPDATE followups SET state = 'completed', updated_at = '2026-01-10T00:00:00Z' WHERE contact_id = ?1",
                args![old_open],
            );
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
        });
    }

    #[test]
    fn the_retention_purge_runs_at_most_once_a_day() {
        each_backend(|db| {
            let mut store = db.open();
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
        });
    }
}
