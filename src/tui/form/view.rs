//! Drawing the contact form: one line per field (lists take more), the problem beside
//! the field it belongs to, the focused field kept in view.

use navigator_index::categories;
use navigator_index::text::sanitize;
use navigator_index::Service;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::keys::{language_suggestions, suggestions};
use super::{ContactForm, Field};
use crate::casework::{AGE_GROUPS, CHANNELS, UNMET_REASONS};
use crate::tui::state::State;
use crate::tui::view::theme::Theme;

const LABEL_WIDTH: usize = 19;
/// A referred service this far from the caller's municipality gets a warning.
pub const FAR_KM: f64 = 50.0;

/// "Organization · Town" of a service, what tells two "Food Bank"s apart.
fn where_from(s: &Service) -> String {
    [Some(s.organization.name.as_str()), s.municipality()]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty() && *part != s.name)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// How far a service is from the caller's municipality, when both are known.
fn distance_from_caller(state: &State, form: &ContactForm, s: &Service) -> Option<f64> {
    let centre = state
        .centres
        .get(&navigator_index::text::fold(form.municipality.value().trim()))?;
    let (lat, lon) = s.coordinates()?;
    let point = navigator_index::geo::Point::new(lat, lon)?;
    Some(navigator_index::geo::distance_km(*centre, point))
}

