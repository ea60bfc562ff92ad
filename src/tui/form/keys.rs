//! Keys on the contact form. Pure: the form changes, and what the app must do (save, go
//! back to the search, ask before discarding) comes back as a [`FormAction`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{ContactForm, Field, Need};
use crate::casework::{
    check_due, check_language, check_phone, check_place, check_postal, Country, AGE_GROUPS, CHANNELS,
    OTHER_MUNICIPALITY, UNMET_REASONS,
};
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::text_edit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    /// Validate everything and save.
    Save,
    /// Hide the form (kept, with its draft) and go back to the search.
    BackToSearch,
    /// Ctrl-D: ask before discarding.
    AskDiscard,
    /// Take the n-th service out of the basket.
    RemoveReferral(usize),
    /// Search services for the referrals field's add line (empty: forget the results).
    SearchServices(String),
    /// Put the n-th result of that search in the basket.
    AddReferral(usize),
    Quit,
    Help,
}

/// What a key did: whether the form's values changed (so the draft is saved), and any action.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub changed: bool,
    pub action: Option<FormAction>,
}

fn changed() -> Outcome {
    Outcome {
        changed: true,
        action: None,
    }
}

fn action(a: FormAction) -> Outcome {
    Outcome {
        changed: false,
        action: Some(a),
    }
}

/// What the form checks against: the catalogue's municipalities, the office's country,
/// and today (follow-up dates).
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub places: &'a [String],
    pub country: Country,
    pub today: jiff::civil::Date,
}

/// Municipalities from the catalogue matching what was typed (at most 5), then "Other /
/// outside the area": a municipality is one of these, never whatever was typed.
pub fn suggestions<'a>(form: &ContactForm, places: &'a [String]) -> Vec<&'a str> {
    let typed = navigator_index::text::fold(form.municipality.value().trim());
    if typed.is_empty() {
        return Vec::new();
    }
    let exact = places.iter().any(|p| navigator_index::text::fold(p) == typed)
        || navigator_index::text::fold(OTHER_MUNICIPALITY) == typed;
    if exact {
        return Vec::new();
    }
    let mut out: Vec<&str> = places
        .iter()
        .filter(|p| navigator_index::text::fold(p).starts_with(&typed))
        .map(String::as_str)
        .take(5)
        .collect();
    out.push(OTHER_MUNICIPALITY);
    out
}

/// Languages of navigator's list matching what was typed, by name or code (at most 5).
pub fn language_suggestions(form: &ContactForm) -> Vec<&'static str> {
    let typed = navigator_index::text::fold(form.language.value().trim());
    if typed.is_empty() || navigator_index::languages::all().any(|(_, n)| navigator_index::text::fold(n) == typed) {
        return Vec::new();
    }
    navigator_index::languages::all()
        .filter(|(code, name)| *code == typed || navigator_index::text::fold(name).starts_with(&typed))
        .map(|(_, name)| name)
        .take(5)
        .collect()
}

/// The highlighted suggestion of a list field (municipality, language), if any.
fn suggested(form: &ContactForm, env: &Env) -> Option<String> {
    let options: Vec<String> = match form.field {
        Field::Municipality => suggestions(form, env.places).into_iter().map(String::from).collect(),
        Field::Language => language_suggestions(form).into_iter().map(String::from).collect(),
        _ => return None,
    };
    options
        .get(form.suggestion.min(options.len().saturating_sub(1)))
        .cloned()
}

/// The referrals field with a service search typed: move among its results, Enter adds
/// the highlighted one, other keys edit the search.
fn add_service(form: &mut ContactForm, key: KeyEvent, act: Option<Action>) -> Outcome {
    match act {
        Some(Action::SelectNext) => {
            form.add_choice = (form.add_choice + 1).min(form.add_results.len().saturating_sub(1));
            Outcome::default()
        }
        Some(Action::SelectPrevious) => {
            form.add_choice = form.add_choice.saturating_sub(1);
            Outcome::default()
        }
        Some(Action::OpenDetails) if form.add_choice < form.add_results.len() => {
            let chosen = form.add_choice;
            form.add_query.reset();
            Outcome {
                changed: true,
                action: Some(FormAction::AddReferral(chosen)),
            }
        }
        _ => {
            if !text_edit::edit(&mut form.add_query, act, &key) {
                return Outcome::default();
            }
            action(FormAction::SearchServices(form.add_query.value().to_string()))
        }
    }
}

