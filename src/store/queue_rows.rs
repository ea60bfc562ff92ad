//! Follow-up reads: queue rows, the counts of a status line, and a follow-up's attempts,
//! outcome and notes. Rows carry what is stored; `crate::followups` decides what a lease
//! and a due date mean.

use super::followup_rows::FollowupRow;
use super::records::{Attempt, ReferralOutcome, StoredOutcome};
use super::{Row, StoreError, Tx, Value};
use crate::args;

/// A queue row as stored: no personal values.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: i64,
    /// The follow-up's own columns, as a claim reads them.
    pub followup: FollowupRow,
    pub municipality: Option<String>,
    /// Need categories in the order recorded.
    pub needs: Vec<String>,
    pub referrals: usize,
    pub last_attempt: Option<String>,
    pub last_attempt_at: Option<String>,
    pub recorded_by: String,
    /// The contact's caller language (coded).
    pub language: Option<String>,
}

/// A follow-up's caller as the app's queue shows it: (follow-up id, first name, best time).
pub type CallerRow = (i64, Option<String>, Option<String>);

/// Which follow-ups a queue read returns.
#[derive(Debug, Clone)]
pub enum QueueFilter {
    /// Open, due on or before the date (YYYY-MM-DD).
    DueBy(String),
    /// Open, due after the date.
    After(String),
    All,
    One(i64),
}

/// One queue row per follow-up; `{where}` filters `f` (followups) and `c` (contacts).
const QUEUE_SQL: &str = "SELECT f.id, f.contact_id, f.due, f.state, f.attempts, f.lease_owner,
     f.lease_until, f.claimed_at, c.municipality,
     (SELECT string_agg(n.category, ',' ORDER BY n.position) FROM needs n
      WHERE n.contact_id = f.contact_id),
     (SELECT count(*) FROM referrals r WHERE r.contact_id = f.contact_id),
     a.result, a.at, c.navigator, c.language
     FROM followups f JOIN contacts c ON c.id = f.contact_id
     LEFT JOIN attempts a ON a.id =
         (SELECT max(l.id) FROM attempts l WHERE l.followup_id = f.id)
     WHERE {where} ORDER BY f.due, f.id";

const OPEN: &str = "f.state IN ('scheduled', 'claimed')";

fn queue_row(r: &Row) -> Result<QueueRow, StoreError> {
    Ok(QueueRow {
        id: r.int(0)?,
        followup: FollowupRow::read(r, 1)?,
        municipality: r.opt_text(8)?,
        needs: r
            .opt_text(9)?
            .map(|n| n.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        referrals: r.count(10)? as usize,
        last_attempt: r.opt_text(11)?,
        last_attempt_at: r.opt_text(12)?,
        recorded_by: r.text(13)?,
        language: r.opt_text(14)?,
    })
}

/// Open follow-ups by due date and `user`'s live claims, for a status line.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountRow {
    pub overdue: u64,
    pub due_today: u64,
    pub upcoming: u64,
    pub mine: u64,
}

impl Tx<'_> {
    /// Open follow-ups' caller first names and best times (personal; for the app's queue
    /// rows only): (follow-up id, first name, best time).
    pub fn queue_callers(&mut self) -> Result<Vec<CallerRow>, StoreError> {
        self.query(
            &format!(
                "SELECT f.id, p.first_name, p.best_time FROM followups f
                 JOIN personal_data p ON p.contact_id = f.contact_id
                 WHERE {OPEN} AND p.purged_at IS NULL"
            ),
            &[],
        )?
        .iter()
        .map(|r| Ok((r.int(0)?, r.opt_text(1)?, r.opt_text(2)?)))
        .collect()
    }

    pub fn queue_rows(&mut self, filter: &QueueFilter) -> Result<Vec<QueueRow>, StoreError> {
        let (filter, args): (String, Vec<Value>) = match filter {
            QueueFilter::DueBy(day) => (format!("{OPEN} AND f.due <= ?1"), vec![day.into()]),
            QueueFilter::After(day) => (format!("{OPEN} AND f.due > ?1"), vec![day.into()]),
            QueueFilter::All => ("1 = 1".to_string(), vec![]),
            QueueFilter::One(id) => ("f.id = ?1".to_string(), vec![(*id).into()]),
        };
        self.query(&QUEUE_SQL.replace("{where}", &filter), &args)?
            .iter()
            .map(queue_row)
            .collect()
    }

    /// Counts of open follow-ups against `today` (YYYY-MM-DD), and `user`'s claims live
    /// at `now`.
    pub fn followup_counts(&mut self, today: &str, user: &str, now: &str) -> Result<CountRow, StoreError> {
        let sql = format!(
            "SELECT count(*) FILTER (WHERE f.due < ?1), count(*) FILTER (WHERE f.due = ?1),
             count(*) FILTER (WHERE f.due > ?1),
             count(*) FILTER (WHERE f.state = 'claimed' AND f.lease_owner = ?2 AND f.lease_until >= ?3)
             FROM followups f WHERE {OPEN}"
        );
        let Some(r) = self.one(&sql, args![today, user, now])? else {
            return Ok(CountRow::default());
        };
        Ok(CountRow {
            overdue: r.count(0)?,
            due_today: r.count(1)?,
            upcoming: r.count(2)?,
            mine: r.count(3)?,
        })
    }

    /// Outcomes recorded from `from` (inclusive) to `to` (exclusive), stored UTC text.
    pub fn outcomes_between(&mut self, from: &str, to: &str) -> Result<u64, StoreError> {
        self.number(
            "SELECT count(*) FROM outcomes WHERE completed_at >= ?1 AND completed_at < ?2",
            args![from, to],
        )
    }

    pub fn attempts(&mut self, id: i64) -> Result<Vec<Attempt>, StoreError> {
        self.query(
            "SELECT at, by, result FROM attempts WHERE followup_id = ?1 ORDER BY id",
            args![id],
        )?
        .iter()
        .map(|r| {
            Ok(Attempt {
                at: r.text(0)?,
                by: r.text(1)?,
                result: r.text(2)?,
            })
        })
        .collect()
    }

    pub fn outcome(&mut self, id: i64) -> Result<Option<StoredOutcome>, StoreError> {
        let Some(r) = self.one(
            "SELECT reached, result, better_prepared, health_improved, satisfaction,
             would_call_again, completed_at, completed_by FROM outcomes WHERE followup_id = ?1",
            args![id],
        )?
        else {
            return Ok(None);
        };
        let mut outcome = StoredOutcome {
            reached: r.bool(0)?,
            result: r.text(1)?,
            referrals: Vec::new(),
            better_prepared: r.opt_bool(2)?,
            health_improved: r.opt_text(3)?,
            satisfaction: r.opt_text(4)?,
            would_call_again: r.opt_bool(5)?,
            completed_at: r.text(6)?,
            completed_by: r.text(7)?,
        };
        for r in self.query(
            "SELECT service_id, contacted, got_help, barrier FROM outcome_referrals
             WHERE followup_id = ?1 ORDER BY position",
            args![id],
        )? {
            outcome.referrals.push(ReferralOutcome {
                service_id: r.text(0)?,
                contacted: r.bool(1)?,
                got_help: r.text(2)?,
                barrier: r.opt_text(3)?,
            });
        }
        Ok(Some(outcome))
    }

    /// Notes taken on follow-up calls, unless purged.
    pub fn followup_notes(&mut self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .one(
                "SELECT notes FROM followup_notes WHERE followup_id = ?1 AND purged_at IS NULL",
                args![id],
            )?
            .map(|r| r.opt_text(0))
            .transpose()?
            .flatten())
    }
}
