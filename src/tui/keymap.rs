//! Keys -> actions. Defaults live here; `config.toml` `[keys]` overrides them per action:
//!
//! ```toml
//! [keys]
//! select-next = ["down", "ctrl-n"]
//! copy-referral = "ctrl-y"
//! ```
//!
//! Each action works in some contexts (screens). On the screens where a navigator types
//! (the search, the contact form, a follow-up call, the filter menu) printable keys are
//! always text: commands sit on Ctrl, Alt, function keys, Enter and the arrows, so a typist
//! can never run one by accident. `[tui] keymap = "modal"` adds vim-style letters (j, k, q,
//! ...) that act while the results or the details have focus.
//!
//! A key bound to two actions that share a context is an error naming both: one of them
//! would silently never run.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// The search screen: typing goes to the query, whatever has focus.
    Search,
    /// The search screen with the results or details focused, in the modal keymap only.
    List,
    Form,
    FollowUp,
    Queue,
    Summary,
    Reports,
    /// The filter menu, the help, and the yes/no prompts.
    Menu,
}

impl Context {
    pub const ALL: [Context; 8] = [
        Context::Search,
        Context::List,
        Context::Form,
        Context::FollowUp,
        Context::Queue,
        Context::Summary,
        Context::Reports,
        Context::Menu,
    ];

    /// Where printable keys are text (or pick a choice by its first letter).
    pub fn typing(self) -> bool {
        matches!(
            self,
            Context::Search | Context::Form | Context::FollowUp | Context::Menu
        )
    }

    /// For messages: "in the contact form".
    pub fn describe(self) -> &'static str {
        match self {
            Context::Search => "on the search screen",
            Context::List => "in the results (modal keys)",
            Context::Form => "in the contact form",
            Context::FollowUp => "on a follow-up call",
            Context::Queue => "in the follow-up queue",
            Context::Summary => "on the referral summary",
            Context::Reports => "on the reports",
            Context::Menu => "in the filter menu and help",
        }
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// A set of contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Contexts(u16);

impl Contexts {
    pub fn of(list: &[Context]) -> Contexts {
        Contexts(list.iter().fold(0, |acc, c| acc | c.bit()))
    }

    pub fn all() -> Contexts {
        Contexts::of(&Context::ALL)
    }

    pub fn contains(self, c: Context) -> bool {
        self.0 & c.bit() != 0
    }

    fn intersect(self, other: Contexts) -> Contexts {
        Contexts(self.0 & other.0)
    }

