//! The results list and the detail pane.

use navigator_index::hours::OpenStatus;
use navigator_index::text::{sanitize, sanitize_multiline};
use navigator_index::Hit;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use super::wrap::wrap;
use crate::output::fit_with;
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

/// Column widths of a result row: the place and distance keep their width; the name is
/// what gets shortened.
struct Columns {
    name: usize,
    place: usize,
    distance: usize,
}

impl Columns {
    /// Mark (1), open marker (8) and the spaces between columns come out of `width`.
    fn new(width: usize, with_distance: bool) -> Columns {
        let place = if width >= 70 { 16 } else { 12 };
        let distance = if with_distance { 8 } else { 0 };
        let fixed = 1 + 8 + 1 + 1 + place + distance;
        Columns {
            name: width.saturating_sub(fixed),
            place,
            distance,
        }
    }
}

/// The detail pane's label column: the longest label a record usually has ("Mailing
/// address"); a longer one widens it.
const LABEL_WIDTH: usize = 15;

pub fn results(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The count is in the status line; repeating it here would resend it on every key.
    let block = pane(" Results ".into(), state.focus == Focus::Results, theme);
    let inner = block.inner(area);
    // A distance for a place asked for or for the home area the results lean to.
    let columns = Columns::new(
        inner.width as usize,
        state.location.is_some() || state.home_name.is_some(),
    );
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
        let mut line = row(hit, theme, &columns, state.in_basket(&hit.service.id));
        if i == state.selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Where a result is: its (nearest) municipality, "Sudbury +11" for a program at several
/// places (its records together: the details list them), "12 locations" without a town.
fn place(hit: &Hit) -> String {
    let places = hit.service.municipalities();
    let others = hit.locations.max(places.len()).saturating_sub(1);
    match (places.first(), others) {
        (None, 0) => String::new(),
        (None, _) => format!("{} locations", others + 1),
        (Some(one), 0) => sanitize(one),
        (Some(first), n) => format!("{} +{n}", sanitize(first)),
    }
}

/// One result: "+" when in the basket, open marker, name and organization, place, distance.
fn row<'a>(hit: &Hit, theme: &Theme, columns: &Columns, marked: bool) -> Line<'a> {
    let s = &hit.service;
    let (marker, marker_style) = theme.marker(hit.open_now);
    let mark = if marked { "+" } else { " " };
    let marks = crate::record::short_marks(s);
    // "~" answers only some of the words (the status line says "partial").
    let partial = if hit.partial { "~" } else { "" };
    let mut name = if marks.is_empty() {
        format!("{partial}{}", sanitize(&s.name))
    } else {
        format!("{partial}[{}] {}", marks.join(", "), sanitize(&s.name))
    };
    // The organization, or what tells apart rows named only by a place.
    for part in navigator_index::grouping::row_context(s) {
        name.push_str(theme.separator());
        name.push_str(&sanitize(&part));
    }
    let name = fit_with(&name, columns.name, theme.ellipsis());
    let name_pad = columns.name.saturating_sub(name.chars().count());
    let place = fit_with(&place(hit), columns.place, theme.ellipsis());
    let place_pad = columns.place.saturating_sub(place.chars().count());
    let mut spans = vec![
        Span::styled(mark, theme.title()),
        Span::styled(marker, marker_style),
        Span::raw(" "),
        Span::raw(name),
        // Plain like the name: a colour per row would cost bytes on every keystroke.
        Span::raw(" ".repeat(name_pad + 1)),
        Span::raw(place),
        Span::raw(" ".repeat(place_pad)),
    ];
    if columns.distance > 0 {
        let distance = hit.distance_km.map(|d| format!("{d:.1} km")).unwrap_or_default();
        spans.push(Span::styled(
            format!("{distance:>width$}", width = columns.distance),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

pub fn details(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = pane(" Details ".into(), state.focus == Focus::Details, theme);
    let inner = block.inner(area);
    let (hit, scroll) = state.shown_details();
    let Some(hit) = hit else {
        frame.render_widget(
            Paragraph::new(Line::styled("No service selected.", theme.dim())).block(block),
            area,
        );
        return;
    };
    let lines = detail_lines(state, hit, theme, inner.width as usize);
    let scroll = scroll.min(lines.len().saturating_sub(inner.height as usize) as u16);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// The record as lines `width` wide: the name, then each field with its value wrapped
/// under itself (never back at column 0).
fn detail_lines<'a>(state: &State, hit: &Hit, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let s = &hit.service;
    let mut lines: Vec<Line> = wrap(&sanitize(&s.name), width)
        .into_iter()
        .map(|l| Line::styled(l, theme.title().add_modifier(Modifier::BOLD)))
        .collect();
    let mut fields = crate::record::fields(s, state.today, state.now);
    if let Some(d) = hit.distance_km {
        let at = fields
            .iter()
            .position(|(l, _)| l == "Today")
            .map_or(fields.len(), |i| i + 1);
        let from = state
            .origin_name
            .as_deref()
            .or(state.home_name.as_deref())
            .unwrap_or("the place searched from");
        fields.insert(at, ("Distance".into(), format!("{d:.1} km from {from}")));
    }
    if hit.locations > 1 {
        // The same program's other sites, nearest first when there is a place (listed by
        // the search thread after the results; until then, only how many).
        let mut list = vec![format!("{} locations in all", hit.locations)];
        for site in &hit.sites {
            let mut parts: Vec<String> = site.address.iter().chain(&site.municipality).take(1).cloned().collect();
            parts.extend(site.distance_km.map(|d| format!("{d:.1} km")));
            parts.push(site.id.clone());
            list.push(parts.join(theme.separator()));
        }
        // Beside where this one is, so it is read out with the address.
        let at = ["Distance", "Today", "Address"]
            .iter()
            .find_map(|want| fields.iter().position(|(l, _)| l == want))
            .map_or(fields.len(), |i| i + 1);
        fields.insert(at, ("Also at".into(), list.join("\n")));
    }
    let today_style = match crate::hours_text::status_at(s, state.now).0 {
        OpenStatus::Open { .. } => theme.open().add_modifier(Modifier::BOLD),
        OpenStatus::Closed { .. } => theme.closed().add_modifier(Modifier::BOLD),
        OpenStatus::Unknown => theme.dim(),
    };
    // One label column for every record: moving between records then changes the values,
    // not where they start (fewer bytes on a slow link).
    let label_width = fields
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(LABEL_WIDTH);
    let value_width = width.saturating_sub(label_width + 2).max(10);
    for (label, value) in fields {
        let style = match label.as_str() {
            "Warning" => theme.warning(),
            "Today" => today_style,
            _ => Style::new(),
        };
        let label_style = if label == "Warning" {
            theme.warning()
        } else {
            theme.label()
        };
        for (n, text) in wrap(&sanitize_multiline(&value), value_width).into_iter().enumerate() {
            let shown = if n == 0 { label.as_str() } else { "" };
            // The padding unstyled: a coloured blank is a different cell to the terminal.
            let pad = label_width + 2 - shown.chars().count();
            lines.push(Line::from(vec![
                Span::styled(shown.to_string(), label_style),
                Span::raw(" ".repeat(pad)),
                Span::styled(text, style),
            ]));
        }
    }
    lines
}
