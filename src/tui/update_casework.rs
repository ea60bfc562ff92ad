//! The casework half of `update`: the referral basket, the contact form, the summary
//! after saving, and the resume/discard prompts. Pure like the rest of `update`.

use crossterm::event::{KeyCode, KeyEvent};

use super::form::keys::{self, FormAction};
use super::form::{ContactForm, Draft, Field};
use super::keymap::{Action, Context};
use super::state::{Overlay, Screen, State, Summary};
use super::update::{Effect, Update};
use crate::casework::validate;

fn redraw_with(effects: Vec<Effect>) -> Update {
    Update { effects, redraw: true }
}

/// The draft of the current form and basket, as the store keeps it.
fn draft(state: &State) -> Effect {
    let now = crate::clock::now();
    let default = ContactForm::new(default_due(state), now);
    let form = state.form.as_ref().unwrap_or(&default);
    let draft = Draft {
        input: form.to_input(&state.basket, now),
        basket: state.basket.clone(),
        field: form.field,
    };
    Effect::SaveDraft(serde_json::to_string(&draft).expect("a draft serializes"))
}

fn default_due(state: &State) -> jiff::civil::Date {
    state
        .today
        .checked_add(jiff::Span::new().days(state.followup_days))
        .unwrap_or(state.today)
}

/// Space in the results: mark or unmark the selected service.
pub fn toggle_mark(state: &mut State) -> Update {
    let Some(hit) = state.selected_hit() else {
        return Update::default();
    };
    let service = hit.service.clone();
    match state.basket.iter().position(|s| s.id == service.id) {
        Some(i) => {
            state.basket.remove(i);
        }
        None => state.basket.push(service),
    }
    let effect = if state.basket.is_empty() && state.form.is_none() {
        Effect::DeleteDraft
    } else {
        draft(state)
    };
    redraw_with(vec![effect])
}

/// r / Ctrl-R: open the form (a new one, or the one in progress).
pub fn open_form(state: &mut State) -> Update {
    if state.form.is_none() {
        state.form = Some(ContactForm::new(default_due(state), crate::clock::now()));
    }
    state.screen = Screen::Form;
    redraw_with(vec![draft(state)])
}

pub fn form_key(state: &mut State, key: KeyEvent) -> Update {
    let today = state.today;
    let Some(form) = state.form.as_mut() else {
        state.screen = Screen::Search;
        return Update::redraw_only();
    };
    let outcome = keys::handle(form, key, &state.keymap, state.basket.len(), &state.places, today);
    let mut effects = Vec::new();
    match outcome.action {
        Some(FormAction::Save) => return save(state),
        Some(FormAction::BackToSearch) => state.screen = Screen::Search,
        Some(FormAction::AskDiscard) => state.overlay = Some(Overlay::ConfirmDiscard),
        Some(FormAction::RemoveReferral(i)) if i < state.basket.len() => {
            state.basket.remove(i);
        }
        Some(FormAction::Quit) => state.quit = true,
        Some(FormAction::Help) => state.overlay = Some(Overlay::Help(0)),
        Some(FormAction::SearchServices(text)) => effects.extend(search_services(state, text)),
        Some(FormAction::AddReferral(i)) => add_referral(state, i),
        _ => {}
    }
    if outcome.changed {
        effects.push(draft(state));
    }
    redraw_with(effects)
}

/// How many services the form's add line offers.
pub const ADD_CHOICES: usize = 5;
/// Marks the generations of the add line's searches: their answers go to the form, never to
/// the result list (whose generations never have this bit).
pub const ADD_LINE: u64 = 1 << 63;

/// A search for the form's add line.
fn search_services(state: &mut State, text: String) -> Option<Effect> {
    let form = state.form.as_mut()?;
    form.add_results.clear();
    form.add_choice = 0;
    let generation = ADD_LINE | ((form.add_generation & !ADD_LINE) + 1);
    form.add_generation = generation;
    if text.trim().is_empty() {
        return None; // an answer still on its way is now stale
    }
    let mut request = navigator_index::SearchRequest::new(text);
    request.limit = ADD_CHOICES;
    Some(Effect::Search {
        generation,
        request: Box::new(request),
    })
}

