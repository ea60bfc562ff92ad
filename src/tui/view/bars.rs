//! The one-line bars: the query box, the active filters, the status line.

use navigator_index::categories;
use navigator_index::text::sanitize;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use crate::tui::keymap::Action;
use crate::tui::state::{Focus, Screen, State};

pub fn query(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::Query && state.overlay.is_none();
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(if focused {
            theme.focused_border()
        } else {
            theme.border()
        })
        .title(Span::styled(" Search services ", theme.title()));
    let inner = block.inner(area);
    let width = inner.width.max(1) as usize;
    let scroll = state.query.visual_scroll(width);
    let text = sanitize(state.query.value());
    let visible: String = text.chars().skip(scroll).take(width).collect();
    let line = if text.is_empty() && !focused {
        Line::styled("type what the caller needs (/ to search)", theme.dim())
    } else if text.is_empty() {
        Line::styled(
            "type what the caller needs: food bank, rent help, hôpital…",
            theme.dim(),
        )
    } else {
        Line::raw(visible)
    };
    frame.render_widget(Paragraph::new(line).block(block), area);
    if focused {
        let x = inner.x + (state.query.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position((x.min(inner.x + inner.width.saturating_sub(1)), inner.y));
    }
}

/// The active filters, in words.
pub fn describe_filters(state: &State) -> Vec<String> {
    let f = &state.filters;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(
        f.categories
            .iter()
            .map(|c| categories::category(c).map_or(c.clone(), |c| c.en.to_string())),
    );
    parts.extend(
        f.audiences
            .iter()
            .map(|a| categories::audience(a).map_or(a.clone(), |a| a.en.to_string())),
    );
    parts.extend(f.municipalities.iter().cloned());
    parts.extend(
        f.languages
            .iter()
            .map(|l| navigator_index::languages::resolve(l).map_or(l.clone(), |l| l.1)),
    );
    if f.open_now {
        parts.push("open now".into());
    }
    if f.free {
        parts.push("free".into());
    }
    if f.accessible {
        parts.push("accessible".into());
    }
    if let Some(age) = f.age {
        parts.push(format!("age {age}"));
    }
    if let Some(l) = &state.location {
        let place = state.origin_name.clone().unwrap_or_else(|| l.place.clone());
        parts.push(match l.radius_km {
            Some(km) => format!("within {km} km of {place}"),
            None => format!("near {place}"),
        });
    }
    parts.into_iter().map(|p| sanitize(&p)).collect()
}

pub fn filters(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    // A notice (or a search error) takes this line, and the status line too when it is
    // longer than one: it is read once, whole, and the filters come back with the next key.
    if let Some(notice) = notice_lines(state, area.width as usize).first() {
        frame.render_widget(Paragraph::new(Line::styled(notice.clone(), theme.warning())), area);
        return;
    }
    let parts = describe_filters(state);
    let line = if parts.is_empty() {
        Line::from(vec![
            Span::styled("Filters: ", theme.label()),
            Span::styled(
                format!("none ({} to filter)", state.keymap.hint(Action::OpenFilters)),
                theme.dim(),
            ),
        ])
    } else {
        Line::from(vec![
            Span::styled("Filters: ", theme.label()),
            Span::raw(parts.join(", ")),
            Span::styled(
                format!("  ({} clears)", state.keymap.hint(Action::ClearFilters)),
                theme.dim(),
            ),
        ])
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The database link when it needs saying: gone (since when), and saves held here.
fn link(state: &State) -> Option<String> {
    let held = state.link.held;
    match &state.link.down_since {
        Some(since) if held == 0 => Some(format!("database unreachable since {since}")),
        Some(since) => Some(format!("database unreachable since {since}, {held} held")),
        None if held > 0 => Some(format!("saving {held} held")),
        None => None,
    }
}

/// The notice or error, wrapped to `width`, at most two lines (the second cut with "…").
fn notice_lines(state: &State, width: usize) -> Vec<String> {
    let Some(text) = state.error.as_ref().or(state.notice.as_ref()) else {
        return Vec::new();
    };
    let mut lines = super::wrap::wrap(&sanitize(text), width);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(crate::output::fit(&rest, width));
    }
    lines
}

/// "37/1,340": the selected result's position of all that matched, at a fixed width so a
/// digit more or less does not shift (and resend) the whole status line.
fn position(state: &State) -> String {
    if state.searching() && state.shown_generation == 0 {
        return "searching…".to_string();
    }
    let width = crate::output::thousands(state.services.max(state.total)).len() * 2 + 1;
    let at = if state.hits.is_empty() { 0 } else { state.selected + 1 };
    let text = format!(
        "{}/{}",
        crate::output::thousands(at),
        crate::output::thousands(state.total)
    );
    format!("{text:>width$}")
}

pub fn status(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let k = |a: Action| state.keymap.hint(a);
    let notice = notice_lines(state, area.width as usize);
    if let Some(second) = notice.get(1) {
        frame.render_widget(Paragraph::new(Line::styled(second.clone(), theme.warning())), area);
        return;
    }
    let mut spans = vec![
        Span::styled(position(state), theme.label()),
        Span::styled(theme.separator(), theme.dim()),
    ];
    // Said in words, not only by the rows' marks: nothing answers every word.
    if state.partial && !state.hits.is_empty() {
        spans.push(Span::styled("partial", theme.warning()));
        spans.push(Span::styled(theme.separator(), theme.dim()));
    }
    if let Some(home) = &state.home_name {
        spans.push(Span::raw(format!("near {}", sanitize(home))));
        spans.push(Span::styled(theme.separator(), theme.dim()));
    }
    // An outage says so where the catalogue's name stands: on 80 columns both would push
    // the notices off the line.
    match link(state) {
        Some(link) => spans.push(Span::styled(link, theme.warning())),
        None => spans.push(Span::raw(sanitize(&state.source))),
    }
    spans.push(Span::styled(theme.separator(), theme.dim()));
    let due = state.counts.overdue + state.counts.due_today;
    if due > 0 {
        spans.push(Span::styled(
            format!("{} due", crate::output::plural(due, "follow-up", "follow-ups")),
            theme.warning(),
        ));
        spans.push(Span::styled(theme.separator(), theme.dim()));
    }
    if state.form.is_some() && state.screen != Screen::Form {
        // A contact is open behind this screen: say so, and how to get back to it.
        spans.push(Span::styled(
            format!("contact open ({})", k(Action::OpenForm)),
            theme.warning(),
        ));
        spans.push(Span::styled(theme.separator(), theme.dim()));
    }
    if !state.basket.is_empty() {
        spans.push(Span::styled(format!("basket {}", state.basket.len()), theme.title()));
        spans.push(Span::styled(theme.separator(), theme.dim()));
    }
    if notice.is_empty() {
        // As many hints as fit, whole: "F1 help" rather than "F1".
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = (area.width as usize).saturating_sub(used);
        let mut text = hints(state);
        while text.chars().count() > room {
            match text.rfind("  ") {
                Some(cut) => text.truncate(cut),
                None => text.clear(),
            }
        }
        spans.push(Span::styled(text, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys that matter on this screen, from the keymap in effect.
fn hints(state: &State) -> String {
    let k = |a: Action| state.keymap.hint(a);
    match (state.screen, state.focus) {
        (Screen::Form, _) => format!(
            "Tab next  {} save  {} search  {} discard",
            k(Action::Save),
            k(Action::Back),
            k(Action::DiscardContact)
        ),
        (Screen::Reports, _) => format!(
            "w/m/y/a period  {} scroll  {} search  {} quit",
            k(Action::SelectNext),
            k(Action::Back),
            k(Action::Quit)
        ),
        (Screen::Queue, _) => format!(
            "Enter open  {} mine/all  {} search  {} quit",
            k(Action::ToggleMine),
            k(Action::Back),
            k(Action::Quit)
        ),
        (Screen::FollowUp, _) => format!(
            "{} save  {} reschedule  {} cancel  {} back",
            k(Action::Save),
            k(Action::Reschedule),
            k(Action::CancelFollowup),
            k(Action::Back)
        ),
        (Screen::Summary, _) => format!(
            "{} copy  {} write file  {} English/français  Enter done",
            k(Action::CopyReferral),
            k(Action::WriteFile),
            k(Action::SwitchLanguage)
        ),
        (_, Focus::Details) => format!(
            "{}/Space page  {} back  {} mark  {} copy",
            k(Action::PageDown),
            k(Action::Back),
            k(Action::ToggleMark),
            k(Action::CopyReferral)
        ),
        (_, _) => format!(
            "{} details  {} mark  {} contact  {} help",
            k(Action::OpenDetails),
            k(Action::ToggleMark),
            k(Action::OpenForm),
            k(Action::Help)
        ),
    }
}
