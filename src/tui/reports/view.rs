//! Drawing the reports: bars made of characters with the values printed beside them, so
//! they read the same with or without colour, and in plain ASCII.

use navigator_index::categories;
use navigator_index::text::sanitize;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span as Text};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::{Reports, Span};
use crate::output::plural;
use crate::tui::view::theme::Theme;

const LABEL: usize = 28;

pub fn render(reports: &Reports, today: jiff::civil::Date, ascii: bool, theme: &Theme, frame: &mut Frame, area: Rect) {
    let period = reports.span.period(today);
    let dates = match (period.from, period.to) {
        (Some(f), Some(t)) => format!(" {f} to {t}"),
        _ => String::new(),
    };
    let keys: Vec<String> = Span::ALL.iter().map(|s| format!("{} {}", s.key(), s.label())).collect();
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(theme.focused_border())
        .title(Text::styled(
            format!(" Reports: {}{dates} ", reports.span.label()),
            theme.title(),
        ))
        .title_bottom(Text::styled(format!(" {} ", keys.join("  ")), theme.dim()));
    let inner = block.inner(area);
    let Some(f) = &reports.figures else {
        frame.render_widget(
            Paragraph::new(Line::styled("computing…", theme.dim())).block(block),
            area,
        );
        return;
    };
    let (met_bar, unmet_bar) = if ascii { ('#', '.') } else { ('█', '░') };
    let width = inner.width as usize;
    let n = &f.needs;
    let mut lines: Vec<Line> = Vec::new();
    let heading = |text: String| Line::styled(text, theme.title().add_modifier(Modifier::BOLD));
    lines.push(heading(format!(
        "Needs by category  ({met_bar} met, {unmet_bar} unmet)"
    )));
    lines.push(Line::raw(format!(
        "{}, {} with needs recorded: {}",
        plural(n.contacts as usize, "contact", "contacts"),
        n.contacts_with_needs,
        n.tracked.text()
    )));
    let max = n.needs.iter().map(|c| c.total).max().unwrap_or(0).max(1);
    let room = width.saturating_sub(LABEL + 22).max(10);
    for c in &n.needs {
        let name = categories::category(&c.category).map_or(c.category.as_str(), |c| c.en);
        let met = (c.met as usize * room).div_ceil(max as usize);
        let unmet = (c.unmet as usize * room).div_ceil(max as usize);
        lines.push(Line::from(vec![
            Text::styled(format!("{:<LABEL$.LABEL$}", name), theme.label()),
            Text::styled(met_bar.to_string().repeat(met), theme.open()),
            Text::styled(unmet_bar.to_string().repeat(unmet), theme.closed()),
            Text::raw(format!(" {} met, {} unmet", c.met, c.unmet)),
        ]));
    }
    if n.needs.is_empty() {
        lines.push(Line::styled("No contacts recorded in this period.", theme.dim()));
    }
    lines.push(Line::raw(""));
    lines.push(heading("Top unmet reasons".into()));
    let mut reasons: Vec<&(String, u64)> = n.unmet_reasons.0.iter().filter(|(_, c)| *c > 0).collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let text: Vec<String> = reasons.iter().take(5).map(|(r, c)| format!("{r} {c}")).collect();
    lines.push(Line::raw(if text.is_empty() {
        "none".to_string()
    } else {
        text.join(", ")
    }));
    lines.push(Line::raw(""));
    lines.push(heading("Contacts by municipality".into()));
    for m in n.by_municipality.iter().take(8) {
        let name = m.municipality.as_deref().unwrap_or("(not given)");
        lines.push(Line::from(vec![
            Text::styled(format!("{:<LABEL$.LABEL$}", sanitize(name)), theme.label()),
            Text::raw(format!(
                "{}, {}, {} unmet",
                plural(m.contacts as usize, "contact", "contacts"),
                plural(m.needs as usize, "need", "needs"),
                m.unmet
            )),
        ]));
    }
    let o = &f.outcomes;
    lines.push(Line::raw(""));
    lines.push(heading("Outcomes".into()));
    lines.push(Line::raw(format!(
        "{} due, {} completed, {} reached, {} unreachable",
        plural(o.followups_due as usize, "follow-up", "follow-ups"),
        o.followups_completed,
        o.reached,
        o.unreachable
    )));
    // The same figures, with the same labels, as `navigator report outcomes`.
    for (_, label, ratio) in crate::report::format::answers(o) {
        let filled = ratio.pct().map_or(0, |p| (p / 100.0 * room as f64).round() as usize);
        lines.push(Line::from(vec![
            Text::styled(format!("{label:<LABEL$}"), theme.label()),
            Text::styled(met_bar.to_string().repeat(filled), theme.open()),
            Text::raw(format!(" {}", ratio.text())),
        ]));
    }
    let mut barriers: Vec<&(String, u64)> = o.barriers.0.iter().filter(|(_, c)| *c > 0).collect();
    barriers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let text: Vec<String> = barriers.iter().map(|(b, c)| format!("{b} {c}")).collect();
    lines.push(Line::raw(format!(
        "Barriers: {}",
        if text.is_empty() {
            "none".into()
        } else {
            text.join(", ")
        }
    )));
    let scroll = reports.scroll.min((lines.len() as u16).saturating_sub(inner.height));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