    fn without_typing(self) -> Contexts {
        Contexts(self.0 & !Contexts::of(&[Context::Search, Context::Form, Context::FollowUp, Context::Menu]).0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn first(self) -> Option<Context> {
        Context::ALL.into_iter().find(|c| self.contains(*c))
    }
}

macro_rules! actions {
    ($($variant:ident = $name:literal [$($ctx:ident),*] : $help:literal),* $(,)?) => {
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

            /// Where the action does something.
            pub fn contexts(self) -> Contexts {
                match self { $(Action::$variant => Contexts::of(&[$(Context::$ctx),*])),* }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    SelectNext = "select-next" [Search, List, Form, FollowUp, Queue, Summary, Reports, Menu]: "next result, row or field",
    SelectPrevious = "select-previous" [Search, List, Form, FollowUp, Queue, Summary, Reports, Menu]: "previous result, row or field",
    PageDown = "page-down" [Search, List, Queue, Summary, Reports, Menu]: "a page down (results, details, lists)",
    PageUp = "page-up" [Search, List, Queue, Summary, Reports, Menu]: "a page up",
    OpenDetails = "open-details" [Search, List, Form, FollowUp, Queue, Summary, Menu]: "open the selected service's details; confirm",
    Back = "back" [Search, List, Form, FollowUp, Queue, Summary, Reports, Menu]: "close, or go back (never clears what was typed)",
    SwitchFocus = "switch-focus" [Search, List, Form, FollowUp]: "switch focus: query, results, details; next field",
    PreviousField = "previous-field" [Search, List, Form, FollowUp]: "previous field of a form; focus back",
    FocusQuery = "focus-query" [List]: "type in the query",
    OpenFilters = "open-filters" [Search, List, Menu]: "open the filter menu",
    ClearFilters = "clear-filters" [Search, List, Menu]: "clear every filter",
    CopyReferral = "copy-referral" [Search, List, Summary]: "send the referral text to the terminal's clipboard",
    Help = "help" [Search, List, Form, FollowUp, Queue, Summary, Reports, Menu]: "show this help",
    Quit = "quit" [Search, List, Form, FollowUp, Queue, Summary, Reports, Menu]: "quit (asks first with a basket or an open contact)",
    ClearQuery = "clear-query" [Search, List, Form, FollowUp, Menu]: "clear the text field (a query can come back)",
    RestoreQuery = "restore-query" [Search, List]: "bring back the last cleared query",
    DeleteWord = "delete-word" [Search, List, Form, FollowUp, Menu]: "delete the word before the cursor",
    ToggleMark = "mark" [Search, List]: "mark or unmark the selected service for referral",
    OpenForm = "contact-form" [Search, List, Form]: "the contact form (again: back to the search)",
    DiscardContact = "discard-contact" [Form]: "contact form: discard it (asks first)",
    Save = "save" [Form, FollowUp]: "save the contact or the follow-up call",
    WriteFile = "write-file" [Summary]: "write the referral summary to a file",
    SwitchLanguage = "switch-language" [Summary]: "summary in English, French or Spanish",
    OpenQueue = "queue" [Search, List, Queue, Summary, Reports]: "the follow-up queue (again: back)",
    ToggleMine = "mine-only" [Queue]: "queue: only my follow-ups, or everyone's",
    Reschedule = "reschedule" [FollowUp]: "follow-up: call again on another date",
    CancelFollowup = "cancel-followup" [FollowUp]: "follow-up: cancel it",
    OpenReports = "reports" [Search, List, Queue, Summary, Reports]: "needs and outcome reports (again: back)",
}

/// Which default keys to start from: `[tui] keymap` in config.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// Printable keys are always text on the search screen.
    #[default]
    Typing,
    /// Also vim-style letters while the results or details have focus.
    Modal,
}

impl Style {
    pub fn parse(text: &str) -> Option<Style> {
        match text.trim() {
            "default" | "typing" => Some(Style::Typing),
            "modal" | "vim" => Some(Style::Modal),
            _ => None,
        }
    }
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
    ("insert", KeyCode::Insert),
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
            ("ins", "insert"),
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
            let c = original.chars().last().unwrap_or(' ');
            KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c })
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

    /// A character typed without Ctrl or Alt: text wherever a navigator types.
    pub fn printable(&self) -> bool {
        matches!(self.code, KeyCodeOrd::Char(_)) && !self.ctrl && !self.alt
    }

    /// The compact form for hints: "^F" for Ctrl-F, else as displayed.
    pub fn short(&self) -> String {
        match self.code {
            KeyCodeOrd::Char(' ') if self.ctrl && !self.alt => "^Space".into(),
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

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Key, Action, Contexts)>,
    pub style: Style,
}

/// A bad `[keys]` entry, naming the action and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError(pub String);

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The default keys of each action: nothing printable on the typing screens.
const DEFAULTS: &[(Action, &[&str])] = {
    use Action::*;
    &[
        (SelectNext, &["down", "ctrl-n"]),
        (SelectPrevious, &["up", "ctrl-p"]),
        (PageDown, &["pgdn"]),
        (PageUp, &["pgup"]),
        (OpenDetails, &["enter"]),
        (Back, &["esc"]),
        (SwitchFocus, &["tab"]),
        (PreviousField, &["backtab"]),
        (OpenFilters, &["ctrl-f"]),
        (ClearFilters, &["ctrl-x"]),
        (CopyReferral, &["ctrl-y"]),
        (Help, &["f1"]),
        (Quit, &["ctrl-c"]),
        (ClearQuery, &["ctrl-u"]),
        (RestoreQuery, &["ctrl-z"]),
        (DeleteWord, &["ctrl-w"]),
        (ToggleMark, &["ctrl-space", "insert"]),
        (OpenForm, &["ctrl-r"]),
        (DiscardContact, &["ctrl-d"]),
        (Save, &["ctrl-s"]),
        (WriteFile, &["w"]),
        (SwitchLanguage, &["l"]),
        (OpenQueue, &["f2"]),
        (ToggleMine, &["m"]),
        (Reschedule, &["ctrl-t"]),
        (CancelFollowup, &["ctrl-d"]),
        (OpenReports, &["f3"]),
    ]
};

/// The modal keymap's letters, for the results and details only.
const MODAL: &[(Action, &[&str])] = {
    use Action::*;
    &[
        (SelectNext, &["j"]),
        (SelectPrevious, &["k"]),
        (FocusQuery, &["/"]),
        (Help, &["?"]),
        (Quit, &["q"]),
        (ToggleMark, &["space"]),
        (OpenForm, &["r"]),
        (OpenQueue, &["g"]),
    ]
};

fn parse_all(list: &[(Action, &[&str])], only: Option<Contexts>) -> Vec<(Key, Action, Contexts)> {
    let mut out = Vec::new();
    for (action, keys) in list {
        for k in *keys {
            let key = Key::parse(k).expect("default keys parse");
            let contexts = only.unwrap_or_else(|| contexts_for(*action, &key));
            out.push((key, *action, contexts));
        }
    }
    out
}

/// Where a key bound to `action` applies: the action's contexts, less the typing screens
/// for a printable key (there it is text).
fn contexts_for(action: Action, key: &Key) -> Contexts {
    if key.printable() {
        action.contexts().without_typing()
    } else {
        action.contexts()
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::with_style(Style::Typing)
    }
}

impl Keymap {
    pub fn with_style(style: Style) -> Keymap {
        let mut bindings = parse_all(DEFAULTS, None);
        if style == Style::Modal {
            bindings.extend(parse_all(MODAL, Some(Contexts::of(&[Context::List]))));
        }
        Keymap { bindings, style }
    }

    /// The defaults of `style` with `[keys]` overrides applied: an action named there gets
    /// exactly the keys listed (replacing its defaults). A key that ends up bound to two
    /// actions in one context is an error naming both.
    pub fn with_overrides(style: Style, overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::with_style(style);
        for (name, keys) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                KeymapError(format!("[keys] {name}: no such action (known: {})", known.join(", ")))
            })?;
            map.bindings.retain(|(_, a, _)| *a != action);
            for k in keys {
                let key = Key::parse(k).map_err(|e| KeymapError(format!("[keys] {name}: {e}")))?;
                let contexts = contexts_for(action, &key);
                if contexts.is_empty() {
                    let context = action.contexts().first().unwrap_or(Context::Search);
                    return Err(KeymapError(format!(
                        "[keys] {name} = {k:?}: {key} is text {} (printable keys cannot run commands \
                         where a navigator types); use a key with Ctrl, Alt, or a function key",
                        context.describe()
                    )));
                }
                if !map.bindings.iter().any(|(b, a, _)| *b == key && *a == action) {
                    map.bindings.push((key, action, contexts));
                }
            }
        }
        map.check_conflicts(overrides)?;
        Ok(map)
    }

