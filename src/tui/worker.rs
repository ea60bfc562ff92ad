//! The search worker: queries run here, never on the UI thread. Each request carries a
//! generation; when several are waiting only the newest runs, and the UI drops any answer
//! older than what it shows.

use std::sync::mpsc::{Receiver, Sender};
use std::thread;

use navigator_index::{Engine, SearchError, SearchRequest, Synonyms};

use super::update::Event;

pub struct Job {
    pub generation: u64,
    pub request: SearchRequest,
}

pub fn spawn(engine: Engine, synonyms: Synonyms, jobs: Receiver<Job>, events: Sender<Event>) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name("search".into())
        .spawn(move || {
            let mut sent_places = false;
            while let Ok(mut job) = jobs.recv() {
                // Skip to the newest request: the older ones' answers would be dropped anyway.
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                let event = match engine.search(&job.request, &synonyms) {
                    Ok(results) => Event::Results {
                        generation: job.generation,
                        results: Box::new(results),
                    },
                    Err(e @ SearchError::UnknownPlace(_)) => Event::SearchFailed {
                        generation: job.generation,
                        message: e.to_string(),
                    },
                    Err(e) => Event::SearchFailed {
                        generation: job.generation,
                        message: format!("search failed: {e}"),
                    },
                };
                if events.send(event).is_err() {
                    break;
                }
                if !sent_places {
                    // The form's municipality list, computed after the first answer so it
                    // never delays the first screen.
                    sent_places = true;
                    let names = engine.known_places().all().iter().map(|p| p.name.clone()).collect();
                    if events.send(Event::Places(names)).is_err() {
                        break;
                    }
                }
            }
        })
        .expect("can start the search thread")
}
