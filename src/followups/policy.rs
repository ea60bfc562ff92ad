//! The follow-up policy as pure functions: when a not-reached call is retried, when a
//! follow-up becomes unreachable, whether a lease is live, and how a queue row's state
//! reads on a given day. No clock is read here: `now` and `today` are always passed in.

use std::time::Duration;

use jiff::civil::{Date, Weekday};
use jiff::{Span, Timestamp};
use serde::Serialize;

/// When a not-reached follow-up is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// The next weekday after the call (a Friday call is retried on Monday).
    NextBusinessDay,
    /// This many calendar days after the call.
    Days(u32),
}

/// `[followups]` in config.toml, validated (see `crate::config::followup_policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// How long a claim lasts unless renewed.
    pub lease: Duration,
    /// Not-reached calls after which a follow-up is unreachable.
    pub max_attempts: u32,
    pub retry: Retry,
}

pub const DEFAULT_LEASE_MINUTES: u32 = 15;
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            lease: Duration::from_secs(60 * u64::from(DEFAULT_LEASE_MINUTES)),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            retry: Retry::NextBusinessDay,
        }
    }
}

/// What a not-reached call leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAttempt {
    /// Back to scheduled, to be tried on `due`.
    Retry { due: Date, attempts: u32 },
    /// No more tries.
    Unreachable { attempts: u32 },
}

/// The day after `today` that is not a Saturday or Sunday. Holidays are not known.
pub fn next_business_day(today: Date) -> Date {
    let days = match today.weekday() {
        Weekday::Friday => 3,
        Weekday::Saturday => 2,
        _ => 1,
    };
    add_days(today, days)
}

/// When a call made `today` that did not reach the caller is tried again.
pub fn retry_date(today: Date, retry: Retry) -> Date {
    match retry {
        Retry::NextBusinessDay => next_business_day(today),
        Retry::Days(n) => add_days(today, i64::from(n.max(1))),
    }
}

fn add_days(date: Date, days: i64) -> Date {
    // Saturates at the end of jiff's calendar (year 9999), far past any real follow-up.
    date.checked_add(Span::new().days(days)).unwrap_or(Date::MAX)
}

/// A not-reached call with `result` (`no_answer`, `left_message`, `wrong_number`), made
/// `today` on a follow-up already tried `attempts_before` times.
///
/// A wrong number ends the follow-up at once: calling the same number again cannot reach
/// the caller, and we have no other way to reach them.
pub fn after_attempt(attempts_before: u32, result: &str, today: Date, policy: &Policy) -> AfterAttempt {
    let attempts = attempts_before.saturating_add(1);
    if result == "wrong_number" || attempts >= policy.max_attempts {
        AfterAttempt::Unreachable { attempts }
    } else {
        AfterAttempt::Retry {
            due: retry_date(today, policy.retry),
            attempts,
        }
    }
}

/// Whether a lease that runs until `until` still holds at `now`. A lease ends after its
/// last second: the claim SQL frees a follow-up when `lease_until < now`.
pub fn lease_live(until: Timestamp, now: Timestamp) -> bool {
    until >= now
}

/// When a lease taken or renewed at `now` ends, to the second (as stored).
pub fn lease_end(now: Timestamp, lease: Duration) -> Timestamp {
    let end = now.checked_add(lease).unwrap_or(Timestamp::MAX);
    // Stored times are whole seconds; round down so the stored value is what we compare.
    Timestamp::from_second(end.as_second()).unwrap_or(end)
}

/// A follow-up's state as the queue shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Open, due after today.
    Scheduled,
    /// Open, due today.
    Due,
    /// Open, due before today.
    Overdue,
    /// A navigator holds a live lease on it.
    Claimed,
    Completed,
    Unreachable,
    Cancelled,
}

impl QueueState {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueState::Scheduled => "scheduled",
            QueueState::Due => "due",
            QueueState::Overdue => "overdue",
            QueueState::Claimed => "claimed",
            QueueState::Completed => "completed",
            QueueState::Unreachable => "unreachable",
            QueueState::Cancelled => "cancelled",
        }
    }

    /// Whether the follow-up is still to be worked (not completed, unreachable or cancelled).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            QueueState::Scheduled | QueueState::Due | QueueState::Overdue | QueueState::Claimed
        )
    }
}

