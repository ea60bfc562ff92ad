//! The casework worker's link to the database, and what it does while there is none.
//!
//! A transaction waits [`PATIENCE`] for an unreachable database (a server restarting, a
//! blip of the link); past that the link counts as down and the status line says so.
//! While it is down:
//! - drafts are kept in this user's held folder on this server ([`crate::held`]);
//! - a contact save or a follow-up call's answers are held there too, under the key their
//!   first try used, and the navigator goes on to the next call;
//! - reads (the queue, reports, opening a follow-up) answer at once that the database
//!   cannot be reached; search never needed it.
//!
//! Meanwhile a probe thread tries the database with backoff (1 s doubling to
//! [`MAX_BACKOFF`], at once when the navigator asks for something that needs it), so the
//! worker itself never waits on a dead link. When the database answers, the held saves
//! are replayed oldest first, each made once under its key (`Store::once`): a save whose
//! acknowledgement was lost, or that another session of the same navigator replayed
//! first, is not made twice. Then the held draft goes back into the database.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use crate::casework::AddContactError;
use crate::followups::{CompleteError, Policy};
use crate::held::{Held, HeldEntry, HeldWrite};
use crate::store::{Location, Store, StoreError};

use super::casework_worker::{followup_kind, run, Job, Who, DRAFT_KIND};
use super::state::Link;
use super::update::Event;

/// How long one casework transaction waits for the database before the work is held here.
pub const PATIENCE: Duration = Duration::from_secs(2);
/// The longest wait between two tries of a database that is down.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15);
/// How often a held save the database failed on (not the link) is tried again.
const RETRY_FAILED: Duration = Duration::from_secs(30);

struct Down {
    since: jiff::Timestamp,
    next_try: Instant,
    backoff: Duration,
}

pub struct Worker {
    location: Location,
    store: Option<Store>,
    held: Result<Held, String>,
    down: Option<Down>,
    probe: Option<Receiver<Result<Store, StoreError>>>,
    /// The held folder's draft differs from the database's: put it back when the link is.
    draft_moved: bool,
    /// A held save failed for another reason than the link: try again then.
    retry_at: Option<Instant>,
    owner: String,
    /// Whether callers' personal details may be shown (`[privacy] personal_data_readers`).
    access: crate::privacy::Access,
    session: crate::session::Session,
    office: Option<String>,
    /// What a held contact is checked against when it is replayed (the office's country;
    /// the form checked the municipality when it was held).
    rules: crate::casework::Rules,
    policy: Policy,
    events: Sender<Event>,
    shown: Link,
}

fn open(location: &Location) -> Result<Store, StoreError> {
    Store::open_patient(location, Duration::ZERO).map(|mut store| {
        store.set_patience(PATIENCE);
        store
    })
}

impl Worker {
    /// Connects (one try; a database that does not answer is tried again in the
    /// background) and replays what an earlier session held here.
    pub fn start(
        location: Location,
        data_dir: &Path,
        navigator: super::casework_worker::Navigator,
        session: crate::session::Session,
        office: Option<String>,
        policy: Policy,
        events: Sender<Event>,
    ) -> Worker {
        let country = crate::config::Config::load()
            .and_then(|c| c.casework_country())
            .unwrap_or_default();
        let held = Held::open(data_dir).map_err(|e| format!("{}: {e}", data_dir.join("held").display()));
        let draft_moved = held.as_ref().is_ok_and(|h| h.draft(DRAFT_KIND).is_some());
        let mut worker = Worker {
            store: None,
            held,
            down: None,
            probe: None,
            draft_moved,
            retry_at: None,
            owner: navigator.name,
            access: navigator.access,
            session,
            office,
            rules: crate::casework::Rules { country, places: None },
            policy,
            events,
            shown: Link::default(),
            location,
        };
        match open(&worker.location) {
            Ok(store) => {
                worker.store = Some(store);
                worker.flush();
            }
            Err(e) => {
                if !e.is_temporary() {
                    worker.send(Event::Failed(format!("drafts cannot be saved: {e}")));
                }
                worker.went_down();
            }
        }
        worker.report();
        worker
    }

