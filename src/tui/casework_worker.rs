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

/// The draft kind of one follow-up call's answers in progress.
pub fn followup_kind(id: i64) -> String {
    format!("followup-{id}")
}

pub enum Job {
    /// A draft body, and the draft epoch it belongs to: after a takeover the epoch moves
    /// on, and saves still queued from before are dropped (they would recreate the draft
    /// another session now holds).
    SaveDraft(String, u64),
    DeleteDraft,
    SaveContact {
        input: Box<ContactInput>,
        rules: Box<crate::casework::Rules>,
        consume_draft: bool,
    },
    /// Make the draft of session `.0` this session's.
    TakeDraft(String),
    /// Was this session's draft (of this epoch) taken over?
    CheckDraft(u64),
    LoadQueue,
    Counts,
    Claim(i64),
    Release(i64),
    Renew(i64),
    Complete(i64, Box<OutcomeInput>),
    Reschedule(i64, String),
    SaveFollowupDraft(i64, String),
    Cancel(i64),
    Reports(crate::report::Period),
}

/// Jobs whose answer only the newest matters: older copies in a burst are skipped.
fn coalesces(job: &Job) -> bool {
    matches!(
        job,
        Job::SaveDraft(..)
            | Job::SaveFollowupDraft(..)
            | Job::LoadQueue
            | Job::Counts
            | Job::Reports(_)
            | Job::CheckDraft(_)
    )
}

fn same_kind(a: &Job, b: &Job) -> bool {
    match (a, b) {
        (Job::SaveDraft(..), Job::SaveDraft(..) | Job::DeleteDraft) => true,
        (Job::SaveFollowupDraft(a, _), Job::SaveFollowupDraft(b, _)) => a == b,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Who the app works for: the account (drafts, claims, the audit trail) and whether it
/// may see callers' personal details.
pub struct Navigator {
    pub name: String,
    pub access: crate::privacy::Access,
}

pub fn spawn(
    db: Location,
    data_dir: PathBuf,
    navigator: Navigator,
    session: crate::session::Session,
    policy: Policy,
    jobs: Receiver<Job>,
    events: Sender<Event>,
) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name("casework".into())
        .spawn(move || {
            // Drafts of epochs up to this one were taken over: their saves are dropped.
            let mut lost_epoch: Option<u64> = None;
            let office = crate::config::office().ok().flatten();
            let mut worker = Worker::start(db, &data_dir, navigator, session, office, policy, events);
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
                    if superseded {
                        continue;
                    }
                    let epoch = match job {
                        Job::SaveDraft(_, e) | Job::CheckDraft(e) => Some(*e),
                        _ => None,
                    };
                    if epoch.zip(lost_epoch).is_some_and(|(e, lost)| e <= lost) {
                        continue;
                    }
                    match worker.handle(job) {
                        None => return,
                        Some(taken_over) => {
                            if taken_over {
                                lost_epoch = epoch.or(lost_epoch);
                            }
                        }
                    }
                }
                worker.tick();
            }
        })
        .expect("can start the casework thread")
}

