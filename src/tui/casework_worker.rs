//! Casework writes off the UI thread: drafts (every change, coalesced so only the newest
//! of a burst is written) and contact saves, in the order they were asked for. A draft is
//! on disk (synchronous=FULL) within milliseconds of a keystroke, so a dropped SSH link, a
//! SIGKILL or a power cut loses at most the last keystroke.

use crate::store::Location;
use std::sync::mpsc::{Receiver, Sender};
use std::thread;

use crate::casework::AddContactError;
use crate::casework::ContactInput;
use crate::followups::{ClaimError, CompleteError, OutcomeInput, Policy, QueueView};
use crate::store::Store;

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
            let mut store = match Store::open_at(&db) {
                Ok(s) => s,
                Err(e) => {
                    let _ = events.send(Event::Failed(format!("drafts cannot be saved: {e}")));
                    return;
                }
            };
            while let Ok(first) = jobs.recv() {
                let mut batch = vec![first];
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
                    let who = Who {
                        owner: &navigator.name,
                        access: navigator.access,
                        session: &session,
                        office: office.as_deref(),
                    };
                    let event = run(&mut store, &who, &policy, job);
                    if matches!(event, Some(Event::DraftTakenOver(_))) {
                        lost_epoch = epoch.or(lost_epoch);
                    }
                    if let Some(event) = event {
                        if events.send(event).is_err() {
                            return;
                        }
                    }
                }
            }
        })
        .expect("can start the casework thread")
}

/// Whose work this thread does: the user, this session of theirs, and the office.
struct Who<'a> {
    owner: &'a str,
    session: &'a crate::session::Session,
    office: Option<&'a str>,
    /// Whether callers' personal details may be shown (`[privacy] personal_data_readers`).
    access: crate::privacy::Access,
}

