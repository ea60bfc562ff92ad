//! `update(&mut State, Event) -> Update`: every state change in one pure function. It
//! never waits and never does I/O: searches and clipboard writes come back as effects for
//! the loop to run.

use crossterm::event::KeyEvent;
use navigator_index::{SearchRequest, SearchResults};

use super::keymap::{Action, Context};
use super::state::{Overlay, Screen, State};
use super::update_casework as casework;
use super::update_filters as filters;
use super::update_queue as queue;
use super::update_reports as reports;
use super::update_search as search;
use crate::casework::ContactInput;
use crate::followups::{Counts, FollowupDetail, OutcomeInput, QueueItem};

pub use super::update_search::RESULT_LIMIT;

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Results {
        generation: u64,
        results: Box<SearchResults>,
    },
    SearchFailed {
        generation: u64,
        message: String,
    },
    /// The store saved the contact.
    ContactSaved {
        id: i64,
        follow_up_due: Option<String>,
    },
    /// The store refused it: (field path, message) pairs.
    SaveRejected(Vec<(String, String)>),
    /// The database could not be reached: the contact is held on this server under `key`
    /// and saved when the link is back.
    ContactHeld {
        key: String,
        follow_up_due: Option<String>,
    },
    /// A save held on this server reached the database (a contact's new id, if it was one).
    HeldSaved {
        key: String,
        contact_id: Option<i64>,
        message: String,
    },
    /// A follow-up call's answers are held on this server until the link is back.
    OutcomeHeld(i64),
    /// The link to the database went or came back, or the held saves changed.
    Link(super::state::Link),
    /// Something outside the form went wrong (the disk, the database).
    Failed(String),
    /// A notice to show (a file was written).
    Notice(String),
    /// The follow-up queue, freshly read.
    /// The queue, and who to ask for on each call (first name, best time).
    Queue(Vec<QueueItem>, std::collections::HashMap<i64, crate::followups::Caller>),
    Counts(Counts),
    /// A follow-up was claimed (or is held by someone else: who, since when).
    FollowupOpened {
        detail: Box<FollowupDetail>,
        held_by: Option<(String, String)>,
        /// Answers in progress from an earlier session (a dropped SSH link), as JSON.
        draft: Option<String>,
    },
    /// A call was recorded, rescheduled or cancelled.
    FollowupDone(String),
    FollowupRejected(Vec<(String, String)>),
    /// Time to renew the lease on the open follow-up.
    RenewTick,
    /// The catalogue's municipalities and their centres.
    Places(Vec<navigator_index::places::Place>),
    /// This server's index was rebuilt after an import (here or on another server) and
    /// swapped in: it holds this many services.
    CatalogueChanged(u64),
    /// Another session of this navigator took this session's draft over.
    DraftTakenOver(String),
    /// Time to check that this session's draft is still its own.
    DraftTick,
    /// The other sites of programs among the results of search `generation`, by service id
    /// (listed after the results, so they never delay a frame).
    Sites {
        generation: u64,
        sites: Vec<(String, Vec<navigator_index::Site>)>,
    },
    /// Reports computed for a period.
    Reports(Box<super::reports::Figures>, crate::report::Period),
    /// SIGTERM, SIGHUP (the SSH connection dropped) or SIGINT from outside.
    Terminate,
    /// Typing paused for the details delay: the detail pane may follow the selection.
    TypingPaused,
}

#[derive(Debug, Clone)]
pub enum Effect {
    Search {
        generation: u64,
        request: Box<SearchRequest>,
    },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Keep the form and basket as this user's draft (JSON), replacing the previous one.
    SaveDraft(String),
    DeleteDraft,
    /// Save the contact under the office's rules; with `consume_draft`, this session's
    /// draft is deleted in the same transaction (and the save refused if it is gone).
    SaveContact {
        input: Box<ContactInput>,
        rules: Box<crate::casework::Rules>,
        consume_draft: bool,
    },
    /// Make the draft left by session `.0` this session's.
    TakeDraft(String),
    /// Ask whether this session's draft was taken over.
    CheckDraft,
    WriteFile {
        path: String,
        text: String,
    },
    LoadQueue,
    LoadReports(crate::report::Period),
    RefreshCounts,
    ClaimFollowup(i64),
    ReleaseFollowup(i64),
    RenewLease(i64),
    CompleteFollowup(i64, Box<OutcomeInput>),
    RescheduleFollowup(i64, String),
    /// Keep a follow-up call's answers so far (JSON), so a dropped link loses nothing.
    SaveFollowupDraft(i64, String),
    CancelFollowup(i64),
    /// Send [`Event::TypingPaused`] after this long without another such effect.
    AwaitTypingPause(std::time::Duration),
}

