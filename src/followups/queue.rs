//! Follow-up reads: the queue, its counts, and one follow-up in full. Queue rows and
//! counts carry no personal values; only the detail does. The store gives the rows as
//! stored; here a lease is judged live or lapsed and a due date due or overdue.

use jiff::civil::Date;
use jiff::Timestamp;

use super::actions::row_state;
use super::{Caller, Counts, FollowupDetail, QueueItem, QueueView};
use crate::casework::{start_of_day, utc_text};
use crate::store::{QueueFilter, QueueRow, Store, StoreError, Tx};

fn item(row: QueueRow, today: Date, now: Timestamp) -> Result<QueueItem, StoreError> {
    let now_text = utc_text(now);
    let f = row.followup;
    let live = f.state == "claimed" && f.lease_until.as_deref().is_some_and(|u| u >= now_text.as_str());
    Ok(QueueItem {
        id: row.id,
        contact_id: f.contact_id,
        state: row_state(&f.state, &f.due, f.lease_until.as_deref(), today, now)?,
        due: f.due,
        attempts: f.attempts,
        claimed_by: f.lease_owner.filter(|_| live),
        claimed_at: f.claimed_at.filter(|_| live),
        lease_until: f.lease_until.filter(|_| live),
        municipality: row.municipality,
        needs: row.needs,
        referrals: row.referrals,
        last_attempt: row.last_attempt,
        last_attempt_at: row.last_attempt_at,
        recorded_by: row.recorded_by,
        language: row.language,
    })
}

fn items(tx: &mut Tx, filter: &QueueFilter, today: Date, now: Timestamp) -> Result<Vec<QueueItem>, StoreError> {
    tx.queue_rows(filter)?
        .into_iter()
        .map(|r| item(r, today, now))
        .collect()
}

impl Store {
    /// The queue: `view` picks which follow-ups, oldest due first. `today` decides due and
    /// overdue; `now` decides whose leases are live.
    pub fn followups(&self, view: QueueView, today: Date, now: Timestamp) -> Result<Vec<QueueItem>, StoreError> {
        let filter = match view {
            QueueView::Due => QueueFilter::DueBy(today.to_string()),
            QueueView::Upcoming => QueueFilter::After(today.to_string()),
            QueueView::All => QueueFilter::All,
        };
        self.read(|tx| items(tx, &filter, today, now))
    }

    /// Counts for a status line: open follow-ups by due date, those closed by a call today
    /// (local day), and `user`'s live claims.
    pub fn followup_counts(&self, user: &str, today: Date, now: Timestamp) -> Result<Counts, StoreError> {
        let tomorrow = today.tomorrow().unwrap_or(today);
        self.read(|tx| {
            let c = tx.followup_counts(&today.to_string(), user, &utc_text(now))?;
            let done_today = tx.outcomes_between(&start_of_day(today), &start_of_day(tomorrow))?;
            Ok(Counts {
                overdue: c.overdue as usize,
                due_today: c.due_today as usize,
                upcoming: c.upcoming as usize,
                done_today: done_today as usize,
                mine: c.mine as usize,
            })
        })
    }

    /// For the app's queue rows: each open follow-up's caller first name and best time to
    /// call (personal, so never in `QueueItem` or `followups due --json`), by follow-up id.
    pub fn queue_callers(&self) -> Result<std::collections::HashMap<i64, Caller>, StoreError> {
        let rows = self.read(|tx| tx.queue_callers())?;
        Ok(rows
            .into_iter()
            .map(|(id, first_name, best_time)| (id, Caller { first_name, best_time }))
            .collect())
    }

    /// One follow-up in full, personal details included, or None when there is no such id.
    /// Read in one snapshot. Due and overdue are judged on `now`'s local date.
    pub fn followup_detail(&self, id: i64, now: Timestamp) -> Result<Option<FollowupDetail>, StoreError> {
        let today = crate::clock::local(now).date();
        self.read(|tx| {
            let Some(item) = items(tx, &QueueFilter::One(id), today, now)?.pop() else {
                return Ok(None);
            };
            let Some(record) = crate::casework::save::contact_record(tx, item.contact_id)? else {
                return Ok(None);
            };
            let personal = record.personal;
            Ok(Some(FollowupDetail {
                item,
                contact: record.contact,
                first_name: personal.as_ref().and_then(|p| p.first_name.clone()),
                phone: personal.as_ref().and_then(|p| p.phone.clone()),
                best_time: personal.as_ref().and_then(|p| p.best_time.clone()),
                contact_notes: personal.and_then(|p| p.notes),
                notes: tx.followup_notes(id)?,
                attempts: tx.attempts(id)?,
                outcome: tx.outcome(id)?,
            }))
        })
    }
}
