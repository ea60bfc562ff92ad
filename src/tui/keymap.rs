//! Keys -> actions. Defaults live here; `config.toml` `[keys]` overrides them per action:
//!
//! ```toml
//! [keys]
//! select-next = ["down", "ctrl-n", "ctrl-j"]
//! copy-referral = "ctrl-y"
//! ```
//!
//! Some actions only apply in some contexts (j/k in the list, q and ? outside the query):
//! a binding lists the contexts it works in, so typing "q" in the query still types a q.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard focus is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Typing goes to the query line.
    Query,
    /// The results list or the detail pane has focus.
    List,
    /// A menu (filters) or an overlay (help) is open.
    Overlay,
}

macro_rules! actions {
    ($($variant:ident = $name:literal : $help:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The kebab-case name used in config.toml.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }

            /// One line for the help overlay.
            pub fn help(self) -> &'static str {
                match self { $(Action::$variant => $help),* }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    SelectNext = "select-next": "next result",
    SelectPrevious = "select-previous": "previous result",
    PageDown = "page-down": "next page of results",
    PageUp = "page-up": "previous page of results",
    OpenDetails = "open-details": "open the selected service's details",
    Back = "back": "go back, or clear the query",
    SwitchFocus = "switch-focus": "switch focus between query, results and details",
    FocusQuery = "focus-query": "type in the query",
    OpenFilters = "open-filters": "open the filter menu",
    ClearFilters = "clear-filters": "clear every filter",
    CopyReferral = "copy-referral": "copy the selected service's referral text",
    Help = "help": "show this help",
    Quit = "quit": "quit navigator",
    ClearQuery = "clear-query": "clear the query",
    DeleteWord = "delete-word": "delete the word before the cursor",
    ToggleMark = "mark": "mark or unmark the selected service for referral",
    OpenForm = "contact-form": "open the contact form (again: back to the search)",
    PreviousField = "previous-field": "previous field of the form",
    Save = "save": "save the contact",
    WriteFile = "write-file": "write the referral summary to a file",
    SwitchLanguage = "switch-language": "summary in English or French",
    OpenQueue = "queue": "the follow-up queue (again: back to the search)",
    ToggleMine = "mine-only": "queue: only my follow-ups, or everyone's",
    Reschedule = "reschedule": "follow-up: call again on another date",
    CancelFollowup = "cancel-followup": "follow-up: cancel it",
    OpenReports = "reports": "needs and outcome reports (again: back to the search)",
}

/// A key with modifiers, as written in config: "ctrl-n", "down", "pgdn", "?", "f1".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// KeyCode with an order, so keymaps print stably.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgUp", KeyCode::PageUp),
    ("pgDn", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("space", KeyCode::Char(' ')),
];

impl Key {
    pub fn parse(text: &str) -> Result<Key, String> {
        let lower = text.trim().to_lowercase();
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = lower.as_str();
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let aliases = [
            ("pageup", "pgup"),
            ("pagedown", "pgdn"),
            ("return", "enter"),
            ("escape", "esc"),
        ];
        let rest = aliases.iter().find(|(a, _)| *a == rest).map_or(rest, |(_, b)| *b);
        let code = if let Some(i) = NAMED.iter().position(|(n, _)| n.eq_ignore_ascii_case(rest)) {
            if rest == "space" {
                KeyCodeOrd::Char(' ')
            } else {
                KeyCodeOrd::Named(i as u8)
            }
        } else if let Some(n) = rest
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=12).contains(n))
        {
            KeyCodeOrd::F(n)
        } else if rest.chars().count() == 1 {
            // Keep the case the user wrote for plain characters ("G" is shift-g).
            let original = text.trim();
            KeyCodeOrd::Char(original.chars().last().unwrap_or(' '))
        } else {
            return Err(format!(
                "unknown key {text:?} (use names like ctrl-n, down, pgdn, f1, or one character)"
            ));
        };
        Ok(Key { code, ctrl, alt })
    }

    /// The key a terminal event stands for; `None` for keys navigator never binds.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED.iter().position(|(_, k)| *k == other)? as u8),
        };
        Some(Key { code, ctrl, alt })
    }
}

