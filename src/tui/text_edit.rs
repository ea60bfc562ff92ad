//! Editing keys shared by every text field (the query, the filter menu's narrowing and its
//! Near/Within/Age fields, every form field, follow-up notes and dates): the same keys do
//! the same thing wherever the cursor is, and a paste is always one line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

use super::keymap::Action;

/// Maps an editing key to a line-editor request: the keymap's clear and delete-word
/// actions first (so a rebinding applies to every field), then the fixed editing keys.
pub fn request(action: Option<Action>, key: &KeyEvent) -> Option<InputRequest> {
    match action {
        Some(Action::ClearQuery) => return Some(InputRequest::DeleteLine),
        Some(Action::DeleteWord) => return Some(InputRequest::DeletePrevWord),
        _ => {}
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Char(c) if !ctrl && !alt => InputRequest::InsertChar(c),
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl || alt => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl || alt => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// Applies `request` to `input`; true when the text changed (not just the cursor).
pub fn apply(input: &mut Input, request: InputRequest) -> bool {
    input.handle(request).is_some_and(|c| c.value)
}

/// A key on a text field: true when the text changed.
pub fn edit(input: &mut Input, action: Option<Action>, key: &KeyEvent) -> bool {
    match request(action, key) {
        Some(r) => apply(input, r),
        None => false,
    }
}

/// Pasted text as one line: line breaks and tabs become spaces (two pasted lines are two
/// words, not one), runs of spaces one, control characters and escapes gone.
pub fn paste_line(text: &str) -> String {
    let clean = navigator_index::text::sanitize_multiline(&text.replace(['\r', '\t'], "\n"));
    clean.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inserts a paste at the cursor; true when the text changed.
pub fn paste_into(input: &mut Input, text: &str) -> bool {
    let line = paste_line(text);
    let mut changed = false;
    for c in line.chars() {
        changed |= apply(input, InputRequest::InsertChar(c));
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn pasted_lines_become_words() {
        assert_eq!(paste_line("food bank\nrent help"), "food bank rent help");
        assert_eq!(paste_line("food bank\r\nrent\thelp\n"), "food bank rent help");
        assert_eq!(paste_line("\u{1b}[31mred\u{7} beds"), "red beds");
    }

    #[test]
    fn clear_and_delete_word_follow_the_keymap_then_the_fixed_keys() {
        let mut input = Input::new("33125 Hialeah".into());
        assert!(edit(
            &mut input,
            Some(Action::DeleteWord),
            &key(KeyCode::Char('w'), KeyModifiers::CONTROL)
        ));
        assert_eq!(input.value(), "33125 ");
        assert!(edit(
            &mut input,
            Some(Action::ClearQuery),
            &key(KeyCode::Char('u'), KeyModifiers::CONTROL)
        ));
        assert_eq!(input.value(), "");
        for c in "Hialeah".chars() {
            edit(&mut input, None, &key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert!(
            !edit(&mut input, None, &key(KeyCode::Home, KeyModifiers::NONE)),
            "the cursor moved, not the text"
        );
        edit(&mut input, None, &key(KeyCode::Char('>'), KeyModifiers::NONE));
        assert!(!edit(&mut input, None, &key(KeyCode::End, KeyModifiers::NONE)));
        edit(&mut input, None, &key(KeyCode::Char('<'), KeyModifiers::NONE));
        assert_eq!(input.value(), ">Hialeah<");
        assert!(
            !edit(&mut input, None, &key(KeyCode::Char('x'), KeyModifiers::CONTROL)),
            "not an editing key"
        );
    }
}
