//! The full-screen app. Elm-shaped: `State` (plain data), `update` (pure), `view` (pure),
//! and this small loop that runs effects and feeds their results back as events.

#[cfg(test)]
mod casework_tests;
mod casework_worker;
pub mod filter_menu;
pub mod form;
mod input;
pub mod keymap;
mod lean_backend;
mod link;
#[cfg(test)]
mod paging_tests;
#[cfg(test)]
mod preview_tests;
pub mod queue;
#[cfg(test)]
mod queue_tests;
pub mod reports;
pub mod state;
pub mod terminal;
#[cfg(test)]
pub(crate) mod tests;
mod text_edit;
pub mod update;
mod update_casework;
mod update_filters;
mod update_queue;
mod update_reports;
mod update_search;
pub mod view;
mod worker;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::catalogue::{Catalogue, Searchable};
use crate::exit::{Failure, OK};
use state::{Display, State};
use update::{update, Effect, Event};

pub fn run(data_dir: &Path, display: Display) -> Result<u8, Failure> {
    // Everything that may print to stderr (the demo notice, an index rebuild) happens before
    // the screen is taken over.
    // Search never needs the database: when it cannot be reached the app starts on this
    // server's index and holds casework here until it is back (see `link`).
    let opened = Searchable::open(data_dir)?;
    let synonyms = Catalogue::synonyms()?;
    // The config files are read once for everything the app takes from them.
    let config = crate::config::Config::load()?;
    let keymap = config.keymap()?;
    let reader = crate::confidential::Reader::named(&crate::user::name(), &config.confidential_readers()?);
    let services = opened.engine().num_docs();
    let count = crate::output::thousands(usize::try_from(services).unwrap_or(usize::MAX));
    let user = crate::user::name();
    let session = crate::session::Session::current();
    // A draft kept here while the database was unreachable is newer than the database's:
    // it is offered for resuming as one a session that is gone left (the casework worker
    // puts it back into the database as this session's).
    let held_draft = crate::held::Held::open(data_dir)
        .ok()
        .and_then(|h| h.draft(casework_worker::DRAFT_KIND))
        .map(|(body, at)| crate::casework::drafts::DraftRow {
            session: String::new(),
            label: String::new(),
            since: at.clone(),
            body,
            updated_at: at,
        });
    let (source, drafts, db, engine, index_warning) = match opened {
        Searchable::Catalogue(catalogue) => {
            let source = if catalogue.is_demo() {
                "demo (fictional)".to_string()
            } else {
                format!("catalogue of {count}")
            };
            // This navigator's drafts of other sessions: one left by a session that is
            // gone is offered for resuming; one a live session holds is offered only for
            // taking over.
            let drafts = match held_draft {
                Some(held) => vec![held],
                None => catalogue
                    .store
                    .session_drafts(&user, casework_worker::DRAFT_KIND)
                    .map_err(Failure::store)?,
            };
            let warning = catalogue.index_warning.clone();
            (
                source,
                drafts,
                catalogue.store.location().clone(),
                catalogue.engine,
                warning,
            )
        }
        Searchable::IndexOnly { engine, location, .. } => (
            format!("catalogue of {count}"),
            held_draft.into_iter().collect(),
            location,
            engine,
            None,
        ),
    };
    let draft = drafts.into_iter().find_map(|row| {
        let draft = serde_json::from_str::<form::Draft>(&row.body).ok()?;
        let alive = !row.session.is_empty() && crate::session::Session::alive(&row.session);
        Some((draft, row, alive))
    });
    let country = config.casework_country()?;
    let followup_days = config.followup_default_days()?;
    let policy = config.followup_policy()?;
    let details_delay = config.details_delay()?;
    let mut engine = engine;
    engine.set_settings(config.search_settings()?);
    // This server's index follows the catalogue: another server's import is rebuilt here
    // in the background and swapped in while searches keep using the previous index.
    let swap = crate::index_follow::Swap::default();
    let indexed = engine.commit_info().map_or(0, |c| c.generation);
    let (events_tx, events) = mpsc::channel::<Event>();
    let swapped = events_tx.clone();
    crate::index_follow::spawn_watcher(db.clone(), data_dir.to_path_buf(), indexed, swap.clone(), move |n| {
        let _ = swapped.send(Event::CatalogueChanged(n));
    });

    let (jobs_tx, jobs) = mpsc::channel::<worker::Job>();
    worker::spawn(engine, swap, synonyms, reader, jobs, events_tx.clone());
    let (casework_tx, casework_jobs) = mpsc::channel::<casework_worker::Job>();
    // The follow-up screen shows callers' details only to personal-data readers.
    let access = crate::privacy::Access::of(&user, &config.personal_data_readers()?);
    let casework_thread = casework_worker::spawn(
        db,
        data_dir.to_path_buf(),
        casework_worker::Navigator {
            name: user.clone(),
            access,
        },
        session.clone(),
        policy,
        casework_jobs,
        events_tx.clone(),
    );
    spawn_lease_timer(policy.lease, events_tx.clone());
    spawn_timer(DRAFT_CHECK, Event::DraftTick, events_tx.clone());
    input::spawn_signal_listener(events_tx.clone())
        .map_err(|e| Failure::io(format!("cannot listen for signals: {e}")))?;

    let (guard, mut term) =
        terminal::Guard::enter().map_err(|e| Failure::io(format!("cannot use the terminal: {e}")))?;
    let events_tx_clone = events_tx.clone();
    if let Some(warning) = index_warning {
        // A full disk stopped a rebuild: say the results are of the last good index.
        let _ = events_tx.send(Event::Notice(format!("Warning: {warning}")));
    }
    input::spawn_terminal_reader(events_tx);
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut state = State::new(keymap, display, source, size, crate::clock::today());
    state.followup_days = followup_days;
    state.retry = policy.retry;
    state.details_delay = details_delay;
    state.services = usize::try_from(services).unwrap_or(usize::MAX);
    state.personal_data_reader = access.allowed();
    state.user = user;
    state.country = country;
    if let Some((draft, row, alive)) = draft {
        let local = |at: &str| {
            at.parse::<jiff::Timestamp>()
                .map(|t| crate::clock::local_text(t, "%Y-%m-%d %H:%M"))
                .unwrap_or_else(|_| at.to_string())
        };
        state.overlay = Some(if alive {
            let since = format!(
                "since {}, {}",
                crate::casework::drafts::local_hhmm(&row.since),
                row.label
            );
            state::Overlay::DraftElsewhere(Box::new(draft), row.session, since)
        } else {
            state.draft_from = Some(row.session);
            state::Overlay::ResumeDraft(Box::new(draft), local(&row.updated_at))
        });
    }
    let runner = Runner {
        jobs: jobs_tx,
        casework: casework_tx,
        events: events_tx_clone,
    };

    let first = update::initial_search(&mut state);
    runner.run(&mut term, vec![first], state.draft_epoch);
    let _ = terminal::draw(&mut term, |f| view::view(&state, f));
    // A keystroke that starts a search holds its frame briefly: when the results come back
    // within HOLD the echo and the results leave as one frame (half the bytes over a slow
    // link); a slower search still shows the typed character after HOLD.
    const HOLD: Duration = Duration::from_millis(12);
    let mut held: Option<Instant> = None;
    // When typing will count as paused (see `state::Preview`); re-armed by each result.
    let mut pause_at: Option<Instant> = None;
    loop {
        let wake = match (held, pause_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let event = match wake {
            Some(at) => match events.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(event) => Some(event),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
            None => match events.recv() {
                Ok(event) => Some(event),
                Err(_) => break,
            },
        };
        let now = Instant::now();
        // A timer that fired: the held frame is due, or typing paused (or both).
        let event = event.or_else(|| pause_at.filter(|at| *at <= now).map(|_| Event::TypingPaused));
        let mut draw_now = held.is_some_and(|at| at <= now);
        if let Some(event) = event {
            state.now = crate::clock::now();
            if matches!(event, Event::TypingPaused) {
                pause_at = None;
            }
            let answers_search = matches!(event, Event::Results { .. } | Event::SearchFailed { .. });
            let outcome = update(&mut state, event);
            let searches = outcome.effects.iter().any(|e| matches!(e, Effect::Search { .. }));
            for effect in &outcome.effects {
                if let Effect::AwaitTypingPause(delay) = effect {
                    pause_at = Some(Instant::now() + *delay);
                }
            }
            runner.run(&mut term, outcome.effects, state.draft_epoch);
            if state.quit {
                break;
            }
            if outcome.redraw && searches {
                held.get_or_insert_with(|| Instant::now() + HOLD);
            } else if outcome.redraw || (answers_search && held.is_some()) {
                draw_now = true;
            }
        }
        if draw_now {
            held = None;
            state.today = crate::clock::today();
            state.now = crate::clock::now();
            if terminal::draw(&mut term, |f| view::view(&state, f)).is_err() {
                break; // the terminal is gone
            }
        }
    }
    drop(guard);
    // Let the casework thread finish what it was given (the last draft, a claim release).
    drop(runner);
    let _ = casework_thread.join();
    Ok(OK)
}

/// How often a session checks that its draft is still its own (another session may take it
/// over): a small read, and nothing drawn unless it was.
const DRAFT_CHECK: Duration = Duration::from_secs(15);

/// Sends `event` every `every`. Draws nothing by itself.
fn spawn_timer(every: Duration, event: Event, events: mpsc::Sender<Event>) {
    let _ = std::thread::Builder::new().name("timer".into()).spawn(move || loop {
        std::thread::sleep(every);
        let copy = match &event {
            Event::DraftTick => Event::DraftTick,
            _ => Event::RenewTick,
        };
        if events.send(copy).is_err() {
            return;
        }
    });
}

/// Renews the open follow-up's lease at a third of its length. Sends an event, draws nothing.
fn spawn_lease_timer(lease: std::time::Duration, events: mpsc::Sender<Event>) {
    let every = (lease / 3).max(std::time::Duration::from_secs(10));
    let _ = std::thread::Builder::new().name("lease".into()).spawn(move || loop {
        std::thread::sleep(every);
        if events.send(Event::RenewTick).is_err() {
            return;
        }
    });
}

/// Runs effects: searches and casework go to their threads, the rest happens here.
struct Runner {
    jobs: mpsc::Sender<worker::Job>,
    casework: mpsc::Sender<casework_worker::Job>,
    events: mpsc::Sender<Event>,
}

impl Runner {
    fn work(&self, job: casework_worker::Job) {
        let _ = self.casework.send(job);
    }

    /// Runs `effects`; draft writes carry the state's draft epoch.
    fn run(&self, term: &mut terminal::Term, effects: Vec<Effect>, draft_epoch: u64) {
        for effect in effects {
            match effect {
                Effect::Search { generation, request } => {
                    let _ = self.jobs.send(worker::Job {
                        generation,
                        request: *request,
                    });
                }
                Effect::Copy(text) => {
                    let _ = terminal::copy(term, &text);
                }
                Effect::SaveDraft(body) => self.work(casework_worker::Job::SaveDraft(body, draft_epoch)),
                Effect::DeleteDraft => {
                    let _ = self.casework.send(casework_worker::Job::DeleteDraft);
                }
                Effect::SaveContact {
                    input,
                    rules,
                    consume_draft,
                } => self.work(casework_worker::Job::SaveContact {
                    input,
                    rules,
                    consume_draft,
                }),
                Effect::TakeDraft(from) => self.work(casework_worker::Job::TakeDraft(from)),
                Effect::CheckDraft => self.work(casework_worker::Job::CheckDraft(draft_epoch)),
                Effect::LoadReports(period) => self.work(casework_worker::Job::Reports(period)),
                Effect::LoadQueue => self.work(casework_worker::Job::LoadQueue),
                Effect::RefreshCounts => self.work(casework_worker::Job::Counts),
                Effect::ClaimFollowup(id) => self.work(casework_worker::Job::Claim(id)),
                Effect::ReleaseFollowup(id) => self.work(casework_worker::Job::Release(id)),
                Effect::RenewLease(id) => self.work(casework_worker::Job::Renew(id)),
                Effect::CompleteFollowup(id, outcome) => self.work(casework_worker::Job::Complete(id, outcome)),
                Effect::RescheduleFollowup(id, date) => self.work(casework_worker::Job::Reschedule(id, date)),
                Effect::CancelFollowup(id) => self.work(casework_worker::Job::Cancel(id)),
                Effect::SaveFollowupDraft(id, body) => self.work(casework_worker::Job::SaveFollowupDraft(id, body)),
                Effect::AwaitTypingPause(_) => {} // a timer of the loop
                Effect::WriteFile { path, text } => {
                    // In the folder navigator was started from; the notice gives the whole
                    // path, so it can be found.
                    let full = std::env::current_dir()
                        .map(|d| d.join(&path))
                        .unwrap_or_else(|_| path.clone().into());
                    let shown = full.display().to_string();
                    let event = match crate::atomic::write(&full, text.as_bytes()) {
                        Ok(()) => Event::Notice(format!("Wrote the read-out to {shown}")),
                        Err(e) => Event::Failed(format!("{shown}: {e}")),
                    };
                    let _ = self.events.send(event);
                }
            }
        }
    }
}
