//! `update(&mut State, Event) -> Update`: every state change in one pure function. It
//! never waits and never does I/O: searches and clipboard writes come back as effects for
//! the loop to run.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use navigator_index::geo::parse_lat_lon;
use navigator_index::{Near, SearchRequest, SearchResults};
use tui_input::InputRequest;

use super::filter_menu::{self, FilterMenu};
use super::keymap::Action;
use super::state::{Focus, Overlay, Preview, Screen, State};
use super::update_casework as casework;
use super::update_queue as queue;
use super::update_reports as reports;
use crate::casework::ContactInput;
use crate::followups::{Counts, FollowupDetail, OutcomeInput, QueueItem};

/// How many results a search fetches; the list scrolls within them.
pub const RESULT_LIMIT: usize = 100;

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
    Queue(Vec<QueueItem>),
    Counts(Counts),
    /// A follow-up was claimed (or is held by someone else: who, since when).
    FollowupOpened {
        detail: Box<FollowupDetail>,
        held_by: Option<(String, String)>,
    },
    /// A call was recorded, rescheduled or cancelled.
    FollowupDone(String),
    FollowupRejected(Vec<(String, String)>),
    /// Time to renew the lease on the open follow-up.
    RenewTick,
    /// The catalogue's municipalities, for the form's type-to-narrow.
    Places(Vec<String>),
    /// This server's index was rebuilt after an import (here or on another server) and
    /// swapped in: it holds this many services.
    CatalogueChanged(u64),
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
    SaveContact(Box<ContactInput>),
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

    fn redraw() -> Update {
        Update {
            effects: Vec::new(),
            redraw: true,
        }
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
            u.redraw |= !state.typing && release_preview(state);
            u
        }
        Event::Paste(text) => {
            state.typing = false;
            paste(state, &text)
        }
        Event::TypingPaused => Update {
            effects: Vec::new(),
            redraw: release_preview(state),
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
        Event::Results { generation, results } => {
            let mut u = accept(state, generation, *results);
            u.effects.push(Effect::RefreshCounts);
            u
        }
        Event::SearchFailed { generation, message } => {
            if generation >= state.sent_generation {
                state.shown_generation = generation;
                state.error = Some(message);
            }
            Update::redraw()
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
        Event::Queue(items) => queue::loaded(state, items),
        Event::Counts(counts) => queue::counts(state, counts),
        Event::FollowupOpened { detail, held_by } => queue::opened(state, *detail, held_by),
        Event::FollowupDone(message) => queue::done(state, message),
        Event::FollowupRejected(errors) => queue::rejected(state, errors),
        Event::RenewTick => queue::renew_tick(state),
        Event::Places(names) => {
            state.places = names;
            Update::default()
        }
        Event::CatalogueChanged(services) => catalogue_changed(state, services),
        Event::Reports(figures, period) => reports::loaded(state, figures, period),
        Event::Terminate => {
            state.quit = true;
            Update::default()
        }
    };
    keep_selection_visible(state);
    out.redraw |= state.quit;
    out
}

/// A new catalogue is searchable: the same query again on it, and the count in the status
/// line.
fn catalogue_changed(state: &mut State, services: u64) -> Update {
    state.services = usize::try_from(services).unwrap_or(usize::MAX);
    state.source = format!("catalogue of {services}");
    state.notice = Some(format!("The catalogue was updated: {services} services"));
    with_search(state)
}

/// The first search, when the app starts.
pub fn initial_search(state: &mut State) -> Effect {
    search(state)
}

