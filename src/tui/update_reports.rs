//! `update` for the reports screen (F3): choosing the period, scrolling, and the figures
//! the casework thread sends back.

use crossterm::event::{KeyCode, KeyEvent};

use super::keymap::Action;
use super::state::{Overlay, Screen, State};
use super::update::{Effect, Update};

/// F3: the reports for the chosen span, recomputed now.
pub(super) fn open(state: &mut State) -> Update {
    state.screen = Screen::Reports;
    state.reports.scroll = 0;
    Update {
        effects: vec![Effect::LoadReports(state.reports.span.period(state.today))],
        redraw: true,
    }
}

pub(super) fn key(state: &mut State, key: KeyEvent) -> Update {
    use super::reports::Span;
    let current = Span::ALL.iter().position(|s| *s == state.reports.span).unwrap_or(0);
    let pick = match key.code {
        KeyCode::Char(c) => Span::ALL.iter().position(|s| s.key() == c),
        KeyCode::Right => Some((current + 1) % Span::ALL.len()),
        KeyCode::Left => Some((current + Span::ALL.len() - 1) % Span::ALL.len()),
        _ => None,
    };
    if let Some(i) = pick {
        state.reports.span = Span::ALL[i];
        state.reports.figures = None;
        return open(state);
    }
    let scroll = &mut state.reports.scroll;
    match state.keymap.resolve(&key, super::keymap::Context::Reports) {
        Some(Action::SelectNext) => *scroll = scroll.saturating_add(1),
        Some(Action::SelectPrevious) => *scroll = scroll.saturating_sub(1),
        Some(Action::PageDown) => *scroll = scroll.saturating_add(10),
        Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
        Some(Action::Back | Action::OpenReports) => state.screen = Screen::Search,
        Some(Action::OpenQueue) => return super::update_queue::open_queue(state),
        Some(Action::Help) => state.overlay = Some(Overlay::Help(0)),
        Some(Action::Quit) => return super::update::request_quit(state),
        _ => return Update::default(),
    }
    Update::redraw_only()
}

/// Reports for the span on screen; answers for a span since left are dropped.
pub(super) fn loaded(
    state: &mut State,
    figures: Box<super::reports::Figures>,
    period: crate::report::Period,
) -> Update {
    if period != state.reports.span.period(state.today) {
        return Update::default();
    }
    state.reports.figures = Some(figures);
    Update {
        effects: Vec::new(),
        redraw: state.screen == Screen::Reports,
    }
}
