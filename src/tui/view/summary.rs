//! The referral summary after saving a contact: what to read out or send.

use navigator_index::text::sanitize_multiline;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use crate::tui::state::{State, Summary};
use crate::tui::update_casework::summary_text;

pub fn render(state: &State, summary: &Summary, theme: &Theme, frame: &mut Frame, area: Rect) {
    let language = summary.language.name();
    let title = match summary.contact_id {
        Some(id) => format!(" Referral summary: contact {id} ({language}) "),
        None => format!(" Referral summary: contact held, not yet saved ({language}) "),
    };
    let block = Block::bordered()
        .border_set(theme.borders())
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.title()));
    let text = summary_text(summary, state.now);
    let mut lines: Vec<Line> = Vec::new();
    // The call-back date first: it is what the navigator says last, and the services'
    // hours below can run past the screen.
    let mut body: Vec<&str> = text.lines().collect();
    if summary.follow_up_due.is_some() {
        // Shown once, here, not again after the services.
        if let Some(callback) = body.pop() {
            lines.push(Line::styled(sanitize_multiline(callback), theme.label()));
            lines.push(Line::raw(""));
        }
    }
    if summary.services.is_empty() {
        lines.push(Line::styled("No services were referred.", theme.dim()));
    }
    for line in body {
        lines.push(Line::raw(sanitize_multiline(line)));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
