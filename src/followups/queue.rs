//! Follow-up reads: the queue, its counts, and one follow-up in full. Queue rows and
//! counts carry no personal values; only the detail does.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

use super::store::row_state;
use super::{Attempt, Caller, Counts, FollowupDetail, QueueItem, QueueView, ReferralOutcome, StoredOutcome};
use crate::casework::{start_of_day, utc_text};
use crate::store::{Store, StoreError};

/// One queue row per follow-up; `{where}` filters `f` (followups) and `c` (contacts).
const QUEUE_SQL: &str = "SELECT f.id, f.contact_id, f.due, f.state, f.attempts, f.lease_owner,
     f.lease_until, f.claimed_at, c.municipality,
     (SELECT group_concat(n.category, ',' ORDER BY n.position) FROM needs n
      WHERE n.contact_id = f.contact_id),
     (SELECT count(*) FROM referrals r WHERE r.contact_id = f.contact_id),
     a.result, a.at, c.navigator, c.language
     FROM followups f JOIN contacts c ON c.id = f.contact_id
     LEFT JOIN attempts a ON a.id =
         (SELECT max(l.id) FROM attempts l WHERE l.followup_id = f.id)
     WHERE {where} ORDER BY f.due, f.id";

const OPEN: &str = "f.state IN ('scheduled', 'claimed')";

fn queue(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
    today: Date,
    now: Timestamp,
) -> rusqlite::Result<Vec<QueueItem>> {
    let now_text = utc_text(now);
    let mut stmt = conn.prepare(&QUEUE_SQL.replace("{where}", filter))?;
    let rows = stmt.query_map(args, |r| {
        let due: String = r.get(2)?;
        let stored: String = r.get(3)?;
        let lease_owner: Option<String> = r.get(5)?;
        let lease_until: Option<String> = r.get(6)?;
        let live = stored == "claimed" && lease_until.as_deref().is_some_and(|u| u >= now_text.as_str());
        let needs: Option<String> = r.get(9)?;
        Ok(QueueItem {
            id: r.get(0)?,
            contact_id: r.get(1)?,
            state: row_state(&stored, &due, lease_until.as_deref(), today, now)?,
            due,
            attempts: r.get(4)?,
            claimed_by: lease_owner.filter(|_| live),
            claimed_at: r.get::<_, Option<String>>(7)?.filter(|_| live),
            lease_until: lease_until.filter(|_| live),
            municipality: r.get(8)?,
            needs: needs
                .map(|n| n.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            referrals: r.get::<_, i64>(10)? as usize,
            last_attempt: r.get(11)?,
            last_attempt_at: r.get(12)?,
            recorded_by: r.get(13)?,
            language: r.get(14)?,
        })
    })?;
    rows.collect()
}

impl Store {
    /// The queue: `view` picks which follow-ups, oldest due first. `today` decides due and
    /// overdue; `now` decides whose leases are live.
    pub fn followups(&self, view: QueueView, today: Date, now: Timestamp) -> Result<Vec<QueueItem>, StoreError> {
        let today_text = today.to_string();
        let (filter, args): (String, Vec<&dyn rusqlite::ToSql>) = match view {
            QueueView::Due => (format!("{OPEN} AND f.due <= ?1"), vec![&today_text]),
            QueueView::Upcoming => (format!("{OPEN} AND f.due > ?1"), vec![&today_text]),
            QueueView::All => ("1".to_string(), vec![]),
        };
        queue(self.conn(), &filter, &args, today, now).map_err(|e| self.err(e))
    }

    /// Counts for a status line: open follow-ups by due date, those closed by a call today
    /// (local day), and `user`'s live claims.
    pub fn followup_counts(&self, user: &str, today: Date, now: Timestamp) -> Result<Counts, StoreError> {
        let read = || -> rusqlite::Result<Counts> {
            let conn = self.conn();
            let today_text = today.to_string();
            let (overdue, due_today, upcoming, mine): (i64, i64, i64, i64) = conn.query_row(
                &format!(
                    "SELECT coalesce(sum(f.due < ?1), 0), coalesce(sum(f.due = ?1), 0),
                     coalesce(sum(f.due > ?1), 0),
                     coalesce(sum(f.state = 'claimed' AND f.lease_owner = ?2
                                  AND f.lease_until >= ?3), 0)
                     FROM followups f WHERE {OPEN}"
                ),
                params![today_text, user, utc_text(now)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let tomorrow = today.tomorrow().unwrap_or(today);
            let done_today: i64 = conn.query_row(
                "SELECT count(*) FROM outcomes WHERE completed_at >= ?1 AND completed_at < ?2",
                [start_of_day(today), start_of_day(tomorrow)],
                |r| r.get(0),
            )?;
            Ok(Counts {
                overdue: overdue as usize,
                due_today: due_today as usize,
                upcoming: upcoming as usize,
                done_today: done_today as usize,
                mine: mine as usize,
            })
        };
        read().map_err(|e| self.err(e))
    }

    /// For the app's queue rows: each follow-up's caller first name and best time to call
    /// (personal, so never in `QueueItem` or `followups due --json`), by follow-up id.
    pub fn queue_callers(&self) -> Result<std::collections::HashMap<i64, Caller>, StoreError> {
        let read = || -> rusqlite::Result<std::collections::HashMap<i64, Caller>> {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT f.id, p.first_name, p.best_time FROM followups f
                 JOIN personal_data p ON p.contact_id = f.contact_id
                 WHERE {OPEN} AND p.purged_at IS NULL"
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Caller {
                        first_name: r.get(1)?,
                        best_time: r.get(2)?,
                    },
                ))
            })?;
            rows.collect()
        };
        read().map_err(|e| self.err(e))
    }

    /// One follow-up in full, personal details included, or None when there is no such id.
    /// Read in one snapshot. Due and overdue are judged on `now`'s local date.
    pub fn followup_detail(&self, id: i64, now: Timestamp) -> Result<Option<FollowupDetail>, StoreError> {
        let today = now.to_zoned_datetime(TimeZone::system()).date();
        let tx = self.conn().unchecked_transaction().map_err(|e| self.err(e))?;
        let item = queue(&tx, "f.id = ?1", &[&id], today, now)
            .map_err(|e| self.err(e))?
            .pop();
        let Some(item) = item else {
            return Ok(None);
        };
        let Some(record) = self.contact(item.contact_id)? else {
            return Ok(None);
        };
        let read = || -> rusqlite::Result<(Vec<Attempt>, Option<StoredOutcome>, Option<String>)> {
            Ok((attempts(&tx, id)?, outcome(&tx, id)?, notes(&tx, id)?))
        };
        let (attempts, outcome, notes) = read().map_err(|e| self.err(e))?;
        let personal = record.personal;
        Ok(Some(FollowupDetail {
            item,
            contact: record.contact,
            first_name: personal.as_ref().and_then(|p| p.first_name.clone()),
            phone: personal.as_ref().and_then(|p| p.phone.clone()),
            best_time: personal.as_ref().and_then(|p| p.best_time.clone()),
            contact_notes: personal.and_then(|p| p.notes),
            notes,
            attempts,
            outcome,
        }))
    }
}

