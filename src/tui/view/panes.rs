//! The results list and the detail pane.

use navigator_index::text::{sanitize, sanitize_multiline};
use navigator_index::Hit;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use crate::tui::state::{Focus, State};

fn pane<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_set(theme.borders())
        .border_style(if focused {
            theme.focused_border()
        } else {
            theme.border()
        })
        .title(Span::styled(title, theme.title()))
}

pub fn results(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The count is in the status line; repeating it here would resend it on every key.
    let block = pane(" Results ".into(), state.focus == Focus::Results, theme);
    let inner = block.inner(area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if state.hits.is_empty() && state.shown_generation > 0 {
        lines.push(Line::styled(
            "No services match. Try fewer words or clear filters.",
            theme.dim(),
        ));
    }
    for (i, hit) in state
        .hits
        .iter()
        .enumerate()
        .skip(state.scroll)
        .take(inner.height as usize)
    {
        let mut line = row(hit, theme, width, state.in_basket(&hit.service.id));
        if i == state.selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One result: marker, name, organization, municipality, distance; "+" when in the basket.
fn row<'a>(hit: &Hit, theme: &Theme, width: usize, marked: bool) -> Line<'a> {
    let s = &hit.service;
    let (marker, marker_style) = theme.marker(hit.open_now);
    let mark = if marked { "+" } else { " " };
    let sep = theme.separator();
    let marks = crate::record::short_marks(s);
    let mut text = if marks.is_empty() {
        sanitize(&s.name)
    } else {
        format!("[{}] {}", marks.join(", "), sanitize(&s.name))
    };
    if !s.organization.name.is_empty() && s.organization.name != s.name {
        text.push_str(sep);
        text.push_str(&sanitize(&s.organization.name));
    }
    if let Some(city) = s.municipality() {
        text.push_str(sep);
        text.push_str(&sanitize(city));
    }
    let distance = hit.distance_km.map(|d| format!(" {d:.1} km")).unwrap_or_default();
    let room = width.saturating_sub(marker.chars().count() + 2 + distance.chars().count());
    let text = crate::output::fit(&text, room);
    let pad = room.saturating_sub(text.chars().count());
    Line::from(vec![
        Span::styled(mark, theme.title()),
        Span::styled(marker, marker_style),
        Span::raw(" "),
        Span::raw(text),
        Span::raw(" ".repeat(pad)),
        Span::styled(distance, theme.dim()),
    ])
}

pub fn details(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = pane(" Details ".into(), state.focus == Focus::Details, theme);
    let (hit, scroll) = state.shown_details();
    let Some(hit) = hit else {
        frame.render_widget(
            Paragraph::new(Line::styled("No service selected.", theme.dim())).block(block),
            area,
        );
        return;
    };
    let s = &hit.service;
    let mut lines: Vec<Line> = vec![Line::styled(
        sanitize(&s.name),
        theme.title().add_modifier(Modifier::BOLD),
    )];
    let (word, style) = match hit.open_now {
        Some(true) => ("Open now", theme.open()),
        Some(false) => ("Closed now", theme.closed()),
        None => ("Hours unknown", theme.dim()),
    };
    let mut status = vec![Span::styled(word, style.add_modifier(Modifier::BOLD))];
    if let Some(d) = hit.distance_km {
        status.push(Span::raw(format!("{}{d:.1} km away", theme.separator())));
    }
    lines.push(Line::from(status));
    let fields = crate::record::fields(s, state.today);
    let label_width = fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in fields {
        let warn = label == "Last verified" && value.contains("over 12 months");
        for (n, text) in sanitize_multiline(&value).lines().enumerate() {
            let label = if n == 0 { label.as_str() } else { "" };
            let value_style = if warn {
                theme.warning()
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<label_width$}  "), theme.label()),
                Span::styled(text.to_string(), value_style),
            ]));
        }
    }
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(paragraph, area);
}
