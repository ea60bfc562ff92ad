//! `update` for the filter menu (Ctrl-F): typing narrows the list, Space or Enter toggles
//! or edits a row, and every text in it is edited with the same keys as the query.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::filter_menu::{self, FilterMenu};
use super::keymap::{Action, Context};
use super::state::{Overlay, State};
use super::text_edit;
use super::update::Update;
use super::update_search::with_search;

pub(super) fn key(state: &mut State, mut menu: FilterMenu, key: KeyEvent) -> Update {
    let action = state.keymap.resolve(&key, Context::Menu);
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
            Some(Action::Back) => {} // the value stays as it was
            Some(Action::Quit) => {
                state.overlay = Some(Overlay::Filters(menu));
                return super::update::request_quit(state);
            }
            _ => {
                text_edit::edit(&mut input, action, &key);
                menu.editing = Some((item, input));
            }
        }
    } else if plain_char == Some(' ') || action == Some(Action::OpenDetails) {
        changed = filter_menu::activate(&mut menu, &rows, &mut state.filters, &mut state.location);
    } else if plain_char.is_some()
        || matches!(action, Some(Action::ClearQuery | Action::DeleteWord))
        || matches!(
            key.code,
            KeyCode::Backspace | KeyCode::Delete | KeyCode::Home | KeyCode::End
        )
    {
        if text_edit::edit(&mut menu.narrow, action, &key) {
            settle_menu(state, &mut menu);
        }
    } else {
        match action {
            Some(Action::SelectNext) => filter_menu::move_cursor(&mut menu, &rows, 1),
            Some(Action::SelectPrevious) => filter_menu::move_cursor(&mut menu, &rows, -1),
            Some(Action::PageDown) => filter_menu::move_cursor(&mut menu, &rows, 10),
            Some(Action::PageUp) => filter_menu::move_cursor(&mut menu, &rows, -10),
            // Esc closes the menu; the filters chosen stay.
            Some(Action::Back) | Some(Action::OpenFilters) => return Update::redraw(),
            Some(Action::ClearFilters) => {
                state.overlay = Some(Overlay::Filters(menu));
                return clear(state);
            }
            Some(Action::Quit) => {
                state.overlay = Some(Overlay::Filters(menu));
                return super::update::request_quit(state);
            }
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

/// A paste into the menu: the field being edited, else the narrowing text.
pub(super) fn paste(state: &mut State, text: &str) -> Update {
    let Some(Overlay::Filters(mut menu)) = state.overlay.take() else {
        return Update::default();
    };
    match &mut menu.editing {
        Some((_, input)) => {
            text_edit::paste_into(input, text);
        }
        None => {
            if text_edit::paste_into(&mut menu.narrow, text) {
                settle_menu(state, &mut menu);
            }
        }
    }
    state.overlay = Some(Overlay::Filters(menu));
    Update::redraw()
}

/// Puts the menu's cursor on a selectable row of its current rows.
pub(super) fn settle_menu(state: &State, menu: &mut FilterMenu) {
    let rows = filter_menu::rows(menu, &state.filters, state.location.as_ref(), &state.facets);
    filter_menu::settle(menu, &rows);
}

pub(super) fn clear(state: &mut State) -> Update {
    state.filters = Default::default();
    state.location = None;
    with_search(state)
}
