//! Keys on an open follow-up: answer the outcome questions, then save, reschedule or
//! cancel, each with one key. Pure: what the app must do comes back as a [`CallAction`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use super::{OpenFollowup, Row};
use crate::followups::validate_outcome;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::text_edit;

#[derive(Debug, Clone, PartialEq)]
pub enum CallAction {
    /// Record the outcome (or the not-reached attempt).
    Complete(Box<crate::followups::OutcomeInput>),
    Reschedule(String),
    Cancel,
    /// Leave the follow-up (releasing the claim) and go back to the queue.
    Back,
    Quit,
    /// A message for the status line.
    Say(String),
}

pub fn handle(open: &mut OpenFollowup, key: KeyEvent, keymap: &Keymap, default_retry: &str) -> Option<CallAction> {
    let act = keymap.resolve(&key, Context::FollowUp);
    if act == Some(Action::Quit) {
        return Some(CallAction::Quit);
    }
    if let Some((user, since)) = &open.held_by {
        return match act {
            Some(Action::Back) => Some(CallAction::Back),
            _ => Some(CallAction::Say(format!(
                "Read-only: {user} has held this follow-up since {since}"
            ))),
        };
    }
    if let Some(date) = open.reschedule.as_mut() {
        return match act {
            Some(Action::OpenDetails) => {
                let date = date.value().trim().to_string();
                open.reschedule = None;
                Some(CallAction::Reschedule(date))
            }
            Some(Action::Back) => {
                open.reschedule = None;
                None
            }
            _ => {
                text_edit::edit(date, act, &key);
                None
            }
        };
    }
    if open.confirm_cancel {
        open.confirm_cancel = false;
        return matches!(key.code, KeyCode::Char('y' | 'Y')).then_some(CallAction::Cancel);
    }
    match act {
        Some(Action::Save) => return save(open),
        Some(Action::Reschedule) => {
            open.reschedule = Some(Input::new(default_retry.to_string()));
            return None;
        }
        Some(Action::CancelFollowup) => {
            open.confirm_cancel = true;
            return None;
        }
        Some(Action::Back) => return Some(CallAction::Back),
        Some(Action::SwitchFocus | Action::SelectNext | Action::OpenDetails) => {
            move_row(open, 1);
            return None;
        }
        Some(Action::PreviousField | Action::SelectPrevious) => {
            move_row(open, -1);
            return None;
        }
        _ => {}
    }
    if open.row == Row::Notes {
        text_edit::edit(&mut open.notes, act, &key);
        return None;
    }
    let options = open.row.options();
    let current = open.answers.get(&open.row).copied();
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let next = match key.code {
        KeyCode::Right | KeyCode::Char(' ') => Some(current.map_or(0, |c| (c + 1) % options.len())),
        KeyCode::Left => Some(current.map_or(options.len() - 1, |c| (c + options.len() - 1) % options.len())),
        // A first letter picks the first option that starts with it.
        KeyCode::Char(c) if plain => options.iter().position(|o| o.starts_with(c.to_ascii_lowercase())),
        KeyCode::Backspace | KeyCode::Delete => {
            open.answers.remove(&open.row);
            return None;
        }
        _ => None,
    };
    if let Some(value) = next {
        open.answers.insert(open.row, value);
        open.errors.remove(&open.row);
    }
    None
}

fn move_row(open: &mut OpenFollowup, delta: isize) {
    let rows = open.rows();
    let pos = rows.iter().position(|r| *r == open.row).unwrap_or(0) as isize;
    open.row = rows[(pos + delta).rem_euclid(rows.len() as isize) as usize];
}

/// Ctrl-S: validated like `followups complete --json`; problems show beside their rows.
fn save(open: &mut OpenFollowup) -> Option<CallAction> {
    let input = open.to_input();
    let referred: Vec<String> = open
        .detail
        .contact
        .referrals
        .iter()
        .map(|r| r.service_id.clone())
        .collect();
    let errors = validate_outcome(&input, &referred);
    open.errors.clear();
    if errors.is_empty() {
        return Some(CallAction::Complete(Box::new(input)));
    }
    for e in &errors {
        open.errors
            .entry(Row::for_path(&e.field))
            .or_insert_with(|| e.message.clone());
    }
    if let Some(first) = open.errors.keys().next() {
        open.row = *first;
    }
    let which: Vec<&str> = open.errors.keys().map(|r| r.label()).collect();
    Some(CallAction::Say(format!("Not saved yet: answer {}", which.join(", "))))
}

/// Edits the reschedule date or notes from a paste, as one line.
pub fn paste(open: &mut OpenFollowup, text: &str) {
    let target = match open.reschedule.as_mut() {
        Some(date) => date,
        None if open.row == Row::Notes => &mut open.notes,
        None => return,
    };
    text_edit::paste_into(target, text);
}