/// An answer for the form's add line (nothing, after a failed search); only the newest it
/// asked for is shown.
pub fn services_found(state: &mut State, generation: u64, hits: Vec<navigator_index::Hit>) -> Update {
    match state.form.as_mut() {
        Some(form) if form.add_generation == generation => {
            form.add_results = hits;
            form.add_choice = 0;
            Update::redraw_only()
        }
        _ => Update::default(),
    }
}

fn add_referral(state: &mut State, i: usize) {
    let Some(form) = state.form.as_mut() else {
        return;
    };
    let chosen = form.add_results.get(i).map(|h| h.service.clone());
    form.add_results.clear();
    if let Some(service) = chosen {
        if !state.in_basket(&service.id) {
            state.basket.push(service);
        }
        let at = state.basket.len() - 1;
        if let Some(form) = state.form.as_mut() {
            form.referral_cursor = at;
        }
    }
}

/// Ctrl-S: save when everything is valid, else say what is missing beside each field.
fn save(state: &mut State) -> Update {
    let now = crate::clock::now();
    let today = state.today;
    let Some(form) = state.form.as_mut() else {
        return Update::default();
    };
    for field in form.fields() {
        keys::check(form, field, today);
    }
    let input = form.to_input(&state.basket, now);
    let ids: Vec<&str> = state.basket.iter().map(|s| s.id.as_str()).collect();
    let errors = validate(&input, today, &|id| ids.contains(&id));
    if errors.is_empty() && form.errors.is_empty() {
        state.notice = Some("Saving…".into());
        return redraw_with(vec![Effect::SaveContact(Box::new(input))]);
    }
    for e in &errors {
        form.errors
            .entry(Field::for_path(&e.field))
            .or_insert_with(|| e.message.clone());
    }
    let missing: Vec<&str> = form.errors.keys().map(|f| f.label()).collect();
    state.notice = Some(format!("Not saved yet: check {}", missing.join(", ")));
    if let Some(first) = form.errors.keys().next() {
        form.field = *first;
    }
    Update::redraw_only()
}

/// The store saved the contact: show the summary, clear the form, basket and draft.
pub fn saved(state: &mut State, contact_id: i64, follow_up_due: Option<String>) -> Update {
    let u = finish(state, Some(contact_id), None, follow_up_due);
    state.notice = Some(format!("Contact {contact_id} saved"));
    u
}

/// The database could not be reached and the contact is held on this server: the same
/// summary to read out, and the form free for the next call. It gets its number once the
/// link is back ([`held_saved`]).
pub fn held(state: &mut State, key: String, follow_up_due: Option<String>) -> Update {
    let u = finish(state, None, Some(key), follow_up_due);
    state.notice =
        Some("The database cannot be reached: the contact is held on this server and saved when it is back".into());
    u
}

/// A held save reached the database: say so, and number the summary that shows it.
pub fn held_saved(state: &mut State, key: &str, contact_id: Option<i64>, message: String) -> Update {
    if let Some(summary) = state.summary.as_mut().filter(|s| s.held.as_deref() == Some(key)) {
        summary.contact_id = contact_id;
        summary.held = None;
    }
    state.notice = Some(message);
    Update::redraw_only()
}

/// The database link went or came back, or the number of held saves changed.
pub fn link(state: &mut State, link: super::state::Link) -> Update {
    let changed = state.link != link;
    state.link = link;
    Update {
        effects: Vec::new(),
        redraw: changed,
    }
}

