//! `update` for the search screen: typing (always into the query, whatever has focus),
//! moving through the results (the list keeps loading past the first page), the detail
//! pane, and the search requests. Pure like the rest of `update`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use navigator_index::geo::parse_lat_lon;
use navigator_index::{Near, SearchError, SearchRequest, SearchResults};
use tui_input::{Input, InputRequest};

use super::filter_menu::FilterMenu;
use super::keymap::Action;
use super::state::{Focus, Overlay, Preview, State};
use super::text_edit;
use super::update::{Effect, Update};
use super::update_casework as casework;
use super::update_filters as filters;
use super::update_queue as queue;
use super::update_reports as reports;

/// The most results a search fetches at a time; scrolling near the end fetches the next
/// page of the same query.
pub const RESULT_LIMIT: usize = 100;
/// The fewest: a page is two screens of rows, at least this many. Every row of a page is a
/// record read from the index and decoded on each keystroke; at 80x24 about ten show.
pub const RESULT_PAGE_MIN: usize = 30;

/// Results fetched at a time for this terminal: two screens' worth of rows.
pub(super) fn page_size(state: &State) -> usize {
    // Every line but the query box, the filter and status lines and the borders.
    let rows = usize::from(state.height).saturating_sub(7);
    (rows * 2).clamp(RESULT_PAGE_MIN, RESULT_LIMIT)
}
/// Marks the generations of "more results" requests: the next page of the query on
/// screen, whose answer is appended instead of replacing the list.
pub const MORE: u64 = 1 << 62;

pub(super) fn key(state: &mut State, key: KeyEvent) -> Update {
    let action = state.keymap.resolve(&key, state.context());
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    // Space pages the details while they have focus, as in a pager: a query never starts
    // with a space, so this cannot eat typing.
    if state.focus == Focus::Details && action.is_none() && plain && key.code == KeyCode::Char(' ') {
        return act(state, Action::PageDown);
    }
    if let Some(action) = action {
        return act(state, action);
    }
    // Everything else is typing, and typing always goes to the query.
    let to_query = matches!(key.code, KeyCode::Char(_) if plain) || key.code == KeyCode::Backspace;
    if state.focus != Focus::Query {
        if !to_query {
            return Update::default();
        }
        state.focus = Focus::Query;
    }
    match text_edit::request(None, &key) {
        Some(request) => edit_query(state, request),
        None => Update::default(),
    }
}

pub(super) fn paste(state: &mut State, text: &str) -> Update {
    state.focus = Focus::Query;
    if text_edit::paste_into(&mut state.query, text) {
        query_changed(state)
    } else {
        Update::redraw()
    }
}