impl Key {
    /// The compact form for hints: "^F" for Ctrl-F, else as displayed.
    pub fn short(&self) -> String {
        match self.code {
            KeyCodeOrd::Char(c) if self.ctrl && !self.alt => format!("^{}", c.to_ascii_uppercase()),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("Space"),
            KeyCodeOrd::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            KeyCodeOrd::Named(i) => {
                let name = NAMED[i as usize].0;
                let mut chars = name.chars();
                let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or_default();
                write!(f, "{first}{}", chars.as_str())
            }
        }
    }
}

/// Which contexts a default binding works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Everywhere,
    /// Not while typing in the query (plain letters would be text there).
    NotQuery,
    OnlyList,
    OnlyQuery,
}

impl Scope {
    fn includes(self, context: Context) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::NotQuery => context != Context::Query,
            Scope::OnlyList => context == Context::List,
            Scope::OnlyQuery => context == Context::Query,
        }
    }

    /// Plain characters typed in the query are text, so they can never apply there.
    fn for_key(key: &Key) -> Scope {
        match key.code {
            KeyCodeOrd::Char(_) if !key.ctrl && !key.alt => Scope::NotQuery,
            _ => Scope::Everywhere,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Key, Action, Scope)>,
}

/// A bad `[keys]` entry, naming the action and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError(pub String);

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        use Action::*;
        let defaults: &[(Action, &[&str], Scope)] = &[
            (SelectNext, &["down", "ctrl-n"], Scope::Everywhere),
            (SelectNext, &["j"], Scope::OnlyList),
            (SelectPrevious, &["up", "ctrl-p"], Scope::Everywhere),
            (SelectPrevious, &["k"], Scope::OnlyList),
            (PageDown, &["pgdn"], Scope::Everywhere),
            (PageUp, &["pgup"], Scope::Everywhere),
            (OpenDetails, &["enter"], Scope::Everywhere),
            (Back, &["esc"], Scope::Everywhere),
            (SwitchFocus, &["tab"], Scope::Everywhere),
            (FocusQuery, &["/"], Scope::NotQuery),
            (OpenFilters, &["ctrl-f"], Scope::Everywhere),
            (ClearFilters, &["ctrl-x"], Scope::Everywhere),
            (CopyReferral, &["ctrl-y"], Scope::Everywhere),
            (Help, &["f1"], Scope::Everywhere),
            (Help, &["?"], Scope::NotQuery),
            (Quit, &["ctrl-c"], Scope::Everywhere),
            (Quit, &["q"], Scope::NotQuery),
            (ClearQuery, &["ctrl-u"], Scope::OnlyQuery),
            (DeleteWord, &["ctrl-w"], Scope::OnlyQuery),
            (ToggleMark, &["space"], Scope::OnlyList),
            (OpenForm, &["ctrl-r"], Scope::Everywhere),
            (OpenForm, &["r"], Scope::NotQuery),
            (PreviousField, &["backtab"], Scope::Everywhere),
            (Save, &["ctrl-s"], Scope::Everywhere),
            (WriteFile, &["w"], Scope::NotQuery),
            (SwitchLanguage, &["l"], Scope::NotQuery),
            (OpenQueue, &["f2"], Scope::Everywhere),
            (OpenQueue, &["g"], Scope::NotQuery),
            (ToggleMine, &["m"], Scope::NotQuery),
            (Reschedule, &["ctrl-t"], Scope::Everywhere),
            (CancelFollowup, &["ctrl-d"], Scope::Everywhere),
            (OpenReports, &["f3"], Scope::Everywhere),
        ];
        let mut bindings = Vec::new();
        for (action, keys, scope) in defaults {
            for k in *keys {
                bindings.push((Key::parse(k).expect("default keys parse"), *action, *scope));
            }
        }
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with `[keys]` overrides applied: an action named there gets exactly the
    /// keys listed (replacing its defaults).
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                KeymapError(format!("[keys] {name}: no such action (known: {})", known.join(", ")))
            })?;
            map.bindings.retain(|(_, a, _)| *a != action);
            for k in keys {
                let key = Key::parse(k).map_err(|e| KeymapError(format!("[keys] {name}: {e}")))?;
                map.bindings.retain(|(bound, _, _)| *bound != key);
                map.bindings.push((key, action, Scope::for_key(&key)));
            }
        }
        Ok(map)
    }

    /// The action for a key in a context, if any. Later bindings (overrides) win.
    pub fn resolve(&self, event: &KeyEvent, context: Context) -> Option<Action> {
        let key = Key::from_event(event)?;
        self.bindings
            .iter()
            .rev()
            .find(|(k, _, s)| *k == key && s.includes(context))
            .map(|(_, a, _)| *a)
    }

    /// Keys bound to `action`, for hints and help ("Down, Ctrl-N").
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a, _)| *a == action)
            .map(|(k, _, _)| *k)
            .collect()
    }

    /// The first key of an action, compactly ("^F"), for the status-line hints.
    pub fn hint(&self, action: Action) -> String {
        self.keys_for(action)
            .first()
            .map(|k| k.short())
            .unwrap_or_else(|| "(unbound)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_respect_context() {
        let map = Keymap::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            map.resolve(&ev(KeyCode::Down, none), Context::Query),
            Some(Action::SelectNext)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('n'), KeyModifiers::CONTROL), Context::List),
            Some(Action::SelectNext)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('j'), none), Context::List),
            Some(Action::SelectNext)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('j'), none), Context::Query),
            None,
            "j is text in the query"
        );
        assert_eq!(map.resolve(&ev(KeyCode::Char('q'), none), Context::Query), None);
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('q'), none), Context::List),
            Some(Action::Quit)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('?'), none), Context::List),
            Some(Action::Help)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::F(1), none), Context::Query),
            Some(Action::Help)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL), Context::Query),
            Some(Action::Quit)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('w'), KeyModifiers::CONTROL), Context::Query),
            Some(Action::DeleteWord)
        );
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let mut o = BTreeMap::new();
        o.insert("select-next".to_string(), vec!["ctrl-j".to_string()]);
        o.insert("quit".to_string(), vec!["ctrl-q".to_string()]);
        let map = Keymap::with_overrides(&o).unwrap();
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('j'), ctrl), Context::Query),
            Some(Action::SelectNext)
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Down, KeyModifiers::NONE), Context::Query),
            None,
            "defaults replaced"
        );
        assert_eq!(
            map.resolve(&ev(KeyCode::Char('q'), ctrl), Context::Query),
            Some(Action::Quit)
        );
        assert_eq!(map.resolve(&ev(KeyCode::Char('c'), ctrl), Context::Query), None);
        assert_eq!(map.hint(Action::SelectNext), "^J");
    }

    #[test]
    fn bad_config_names_the_action_and_key() {
        let mut o = BTreeMap::new();
        o.insert("select-next".to_string(), vec!["ctrl-banana".to_string()]);
        let err = Keymap::with_overrides(&o).unwrap_err().0;
        assert!(
            err.contains("[keys] select-next") && err.contains("ctrl-banana"),
            "{err}"
        );
        let mut o = BTreeMap::new();
        o.insert("fly-away".to_string(), vec!["x".to_string()]);
        let err = Keymap::with_overrides(&o).unwrap_err().0;
        assert!(err.contains("fly-away: no such action"), "{err}");
    }

    #[test]
    fn keys_print_readably() {
        for (text, shown) in [
            ("ctrl-n", "Ctrl-N"),
            ("pgdn", "PgDn"),
            ("f1", "F1"),
            ("?", "?"),
            ("space", "Space"),
        ] {
            assert_eq!(Key::parse(text).unwrap().to_string(), shown);
        }
        assert_eq!(Key::parse("ctrl-f").unwrap().short(), "^F");
        assert_eq!(Key::parse("down").unwrap().short(), "Down");
    }
}