fn key_event(state: &mut State, key: KeyEvent) -> Update {
    match state.overlay.take() {
        Some(Overlay::Help(scroll)) => {
            // Arrows and pages scroll; any other key closes help; quitting still quits.
            let next = match state.keymap.resolve(&key, super::keymap::Context::Overlay) {
                Some(Action::SelectNext) => Some(scroll.saturating_add(1)),
                Some(Action::PageDown) => Some(scroll.saturating_add(10)),
                Some(Action::SelectPrevious) => Some(scroll.saturating_sub(1)),
                Some(Action::PageUp) => Some(scroll.saturating_sub(10)),
                Some(Action::Quit) => {
                    state.quit = true;
                    None
                }
                _ => None,
            };
            state.overlay = next.map(|s| Overlay::Help(s.min(Action::ALL.len() as u16)));
            return Update::redraw();
        }
        Some(Overlay::Filters(menu)) => return filter_key(state, menu, key),
        Some(prompt @ (Overlay::ResumeDraft(..) | Overlay::ConfirmDiscard)) => {
            return casework::prompt_key(state, prompt, key)
        }
        None => {}
    }
    match state.screen {
        Screen::Form => return casework::form_key(state, key),
        Screen::Summary => return casework::summary_key(state, key),
        Screen::Queue => return queue::queue_key(state, key),
        Screen::FollowUp => return queue::followup_key(state, key),
        Screen::Reports => return reports::key(state, key),
        Screen::Search => {}
    }
    if let Some(action) = state.keymap.resolve(&key, state.context()) {
        return act(state, action);
    }
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if state.focus != Focus::Query {
        // Typing anywhere goes to the query.
        if let (KeyCode::Char(_), true) = (key.code, plain) {
            state.focus = Focus::Query;
        } else {
            return Update::default();
        }
    }
    match input_request(&key) {
        Some(request) => edit_query(state, request),
        None => Update::default(),
    }
}

fn act(state: &mut State, action: Action) -> Update {
    let rows = state.list_rows();
    match action {
        Action::SelectNext | Action::SelectPrevious if state.focus == Focus::Details => {
            let down = action == Action::SelectNext;
            state.details_scroll = if down {
                state.details_scroll.saturating_add(1)
            } else {
                state.details_scroll.saturating_sub(1)
            };
        }
        Action::PageDown | Action::PageUp if state.focus == Focus::Details => {
            let page = rows as u16;
            state.details_scroll = if action == Action::PageDown {
                state.details_scroll.saturating_add(page)
            } else {
                state.details_scroll.saturating_sub(page)
            };
        }
        Action::SelectNext => select(state, 1),
        Action::SelectPrevious => select(state, -1),
        Action::PageDown => select(state, rows as isize),
        Action::PageUp => select(state, -(rows as isize)),
        Action::OpenDetails => {
            if state.selected_hit().is_some() {
                state.focus = Focus::Details;
                state.details_scroll = 0;
            }
        }
        Action::Back => match state.focus {
            Focus::Details => state.focus = Focus::Results,
            Focus::Results => state.focus = Focus::Query,
            Focus::Query if !state.query.value().is_empty() => {
                state.query.reset();
                return query_changed(state);
            }
            Focus::Query => return Update::default(),
        },
        Action::SwitchFocus => {
            state.focus = match state.focus {
                Focus::Query => Focus::Results,
                Focus::Results => Focus::Details,
                Focus::Details => Focus::Query,
            }
        }
        Action::FocusQuery => state.focus = Focus::Query,
        Action::OpenFilters => {
            let mut menu = FilterMenu::default();
            settle_menu(state, &mut menu);
            state.overlay = Some(Overlay::Filters(menu));
            // The same query again, now with the counts the menu shows.
            return with_search(state);
        }
        Action::ClearFilters => return clear_filters(state),
        Action::CopyReferral => {
            let Some(hit) = state.selected_hit() else {
                return Update::default();
            };
            let text = crate::referral::text(&hit.service, jiff::ZonedDateTime::now().date());
            state.notice = Some(format!(
                "Copied the referral for {} (via the terminal clipboard)",
                hit.service.name
            ));
            return Update {
                effects: vec![Effect::Copy(text)],
                redraw: true,
            };
        }
        Action::Help => state.overlay = Some(Overlay::Help(0)),
        Action::Quit => state.quit = true,
        Action::ClearQuery => {
            state.query.reset();
            return query_changed(state);
        }
        Action::DeleteWord => return edit_query(state, InputRequest::DeletePrevWord),
        Action::ToggleMark => return casework::toggle_mark(state),
        Action::OpenForm => return casework::open_form(state),
        Action::OpenQueue => return queue::open_queue(state),
        Action::OpenReports => return reports::open(state),
        Action::PreviousField
        | Action::Save
        | Action::WriteFile
        | Action::SwitchLanguage
        | Action::ToggleMine
        | Action::Reschedule
        | Action::CancelFollowup => return Update::default(),
    }
    Update::redraw()
}