fn act(state: &mut State, action: Action) -> Update {
    let rows = state.list_rows() as isize;
    let details = state.focus == Focus::Details;
    match action {
        Action::SelectNext | Action::SelectPrevious if details => {
            scroll_details(state, if action == Action::SelectNext { 1 } else { -1 });
        }
        Action::PageDown | Action::PageUp if details => {
            let page = state.details_rows().saturating_sub(1).max(1) as isize;
            scroll_details(state, if action == Action::PageDown { page } else { -page });
        }
        Action::SelectNext => return select(state, 1),
        Action::SelectPrevious => return select(state, -1),
        Action::PageDown => return select(state, rows),
        Action::PageUp => return select(state, -rows),
        Action::OpenDetails => {
            if state.selected_hit().is_some() {
                state.focus = Focus::Details;
                state.details_scroll = 0;
            }
        }
        // Esc goes back a step and never clears what was typed.
        Action::Back => match state.focus {
            Focus::Details => state.focus = Focus::Results,
            Focus::Results => state.focus = Focus::Query,
            Focus::Query => return Update::default(),
        },
        Action::SwitchFocus | Action::PreviousField => {
            let order = [Focus::Query, Focus::Results, Focus::Details];
            let at = order.iter().position(|f| *f == state.focus).unwrap_or(0);
            let step = if action == Action::SwitchFocus { 1 } else { 2 };
            state.focus = order[(at + step) % 3];
        }
        Action::FocusQuery => state.focus = Focus::Query,
        Action::OpenFilters => {
            let mut menu = FilterMenu::default();
            filters::settle_menu(state, &mut menu);
            state.overlay = Some(Overlay::Filters(menu));
            // The same query again, now with the counts the menu shows.
            return with_search(state);
        }
        Action::ClearFilters => return filters::clear(state),
        Action::CopyReferral => return copy_referral(state),
        Action::Help => state.overlay = Some(Overlay::Help(0)),
        Action::Quit => return super::update::request_quit(state),
        Action::ClearQuery => return clear_query(state),
        Action::RestoreQuery => return restore_query(state),
        Action::DeleteWord => {
            state.focus = Focus::Query;
            return edit_query(state, InputRequest::DeletePrevWord);
        }
        Action::ToggleMark => return casework::toggle_mark(state),
        Action::OpenForm => return casework::open_form(state),
        Action::OpenQueue => return queue::open_queue(state),
        Action::OpenReports => return reports::open(state),
        Action::DiscardContact
        | Action::Save
        | Action::WriteFile
        | Action::SwitchLanguage
        | Action::ToggleMine
        | Action::Reschedule
        | Action::CancelFollowup => return Update::default(),
    }
    Update::redraw()
}

fn scroll_details(state: &mut State, delta: isize) {
    state.details_scroll = (state.details_scroll as isize + delta).clamp(0, u16::MAX as isize) as u16;
}

fn copy_referral(state: &mut State) -> Update {
    let Some(hit) = state.selected_hit() else {
        return Update::default();
    };
    let text = crate::referral::text(&hit.service, state.now);
    state.notice = Some(format!(
        "Sent the referral for {} to the terminal's clipboard",
        hit.service.name
    ));
    Update::with(vec![Effect::Copy(text)])
}

/// Ctrl-U: clear the query, keeping it for restore-query.
fn clear_query(state: &mut State) -> Update {
    state.focus = Focus::Query;
    let text = state.query.value().to_string();
    if text.is_empty() {
        return Update::default();
    }
    state.last_cleared = Some(text);
    state.query.reset();
    state.notice = Some(format!(
        "Query cleared ({} brings it back)",
        state.keymap.hint(Action::RestoreQuery)
    ));
    query_changed(state)
}

/// Ctrl-Z: the last cleared query comes back; the one it replaces can come back in turn.
fn restore_query(state: &mut State) -> Update {
    state.focus = Focus::Query;
    let Some(previous) = state.last_cleared.take() else {
        state.notice = Some("No cleared query to bring back".into());
        return Update::redraw();
    };
    let current = state.query.value().to_string();
    if !current.is_empty() {
        state.last_cleared = Some(current);
    }
    state.query = Input::new(previous);
    query_changed(state)
}

fn edit_query(state: &mut State, request: InputRequest) -> Update {
    if text_edit::apply(&mut state.query, request) {
        query_changed(state)
    } else {
        Update::redraw() // the cursor may have moved
    }
}

/// The navigator typed: search again, and remember it was typing (see [`Preview`]).
fn query_changed(state: &mut State) -> Update {
    state.typing = true;
    with_search(state)
}

/// The detail pane follows the selection again; true when it was held.
pub(super) fn release_preview(state: &mut State) -> bool {
    matches!(std::mem::take(&mut state.preview), Preview::Held { .. })
}

pub(super) fn with_search(state: &mut State) -> Update {
    Update::with(vec![search(state)])
}

/// The request for the current query and filters, from result `offset`.
fn request(state: &State, offset: usize, facets: bool) -> SearchRequest {
    let near = state.location.as_ref().map(|l| match parse_lat_lon(&l.place) {
        Some(point) => Near::Point(point),
        None => Near::Place(l.place.clone()),
    });
    SearchRequest {
        text: state.query.value().to_string(),
        filters: state.filters.clone(),
        near,
        within_km: state.location.as_ref().and_then(|l| l.radius_km),
        limit: page_size(state),
        offset,
        facets,
        now: state.now,
    }
}