pub fn render(state: &State, form: &ContactForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let basket = &state.basket;
    let places = &state.places;
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(theme.focused_border())
        .title(Span::styled(" New contact ", theme.title()));
    let inner = block.inner(area);
    let mut lines: Vec<(Field, Line)> = Vec::new();
    let mut cursor: Option<(usize, usize)> = None; // (line, column)
    for field in form.fields() {
        let focused = form.field == field;
        let label_style = if focused { theme.selected() } else { theme.label() };
        let label = Span::styled(format!("{:<LABEL_WIDTH$}", field.label_in(state.country)), label_style);
        let mut spans = vec![label, Span::raw(" ")];
        let options = match field {
            Field::Channel => Some(choices(CHANNELS, Some(form.channel), focused, theme)),
            Field::AgeGroup => Some(choices(AGE_GROUPS, form.age_group, focused, theme)),
            Field::Consent => Some(choices(&["no", "yes"], Some(usize::from(form.consent)), focused, theme)),
            _ => None,
        };
        if let Some(items) = options {
            // Every choice visible at any width: the row wraps under its first choice.
            let mut packed = crate::tui::view::wrap::pack(spans, items, LABEL_WIDTH + 1, inner.width as usize);
            let last = packed.pop().unwrap_or_default();
            for line in packed {
                lines.push((field, line));
            }
            spans = last.spans;
        }
        match field {
            Field::Channel | Field::AgeGroup | Field::Consent => {}
            Field::Needs => {
                let input = &form.need_filter;
                // Only what Enter will do: with nothing typed it goes on to the next field.
                let typed = !input.value().trim().is_empty();
                let hint = form
                    .category_matches()
                    .first()
                    .filter(|_| typed)
                    .and_then(|c| categories::category(c))
                    .map(|c| c.en);
                spans.push(Span::styled("add: ", theme.dim()));
                if focused && form.need_cursor == 0 {
                    cursor = Some((lines.len(), LABEL_WIDTH + 1 + 5 + input.visual_cursor()));
                }
                spans.push(Span::raw(sanitize(input.value())));
                if focused && form.need_cursor == 0 {
                    if let Some(h) = hint {
                        spans.push(Span::styled(format!("  Enter adds: {h}"), theme.dim()));
                    }
                }
            }
            Field::Referrals => {
                let input = &form.add_query;
                spans.push(Span::styled("add: ", theme.dim()));
                if focused {
                    cursor = Some((lines.len(), LABEL_WIDTH + 1 + 5 + input.visual_cursor()));
                }
                spans.push(Span::raw(sanitize(input.value())));
                if input.value().is_empty() && (focused || basket.is_empty()) {
                    let hint = if basket.is_empty() {
                        "type to search, or mark with Space in the results"
                    } else {
                        "type to search for another service"
                    };
                    spans.push(Span::styled(hint, theme.dim()));
                } else if focused && !form.add_results.is_empty() {
                    spans.push(Span::styled("  Enter adds the highlighted service", theme.dim()));
                }
            }
            _ => {
                let input = form.input(field).expect("a text field");
                if focused {
                    cursor = Some((lines.len(), LABEL_WIDTH + 1 + input.visual_cursor()));
                }
                spans.push(Span::raw(sanitize(input.value())));
                if field == Field::Due {
                    spans.push(Span::styled("  (YYYY-MM-DD)", theme.dim()));
                }
            }
        }
        let indent = " ".repeat(LABEL_WIDTH + 1);
        let mark = if theme.separator() == " | " { "! " } else { "⚠ " };
        let width = inner.width as usize;
        let error = form.errors.get(&field).map(|e| format!("{mark}{}", sanitize(e)));
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        match error {
            // Beside the field when it fits, else on lines of its own under the value.
            Some(e) if used + 2 + e.chars().count() <= width => {
                spans.push(Span::styled(format!("  {e}"), theme.warning()));
                lines.push((field, Line::from(spans)));
            }
            Some(e) => {
                lines.push((field, Line::from(spans)));
                for part in crate::tui::view::wrap::wrap(&e, width.saturating_sub(LABEL_WIDTH + 1)) {
                    lines.push((
                        field,
                        Line::from(vec![Span::raw(indent.clone()), Span::styled(part, theme.warning())]),
                    ));
                }
            }
            None => lines.push((field, Line::from(spans))),
        }
        match field {
            Field::Needs => {
                for (i, need) in form.needs.iter().enumerate() {
                    let name = categories::category(need.category).map_or(need.category, |c| c.en);
                    let state = if need.met {
                        "met".to_string()
                    } else {
                        format!(
                            "unmet: {}",
                            need.reason.map_or("why? (Left/Right)", |r| UNMET_REASONS[r])
                        )
                    };
                    let selected = focused && form.need_cursor == i + 1;
                    let style = if selected { theme.selected() } else { Style::new() };
                    lines.push((
                        field,
                        Line::from(vec![
                            Span::raw(indent.clone()),
                            Span::styled(format!("{} {name}: {state}", theme.checkbox(need.met)), style),
                        ]),
                    ));
                }
            }
            Field::Referrals => {
                let adding = focused && !form.add_query.value().is_empty();
                if adding {
                    for (i, hit) in form.add_results.iter().enumerate() {
                        let s = &hit.service;
                        let from = where_from(s);
                        let text = if from.is_empty() {
                            format!("+ {}", sanitize(&s.name))
                        } else {
                            sanitize(&format!("+ {} · {from}", s.name))
                        };
                        let style = if i == form.add_choice {
                            theme.selected()
                        } else {
                            theme.dim()
                        };
                        lines.push((
                            field,
                            Line::from(vec![Span::raw(indent.clone()), Span::styled(text, style)]),
                        ));
                    }
                }
                for (i, s) in basket.iter().enumerate() {
                    let phone = s
                        .phones
                        .first()
                        .map(|p| format!(" ({})", p.display()))
                        .unwrap_or_default();
                    let selected = focused && !adding && form.referral_cursor == i;
                    let style = if selected { theme.selected() } else { Style::new() };
                    let from = where_from(s);
                    let from = if from.is_empty() {
                        String::new()
                    } else {
                        format!(" · {from}")
                    };
                    let text = sanitize(&format!("{}. {}{from}{phone}", i + 1, s.name));
                    let text = crate::output::fit_with(&text, width.saturating_sub(LABEL_WIDTH + 1), theme.ellipsis());
                    lines.push((
                        field,
                        Line::from(vec![Span::raw(indent.clone()), Span::styled(text, style)]),
                    ));
                    if let Some(km) = distance_from_caller(state, form, s).filter(|km| *km > FAR_KM) {
                        let warning = format!(
                            "{mark}{km:.0} km from {}: far for the caller?",
                            sanitize(form.municipality.value().trim())
                        );
                        lines.push((
                            field,
                            Line::from(vec![Span::raw(indent.clone()), Span::styled(warning, theme.warning())]),
                        ));
                    }
                }
            }
            Field::Municipality | Field::Language if focused => {
                let options: Vec<&str> = if field == Field::Municipality {
                    suggestions(form, places)
                } else {
                    language_suggestions(form)
                };
                for (i, place) in options.iter().enumerate() {
                    let style = if i == form.suggestion {
                        theme.selected()
                    } else {
                        theme.dim()
                    };
                    lines.push((
                        field,
                        Line::from(vec![Span::raw(indent.clone()), Span::styled(sanitize(place), style)]),
                    ));
                }
            }
            _ => {}
        }
    }
    // Scroll so the focused field's first line is visible.
    let first = lines.iter().position(|(f, _)| *f == form.field).unwrap_or(0);
    let last = lines.iter().rposition(|(f, _)| *f == form.field).unwrap_or(first);
    let height = inner.height as usize;
    let offset = if last >= height {
        (last + 1 - height).min(first)
    } else {
        0
    };
    let visible: Vec<Line> = lines.into_iter().skip(offset).take(height).map(|(_, l)| l).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
    if let Some((line, col)) = cursor {
        if line >= offset && line < offset + height {
            let x = inner.x + (col as u16).min(inner.width.saturating_sub(1));
            frame.set_cursor_position((x, inner.y + (line - offset) as u16));
        }
    }
}

/// "‹ phone ›  chat  email": the chosen option bracketed (not colour alone).
fn choices<'a>(options: &[&str], chosen: Option<usize>, focused: bool, theme: &Theme) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    for (i, option) in options.iter().enumerate() {
        // Each choice with its trailing space as one span: a wrapped row never starts
        // with a stray space.
        if Some(i) == chosen {
            let style = if focused { theme.title() } else { Style::new() };
            spans.push(Span::styled(format!("[{option}] "), style));
        } else {
            spans.push(Span::styled(format!(" {option}  "), theme.dim()));
        }
    }
    if chosen.is_none() {
        spans.push(Span::styled("(Left/Right to choose)", theme.dim()));
    }
    spans
}