/// Whose work this thread does: the user, this session of theirs, and the office.
pub struct Who<'a> {
    pub owner: &'a str,
    pub session: &'a crate::session::Session,
    pub office: Option<&'a str>,
    /// Whether callers' personal details may be shown (`[privacy] personal_data_readers`).
    pub access: crate::privacy::Access,
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
pub fn run(store: &mut Store, who: &Who, policy: &Policy, job: &Job, key: &str) -> Result<Option<Event>, Unreachable> {
    let (owner, session, office) = (who.owner, who.session, who.office);
    // Leases and stored times follow the database's clock, never this server's.
    let now = match store.now() {
        Ok(now) => now,
        Err(e) if e.is_temporary() => return Err(Unreachable(e.to_string())),
        Err(_) => crate::clock::now(),
    };
    let today = crate::clock::today();
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
            let mut callers = store.queue_callers().unwrap_or_default();
            callers.values_mut().for_each(|c| who.access.caller(c));
            Some(Event::Queue(items, callers))
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
                Ok(Some(mut detail)) => {
                    who.access.followup(&mut detail);
                    Some(Event::FollowupOpened {
                        detail: Box::new(detail),
                        // Answers this navigator left half-given, by any session of theirs.
                        draft: store.load_draft(owner, &followup_kind(*id)).ok().flatten().map(|d| d.0),
                        held_by,
                    })
                }
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
        Job::SaveFollowupDraft(id, body) => match store.save_session_draft(owner, &followup_kind(*id), session, body) {
            Ok(_) => None,
            Err(e) => return answer("the call's answers could not be kept", &e),
        },
        Job::Complete(id, outcome) => match store.once(key, |s| s.complete(*id, owner, outcome, now, today, policy)) {
            Ok(done) => {
                let _ = store.delete_draft(owner, &followup_kind(*id));
                Some(Event::FollowupDone(format!(
                    "Follow-up #{id}: {} (due {})",
                    done.state.as_str(),
                    done.due
                )))
            }
            Err(CompleteError::Invalid(errors)) => Some(Event::FollowupRejected(
                errors.into_iter().map(|e| (e.field, e.message)).collect(),
            )),
            Err(CompleteError::Store(e)) => return answer("the call was not recorded", &e),
            Err(e) => Some(failed("the call was not recorded", &e)),
        },
        Job::Reschedule(id, date) => match crate::casework::check_due(date, today) {
            Err(message) => Some(Event::Failed(format!("reschedule: {message}"))),
            Ok(due) => match store.reschedule(*id, owner, due, now, today) {
                Ok(_) => {
                    let _ = store.delete_draft(owner, &followup_kind(*id));
                    Some(Event::FollowupDone(format!("Follow-up #{id} moved to {due}")))
                }
                Err(CompleteError::Store(e)) => return answer("the follow-up was not rescheduled", &e),
                Err(e) => Some(failed("the follow-up was not rescheduled", &e)),
            },
        },
        Job::Cancel(id) => match store.cancel(*id, owner, now) {
            Ok(()) => {
                let _ = store.delete_draft(owner, &followup_kind(*id));
                Some(Event::FollowupDone(format!("Follow-up #{id} cancelled")))
            }
            Err(ClaimError::Store(e)) => return answer("the follow-up was not cancelled", &e),
            Err(e) => Some(failed("the follow-up was not cancelled", &e)),
        },
        Job::SaveDraft(body, _) => match store.save_session_draft(owner, DRAFT_KIND, session, body) {
            Ok(Ok(())) => None,
            Ok(Err(taken)) => {
                let _ = store.draft_taken_over(owner, DRAFT_KIND, &session.id);
                Some(Event::DraftTakenOver(taken.to_string()))
            }
            Err(e) => return answer("the draft could not be saved", &e),
        },
        Job::DeleteDraft => match store.delete_session_draft(owner, DRAFT_KIND, &session.id) {
            Ok(_) => None,
            Err(e) => return answer("the draft could not be removed", &e),
        },
        Job::TakeDraft(from) => match store.take_draft(owner, DRAFT_KIND, from, session) {
            Ok(_) => None,
            Err(e) => return answer("the draft could not be taken over", &e),
        },
        Job::CheckDraft(_) => match store.draft_taken_over(owner, DRAFT_KIND, &session.id) {
            Ok(Some(taken)) => Some(Event::DraftTakenOver(taken.to_string())),
            Ok(None) => None,
            Err(e) if e.is_temporary() => return Err(Unreachable(e.to_string())),
            Err(_) => None,
        },
        Job::SaveContact {
            input,
            rules,
            consume_draft,
        } => {
            let draft = consume_draft.then_some((owner, DRAFT_KIND, session.id.as_str()));
            match store.once(key, |s| {
                s.add_contact_with(input, owner, office, now, today, rules, draft)
            }) {
                Ok(saved) => Some(Event::ContactSaved {
                    id: saved.id,
                    follow_up_due: saved.follow_up.as_ref().map(|f| f.due.to_string()),
                }),
                Err(AddContactError::Invalid(errors)) => Some(Event::SaveRejected(
                    errors.into_iter().map(|e| (e.field, e.message)).collect(),
                )),
                Err(AddContactError::Store(e)) => return answer("the contact was not saved", &e),
                Err(e @ AddContactError::KeyReused) => Some(Event::Failed(format!("the contact was not saved: {e}"))),
            }
        }
    })
}

/// "2026-11-25 14:02", local, for "held by X since ...".
fn local_time(t: jiff::Timestamp) -> String {
    crate::clock::local_text(t, "%Y-%m-%d %H:%M")
}