pub fn handle(form: &mut ContactForm, key: KeyEvent, keymap: &Keymap, basket_len: usize, env: &Env) -> Outcome {
    let act = keymap.resolve(&key, Context::Form);
    let adding = form.field == Field::Referrals && !form.add_query.value().is_empty();
    if adding && act == Some(Action::Back) {
        // Esc leaves the service search before it leaves the form.
        form.add_query.reset();
        return action(FormAction::SearchServices(String::new()));
    }
    match act {
        Some(Action::Save) => return action(FormAction::Save),
        // Esc and Ctrl-R go back to the search; the form stays, with its draft.
        Some(Action::OpenForm | Action::Back) => return action(FormAction::BackToSearch),
        Some(Action::DiscardContact) => return action(FormAction::AskDiscard),
        Some(Action::Quit) => return action(FormAction::Quit),
        Some(Action::Help) => return action(FormAction::Help),
        Some(Action::SwitchFocus) => return move_field(form, 1, env),
        Some(Action::PreviousField) => return move_field(form, -1, env),
        _ => {}
    }
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match form.field {
        Field::Channel | Field::AgeGroup | Field::Consent => choice(form, key, act, plain, env),
        Field::Needs => needs(form, key, act, env),
        Field::Referrals if adding => add_service(form, key, act),
        Field::Referrals => match (key.code, act) {
            (KeyCode::Char(_), _) if plain => {
                text_edit::edit(&mut form.add_query, act, &key);
                action(FormAction::SearchServices(form.add_query.value().to_string()))
            }
            (KeyCode::Delete | KeyCode::Backspace, _) if form.referral_cursor < basket_len => {
                let i = form.referral_cursor;
                form.referral_cursor = form.referral_cursor.min(basket_len.saturating_sub(2));
                Outcome {
                    changed: true,
                    action: Some(FormAction::RemoveReferral(i)),
                }
            }
            (_, Some(Action::SelectNext)) if form.referral_cursor + 1 < basket_len => {
                form.referral_cursor += 1;
                Outcome::default()
            }
            (_, Some(Action::SelectPrevious)) if form.referral_cursor > 0 => {
                form.referral_cursor -= 1;
                Outcome::default()
            }
            (_, Some(Action::SelectNext | Action::OpenDetails)) => move_field(form, 1, env),
            (_, Some(Action::SelectPrevious)) => move_field(form, -1, env),
            _ => Outcome::default(),
        },
        Field::Municipality | Field::Language => {
            let count = match form.field {
                Field::Municipality => suggestions(form, env.places).len(),
                _ => language_suggestions(form).len(),
            };
            match act {
                Some(Action::SelectNext) if form.suggestion + 1 < count => form.suggestion += 1,
                Some(Action::SelectPrevious) if form.suggestion > 0 => form.suggestion -= 1,
                Some(Action::OpenDetails) if count > 0 => {
                    let chosen = suggested(form, env).unwrap_or_default();
                    let field = form.field;
                    if let Some(input) = form.input_mut(field) {
                        *input = tui_input::Input::new(chosen);
                    }
                    form.suggestion = 0;
                    form.errors.remove(&field);
                    return changed();
                }
                _ => return text(form, key, act, env),
            }
            Outcome::default()
        }
        _ => text(form, key, act, env),
    }
}

