//! The search worker: queries run here, never on the UI thread. Each request carries a
//! generation; when several are waiting only the newest runs, and the UI drops any answer
//! older than what it shows.

use std::sync::mpsc::{Receiver, Sender};
use std::thread;

use navigator_index::{Engine, SearchError, SearchRequest, Synonyms};

use super::update::Event;
use crate::confidential::Reader;

pub struct Job {
    pub generation: u64,
    pub request: SearchRequest,
}

/// `swap` may hold a rebuilt index (another server's import): it replaces `engine` before
/// the next search. Results go out as `reader` may see them: the app never holds a
/// confidential value the navigator is not entitled to, so no screen, copy or read-out can
/// show one.
pub fn spawn(
    mut engine: Engine,
    swap: crate::index_follow::Swap,
    synonyms: Synonyms,
    reader: Reader,
    jobs: Receiver<Job>,
    events: Sender<Event>,
) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name("search".into())
        .spawn(move || {
            let mut sent_places = false;
            while let Ok(mut job) = jobs.recv() {
                // Skip to the newest request: the older ones' answers would be dropped anyway.
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                if let Some(fresh) = swap.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    engine = fresh;
                    sent_places = false;
                }
                // The same bounds as the command line, before any work: a pasted page of
                // text is cut to the words a query may have.
                let event = match navigator_index::request_limits::bound(&mut job.request) {
                    Err(e) => Event::SearchFailed {
                        generation: job.generation,
                        message: e.to_string(),
                    },
                    Ok(_) => search(&engine, &synonyms, &reader, &job),
                };
                if events.send(event).is_err() {
                    break;
                }
                if !sent_places {
                    // The form's municipality list, computed after the first answer so it
                    // never delays the first screen.
                    sent_places = true;
                    let places = engine.known_places().all().into_iter().cloned().collect();
                    if events.send(Event::Places(places)).is_err() {
                        break;
                    }
                }
            }
        })
        .expect("can start the search thread")
}

fn search(engine: &Engine, synonyms: &Synonyms, reader: &Reader, job: &Job) -> Event {
    match engine.search(&job.request, synonyms) {
        Ok(results) => Event::Results {
            generation: job.generation,
            results: Box::new(reader.results(results)),
        },
        Err(SearchError::UnknownPlace(place)) => Event::SearchFailed {
            generation: job.generation,
            message: format!("unknown place {place:?}: use a municipality in the directory, or lat,lon"),
        },
        Err(e) => Event::SearchFailed {
            generation: job.generation,
            message: format!("search failed: {e}"),
        },
    }
}