fn attempts(conn: &Connection, id: i64) -> rusqlite::Result<Vec<Attempt>> {
    let mut stmt = conn.prepare("SELECT at, by, result FROM attempts WHERE followup_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([id], |r| {
        Ok(Attempt {
            at: r.get(0)?,
            by: r.get(1)?,
            result: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn outcome(conn: &Connection, id: i64) -> rusqlite::Result<Option<StoredOutcome>> {
    let outcome = conn
        .query_row(
            "SELECT reached, result, better_prepared, health_improved, satisfaction,
             would_call_again, completed_at, completed_by FROM outcomes WHERE followup_id = ?1",
            [id],
            |r| {
                Ok(StoredOutcome {
                    reached: r.get(0)?,
                    result: r.get(1)?,
                    referrals: Vec::new(),
                    better_prepared: r.get(2)?,
                    health_improved: r.get(3)?,
                    satisfaction: r.get(4)?,
                    would_call_again: r.get(5)?,
                    completed_at: r.get(6)?,
                    completed_by: r.get(7)?,
                })
            },
        )
        .optional()?;
    let Some(mut outcome) = outcome else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT service_id, contacted, got_help, barrier FROM outcome_referrals
         WHERE followup_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ReferralOutcome {
            service_id: r.get(0)?,
            contacted: r.get(1)?,
            got_help: r.get(2)?,
            barrier: r.get(3)?,
        })
    })?;
    outcome.referrals = rows.collect::<Result<_, _>>()?;
    Ok(Some(outcome))
}

fn notes(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    let notes: Option<Option<String>> = conn
        .query_row(
            "SELECT notes FROM followup_notes WHERE followup_id = ?1 AND purged_at IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(notes.flatten())
}