    /// The first key bound to two actions that share a context: (key, action, other, where).
    pub fn conflict(&self) -> Option<(Key, Action, Action, Context)> {
        for (i, (key, action, contexts)) in self.bindings.iter().enumerate() {
            for (other_key, other, other_contexts) in &self.bindings[i + 1..] {
                if key == other_key && action != other {
                    if let Some(context) = contexts.intersect(*other_contexts).first() {
                        return Some((*key, *action, *other, context));
                    }
                }
            }
        }
        None
    }

    /// Fails when a key is bound to two actions that share a context, naming the action
    /// `[keys]` set first.
    fn check_conflicts(&self, overrides: &BTreeMap<String, Vec<String>>) -> Result<(), KeymapError> {
        let Some((key, a, b, context)) = self.conflict() else {
            return Ok(());
        };
        let (mine, theirs) = if overrides.contains_key(b.name()) && !overrides.contains_key(a.name()) {
            (b, a)
        } else {
            (a, b)
        };
        Err(KeymapError(format!(
            "[keys] {}: {key} is bound to both {} and {} {}: give one of them another key",
            mine.name(),
            mine.name(),
            theirs.name(),
            context.describe()
        )))
    }

    /// The action for a key in a context, if any.
    pub fn resolve(&self, event: &KeyEvent, context: Context) -> Option<Action> {
        let key = Key::from_event(event)?;
        self.bindings
            .iter()
            .find(|(k, _, c)| *k == key && c.contains(context))
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
#[path = "keymap_tests.rs"]
mod tests;
