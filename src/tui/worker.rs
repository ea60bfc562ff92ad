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
/// the next search, with the same search settings. Results go out as `reader` may see
/// them: the app never holds a confidential value the navigator is not entitled to, so no
/// screen, copy or read-out can show one.
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
            let mut pending: Option<Job> = None;
            while let Some(mut job) = pending.take().or_else(|| jobs.recv().ok()) {
                // Skip to the newest request: the older ones' answers would be dropped anyway.
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                if let Some(mut fresh) = swap.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    fresh.set_settings(engine.settings().clone());
                    engine = fresh;
                    sent_places = false;
                }
                // The same bounds as the command line, before any work: a pasted page of
                // text is cut to the words a query may have.
                let (event, programs, origin) = match navigator_index::request_limits::bound(&mut job.request) {
                    Err(e) => (
                        Event::SearchFailed {
                            generation: job.generation,
                            message: e.to_string(),
                        },
                        Vec::new(),
                        None,
                    ),
                    Ok(_) => search(&engine, &synonyms, &reader, &job),
                };
                if events.send(event).is_err() {
                    break;
                }
                // The programs' other sites, for the details, unless a newer search waits:
                // the first row's at once (the details show it), the others after, so a
                // page of programs at many sites never holds up the frame that matters.
                let generation = job.generation;
                let mut gone = false;
                for batch in [programs.get(..1), programs.get(1..)].into_iter().flatten() {
                    let mut sites = Vec::new();
                    for id in batch {
                        if let Ok(newer) = jobs.try_recv() {
                            pending = Some(newer);
                            break;
                        }
                        if let Ok(list) = engine.sites(id, origin) {
                            sites.push((id.clone(), list));
                        }
                    }
                    if pending.is_some() {
                        break;
                    }
                    if !sites.is_empty() && events.send(Event::Sites { generation, sites }).is_err() {
                        gone = true;
                        break;
                    }
                }
                if gone {
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

/// The answer to `job`, with the programs among its rows (to list their sites after) and
/// the point their distances are measured from.
fn search(
    engine: &Engine,
    synonyms: &Synonyms,
    reader: &Reader,
    job: &Job,
) -> (Event, Vec<String>, Option<navigator_index::geo::Point>) {
    match engine.search(&job.request, synonyms) {
        Ok(results) => {
            let programs = results
                .hits
                .iter()
                .filter(|h| h.locations > 1)
                .map(|h| h.service.id.clone())
                .collect();
            let origin = results.origin.as_ref().map(|o| o.0);
            let event = Event::Results {
                generation: job.generation,
                results: Box::new(reader.results(results)),
            };
            (event, programs, origin)
        }
        Err(e) => {
            let message = match e {
                e @ SearchError::UnknownPlace(_) => e.to_string(),
                e => format!("search failed: {e}"),
            };
            let event = Event::SearchFailed {
                generation: job.generation,
                message,
            };
            (event, Vec::new(), None)
        }
    }
}