fn text(form: &mut ContactForm, key: KeyEvent, act: Option<Action>, env: &Env) -> Outcome {
    match act {
        Some(Action::SelectNext | Action::OpenDetails) => return move_field(form, 1, env),
        Some(Action::SelectPrevious) => return move_field(form, -1, env),
        _ => {}
    }
    let field = form.field;
    let Some(input) = form.input_mut(field) else {
        return Outcome::default();
    };
    if !text_edit::edit(input, act, &key) {
        return Outcome::default();
    }
    if matches!(field, Field::Municipality | Field::Language) {
        form.suggestion = 0;
    }
    changed()
}

/// A paste into the focused text field (or the referrals' service search).
pub fn paste(form: &mut ContactForm, text: &str) -> Outcome {
    if form.field == Field::Referrals {
        text_edit::paste_into(&mut form.add_query, text);
        return action(FormAction::SearchServices(form.add_query.value().to_string()));
    }
    let field = form.field;
    if field == Field::Needs && form.need_cursor != 0 {
        return Outcome::default();
    }
    let Some(input) = form.input_mut(field) else {
        return Outcome::default();
    };
    if !text_edit::paste_into(input, text) {
        return Outcome::default();
    }
    if matches!(field, Field::Municipality | Field::Language) {
        form.suggestion = 0;
    }
    changed()
}

fn choice(form: &mut ContactForm, key: KeyEvent, act: Option<Action>, plain: bool, env: &Env) -> Outcome {
    let (count, current) = match form.field {
        Field::Channel => (CHANNELS.len(), Some(form.channel)),
        Field::AgeGroup => (AGE_GROUPS.len(), form.age_group),
        _ => (2, Some(usize::from(form.consent))),
    };
    let next = match (key.code, act) {
        (KeyCode::Right, _) | (KeyCode::Char(' '), _) => current.map_or(0, |c| (c + 1) % count),
        (KeyCode::Left, _) => current.map_or(count - 1, |c| (c + count - 1) % count),
        (_, Some(Action::SelectNext | Action::OpenDetails)) => return move_field(form, 1, env),
        (_, Some(Action::SelectPrevious)) => return move_field(form, -1, env),
        (KeyCode::Char(c), _) if plain => {
            // A first letter picks: p(hone), c(hat), e(mail), t(ext), w(alk-in); y/n for consent.
            let options: Vec<&str> = match form.field {
                Field::Channel => CHANNELS.to_vec(),
                Field::AgeGroup => AGE_GROUPS.to_vec(),
                _ => vec!["no", "yes"],
            };
            match options.iter().position(|o| o.starts_with(c.to_ascii_lowercase())) {
                Some(i) => i,
                None => return Outcome::default(),
            }
        }
        _ => return Outcome::default(),
    };
    match form.field {
        Field::Channel => form.channel = next,
        Field::AgeGroup => form.age_group = Some(next),
        _ => form.consent = next == 1,
    }
    changed()
}

