//! Casework writes off the UI thread: drafts (every change, coalesced so only the newest
//! of a burst is written) and contact saves, in the order they were asked for. A draft is
//! on disk (synchronous=FULL) within milliseconds of a keystroke, so a dropped SSH link, a
//! SIGKILL or a power cut loses at most the last keystroke.
//!
//! When the database cannot be reached, the work is held on this server instead (see
//! [`super::link`]): typing and searching never wait for the database.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread;

use crate::casework::AddContactError;
use crate::casework::ContactInput;
use crate::followups::{ClaimError, CompleteError, OutcomeInput, Policy, QueueView};
use crate::store::{Location, Store, StoreError};

use super::link::Worker;
use super::update::Event;

pub const DRAFT_KIND: &str = "contact";

pub enum Job {
    SaveDraft(String),
    DeleteDraft,
    SaveContact(Box<ContactInput>),
    LoadQueue,
    Counts,
    Claim(i64),
    Release(i64),
    Renew(i64),
    Complete(i64, Box<OutcomeInput>),
    Reschedule(i64, String),
    Cancel(i64),
    Reports(crate::report::Period),
}

/// Jobs whose answer only the newest matters: older copies in a burst are skipped.
fn coalesces(job: &Job) -> bool {
    matches!(job, Job::SaveDraft(_) | Job::LoadQueue | Job::Counts | Job::Reports(_))
}

