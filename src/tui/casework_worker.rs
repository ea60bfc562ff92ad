//! Casework writes off the UI thread: drafts (every change, coalesced so only the newest
//! of a burst is written) and contact saves, in the order they were asked for. A draft is
//! on disk (synchronous=FULL) within milliseconds of a keystroke, so a dropped SSH link, a
//! SIGKILL or a power cut loses at most the last keystroke.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::thread;

use crate::casework::AddContactError;
use crate::casework::ContactInput;
use crate::store::Store;

use super::update::Event;

pub const DRAFT_KIND: &str = "contact";

pub enum Job {
    SaveDraft(String),
    DeleteDraft,
    SaveContact(Box<ContactInput>),
}

pub fn spawn(db: PathBuf, owner: String, jobs: Receiver<Job>, events: Sender<Event>) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name("casework".into())
        .spawn(move || {
            let mut store = match Store::open(&db) {
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
                    let superseded = matches!(job, Job::SaveDraft(_))
                        && batch[i + 1..]
                            .iter()
                            .any(|j| matches!(j, Job::SaveDraft(_) | Job::DeleteDraft));
                    if superseded {
                        continue;
                    }
                    if let Some(event) = run(&mut store, &owner, job) {
                        if events.send(event).is_err() {
                            return;
                        }
                    }
                }
            }
        })
        .expect("can start the casework thread")
}

fn run(store: &mut Store, owner: &str, job: &Job) -> Option<Event> {
    match job {
        Job::SaveDraft(body) => store
            .save_draft(owner, DRAFT_KIND, body)
            .err()
            .map(|e| Event::Failed(format!("the draft could not be saved: {e}"))),
        Job::DeleteDraft => store
            .delete_draft(owner, DRAFT_KIND)
            .err()
            .map(|e| Event::Failed(format!("the draft could not be removed: {e}"))),
        Job::SaveContact(input) => {
            let now = jiff::Timestamp::now();
            let today = jiff::ZonedDateTime::now().date();
            Some(match store.add_contact(input, owner, now, today) {
                Ok(saved) => Event::ContactSaved {
                    id: saved.id,
                    follow_up_due: saved.follow_up.as_ref().map(|f| f.due.to_string()),
                },
                Err(AddContactError::Invalid(errors)) => {
                    Event::SaveRejected(errors.into_iter().map(|e| (e.field, e.message)).collect())
                }
                Err(AddContactError::Store(e)) => Event::Failed(format!("the contact was not saved: {e}")),
            })
        }
    }
}
