//! The full-screen app. Elm-shaped: `State` (plain data), `update` (pure), `view` (pure),
//! and this small loop that runs effects and feeds their results back as events.

pub mod filter_menu;
mod input;
pub mod keymap;
pub mod state;
pub mod terminal;
#[cfg(test)]
pub(crate) mod tests;
pub mod update;
pub mod view;
mod worker;

use std::path::Path;
use std::sync::mpsc;

use crate::catalogue::Catalogue;
use crate::exit::{Failure, OK};
use state::{Display, State};
use update::{update, Effect, Event};

pub fn run(data_dir: &Path, display: Display) -> Result<u8, Failure> {
    // Everything that may print to stderr (the demo notice, an index rebuild) happens before
    // the screen is taken over.
    let catalogue = Catalogue::open(data_dir)?;
    let synonyms = Catalogue::synonyms()?;
    let keymap = crate::config::keymap()?;
    let services = catalogue.engine.num_docs();
    let source = if catalogue.is_demo() {
        "demo (fictional)".to_string()
    } else {
        format!("catalogue of {services}")
    };
    let engine = catalogue.engine;

    let (events_tx, events) = mpsc::channel::<Event>();
    let (jobs_tx, jobs) = mpsc::channel::<worker::Job>();
    worker::spawn(engine, synonyms, jobs, events_tx.clone());
    input::spawn_signal_listener(events_tx.clone())
        .map_err(|e| Failure::io(format!("cannot listen for signals: {e}")))?;

    let (guard, mut term) = terminal::Guard::enter()
        .map_err(|e| Failure::io(format!("cannot use the terminal: {e}")))?;
    input::spawn_terminal_reader(events_tx);
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut state = State::new(
        keymap,
        display,
        source,
        size,
        jiff::ZonedDateTime::now().date(),
    );

    let first = update::initial_search(&mut state);
    run_effects(&mut term, &jobs_tx, vec![first]);
    let _ = terminal::draw(&mut term, |f| view::view(&state, f));
    while let Ok(event) = events.recv() {
        let outcome = update(&mut state, event);
        run_effects(&mut term, &jobs_tx, outcome.effects);
        if state.quit {
            break;
        }
        if outcome.redraw {
            state.today = jiff::ZonedDateTime::now().date();
            if terminal::draw(&mut term, |f| view::view(&state, f)).is_err() {
                break; // the terminal is gone
            }
        }
    }
    drop(guard);
    Ok(OK)
}

fn run_effects(term: &mut terminal::Term, jobs: &mpsc::Sender<worker::Job>, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::Search {
                generation,
                request,
            } => {
                let _ = jobs.send(worker::Job {
                    generation,
                    request: *request,
                });
            }
            Effect::Copy(text) => {
                let _ = terminal::copy(term, &text);
            }
        }
    }
}