    /// How long the worker may sleep waiting for a job; None: until one comes.
    pub fn wait(&self) -> Option<Duration> {
        if self.probe.is_some() {
            return Some(Duration::from_millis(100));
        }
        let at = match (&self.down, self.retry_at) {
            (Some(down), _) => down.next_try,
            (None, Some(at)) => at,
            (None, None) => return None,
        };
        Some(at.saturating_duration_since(Instant::now()))
    }

    /// Runs `job`, or holds it when the database cannot be reached: whether another
    /// session took this one's draft over; None when the app is gone (nobody to answer).
    pub fn handle(&mut self, job: &Job) -> Option<bool> {
        let key = crate::held::new_key();
        if self.down.is_none() {
            if let Some(store) = self.store.as_mut() {
                let who = Who {
                    owner: &self.owner,
                    session: &self.session,
                    office: self.office.as_deref(),
                    access: self.access,
                };
                match run(store, &who, &self.policy, job, &key) {
                    Ok(event) => {
                        let taken = matches!(event, Some(Event::DraftTakenOver(_)));
                        return match event {
                            Some(e) => self.send(e).then_some(taken),
                            None => Some(taken),
                        };
                    }
                    Err(why) => {
                        tracing::warn!(error = %why.0, "a casework job found the database unreachable");
                        self.went_down();
                    }
                }
            }
        }
        match self.offline(job, &key) {
            Some(event) => self.send(event).then_some(false),
            None => Some(false),
        }
    }

