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
        // Who to ask for, in which language, and when: what the navigator calling back
        // needs before dialling.
        let caller = queue.callers.get(&item.id);
        let first_name = caller.and_then(|c| c.first_name.as_deref()).unwrap_or("(no name)");
        let language = item
            .language
            .as_deref()
            .map(|c| language_name(Some(c)))
            .map(|l| format!(" · {l}"))
            .unwrap_or_default();
        let best = caller
            .and_then(|c| c.best_time.as_deref())
            .map(|b| format!(" · {b}"))
            .unwrap_or_default();
        let text = format!(
            "{}  #{}  {first_name}{language}{best} · {} · {} · {}{attempts}{claimed}",
            item.due,
            item.id,
            item.municipality.as_deref().unwrap_or("-"),
            needs_text(&item.needs),
            crate::output::plural(item.referrals, "referral", "referrals")
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

/// A language code as its name ("fr" -> "French").
fn language_name(code: Option<&str>) -> String {
    match code {
        Some(c) => navigator_index::languages::known(c).map_or_else(|| c.to_string(), |l| l.1),
        None => "not recorded".into(),
    }
}

/// An open follow-up: who to call and in which language, what they needed and were
/// referred to (from the start, before any answer), the notes for those who may read
/// them, then the questions, each choice visible (a row wraps rather than running off).
pub fn followup(open: &OpenFollowup, reader: bool, theme: &Theme, frame: &mut Frame, area: Rect) {
    let d = &open.detail;
    let title = format!(" Follow-up #{} for contact {} ", d.item.id, d.item.contact_id);
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    let width = inner.width as usize;
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
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<12}"), theme.label()),
            Span::raw(sanitize(&value)),
        ])
    };
    push(None, field("Caller", caller));
    push(None, field("Language", language_name(d.contact.language.as_deref())));
    push(
        None,
        field("Due", format!("{}  attempts so far: {}", d.item.due, d.item.attempts)),
    );
    for n in &d.contact.needs {
        let name = categories::category(&n.category).map_or(n.category.as_str(), |c| c.en);
        let state = if n.met {
            "met".to_string()
        } else {
            format!("unmet ({})", n.unmet_reason.as_deref().unwrap_or("?"))
        };
        push(None, field("Need", format!("{name}: {state}")));
    }
    if d.contact.referrals.is_empty() {
        push(None, field("Referred", "no services".into()));
    }
    for (i, r) in d.contact.referrals.iter().enumerate() {
        let phone = r.phone.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
        let address = r.address.as_deref().map(|a| format!(" · {a}")).unwrap_or_default();
        let text = crate::output::fit_with(
            &sanitize(&format!("{}. {}{phone}{address}", i + 1, r.name)),
            width.saturating_sub(12),
            theme.ellipsis(),
        );
        push(None, field(if i == 0 { "Referred" } else { "" }, text));
    }
    match (&d.contact_notes, reader) {
        (Some(notes), true) => {
            for (n, part) in crate::tui::view::wrap::wrap(&sanitize(notes), width.saturating_sub(12))
                .into_iter()
                .enumerate()
            {
                push(None, field(if n == 0 { "Notes" } else { "" }, part));
            }
        }
        (Some(_), false) => push(None, field("Notes", "(shown to personal-data readers only)".into())),
        (None, _) => {}
    }
    push(None, Line::raw(""));
    let label_width = 24;
    for row in open.rows() {
        if let Row::Contacted(i) = row {
            if let Some(r) = d.contact.referrals.get(i) {
                let header = sanitize(&format!("{}. {}", i + 1, r.name));
                push(None, Line::styled(header, theme.title()));
            }
        }
        let focused = row == open.row;
        let label_style = if focused { theme.selected() } else { theme.label() };
        let first = vec![
            Span::styled(format!("  {:<label_width$}", row.label()), label_style),
            Span::raw(" "),
        ];
        let mut items = Vec::new();
        if row == Row::Notes {
            items.push(Span::raw(sanitize(open.notes.value())));
        } else {
            let chosen = open.answers.get(&row).copied();
            for (i, option) in row.options().iter().enumerate() {
                let text = option.replace(['_', '-'], " ");
                if Some(i) == chosen {
                    items.push(Span::styled(
                        format!("[{text}]"),
                        if focused { theme.title() } else { Style::new() },
                    ));
                } else {
                    items.push(Span::styled(format!(" {text} "), theme.dim()));
                }
            }
        }
        if let Some(error) = open.errors.get(&row) {
            items.push(Span::styled(format!("  ! {}", sanitize(error)), theme.warning()));
        }
        for line in crate::tui::view::wrap::pack(first, items, label_width + 3, width) {
            push(Some(row), line);
        }
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