fn filter_key(state: &mut State, mut menu: FilterMenu, key: KeyEvent) -> Update {
    let action = state.keymap.resolve(&key, super::keymap::Context::Overlay);
    let rows = filter_menu::rows(&menu, &state.filters, state.location.as_ref(), &state.facets);
    let plain_char = match key.code {
        KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => Some(c),
        _ => None,
    };
    let mut changed = false;
    if let Some((item, mut input)) = menu.editing.take() {
        match action {
            Some(Action::OpenDetails) => {
                menu.editing = Some((item, input));
                match filter_menu::commit_edit(&mut menu, &mut state.filters, &mut state.location) {
                    Ok(c) => changed = c,
                    Err(message) => state.notice = Some(message),
                }
            }
            Some(Action::Back) => {}
            Some(Action::Quit) if plain_char.is_none() => state.quit = true,
            _ => {
                if let Some(request) = input_request(&key) {
                    input.handle(request);
                }
                menu.editing = Some((item, input));
            }
        }
    } else if plain_char == Some(' ') || action == Some(Action::OpenDetails) {
        changed = filter_menu::activate(&mut menu, &rows, &mut state.filters, &mut state.location);
    } else if let Some(c) = plain_char {
        menu.narrow.push(c);
        settle_menu(state, &mut menu);
    } else if key.code == KeyCode::Backspace {
        menu.narrow.pop();
        settle_menu(state, &mut menu);
    } else {
        match action {
            Some(Action::SelectNext) => filter_menu::move_cursor(&mut menu, &rows, 1),
            Some(Action::SelectPrevious) => filter_menu::move_cursor(&mut menu, &rows, -1),
            Some(Action::PageDown) => filter_menu::move_cursor(&mut menu, &rows, 10),
            Some(Action::PageUp) => filter_menu::move_cursor(&mut menu, &rows, -10),
            Some(Action::Back) if !menu.narrow.is_empty() => menu.narrow.clear(),
            Some(Action::Back) | Some(Action::OpenFilters) => return Update::redraw(),
            Some(Action::ClearFilters) => {
                state.overlay = Some(Overlay::Filters(menu));
                return clear_filters(state);
            }
            Some(Action::Quit) => state.quit = true,
            Some(Action::Help) => {
                state.overlay = Some(Overlay::Help(0));
                return Update::redraw();
            }
            _ => {}
        }
    }
    state.overlay = Some(Overlay::Filters(menu));
    if changed {
        with_search(state)
    } else {
        Update::redraw()
    }
}

/// Puts the menu's cursor on a selectable row of its current rows.
fn settle_menu(state: &State, menu: &mut FilterMenu) {
    let rows = filter_menu::rows(menu, &state.filters, state.location.as_ref(), &state.facets);
    filter_menu::settle(menu, &rows);
}

fn clear_filters(state: &mut State) -> Update {
    state.filters = Default::default();
    state.location = None;
    with_search(state)
}

fn paste(state: &mut State, text: &str) -> Update {
    // A paste is typed text: one line, no control characters.
    let clean = navigator_index::text::sanitize(text);
    if let Some(Overlay::Filters(menu)) = &mut state.overlay {
        if let Some((_, input)) = &mut menu.editing {
            for c in clean.chars() {
                input.handle(InputRequest::InsertChar(c));
            }
            return Update::redraw();
        }
        return Update::default();
    }
    state.focus = Focus::Query;
    for c in clean.chars() {
        state.query.handle(InputRequest::InsertChar(c));
    }
    query_changed(state)
}