fn needs(form: &mut ContactForm, key: KeyEvent, act: Option<Action>, env: &Env) -> Outcome {
    if form.need_cursor == 0 {
        // The picker line: typing narrows categories, Enter adds the first match (nothing
        // typed, nothing added: Enter on an empty picker goes on to the next field).
        let typed = !form.need_filter.value().trim().is_empty();
        return match act {
            Some(Action::OpenDetails) if !typed => move_field(form, 1, env),
            Some(Action::OpenDetails) => match form.category_matches().first() {
                Some(&category) => {
                    form.needs.push(Need {
                        category,
                        met: true,
                        reason: None,
                    });
                    form.need_filter = tui_input::Input::default();
                    form.errors.remove(&Field::Needs);
                    changed()
                }
                None => Outcome::default(),
            },
            Some(Action::SelectNext) if !form.needs.is_empty() => {
                form.need_cursor = 1;
                Outcome::default()
            }
            _ => text(form, key, act, env),
        };
    }
    let i = form.need_cursor - 1;
    match (key.code, act) {
        (KeyCode::Char(' '), _) => {
            let need = &mut form.needs[i];
            need.met = !need.met;
            if need.met {
                need.reason = None;
            }
            changed()
        }
        (KeyCode::Right | KeyCode::Left, _) => {
            let need = &mut form.needs[i];
            let n = UNMET_REASONS.len();
            need.met = false;
            need.reason = Some(match (need.reason, key.code == KeyCode::Right) {
                (None, true) => 0,
                (None, false) => n - 1,
                (Some(r), true) => (r + 1) % n,
                (Some(r), false) => (r + n - 1) % n,
            });
            changed()
        }
        (KeyCode::Delete | KeyCode::Backspace, _) => {
            form.needs.remove(i);
            form.need_cursor = form.need_cursor.min(form.needs.len());
            changed()
        }
        (_, Some(Action::SelectNext)) if form.need_cursor < form.needs.len() => {
            form.need_cursor += 1;
            Outcome::default()
        }
        (_, Some(Action::SelectPrevious)) => {
            form.need_cursor -= 1;
            Outcome::default()
        }
        (_, Some(Action::SelectNext | Action::OpenDetails)) => move_field(form, 1, env),
        _ => Outcome::default(),
    }
}

/// Moves to the next/previous field, checking the one being left. A municipality or a
/// language not in its list is completed to the highlighted suggestion, or refused: the
/// cursor stays until it is one the list knows.
fn move_field(form: &mut ContactForm, delta: isize, env: &Env) -> Outcome {
    let mut completed = false;
    if matches!(form.field, Field::Municipality | Field::Language) {
        if let Some(choice) = suggested(form, env) {
            let field = form.field;
            if let Some(input) = form.input_mut(field) {
                *input = tui_input::Input::new(choice);
                completed = true;
            }
        }
    }
    let changed = check(form, form.field, env) || completed;
    if matches!(form.field, Field::Municipality | Field::Language) && form.errors.contains_key(&form.field) {
        return Outcome { changed, action: None };
    }
    let fields = form.fields();
    let pos = fields.iter().position(|f| *f == form.field).unwrap_or(0) as isize;
    let next = (pos + delta).rem_euclid(fields.len() as isize) as usize;
    form.field = fields[next];
    form.need_cursor = 0;
    form.suggestion = 0;
    Outcome { changed, action: None }
}

/// Checks one field as the navigator leaves it; the message shows beside the field.
/// Returns true when the value was normalized (so the draft changes).
pub fn check(form: &mut ContactForm, field: Field, env: &Env) -> bool {
    let value = form
        .input(field)
        .map(|i| i.value().trim().to_string())
        .unwrap_or_default();
    let result: Result<Option<String>, String> = match field {
        Field::Fsa if !value.is_empty() => check_postal(&value, env.country).map(Some),
        Field::Municipality if !value.is_empty() => check_place(&value, env.places).map(Some),
        Field::Language if !value.is_empty() => check_language(&value).map(|code| {
            navigator_index::languages::known(&code)
                .map(|(_, name)| name)
                .or(Some(code))
        }),
        Field::Phone => check_phone(&value).map(Some),
        Field::Due => check_due(&value, env.today).map(|d| Some(d.to_string())),
        Field::FirstName if value.is_empty() => Err("a first name is needed for the follow-up call".into()),
        Field::Needs if form.needs.is_empty() => Err("at least one need is required".into()),
        Field::Needs => match form.needs.iter().find(|n| !n.met && n.reason.is_none()) {
            Some(n) => Err(format!("{}: say why it could not be met (Left/Right)", n.category)),
            None => Ok(None),
        },
        _ => Ok(None),
    };
    match result {
        Ok(normalized) => {
            form.errors.remove(&field);
            if let (Some(normal), Some(input)) = (normalized, form.input_mut(field)) {
                if input.value() != normal {
                    *input = tui_input::Input::new(normal);
                    return true;
                }
            }
            false
        }
        Err(message) => {
            form.errors.insert(field, message);
            false
        }
    }
}
