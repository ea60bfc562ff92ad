//! Overlays drawn over the screen: help (generated from the active keymap) and filters.

use navigator_index::text::sanitize;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use crate::tui::filter_menu::{self, FilterMenu};
use crate::tui::keymap::Action;
use crate::tui::state::State;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2));
    let h = height.min(area.height.saturating_sub(2));
    let [_, mid, _] = Layout::vertical([Constraint::Fill(1), Constraint::Length(h), Constraint::Fill(1)]).areas(area);
    let [_, center, _] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(w), Constraint::Fill(1)]).areas(mid);
    center
}

pub fn help(state: &State, scroll: u16, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|a| {
            let keys: Vec<String> = state.keymap.keys_for(*a).iter().map(|k| k.to_string()).collect();
            (
                if keys.is_empty() {
                    "(unbound)".to_string()
                } else {
                    keys.join(", ")
                },
                a.help(),
            )
        })
        .collect();
    let key_width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, help)| {
            Line::from(vec![
                Span::styled(format!("{keys:<key_width$}  "), theme.label()),
                Span::raw(help),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Keys can be changed in config.toml [keys]. Any other key closes this help.",
        theme.dim(),
    ));
    let box_area = centered(area, 76, lines.len() as u16 + 2);
    let visible = box_area.height.saturating_sub(2);
    let total = lines.len() as u16;
    let scroll = scroll.min(total.saturating_sub(visible));
    let more = if scroll + visible < total {
        " Down for more "
    } else {
        ""
    };
    let block = Block::bordered()
        .border_set(theme.borders())
        .title(Span::styled(" Help: keys ", theme.title()))
        .title_bottom(Span::styled(more, theme.label()));
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), box_area);
}

pub fn filters(state: &State, menu: &FilterMenu, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = filter_menu::rows(menu, &state.filters, state.location.as_ref(), &state.facets);
    let box_area = centered(area, 56, area.height.saturating_sub(2));
    let block = Block::bordered()
        .border_set(theme.borders())
        .title(Span::styled(" Filters ", theme.title()));
    let inner = block.inner(box_area);
    frame.render_widget(Clear, box_area);
    frame.render_widget(block, box_area);
    let [narrow, list, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let narrow_line = if menu.narrow.value().is_empty() {
        Line::styled("type to narrow the list", theme.dim())
    } else {
        Line::from(vec![
            Span::styled("narrow: ", theme.label()),
            Span::raw(sanitize(menu.narrow.value())),
        ])
    };
    frame.render_widget(Paragraph::new(narrow_line), narrow);
    // Keep the cursor row in view.
    let height = list.height as usize;
    let start = menu
        .cursor
        .saturating_sub(height.saturating_sub(1) / 2)
        .min(rows.len().saturating_sub(height));
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(start).take(height) {
        let mut line = if !row.item.selectable() {
            Line::styled(row.label.clone(), theme.title().add_modifier(Modifier::BOLD))
        } else if let Some((item, input)) = menu.editing.as_ref().filter(|(item, _)| *item == row.item) {
            let label = row.label.split(':').next().unwrap_or("");
            let _ = item;
            Line::from(vec![
                Span::raw("  "),
                Span::styled(format!("{label}: "), theme.label()),
                Span::raw(format!("{}_", sanitize(input.value()))),
            ])
        } else if row.item.editable() {
            Line::from(vec![Span::raw("  "), Span::raw(sanitize(&row.label))])
        } else {
            // Counts of a very broad query stop at the search's budget: "at least".
            let plus = if state.facets.lower_bound { "+" } else { "" };
            let count = row.count.map(|c| format!(" ({c}{plus})")).unwrap_or_default();
            Line::from(vec![
                Span::raw(format!("  {} ", theme.checkbox(row.on))),
                Span::raw(sanitize(&row.label)),
                Span::styled(count, theme.dim()),
            ])
        };
        if i == menu.cursor {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), list);
    let k = |a: Action| state.keymap.hint(a);
    let hint = if menu.editing.is_some() {
        format!("{} apply  {} cancel", k(Action::OpenDetails), k(Action::Back))
    } else {
        format!(
            "Space toggle  {} edit  {} close  {} clear all",
            k(Action::OpenDetails),
            k(Action::Back),
            k(Action::ClearFilters)
        )
    };
    frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim())), hints);
}

/// A yes/no question in a small box.
/// Columns of a yes/no prompt, borders included.
const PROMPT_WIDTH: u16 = 60;

pub fn prompt(theme: &Theme, frame: &mut Frame, area: Rect, title: &str, question: &str, keys: &str) {
    // As tall as the question wraps to, so the answer keys under it always show (a fixed
    // height cut them off under a three-line question, leaving a navigator to guess).
    let inner = usize::from(PROMPT_WIDTH.min(area.width.saturating_sub(2)).saturating_sub(2));
    let mut lines: Vec<Line> = super::wrap::wrap(question, inner).into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    // The keys keep their spacing ("y discard   n keep editing"): short, never wrapped.
    lines.push(Line::styled(keys.to_string(), theme.label()));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let box_area = centered(area, PROMPT_WIDTH, height);
    let block = Block::bordered()
        .border_set(theme.borders())
        .title(Span::styled(title.to_string(), theme.title()));
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}