/// What an event did: effects to run, and whether the screen must be redrawn.
#[derive(Debug, Default)]
pub struct Update {
    pub effects: Vec<Effect>,
    pub redraw: bool,
}

impl Update {
    pub fn redraw_only() -> Update {
        Self::redraw()
    }

    pub(super) fn redraw() -> Update {
        Update {
            effects: Vec::new(),
            redraw: true,
        }
    }

    pub(super) fn with(effects: Vec<Effect>) -> Update {
        Update { effects, redraw: true }
    }
}

pub fn update(state: &mut State, event: Event) -> Update {
    let mut out = match event {
        Event::Key(key) => {
            let had_notice = state.notice.take().is_some();
            state.typing = false;
            let mut u = key_event(state, key);
            u.redraw |= had_notice;
            // Any key but typing (moving, opening, filtering) shows the selection at once.
            u.redraw |= !state.typing && search::release_preview(state);
            u
        }
        Event::Paste(text) => {
            state.typing = false;
            paste(state, &text)
        }
        Event::TypingPaused => Update {
            effects: Vec::new(),
            redraw: search::release_preview(state),
        },
        Event::Resize(w, h) => {
            state.width = w;
            state.height = h;
            Update::redraw()
        }
        // The form's add line: only its newest answer counts; older ones are dropped.
        Event::Results { generation, results } if generation & casework::ADD_LINE != 0 => {
            casework::services_found(state, generation, results.hits)
        }
        Event::SearchFailed { generation, .. } if generation & casework::ADD_LINE != 0 => {
            casework::services_found(state, generation, Vec::new())
        }
        Event::Results { generation, results } if generation & search::MORE != 0 => {
            search::more_found(state, generation, *results)
        }
        Event::SearchFailed { generation, .. } if generation & search::MORE != 0 => {
            search::more_failed(state, generation)
        }
        Event::Results { generation, results } => {
            let mut u = search::accept(state, generation, *results);
            u.effects.push(Effect::RefreshCounts);
            u
        }
        Event::SearchFailed { generation, message } => {
            if generation >= state.sent_generation {
                state.shown_generation = generation;
                state.error = Some(message);
                // Results of an older search under a filter that failed (an unknown place)
                // would look filtered when they are not.
                state.hits.clear();
                state.total = 0;
                state.partial = false;
                state.selected = 0;
                state.scroll = 0;
            }
            Update::redraw()
        }
        Event::Sites { generation, sites } => {
            if generation != state.shown_generation {
                return Update::default();
            }
            // Only the selected row's details show them: redraw only when they changed.
            let shown = state.selected_hit().map(|h| h.service.id.clone());
            let mut visible = false;
            for (id, list) in sites {
                visible |= shown.as_deref() == Some(id.as_str());
                if let Some(hit) = state.hits.iter_mut().find(|h| h.service.id == id) {
                    hit.sites = list;
                }
            }
            if visible {
                Update::redraw()
            } else {
                Update::default()
            }
        }
        Event::ContactSaved { id, follow_up_due } => casework::saved(state, id, follow_up_due),
        Event::SaveRejected(errors) => casework::rejected(state, errors),
        Event::ContactHeld { key, follow_up_due } => casework::held(state, key, follow_up_due),
        Event::HeldSaved {
            key,
            contact_id,
            message,
        } => casework::held_saved(state, &key, contact_id, message),
        Event::OutcomeHeld(id) => queue::held(state, id),
        Event::Link(link) => casework::link(state, link),
        Event::Failed(message) | Event::Notice(message) => {
            state.notice = Some(message);
            Update::redraw()
        }
        Event::Queue(items, callers) => queue::loaded(state, items, callers),
        Event::Counts(counts) => queue::counts(state, counts),
        Event::FollowupOpened { detail, held_by, draft } => queue::opened(state, *detail, held_by, draft),
        Event::FollowupDone(message) => queue::done(state, message),
        Event::FollowupRejected(errors) => queue::rejected(state, errors),
        Event::RenewTick => queue::renew_tick(state),
        Event::Places(places) => {
            state.places = places.iter().map(|p| p.name.clone()).collect();
            state.centres = places
                .into_iter()
                .map(|p| (navigator_index::text::fold(&p.name), p.point))
                .collect();
            Update::default()
        }
        Event::CatalogueChanged(services) => catalogue_changed(state, services),
        Event::DraftTakenOver(message) => casework::taken_over(state, message),
        Event::DraftTick => Update {
            effects: if state.draft_saved {
                vec![Effect::CheckDraft]
            } else {
                Vec::new()
            },
            redraw: false,
        },
        Event::Reports(figures, period) => reports::loaded(state, figures, period),
        Event::Terminate => {
            state.quit = true;
            Update::default()
        }
    };
    search::keep_selection_visible(state);
    out.redraw |= state.quit;
    out
}