/// A search for the current query and filters, with the next generation number.
pub(super) fn search(state: &mut State) -> Effect {
    state.sent_generation += 1;
    state.more = None;
    // Counts are shown only in the filter menu; computing them means visiting every
    // match, so they are asked for only while it is open.
    let facets = matches!(state.overlay, Some(Overlay::Filters(_)));
    Effect::Search {
        generation: state.sent_generation,
        request: Box::new(request(state, 0, facets)),
    }
}

/// Shows results unless something newer is already on screen.
pub(super) fn accept(state: &mut State, generation: u64, results: SearchResults) -> Update {
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
    state.more = None;
    // A home area the directory does not know is said, and searching goes on without it.
    state.error = results
        .unknown_home
        .as_ref()
        .map(|home| format!("[search] home: {}", SearchError::UnknownPlace(home.clone())));
    state.total = results.total;
    state.total_is_lower_bound = results.total_is_lower_bound;
    state.partial = results.partial;
    state.facets = results.facets.unwrap_or_default();
    let origin = results
        .origin
        .map(|(p, name)| name.unwrap_or_else(|| format!("{:.3}, {:.3}", p.lat, p.lon)));
    (state.origin_name, state.home_name) = if results.home { (None, origin) } else { (origin, None) };
    state.hits = results.hits;
    state.selected = keep
        .and_then(|id| state.hits.iter().position(|h| h.service.id == id))
        .unwrap_or(0);
    if state.selected == 0 {
        state.scroll = 0;
    }
    state.details_scroll = 0;
    Update::with(if hold {
        vec![Effect::AwaitTypingPause(state.details_delay)]
    } else {
        Vec::new()
    })
}

/// Moves the selection; near the end of what is loaded, asks for the next page.
fn select(state: &mut State, delta: isize) -> Update {
    if state.hits.is_empty() {
        return Update::default();
    }
    let last = state.hits.len() as isize - 1;
    state.selected = (state.selected as isize + delta).clamp(0, last) as usize;
    state.details_scroll = 0;
    Update::with(load_more(state).into_iter().collect())
}

/// The next page of the query on screen, when the selection is within a page of the end
/// of what is loaded and more matched.
fn load_more(state: &mut State) -> Option<Effect> {
    let near_end = state.selected + state.list_rows() >= state.hits.len();
    let more_matched = state.hits.len() < state.total;
    let settled = !state.searching() && state.more.is_none();
    if !(near_end && more_matched && settled) {
        return None;
    }
    let generation = MORE | state.shown_generation;
    state.more = Some(generation);
    Some(Effect::Search {
        generation,
        request: Box::new(request(state, state.hits.len(), false)),
    })
}

/// The next page arrived: appended when it is still the query on screen.
pub(super) fn more_found(state: &mut State, generation: u64, results: SearchResults) -> Update {
    if state.more != Some(generation) || generation & !MORE != state.shown_generation {
        return Update::default();
    }
    state.more = None;
    let known: std::collections::HashSet<String> = state.hits.iter().map(|h| h.service.id.clone()).collect();
    state
        .hits
        .extend(results.hits.into_iter().filter(|h| !known.contains(&h.service.id)));
    state.total = state.total.max(state.hits.len());
    Update::redraw()
}

/// The next page failed: the list stays as it is; moving again asks again.
pub(super) fn more_failed(state: &mut State, generation: u64) -> Update {
    if state.more == Some(generation) {
        state.more = None;
    }
    Update::default()
}

pub(super) fn keep_selection_visible(state: &mut State) {
    let rows = state.list_rows();
    if state.selected < state.scroll {
        state.scroll = state.selected;
    } else if state.selected >= state.scroll + rows {
        state.scroll = state.selected + 1 - rows;
    }
}