fn edit_query(state: &mut State, request: InputRequest) -> Update {
    let before = state.query.value().to_string();
    state.query.handle(request);
    if state.query.value() == before {
        return Update::redraw(); // the cursor may have moved
    }
    query_changed(state)
}

/// The navigator typed: search again, and remember it was typing (see [`Preview`]).
fn query_changed(state: &mut State) -> Update {
    state.typing = true;
    with_search(state)
}

/// The detail pane follows the selection again; true when it was held.
fn release_preview(state: &mut State) -> bool {
    matches!(std::mem::take(&mut state.preview), Preview::Held { .. })
}

/// Maps an editing key to a line-editor request.
pub(crate) fn input_request(key: &KeyEvent) -> Option<InputRequest> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => InputRequest::InsertChar(c),
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

fn with_search(state: &mut State) -> Update {
    Update {
        effects: vec![search(state)],
        redraw: true,
    }
}

/// A search for the current query and filters, with the next generation number.
fn search(state: &mut State) -> Effect {
    state.sent_generation += 1;
    let near = state.location.as_ref().map(|l| match parse_lat_lon(&l.place) {
        Some(point) => Near::Point(point),
        None => Near::Place(l.place.clone()),
    });
    let request = SearchRequest {
        text: state.query.value().to_string(),
        filters: state.filters.clone(),
        near,
        within_km: state.location.as_ref().and_then(|l| l.radius_km),
        limit: RESULT_LIMIT,
        offset: 0,
        // Counts are shown only in the filter menu; computing them means visiting every
        // match, so they are asked for only while it is open.
        facets: matches!(state.overlay, Some(Overlay::Filters(_))),
        now: crate::clock::now(),
    };
    Effect::Search {
        generation: state.sent_generation,
        request: Box::new(request),
    }
}

/// Shows results unless something newer is already on screen.
fn accept(state: &mut State, generation: u64, results: SearchResults) -> Update {
    if generation <= state.shown_generation {
        return Update::default();
    }
    // A selection the navigator moved down the list follows its service into the new
    // results; one left on the first row stays there, on the best match.
    let keep = state
        .selected_hit()
        .filter(|_| state.selected > 0)
        .map(|h| h.service.id.clone());
    // While the navigator types, the detail pane keeps what it shows until typing pauses.
    let hold = state.typing && !state.details_delay.is_zero() && state.focus != Focus::Details;
    if hold && matches!(state.preview, Preview::Live) {
        state.preview = Preview::Held {
            hit: state.selected_hit().cloned().map(Box::new),
            scroll: state.details_scroll,
        };
    } else if !hold {
        state.preview = Preview::Live;
    }
    state.shown_generation = generation;
    state.error = None;
    state.total = results.total;
    state.facets = results.facets.unwrap_or_default();
    state.origin_name = results
        .origin
        .map(|(p, name)| name.unwrap_or_else(|| format!("{:.3}, {:.3}", p.lat, p.lon)));
    state.hits = results.hits;
    state.selected = keep
        .and_then(|id| state.hits.iter().position(|h| h.service.id == id))
        .unwrap_or(0);
    if state.selected == 0 {
        state.scroll = 0;
    }
    state.details_scroll = 0;
    Update {
        effects: if hold {
            vec![Effect::AwaitTypingPause(state.details_delay)]
        } else {
            Vec::new()
        },
        redraw: true,
    }
}

fn select(state: &mut State, delta: isize) {
    if state.hits.is_empty() {
        return;
    }
    let last = state.hits.len() as isize - 1;
    state.selected = (state.selected as isize + delta).clamp(0, last) as usize;
    state.details_scroll = 0;
}

fn keep_selection_visible(state: &mut State) {
    let rows = state.list_rows();
    if state.selected < state.scroll {
        state.scroll = state.selected;
    } else if state.selected >= state.scroll + rows {
        state.scroll = state.selected + 1 - rows;
    }
}