    /// Timers: a probe's answer, the next probe, and once the link is back, the replay.
    pub fn tick(&mut self) {
        if let Some(probe) = &self.probe {
            match probe.try_recv() {
                Ok(Ok(store)) => {
                    self.probe = None;
                    self.store = Some(store);
                    self.down = None;
                    tracing::info!("database reachable again");
                    self.flush();
                }
                Ok(Err(_)) | Err(TryRecvError::Disconnected) => {
                    self.probe = None;
                    if let Some(down) = self.down.as_mut() {
                        down.backoff = (down.backoff * 2).min(MAX_BACKOFF);
                        down.next_try = Instant::now() + down.backoff;
                    }
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        if self.probe.is_none() && self.down.as_ref().is_some_and(|d| d.next_try <= Instant::now()) {
            let (tx, rx) = mpsc::channel();
            let location = self.location.clone();
            let spawned = std::thread::Builder::new()
                .name("database-probe".into())
                .spawn(move || {
                    let _ = tx.send(open(&location));
                });
            if spawned.is_ok() {
                self.probe = Some(rx);
            }
        }
        if self.down.is_none() && self.retry_at.is_some_and(|at| at <= Instant::now()) {
            self.retry_at = None;
            self.flush();
        }
        self.report();
    }

    fn send(&mut self, event: Event) -> bool {
        self.events.send(event).is_ok()
    }

    /// The database stopped answering: hold work from now on, and try it again soon.
    fn went_down(&mut self) {
        self.store = None;
        if self.down.is_none() {
            tracing::warn!("database unreachable; holding casework on this server");
            self.down = Some(Down {
                since: jiff::Timestamp::now(),
                next_try: Instant::now() + Duration::from_secs(1),
                backoff: Duration::from_secs(1),
            });
        }
        self.report();
    }

    /// The navigator asked for something that needs the database: try it now.
    fn try_soon(&mut self) {
        if let Some(down) = self.down.as_mut() {
            down.next_try = Instant::now();
        }
    }

    /// Tells the app when the link or the number of held saves changed.
    fn report(&mut self) {
        let link = Link {
            down_since: self.down.as_ref().map(|d| crate::clock::local_text(d.since, "%H:%M")),
            held: self.held.as_ref().map_or(0, Held::count),
        };
        if link != self.shown {
            self.shown = link.clone();
            self.send(Event::Link(link));
        }
    }

    /// `job` while the database cannot be reached.
    fn offline(&mut self, job: &Job, key: &str) -> Option<Event> {
        let unreachable = "the database cannot be reached";
        let held = match &self.held {
            Ok(held) => held,
            Err(why) => {
                let why = why.clone();
                // Nowhere to hold it: the form stays open with what was typed.
                return match job {
                    Job::SaveDraft(..) | Job::DeleteDraft | Job::SaveContact { .. } | Job::Complete(..) => {
                        self.try_soon();
                        Some(Event::Failed(format!(
                            "not saved: {unreachable} and nothing can be held on this server ({why}); try again"
                        )))
                    }
                    _ => None,
                };
            }
        };
        let event = match job {
            Job::SaveDraft(body, _) => {
                self.draft_moved = true;
                held.keep_draft(DRAFT_KIND, body)
                    .err()
                    .map(|e| Event::Failed(format!("the draft could not be kept on this server: {e}")))
            }
            Job::DeleteDraft => {
                self.draft_moved = true;
                held.drop_draft(DRAFT_KIND)
                    .err()
                    .map(|e| Event::Failed(format!("the draft could not be removed: {e}")))
            }
            Job::SaveContact {
                input, consume_draft, ..
            } => {
                if *consume_draft {
                    // Saved (held) from the draft: the draft goes, here and, once the
                    // link is back, in the database.
                    self.draft_moved = true;
                    let _ = held.drop_draft(DRAFT_KIND);
                }
                let mut input = input.clone();
                // The call ended now, not when the database comes back.
                input
                    .ended_at
                    .get_or_insert_with(|| crate::clock::utc_text(jiff::Timestamp::now()));
                let due = input.follow_up.as_ref().and_then(|f| f.due.clone());
                let write = HeldWrite::Contact {
                    input,
                    office: self.office.clone(),
                };
                Some(match held.hold_as(key, &self.owner, write) {
                    Ok(entry) => Event::ContactHeld {
                        key: entry.key,
                        follow_up_due: due,
                    },
                    Err(e) => Event::Failed(format!(
                        "not saved: {unreachable} and the contact could not be held on this server ({e}); try again"
                    )),
                })
            }
            Job::Complete(id, outcome) => {
                let write = HeldWrite::Outcome {
                    followup: *id,
                    input: (**outcome).clone(),
                };
                Some(match held.hold_as(key, &self.owner, write) {
                    Ok(_) => Event::OutcomeHeld(*id),
                    Err(e) => Event::Failed(format!(
                        "not recorded: {unreachable} and the answers could not be held on this server ({e}); try again"
                    )),
                })
            }
            Job::Claim(id) => Some(Event::Failed(format!(
                "Follow-up #{id} cannot be opened: {unreachable} (search still works)"
            ))),
            Job::Reports(_) => Some(Event::Failed(format!("the reports need the database: {unreachable}"))),
            Job::Reschedule(id, _) | Job::Cancel(id) => Some(Event::Failed(format!(
                "Follow-up #{id} was not changed: {unreachable}; try again when it is back"
            ))),
            // A follow-up call's answers in progress are not kept here: the call is
            // answered (and held) in one go. Taking a draft over and checking it wait for
            // the link.
            Job::LoadQueue
            | Job::Counts
            | Job::Release(_)
            | Job::Renew(_)
            | Job::SaveFollowupDraft(..)
            | Job::TakeDraft(_)
            | Job::CheckDraft(_) => None,
        };
        if matches!(
            job,
            Job::SaveContact { .. } | Job::Complete(..) | Job::Claim(_) | Job::Reports(_)
        ) {
            self.try_soon();
        }
        self.report();
        event
    }

    /// Replays the held saves, oldest first, then puts the held draft back. Stops where
    /// the link goes again.
    fn flush(&mut self) {
        let (Some(store), Ok(held)) = (self.store.as_mut(), self.held.as_ref()) else {
            return;
        };
        let mut events = Vec::new();
        let mut link_lost = false;
        for entry in held.entries() {
            match replay(store, &entry, &self.policy, &self.rules) {
                Replay::Saved(message, contact_id) => match held.release(&entry.key) {
                    Ok(()) => events.push(Event::HeldSaved {
                        key: entry.key.clone(),
                        contact_id,
                        message,
                    }),
                    Err(e) => events.push(Event::Failed(format!("a held save could not be cleared: {e}"))),
                },
                Replay::Refused(why) => {
                    let kept = held
                        .refuse(&entry)
                        .map_or_else(|e| e.to_string(), |p| p.display().to_string());
                    events.push(Event::Failed(format!(
                        "A held save was refused by the database ({why}); what was typed is kept in {kept}"
                    )));
                }
                Replay::Failed(e) if e.is_temporary() => {
                    link_lost = true;
                    break;
                }
                Replay::Failed(e) => {
                    events.push(Event::Failed(format!("a held save is still waiting: {e}")));
                    self.retry_at = Some(Instant::now() + RETRY_FAILED);
                    break;
                }
            }
        }
        if !link_lost && self.draft_moved {
            let done = match held.draft(DRAFT_KIND) {
                Some((body, _)) => store
                    .save_session_draft(&self.owner, DRAFT_KIND, &self.session, &body)
                    .and_then(|_| {
                        held.drop_draft(DRAFT_KIND)
                            .map(|_| ())
                            .map_err(|e| StoreError::Config(e.to_string()))
                    }),
                None => store
                    .delete_session_draft(&self.owner, DRAFT_KIND, &self.session.id)
                    .map(|_| ()),
            };
            match done {
                Ok(()) => self.draft_moved = false,
                Err(e) if e.is_temporary() => link_lost = true,
                Err(e) => events.push(Event::Failed(format!("the draft could not be saved: {e}"))),
            }
        }
        for event in events {
            self.send(event);
        }
        if link_lost {
            self.went_down();
        }
        self.report();
    }
}

enum Replay {
    /// In the database: a message, and the new contact's id.
    Saved(String, Option<i64>),
    /// A rule refused it (why, without caller data).
    Refused(String),
    Failed(StoreError),
}

/// Makes one held save, once under its key. It is checked against the rules as of the day
/// it was held (a follow-up due that day is still valid the morning after).
fn replay(store: &mut Store, entry: &HeldEntry, policy: &Policy, rules: &crate::casework::Rules) -> Replay {
    let now = match store.now() {
        Ok(now) => now,
        Err(e) => return Replay::Failed(e),
    };
    let held_at = entry.at.parse::<jiff::Timestamp>().unwrap_or(now);
    let today = crate::clock::local(held_at).date();
    match &entry.write {
        HeldWrite::Contact { input, office } => {
            match store.once(&entry.key, |s| {
                s.add_contact_with(input, &entry.navigator, office.as_deref(), now, today, rules, None)
            }) {
                Ok(saved) => Replay::Saved(format!("Held contact saved as {}", saved.id), Some(saved.id)),
                Err(AddContactError::Invalid(errors)) => Replay::Refused(
                    errors
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Err(AddContactError::Store(e)) => Replay::Failed(e),
                // Held saves carry no idempotency key of a script's; never reached.
                Err(e @ AddContactError::KeyReused) => Replay::Refused(e.to_string()),
            }
        }
        HeldWrite::Outcome { followup, input } => {
            match store.once(&entry.key, |s| {
                s.complete(*followup, &entry.navigator, input, now, today, policy)
            }) {
                Ok(done) => {
                    // The answers in progress, kept in the database before the outage,
                    // are done with.
                    let _ = store.delete_draft(&entry.navigator, &followup_kind(*followup));
                    Replay::Saved(
                        format!(
                            "Held answers for follow-up #{followup} recorded: {}",
                            done.state.as_str()
                        ),
                        None,
                    )
                }
                Err(CompleteError::Store(e)) => Replay::Failed(e),
                Err(e) => Replay::Refused(format!("follow-up #{followup}: {e}")),
            }
        }
    }
}