fn same_kind(a: &Job, b: &Job) -> bool {
    match (a, b) {
        (Job::SaveDraft(_), Job::SaveDraft(_) | Job::DeleteDraft) => true,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

pub fn spawn(
    db: Location,
    data_dir: PathBuf,
    owner: String,
    policy: Policy,
    jobs: Receiver<Job>,
    events: Sender<Event>,
) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name("casework".into())
        .spawn(move || {
            let office = crate::config::office().ok().flatten();
            let mut worker = Worker::start(db, &data_dir, owner, office, policy, events);
            loop {
                // While the link is down the worker wakes to try it again; otherwise it
                // sleeps until there is work.
                let first = match worker.wait() {
                    None => match jobs.recv() {
                        Ok(job) => Some(job),
                        Err(_) => return,
                    },
                    Some(timeout) => match jobs.recv_timeout(timeout) {
                        Ok(job) => Some(job),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return,
                    },
                };
                let mut batch: Vec<Job> = first.into_iter().collect();
                batch.extend(jobs.try_iter());
                for (i, job) in batch.iter().enumerate() {
                    let superseded = coalesces(job) && batch[i + 1..].iter().any(|j| same_kind(job, j));
                    if !superseded && !worker.handle(job) {
                        return;
                    }
                }
                worker.tick();
            }
        })
        .expect("can start the casework thread")
}

/// A job could not run because the database cannot be reached (the message says why).
pub struct Unreachable(pub String);

/// What a store failure means for a job: the link (hold the work, try again later), or an
/// answer to show.
fn answer(what: &str, e: &StoreError) -> Result<Option<Event>, Unreachable> {
    if e.is_temporary() {
        Err(Unreachable(e.to_string()))
    } else {
        Ok(Some(Event::Failed(format!("{what}: {e}"))))
    }
}

/// Runs `job` against the database. `key` is what a contact save or a recorded call is
/// made once under, so the same save held and replayed later cannot be made twice.
pub fn run(
    store: &mut Store,
    owner: &str,
    office: Option<&str>,
    policy: &Policy,
    job: &Job,
    key: &str,
) -> Result<Option<Event>, Unreachable> {
    // Leases and stored times follow the database's clock, never this server's.
    let now = match store.now() {
        Ok(now) => now,
        Err(e) if e.is_temporary() => return Err(Unreachable(e.to_string())),
        Err(_) => crate::clock::now(),
    };
    let today = jiff::ZonedDateTime::now().date();
    let failed = |what: &str, e: &dyn std::fmt::Display| Event::Failed(format!("{what}: {e}"));
    Ok(match job {
        Job::LoadQueue => {
            let mut items = match store.followups(QueueView::Due, today, now) {
                Ok(items) => items,
                Err(e) => return answer("the queue could not be read", &e),
            };
            match store.followups(QueueView::Upcoming, today, now) {
                Ok(more) => items.extend(more),
                Err(e) => return answer("the queue could not be read", &e),
            }
            Some(Event::Queue(items))
        }
        Job::Reports(period) => {
            let needs = crate::report::needs_report(store, period, None);
            let outcomes = crate::report::outcomes_report(store, period, None, today);
            match (needs, outcomes) {
                (Ok(needs), Ok(outcomes)) => Some(Event::Reports(
                    Box::new(super::reports::Figures { needs, outcomes }),
                    *period,
                )),
                (Err(e), _) | (_, Err(e)) => return answer("the reports could not be computed", &e),
            }
        }
        Job::Counts => match store.followup_counts(owner, today, now) {
            Ok(counts) => Some(Event::Counts(counts)),
            Err(e) if e.is_temporary() => return Err(Unreachable(e.to_string())),
            Err(_) => None,
        },
        Job::Claim(id) => {
            let held_by = match store.claim(*id, owner, now, policy.lease) {
                Ok(_) => None,
                Err(ClaimError::HeldBy { user, since }) => Some((user, local_time(since))),
                Err(ClaimError::Store(e)) if e.is_temporary() => return Err(Unreachable(e.to_string())),
                Err(e) => return Ok(Some(Event::FollowupDone(format!("Follow-up #{id}: {e}")))),
            };
            match store.followup_detail(*id, now) {
                Ok(Some(detail)) => Some(Event::FollowupOpened {
                    detail: Box::new(detail),
                    held_by,
                }),
                Ok(None) => Some(Event::FollowupDone(format!("Follow-up #{id} no longer exists"))),
                Err(e) => return answer("the follow-up could not be read", &e),
            }
        }
        Job::Release(id) => match store.release(*id, owner, now) {
            Ok(_) | Err(ClaimError::NotHeld | ClaimError::Closed { .. }) => None,
            Err(ClaimError::Store(e)) => return answer("the claim could not be released", &e),
            Err(e) => Some(failed("the claim could not be released", &e)),
        },
        Job::Renew(id) => match store.renew(*id, owner, now, policy.lease) {
            Ok(_) => None,
            Err(ClaimError::Store(e)) => return answer("the claim lapsed", &e),
            Err(e) => Some(failed("the claim lapsed", &e)),
        },
        Job::Complete(id, outcome) => match store.once(key, |s| s.complete(*id, owner, outcome, now, today, policy)) {
            Ok(done) => Some(Event::FollowupDone(format!(
                "Follow-up #{id}: {} (due {})",
                done.state.as_str(),
                done.due
            ))),
            Err(CompleteError::Invalid(errors)) => Some(Event::FollowupRejected(
                errors.into_iter().map(|e| (e.field, e.message)).collect(),
            )),
            Err(CompleteError::Store(e)) => return answer("the call was not recorded", &e),
            Err(e) => Some(failed("the call was not recorded", &e)),
        },
        Job::Reschedule(id, date) => match crate::casework::check_due(date, today) {
            Err(message) => Some(Event::Failed(format!("reschedule: {message}"))),
            Ok(due) => match store.reschedule(*id, owner, due, now, today) {
                Ok(_) => Some(Event::FollowupDone(format!("Follow-up #{id} moved to {due}"))),
                Err(CompleteError::Store(e)) => return answer("the follow-up was not rescheduled", &e),
                Err(e) => Some(failed("the follow-up was not rescheduled", &e)),
            },
        },
        Job::Cancel(id) => match store.cancel(*id, owner, now) {
            Ok(()) => Some(Event::FollowupDone(format!("Follow-up #{id} cancelled"))),
            Err(ClaimError::Store(e)) => return answer("the follow-up was not cancelled", &e),
            Err(e) => Some(failed("the follow-up was not cancelled", &e)),
        },
        Job::SaveDraft(body) => match store.save_draft(owner, DRAFT_KIND, body) {
            Ok(()) => None,
            Err(e) => return answer("the draft could not be saved", &e),
        },
        Job::DeleteDraft => match store.delete_draft(owner, DRAFT_KIND) {
            Ok(_) => None,
            Err(e) => return answer("the draft could not be removed", &e),
        },
        Job::SaveContact(input) => match store.once(key, |s| s.add_contact_at(input, owner, office, now, today)) {
            Ok(saved) => Some(Event::ContactSaved {
                id: saved.id,
                follow_up_due: saved.follow_up.as_ref().map(|f| f.due.to_string()),
            }),
            Err(AddContactError::Invalid(errors)) => Some(Event::SaveRejected(
                errors.into_iter().map(|e| (e.field, e.message)).collect(),
            )),
            Err(AddContactError::Store(e)) => return answer("the contact was not saved", &e),
        },
    })
}

/// "2026-11-25 14:02" in the machine's zone, for "held by X since ...".
fn local_time(t: jiff::Timestamp) -> String {
    t.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}
