//! Outcome follow-ups: the queue of callers to call back, claims that keep two navigators
//! (each in their own process) off the same caller, and what the call found out.
//!
//! - [`policy`]: pure state machine and date arithmetic (retry dates, attempts, leases).
//! - [`outcome`]: the outcome JSON / form shape and its validation.
//! - [`actions`] (claim, complete, ...) and `queue` (reads): the rules, over the store's rows.
//!
//! States: `scheduled` (due and overdue are derived from the date) -> `claimed` (one
//! navigator, with a lease) -> `completed`, or back to `scheduled` after a not-reached call
//! (attempts + 1, a new due date), or `unreachable` after the last attempt, or `cancelled`.
//! An expired lease frees the follow-up; nothing needs to sweep it.
//!
//! Queue rows, counts, claims, results and the audit trail carry no personal values; only
//! [`FollowupDetail`] does (the caller's first name, phone, best time and notes).

pub mod actions;
pub mod outcome;
pub mod policy;
mod queue;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::casework::{FieldError, SavedContact};
pub use crate::store::records::{Attempt, ReferralOutcome, StoredOutcome};
use crate::store::StoreError;

pub use outcome::{
    normalize_outcome, validate_outcome, HealthImproved, OutcomeInput, ReferralOutcomeInput, ValidOutcome,
    ValidReferralOutcome, BARRIERS, GOT_HELP, HEALTH_IMPROVED, NOT_REACHED_RESULTS, RESULTS, SATISFACTION,
};
pub use policy::{AfterAttempt, Policy, QueueState, Retry};

/// Which follow-ups a queue listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueView {
    /// Open follow-ups due today or earlier (claimed ones included).
    Due,
    /// Open follow-ups due after today.
    Upcoming,
    /// Every follow-up, closed ones too.
    All,
}

/// One queue row: what a navigator needs to pick a follow-up, without personal values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    pub id: i64,
    pub contact_id: i64,
    /// YYYY-MM-DD
    pub due: String,
    /// Derived: due / overdue / scheduled for open ones, claimed while a lease is live.
    pub state: QueueState,
    /// Calls that did not reach the caller.
    pub attempts: u32,
    /// The navigator holding a live lease; None when free (or the lease expired).
    pub claimed_by: Option<String>,
    /// When that claim started (RFC 3339 UTC); None when free.
    pub claimed_at: Option<String>,
    /// When that lease ends unless renewed; None when free.
    pub lease_until: Option<String>,
    pub municipality: Option<String>,
    /// The contact's need categories (slugs), in the order recorded.
    pub needs: Vec<String>,
    /// How many services the caller was referred to.
    pub referrals: usize,
    /// Result of the latest not-reached call (no-answer, ...), and when it was made.
    #[serde(serialize_with = "crate::slug::ser_opt")]
    pub last_attempt: Option<String>,
    pub last_attempt_at: Option<String>,
    /// The navigator who recorded the contact (an OS user name, not caller data): a
    /// navigator's "mine" is the follow-ups of their own calls.
    pub recorded_by: String,
    /// The caller's language (an ISO code, coded like the contact's other fields).
    pub language: Option<String>,
}

/// Who to ask for on a follow-up call, for the app's queue rows (personal: never in
/// `QueueItem`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub first_name: Option<String>,
    pub best_time: Option<String>,
}

/// Numbers for a status line ("3 follow-ups due").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Open, due before today.
    pub overdue: usize,
    /// Open, due today.
    pub due_today: usize,
    /// Open, due after today.
    pub upcoming: usize,
    /// Follow-ups closed by a call today (completed or unreachable), by anyone.
    pub done_today: usize,
    /// Live claims held by the user asking.
    pub mine: usize,
}

/// Everything needed to make the call: the queue row, the original contact (needs and
/// referrals as given), the caller's personal details and the attempts so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowupDetail {
    pub item: QueueItem,
    pub contact: SavedContact,
    /// Personal (purged on the retention schedule): None once purged or never given.
    pub first_name: Option<String>,
    pub phone: Option<String>,
    pub best_time: Option<String>,
    /// The notes taken on the original call (personal).
    pub contact_notes: Option<String>,
    /// Notes taken on follow-up calls (personal).
    pub notes: Option<String>,
    /// Not-reached calls, oldest first.
    pub attempts: Vec<Attempt>,
    pub outcome: Option<StoredOutcome>,
}

/// A live claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: i64,
    pub contact_id: i64,
    pub claimed_by: String,
    /// When the claim started (a renewal keeps it).
    pub claimed_at: String,
    pub lease_until: String,
    /// True when this renewed a claim the user already held.
    pub renewed: bool,
}

/// What recording a call did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completed {
    pub id: i64,
    /// completed, scheduled (to be tried again) or unreachable.
    pub state: QueueState,
    pub attempts: u32,
    /// When it is due now: the retry date when rescheduled.
    pub due: String,
    pub at: String,
    pub by: String,
}

/// Why a claim, renewal, release or cancellation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("no such follow-up")]
    NotFound,
    #[error("the follow-up is already {state}")]
    Closed { state: QueueState },
    #[error("held by {user} since {since}")]
    HeldBy { user: String, since: Timestamp },
    /// Renew or release by someone who does not hold the claim (it is free).
    #[error("the follow-up is not claimed by you")]
    NotHeld,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why recording a call (or moving its date) did not happen. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum CompleteError {
    #[error("the outcome has {}", crate::output::plural(.0.len(), "invalid field", "invalid fields"))]
    Invalid(Vec<FieldError>),
    #[error("no such follow-up")]
    NotFound,
    #[error("the follow-up is already {state}")]
    Closed { state: QueueState },
    #[error("held by {user} since {since}")]
    HeldBy { user: String, since: Timestamp },
    /// The idempotency key was used before for another request (or by someone else).
    #[error("the idempotency key was already used for a different outcome")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
#[path = "store_tests.rs"]
mod store_tests;

#[cfg(test)]
#[path = "claim_tests.rs"]
mod claim_tests;