fn finish(state: &mut State, contact_id: Option<i64>, held: Option<String>, follow_up_due: Option<String>) -> Update {
    state.summary = Some(Summary {
        contact_id,
        held,
        services: std::mem::take(&mut state.basket),
        follow_up_due,
        french: state
            .form
            .as_ref()
            .is_some_and(|f| f.language.value().trim().eq_ignore_ascii_case("fr")),
    });
    state.form = None;
    state.screen = Screen::Summary;
    redraw_with(vec![Effect::DeleteDraft])
}

/// The store refused the contact (a service vanished in the meantime, ...): show why.
pub fn rejected(state: &mut State, errors: Vec<(String, String)>) -> Update {
    if let Some(form) = state.form.as_mut() {
        for (path, message) in &errors {
            form.errors.insert(Field::for_path(path), message.clone());
        }
    }
    let first = errors.first().map(|(p, m)| format!("{p}: {m}")).unwrap_or_default();
    state.notice = Some(format!("Not saved: {first}"));
    Update::redraw_only()
}

pub fn summary_key(state: &mut State, key: KeyEvent) -> Update {
    let Some(summary) = state.summary.as_mut() else {
        state.screen = Screen::Search;
        return Update::redraw_only();
    };
    match state.keymap.resolve(&key, Context::Overlay) {
        Some(Action::CopyReferral) => {
            let text = summary_text(summary, state.today);
            state.notice = Some("Copied the referral summary (via the terminal clipboard)".into());
            redraw_with(vec![Effect::Copy(text)])
        }
        Some(Action::WriteFile) => {
            let lang = if summary.french { "fr" } else { "en" };
            let path = match summary.contact_id {
                Some(id) => format!("referral-{id}-{lang}.txt"),
                None => format!(
                    "referral-held-{}-{lang}.txt",
                    crate::clock::now().strftime("%Y%m%d-%H%M%S")
                ),
            };
            let text = summary_text(summary, state.today);
            redraw_with(vec![Effect::WriteFile { path, text }])
        }
        Some(Action::SwitchLanguage) => {
            summary.french = !summary.french;
            Update::redraw_only()
        }
        Some(Action::Quit) => {
            state.quit = true;
            Update::redraw_only()
        }
        Some(Action::Back | Action::OpenDetails) => {
            state.summary = None;
            state.screen = Screen::Search;
            Update::redraw_only()
        }
        _ => Update::default(),
    }
}

/// The summary as text, in the summary's language.
pub fn summary_text(summary: &Summary, today: jiff::civil::Date) -> String {
    let mut parts: Vec<String> = summary
        .services
        .iter()
        .map(|s| crate::referral::text_in(s, today, summary.french))
        .collect();
    if let Some(due) = &summary.follow_up_due {
        parts.push(if summary.french {
            format!("Nous vous rappellerons vers le {due}.\n")
        } else {
            format!("We will call you back around {due}.\n")
        })
    }
    parts.join("\n")
}

/// y / n on the resume and discard prompts.
pub fn prompt_key(state: &mut State, overlay: Overlay, key: KeyEvent) -> Update {
    let yes = matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter);
    let no = matches!(key.code, KeyCode::Char('n' | 'N') | KeyCode::Esc);
    match overlay {
        Overlay::ResumeDraft(draft, saved) => {
            if yes {
                state.basket = draft.basket;
                state.form = Some(ContactForm::from_input(&draft.input, default_due(state), draft.field));
                state.screen = Screen::Form;
                Update::redraw_only()
            } else if no {
                redraw_with(vec![Effect::DeleteDraft])
            } else {
                state.overlay = Some(Overlay::ResumeDraft(draft, saved));
                Update::default()
            }
        }
        Overlay::ConfirmDiscard => {
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                state.form = None;
                state.basket.clear();
                state.screen = Screen::Search;
                state.notice = Some("Contact discarded".into());
                redraw_with(vec![Effect::DeleteDraft])
            } else if no {
                Update::redraw_only()
            } else {
                state.overlay = Some(Overlay::ConfirmDiscard);
                Update::default()
            }
        }
        other => {
            state.overlay = Some(other);
            Update::default()
        }
    }
}
