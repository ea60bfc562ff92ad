//! `view(&State, &mut Frame)`: pure rendering. Everything on screen comes from the state;
//! every string from data passes `sanitize` before it reaches a cell.

mod bars;
mod overlays;
mod panes;
mod summary;
pub mod theme;
pub(crate) mod wrap;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::state::{Focus, Overlay, Screen, State, MIN_HEIGHT, MIN_WIDTH};
use theme::Theme;

pub fn view(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(state.display);
    if state.too_small() {
        let message = format!("terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT})");
        frame.render_widget(Paragraph::new(Line::styled(message, theme.warning())), area);
        return;
    }
    let [query, body, filter_line, status] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    bars::query(state, &theme, frame, query);
    match (state.screen, &state.form, &state.summary) {
        (Screen::Form, Some(form), _) => {
            super::form::view::render(state, form, &theme, frame, body);
        }
        (Screen::Summary, _, Some(summary)) => summary::render(state, summary, &theme, frame, body),
        (Screen::Queue, _, _) => {
            let today = state.today.to_string();
            super::queue::view::queue(&state.queue, &state.counts, &state.user, &today, &theme, frame, body);
        }
        (Screen::Reports, _, _) => {
            super::reports::view::render(&state.reports, state.today, state.display.ascii, &theme, frame, body);
        }
        (Screen::FollowUp, _, _) if state.followup.is_some() => {
            let open = state.followup.as_ref().expect("checked");
            super::queue::view::followup(open, state.personal_data_reader, &theme, frame, body);
        }
        _ => {
            let (results, details) = split_body(state, body);
            if let Some(results) = results {
                panes::results(state, &theme, frame, results);
            }
            if let Some(details) = details {
                panes::details(state, &theme, frame, details);
            }
        }
    }
    bars::filters(state, &theme, frame, filter_line);
    bars::status(state, &theme, frame, status);
    match &state.overlay {
        Some(Overlay::Help(scroll)) => overlays::help(state, *scroll, &theme, frame, area),
        Some(Overlay::Filters(menu)) => overlays::filters(state, menu, &theme, frame, area),
        Some(Overlay::ResumeDraft(draft, saved)) => {
            let services = draft.basket.len();
            let question = format!(
                "An unsaved contact from {saved} ({} in its basket) was left open. Resume it?",
                crate::output::plural(services, "service", "services")
            );
            overlays::prompt(
                &theme,
                frame,
                area,
                " Resume contact ",
                &question,
                "y resume   n not now (it is kept)",
            );
        }
        Some(Overlay::ConfirmDiscard) => {
            overlays::prompt(
                &theme,
                frame,
                area,
                " Discard contact ",
                "Discard this contact and its basket?",
                "y discard   n keep editing",
            );
        }
        Some(Overlay::DraftElsewhere(draft, _, since)) => {
            let question = format!(
                "This contact is open in another session ({since}, {} in its basket). \
                 Take it over here? That session is told and stops saving it.",
                crate::output::plural(draft.basket.len(), "service", "services")
            );
            overlays::prompt(
                &theme,
                frame,
                area,
                " Contact open elsewhere ",
                &question,
                "y take it over   n leave it there",
            );
        }
        Some(Overlay::ConfirmQuit) => {
            let kept = match (state.form.is_some(), state.basket.len()) {
                (true, _) => "The open contact and its basket stay as a draft for the next start.".to_string(),
                (false, n) => format!(
                    "The basket ({}) stays as a draft for the next start.",
                    crate::output::plural(n, "service", "services")
                ),
            };
            overlays::prompt(
                &theme,
                frame,
                area,
                " Quit navigator ",
                &format!("Quit now? {kept}"),
                "y quit   n stay",
            );
        }
        None => {}
    }
}

/// Results and details areas: side by side from 120 columns, stacked below that (the
/// details take the whole body while they have focus). Agrees with `State::list_rows`.
fn split_body(state: &State, body: Rect) -> (Option<Rect>, Option<Rect>) {
    if state.side_by_side() {
        let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
        return (Some(left), Some(right));
    }
    if state.focus == Focus::Details {
        return (None, Some(body));
    }
    let list = (state.list_rows() + 2) as u16;
    let [top, bottom] = Layout::vertical([Constraint::Length(list.min(body.height)), Constraint::Min(0)]).areas(body);
    (Some(top), (bottom.height > 2).then_some(bottom))
}
