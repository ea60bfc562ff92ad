//! Drawing the queue (sections by due date) and an open follow-up (the call's details and
//! the outcome questions).

use navigator_index::categories;
use navigator_index::text::sanitize;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::{section, OpenFollowup, Queue, Row};
use crate::followups::Counts;
use crate::tui::view::theme::Theme;

const SECTIONS: [&str; 3] = ["Overdue", "Due today", "Upcoming"];

fn needs_text(needs: &[String]) -> String {
    needs
        .iter()
        .map(|n| categories::category(n).map_or(n.as_str(), |c| c.en))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn queue(queue: &Queue, counts: &Counts, me: &str, today: &str, theme: &Theme, frame: &mut Frame, area: Rect) {
    let whose = if queue.mine_only { "mine" } else { "everyone's" };
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" Follow-ups ({whose}) "), theme.title()));
    let inner = block.inner(area);
    let items = queue.visible(me, today);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    if !queue.loaded {
        lines.push(Line::styled("loading…", theme.dim()));
    } else if items.is_empty() {
        lines.push(Line::styled(
            "Nothing to call back. New follow-ups come from contacts saved with consent.",
            theme.dim(),
        ));
    }
    let mut current = u8::MAX;
    for (i, item) in items.iter().enumerate() {
        let s = section(item, today);
        if s != current {
            current = s;
            let count = items.iter().filter(|x| section(x, today) == s).count();
            let title = SECTIONS.get(s as usize).copied().unwrap_or("Closed");
            lines.push(Line::styled(
                format!("{title} ({count})"),
                theme.title().add_modifier(Modifier::BOLD),
            ));
        }
        let claimed = match &item.claimed_by {
            Some(u) if u == me => "  [claimed by you]".to_string(),
            Some(u) => format!("  [claimed by {u}]"),
            None => String::new(),
        };
        let attempts = if item.attempts > 0 {
            format!("  attempts {}", item.attempts)
        } else {
            String::new()
        };
        let text = format!(
            "{}  #{}  {}  {}  {} referral(s){attempts}{claimed}",
            item.due,
            item.id,
            item.municipality.as_deref().unwrap_or("-"),
            needs_text(&item.needs),
            item.referrals
        );
        let style = if i == queue.selected {
            theme.selected()
        } else {
            Style::new()
        };
        if i == queue.selected {
            selected_line = lines.len();
        }
        lines.push(Line::styled(sanitize(&text), style));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Done today: {}", counts.done_today),
        theme.label(),
    ));
    let height = inner.height as usize;
    let offset = selected_line.saturating_sub(height.saturating_sub(2));
    let visible: Vec<Line> = lines.into_iter().skip(offset).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}

pub fn followup(open: &OpenFollowup, theme: &Theme, frame: &mut Frame, area: Rect) {
    let d = &open.detail;
    let title = format!(" Follow-up #{} for contact {} ", d.item.id, d.item.contact_id);
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    let mut lines: Vec<(Option<Row>, Line)> = Vec::new();
    let mut push = |row: Option<Row>, line: Line<'static>| lines.push((row, line));
    if let Some((user, since)) = &open.held_by {
        push(
            None,
            Line::styled(
                format!("Read-only: held by {} since {since}", sanitize(user)),
                theme.warning(),
            ),
        );
    }
    let caller = [
        d.first_name.clone(),
        d.phone.clone(),
        d.best_time.clone().map(|b| format!("best time: {b}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("  ");
    let caller = if caller.is_empty() {
        "(details purged or not given)".to_string()
    } else {
        caller
    };
    push(
        None,
        Line::from(vec![
            Span::styled("Caller      ", theme.label()),
            Span::raw(sanitize(&caller)),
        ]),
    );
    let due = format!("{}  attempts so far: {}", d.item.due, d.item.attempts);
    push(
        None,
        Line::from(vec![Span::styled("Due         ", theme.label()), Span::raw(due)]),
    );
    for n in &d.contact.needs {
        let name = categories::category(&n.category).map_or(n.category.as_str(), |c| c.en);
        let state = if n.met {
            "met".to_string()
        } else {
            format!("unmet ({})", n.unmet_reason.as_deref().unwrap_or("?"))
        };
        push(
            None,
            Line::from(vec![
                Span::styled("Need        ", theme.label()),
                Span::raw(format!("{name}: {state}")),
            ]),
        );
    }
    push(None, Line::raw(""));
    let width = 24;
    for row in open.rows() {
        if let Row::Contacted(i) = row {
            if let Some(r) = d.contact.referrals.get(i) {
                let phone = r.phone.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
                let header = sanitize(&format!("{}. {}{phone}", i + 1, r.name));
                push(None, Line::styled(header, theme.title()));
            }
        }
        let focused = row == open.row;
        let label_style = if focused { theme.selected() } else { theme.label() };
        let mut spans = vec![
            Span::styled(format!("  {:<width$}", row.label()), label_style),
            Span::raw(" "),
        ];
        if row == Row::Notes {
            spans.push(Span::raw(sanitize(open.notes.value())));
        } else {
            let chosen = open.answers.get(&row).copied();
            for (i, option) in row.options().iter().enumerate() {
                let text = option.replace('_', " ");
                if Some(i) == chosen {
                    spans.push(Span::styled(
                        format!("[{text}]"),
                        if focused { theme.title() } else { Style::new() },
                    ));
                } else {
                    spans.push(Span::styled(format!(" {text} "), theme.dim()));
                }
            }
        }
        if let Some(error) = open.errors.get(&row) {
            spans.push(Span::styled(format!("  ! {}", sanitize(error)), theme.warning()));
        }
        push(Some(row), Line::from(spans));
    }
    if let Some(date) = &open.reschedule {
        push(None, Line::raw(""));
        let text = format!(
            "Call again on: {}_   (Enter to confirm, Esc to keep the date)",
            sanitize(date.value())
        );
        push(None, Line::styled(text, theme.warning()));
    }
    if open.confirm_cancel {
        push(None, Line::raw(""));
        push(
            None,
            Line::styled(
                "Cancel this follow-up? y to cancel it, any other key keeps it",
                theme.warning(),
            ),
        );
    }
    let height = inner.height as usize;
    let focus = lines.iter().position(|(r, _)| *r == Some(open.row)).unwrap_or(0);
    let offset = if open.reschedule.is_some() || open.confirm_cancel {
        lines.len().saturating_sub(height)
    } else {
        focus.saturating_sub(height.saturating_sub(3))
    };
    let visible: Vec<Line> = lines.into_iter().skip(offset).map(|(_, l)| l).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