/// A new catalogue is searchable: the same query again on it, and the count in the status
/// line.
fn catalogue_changed(state: &mut State, services: u64) -> Update {
    state.services = usize::try_from(services).unwrap_or(usize::MAX);
    let count = crate::output::thousands(state.services);
    state.source = format!("catalogue of {count}");
    state.notice = Some(format!("The catalogue was updated: {count} services"));
    super::update_search::with_search(state)
}

/// The first search, when the app starts.
pub fn initial_search(state: &mut State) -> Effect {
    search::search(state)
}

fn key_event(state: &mut State, key: KeyEvent) -> Update {
    match state.overlay.take() {
        Some(Overlay::Help(scroll)) => {
            // Arrows and pages scroll; any other key closes help; quitting still quits.
            let next = match state.keymap.resolve(&key, Context::Menu) {
                Some(Action::SelectNext) => Some(scroll.saturating_add(1)),
                Some(Action::PageDown) => Some(scroll.saturating_add(10)),
                Some(Action::SelectPrevious) => Some(scroll.saturating_sub(1)),
                Some(Action::PageUp) => Some(scroll.saturating_sub(10)),
                Some(Action::Quit) => return request_quit(state),
                _ => None,
            };
            state.overlay = next.map(|s| Overlay::Help(s.min(Action::ALL.len() as u16)));
            return Update::redraw();
        }
        Some(Overlay::Filters(menu)) => return filters::key(state, menu, key),
        Some(
            prompt @ (Overlay::ResumeDraft(..)
            | Overlay::ConfirmDiscard
            | Overlay::ConfirmQuit
            | Overlay::DraftElsewhere(..)),
        ) => return casework::prompt_key(state, prompt, key),
        None => {}
    }
    match state.screen {
        Screen::Form => casework::form_key(state, key),
        Screen::Summary => casework::summary_key(state, key),
        Screen::Queue => queue::queue_key(state, key),
        Screen::FollowUp => queue::followup_key(state, key),
        Screen::Reports => reports::key(state, key),
        Screen::Search => search::key(state, key),
    }
}

/// Quit, asking first when a basket or an open contact would be left (both stay as a
/// draft, but a navigator should not leave a call by accident).
pub(super) fn request_quit(state: &mut State) -> Update {
    if !state.basket.is_empty() || state.form.is_some() {
        state.overlay = Some(Overlay::ConfirmQuit);
        return Update::redraw();
    }
    quit_now(state)
}

/// Quits, releasing the claim of an open follow-up.
pub(super) fn quit_now(state: &mut State) -> Update {
    state.quit = true;
    let effects = match &state.followup {
        Some(open) if open.held_by.is_none() => vec![Effect::ReleaseFollowup(open.detail.item.id)],
        _ => Vec::new(),
    };
    Update::with(effects)
}

/// A paste goes to the text field with the cursor, as one line.
fn paste(state: &mut State, text: &str) -> Update {
    if matches!(state.overlay, Some(Overlay::Filters(_))) {
        return filters::paste(state, text);
    }
    if state.overlay.is_some() {
        return Update::default();
    }
    match state.screen {
        Screen::Form => casework::paste(state, text),
        Screen::FollowUp => queue::paste(state, text),
        Screen::Search => search::paste(state, text),
        Screen::Queue | Screen::Summary | Screen::Reports => Update::default(),
    }
}