impl std::fmt::Display for QueueState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The queue state of a follow-up stored as `stored` (`scheduled`, `claimed`, ...) due on
/// `due`, whose lease (if any) runs until `lease_until`. "Due" and "overdue" are derived
/// from the date; a claim whose lease has expired reads as free.
pub fn queue_state(stored: &str, due: Date, lease_until: Option<Timestamp>, today: Date, now: Timestamp) -> QueueState {
    match stored {
        "completed" => return QueueState::Completed,
        "unreachable" => return QueueState::Unreachable,
        "cancelled" => return QueueState::Cancelled,
        "claimed" if lease_until.is_some_and(|u| lease_live(u, now)) => return QueueState::Claimed,
        _ => {}
    }
    match due.cmp(&today) {
        std::cmp::Ordering::Less => QueueState::Overdue,
        std::cmp::Ordering::Equal => QueueState::Due,
        std::cmp::Ordering::Greater => QueueState::Scheduled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn next_business_day_skips_the_weekend() {
        // 2026-11-23 is a Monday.
        assert_eq!(next_business_day(d("2026-11-23")), d("2026-11-24"));
        assert_eq!(next_business_day(d("2026-11-26")), d("2026-11-27")); // Thu -> Fri
        assert_eq!(next_business_day(d("2026-11-27")), d("2026-11-30")); // Fri -> Mon
        assert_eq!(next_business_day(d("2026-11-28")), d("2026-11-30")); // Sat -> Mon
        assert_eq!(next_business_day(d("2026-11-29")), d("2026-11-30")); // Sun -> Mon
                                                                         // Across a month and a year end.
        assert_eq!(next_business_day(d("2027-12-31")), d("2028-01-03")); // Fri
    }

    #[test]
    fn retry_in_days_counts_calendar_days() {
        assert_eq!(retry_date(d("2026-11-27"), Retry::Days(2)), d("2026-11-29"));
        assert_eq!(retry_date(d("2026-02-27"), Retry::Days(3)), d("2026-03-02"));
        assert_eq!(retry_date(d("2026-11-27"), Retry::NextBusinessDay), d("2026-11-30"));
    }

    #[test]
    fn attempts_reschedule_until_the_maximum() {
        let policy = Policy::default();
        let friday = d("2026-11-27");
        assert_eq!(
            after_attempt(0, "no_answer", friday, &policy),
            AfterAttempt::Retry {
                due: d("2026-11-30"),
                attempts: 1
            }
        );
        assert_eq!(
            after_attempt(1, "left_message", d("2026-11-30"), &policy),
            AfterAttempt::Retry {
                due: d("2026-12-01"),
                attempts: 2
            }
        );
        assert_eq!(
            after_attempt(2, "no_answer", d("2026-12-01"), &policy),
            AfterAttempt::Unreachable { attempts: 3 }
        );
        let one = Policy {
            max_attempts: 1,
            retry: Retry::Days(4),
            ..policy
        };
        assert_eq!(
            after_attempt(0, "no_answer", friday, &one),
            AfterAttempt::Unreachable { attempts: 1 }
        );
        let five = Policy {
            max_attempts: 5,
            retry: Retry::Days(4),
            ..policy
        };
        assert_eq!(
            after_attempt(3, "no_answer", friday, &five),
            AfterAttempt::Retry {
                due: d("2026-12-01"),
                attempts: 4
            }
        );
    }

    #[test]
    fn a_wrong_number_is_unreachable_at_once() {
        let policy = Policy::default();
        assert_eq!(
            after_attempt(0, "wrong_number", d("2026-11-25"), &policy),
            AfterAttempt::Unreachable { attempts: 1 }
        );
    }

    #[test]
    fn leases_expire_after_their_last_second() {
        let start = t("2026-11-25T15:00:00Z");
        let end = lease_end(start, Policy::default().lease);
        assert_eq!(end, t("2026-11-25T15:15:00Z"));
        assert!(lease_live(end, t("2026-11-25T15:10:00Z")));
        assert!(lease_live(end, t("2026-11-25T15:15:00Z")));
        assert!(!lease_live(end, t("2026-11-25T15:15:01Z")));
        assert!(!lease_live(end, t("2026-11-25T15:16:00Z")));
        // Sub-second starts round down, as stored.
        let ragged = lease_end(t("2026-11-25T15:00:00.7Z"), Duration::from_secs(60));
        assert_eq!(ragged, t("2026-11-25T15:01:00Z"));
    }

    #[test]
    fn queue_state_derives_due_overdue_and_free_claims() {
        let today = d("2026-11-25");
        let now = t("2026-11-25T15:00:00Z");
        let q = |stored, due, until: Option<&str>| queue_state(stored, d(due), until.map(t), today, now);
        assert_eq!(q("scheduled", "2026-11-24", None), QueueState::Overdue);
        assert_eq!(q("scheduled", "2026-11-25", None), QueueState::Due);
        assert_eq!(q("scheduled", "2026-11-26", None), QueueState::Scheduled);
        let live = Some("2026-11-25T15:10:00Z");
        let expired = Some("2026-11-25T14:59:59Z");
        assert_eq!(q("claimed", "2026-11-24", live), QueueState::Claimed);
        assert_eq!(q("claimed", "2026-11-24", expired), QueueState::Overdue);
        assert_eq!(q("claimed", "2026-11-26", expired), QueueState::Scheduled);
        assert_eq!(q("completed", "2026-11-24", None), QueueState::Completed);
        assert_eq!(q("unreachable", "2026-11-24", None), QueueState::Unreachable);
        assert_eq!(q("cancelled", "2026-11-26", None), QueueState::Cancelled);
        assert!(QueueState::Claimed.is_open() && !QueueState::Completed.is_open());
        assert_eq!(serde_json::to_string(&QueueState::Overdue).unwrap(), "\"overdue\"");
    }
}