fn run(store: &mut Store, who: &Who, policy: &Policy, job: &Job) -> Option<Event> {
    let (owner, session, office) = (who.owner, who.session, who.office);
    // Leases and stored times follow the database's clock, never this server's.
    let now = store.now().unwrap_or_else(|_| crate::clock::now());
    let today = jiff::ZonedDateTime::now().date();
    let failed = |what: &str, e: &dyn std::fmt::Display| Event::Failed(format!("{what}: {e}"));
    match job {
        Job::LoadQueue => {
            let mut items = match store.followups(QueueView::Due, today, now) {
                Ok(items) => items,
                Err(e) => return Some(failed("the queue could not be read", &e)),
            };
            match store.followups(QueueView::Upcoming, today, now) {
                Ok(more) => items.extend(more),
                Err(e) => return Some(failed("the queue could not be read", &e)),
            }
            let mut callers = store.queue_callers().unwrap_or_default();
            callers.values_mut().for_each(|c| who.access.caller(c));
            Some(Event::Queue(items, callers))
        }
        Job::Reports(period) => {
            let needs = crate::report::needs_report(store, period, None);
            let outcomes = crate::report::outcomes_report(store, period, None, today);
            Some(match (needs, outcomes) {
                (Ok(needs), Ok(outcomes)) => {
                    Event::Reports(Box::new(super::reports::Figures { needs, outcomes }), *period)
                }
                (Err(e), _) | (_, Err(e)) => failed("the reports could not be computed", &e),
            })
        }
        Job::Counts => store.followup_counts(owner, today, now).ok().map(Event::Counts),
        Job::Claim(id) => {
            let held_by = match store.claim(*id, owner, now, policy.lease) {
                Ok(_) => None,
                Err(ClaimError::HeldBy { user, since }) => Some((user, local_time(since))),
                Err(e) => return Some(Event::FollowupDone(format!("Follow-up #{id}: {e}"))),
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
                Err(e) => Some(failed("the follow-up could not be read", &e)),
            }
        }
        Job::Release(id) => store.release(*id, owner, now).err().and_then(|e| match e {
            ClaimError::NotHeld | ClaimError::Closed { .. } => None,
            e => Some(failed("the claim could not be released", &e)),
        }),
        Job::Renew(id) => store
            .renew(*id, owner, now, policy.lease)
            .err()
            .map(|e| failed("the claim lapsed", &e)),
        Job::SaveFollowupDraft(id, body) => store
            .save_session_draft(owner, &followup_kind(*id), session, body)
            .err()
            .map(|e| Event::Failed(format!("the call's answers could not be kept: {e}"))),
        Job::Complete(id, outcome) => Some(match store.complete(*id, owner, outcome, now, today, policy) {
            Ok(done) => {
                let _ = store.delete_draft(owner, &followup_kind(*id));
                Event::FollowupDone(format!("Follow-up #{id}: {} (due {})", done.state.as_str(), done.due))
            }
            Err(CompleteError::Invalid(errors)) => {
                Event::FollowupRejected(errors.into_iter().map(|e| (e.field, e.message)).collect())
            }
            Err(e) => failed("the call was not recorded", &e),
        }),
        Job::Reschedule(id, date) => Some(match crate::casework::check_due(date, today) {
            Err(message) => Event::Failed(format!("reschedule: {message}")),
            Ok(due) => match store.reschedule(*id, owner, due, now, today) {
                Ok(_) => {
                    let _ = store.delete_draft(owner, &followup_kind(*id));
                    Event::FollowupDone(format!("Follow-up #{id} moved to {due}"))
                }
                Err(e) => failed("the follow-up was not rescheduled", &e),
            },
        }),
        Job::Cancel(id) => Some(match store.cancel(*id, owner, now) {
            Ok(()) => {
                let _ = store.delete_draft(owner, &followup_kind(*id));
                Event::FollowupDone(format!("Follow-up #{id} cancelled"))
            }
            Err(e) => failed("the follow-up was not cancelled", &e),
        }),
        Job::SaveDraft(body, _) => match store.save_session_draft(owner, DRAFT_KIND, session, body) {
            Ok(Ok(())) => None,
            Ok(Err(taken)) => {
                let _ = store.draft_taken_over(owner, DRAFT_KIND, &session.id);
                Some(Event::DraftTakenOver(taken.to_string()))
            }
            Err(e) => Some(Event::Failed(format!("the draft could not be saved: {e}"))),
        },
        Job::DeleteDraft => store
            .delete_session_draft(owner, DRAFT_KIND, &session.id)
            .err()
            .map(|e| Event::Failed(format!("the draft could not be removed: {e}"))),
        Job::TakeDraft(from) => store
            .take_draft(owner, DRAFT_KIND, from, session)
            .err()
            .map(|e| Event::Failed(format!("the draft could not be taken over: {e}"))),
        Job::CheckDraft(_) => match store.draft_taken_over(owner, DRAFT_KIND, &session.id) {
            Ok(Some(taken)) => Some(Event::DraftTakenOver(taken.to_string())),
            _ => None,
        },
        Job::SaveContact {
            input,
            rules,
            consume_draft,
        } => Some({
            let draft = consume_draft.then_some((owner, DRAFT_KIND, session.id.as_str()));
            match store.add_contact_with(input, owner, office, now, today, rules, draft) {
                Ok(saved) => Event::ContactSaved {
                    id: saved.id,
                    follow_up_due: saved.follow_up.as_ref().map(|f| f.due.to_string()),
                },
                Err(AddContactError::Invalid(errors)) => {
                    Event::SaveRejected(errors.into_iter().map(|e| (e.field, e.message)).collect())
                }
                Err(e @ (AddContactError::Store(_) | AddContactError::KeyReused)) => {
                    Event::Failed(format!("the contact was not saved: {e}"))
                }
            }
        }),
    }
}

/// "2026-11-25 14:02" in the machine's zone, for "held by X since ...".
fn local_time(t: jiff::Timestamp) -> String {
    t.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}
