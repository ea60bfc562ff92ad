//! The casework half of `update`: the referral basket, the contact form, the summary
//! after saving, and the resume/discard prompts. Pure like the rest of `update`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::form::keys::{self, FormAction};
use super::form::{ContactForm, Draft, Field};
use super::keymap::{Action, Context};
use super::state::{Overlay, Screen, State, Summary};
use super::update::{Effect, Update};
use crate::casework::{validate_with, Rules};

fn redraw_with(effects: Vec<Effect>) -> Update {
    Update { effects, redraw: true }
}

/// The draft of the current form and basket, as the store keeps it.
fn draft(state: &mut State) -> Effect {
    state.draft_saved = true;
    let now = state.now;
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
    let untouched = state.form.as_ref().is_none_or(|f| !f.touched);
    let effect = if state.basket.is_empty() && untouched {
        delete_draft(state)
    } else {
        draft(state)
    };
    redraw_with(vec![effect])
}

fn delete_draft(state: &mut State) -> Effect {
    state.draft_saved = false;
    Effect::DeleteDraft
}

/// Ctrl-R: open the form (a new one, or the one in progress). Nothing is stored until
/// something is entered.
pub fn open_form(state: &mut State) -> Update {
    if state.form.is_none() {
        state.form = Some(ContactForm::new(default_due(state), state.now));
    }
    state.screen = Screen::Form;
    Update::redraw_only()
}

/// What the form checks against, from the state.
fn rules(state: &State) -> Rules {
    Rules {
        country: state.country,
        places: (!state.places.is_empty()).then(|| state.places.clone()),
    }
}

pub fn form_key(state: &mut State, key: KeyEvent) -> Update {
    let env = keys::Env {
        places: &state.places,
        country: state.country,
        today: state.today,
    };
    let Some(form) = state.form.as_mut() else {
        state.screen = Screen::Search;
        return Update::redraw_only();
    };
    let outcome = keys::handle(form, key, &state.keymap, state.basket.len(), &env);
    if outcome.changed {
        form.touched = true;
    }
    let touched = form.touched;
    let mut effects = Vec::new();
    match outcome.action {
        Some(FormAction::Save) => return save(state),
        Some(FormAction::BackToSearch) => {
            state.screen = Screen::Search;
            // Opened and left without entering anything: no contact, no draft.
            if !touched && state.basket.is_empty() {
                state.form = None;
                if state.draft_saved {
                    effects.push(delete_draft(state));
                }
            }
        }
        Some(FormAction::AskDiscard) => state.overlay = Some(Overlay::ConfirmDiscard),
        Some(FormAction::RemoveReferral(i)) if i < state.basket.len() => {
            state.basket.remove(i);
        }
        Some(FormAction::Quit) => return super::update::request_quit(state),
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
    // Services near the caller's municipality first, when it is one the catalogue places.
    let municipality = form.municipality.value().trim();
    if state.centres.contains_key(&navigator_index::text::fold(municipality)) {
        request.near = Some(navigator_index::Near::Place(municipality.to_string()));
    }
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
    let now = state.now;
    let today = state.today;
    let rules = rules(state);
    let env = keys::Env {
        places: &state.places,
        country: state.country,
        today,
    };
    let Some(form) = state.form.as_mut() else {
        return Update::default();
    };
    for field in form.fields() {
        keys::check(form, field, &env);
    }
    let input = form.to_input(&state.basket, now);
    let ids: Vec<&str> = state.basket.iter().map(|s| s.id.as_str()).collect();
    let errors = validate_with(&input, today, &|id| ids.contains(&id), &rules);
    if errors.is_empty() && form.errors.is_empty() {
        state.notice = Some("Saving…".into());
        // The draft goes with the save, in one transaction: a draft some other session
        // took over is refused here rather than saved twice.
        return redraw_with(vec![Effect::SaveContact {
            input: Box::new(input),
            rules: Box::new(rules),
            consume_draft: state.draft_saved,
        }]);
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
    state.notice = Some("Database unreachable: the contact is held on this server until it is back".into());
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
        // In the caller's language when it is French or Spanish ("fr", "French",
        // "français" alike).
        language: crate::referral::Tongue::for_caller(
            state
                .form
                .as_ref()
                .and_then(|f| crate::casework::check_language(f.language.value()).ok())
                .as_deref(),
        ),
    });
    state.form = None;
    state.screen = Screen::Summary;
    // The save consumed the draft (a held save drops the held one); nothing is left to
    // delete.
    state.draft_saved = false;
    Update::redraw_only()
}

/// Another session took this one's draft over: this session stops editing it (it could
/// only make a second contact of the same call) and says so.
pub fn taken_over(state: &mut State, message: String) -> Update {
    state.draft_saved = false;
    state.draft_epoch += 1;
    state.form = None;
    state.basket.clear();
    if state.screen == Screen::Form {
        state.screen = Screen::Search;
    }
    state.notice = Some(format!("{message}; it is no longer edited here"));
    Update::redraw_only()
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

/// A paste on the form goes to its focused text field.
pub fn paste(state: &mut State, text: &str) -> Update {
    let Some(form) = state.form.as_mut() else {
        return Update::default();
    };
    let outcome = keys::paste(form, text);
    form.touched |= outcome.changed;
    let mut effects = Vec::new();
    if let Some(FormAction::SearchServices(text)) = outcome.action {
        effects.extend(search_services(state, text));
    }
    if outcome.changed {
        effects.push(draft(state));
    }
    redraw_with(effects)
}

pub fn summary_key(state: &mut State, key: KeyEvent) -> Update {
    let Some(summary) = state.summary.as_mut() else {
        state.screen = Screen::Search;
        return Update::redraw_only();
    };
    match state.keymap.resolve(&key, Context::Summary) {
        Some(Action::CopyReferral) => {
            let text = summary_text(summary, state.now);
            state.notice = Some("Sent the referral summary to the terminal's clipboard".into());
            redraw_with(vec![Effect::Copy(text)])
        }
        Some(Action::WriteFile) => {
            let lang = summary.language.code();
            let path = match summary.contact_id {
                Some(id) => format!("referral-{id}-{lang}.txt"),
                None => format!(
                    "referral-held-{}-{lang}.txt",
                    crate::clock::now().strftime("%Y%m%d-%H%M%S")
                ),
            };
            let text = summary_text(summary, state.now);
            redraw_with(vec![Effect::WriteFile { path, text }])
        }
        Some(Action::SwitchLanguage) => {
            summary.language = summary.language.next();
            Update::redraw_only()
        }
        Some(Action::Quit) => super::update::request_quit(state),
        Some(Action::Back | Action::OpenDetails) => {
            state.summary = None;
            state.screen = Screen::Search;
            Update::redraw_only()
        }
        _ => Update::default(),
    }
}

/// The summary as text, in the summary's language.
pub fn summary_text(summary: &Summary, now: jiff::Timestamp) -> String {
    let mut parts: Vec<String> = summary
        .services
        .iter()
        .map(|s| crate::referral::text_in(s, now, summary.language))
        .collect();
    if let Some(due) = &summary.follow_up_due {
        parts.push(summary.language.call_back(due));
    }
    parts.join("\n")
}

/// The answer to a yes/no prompt. Only a plain letter answers: Enter could be a Ctrl-J
/// (some terminals send both as the same byte) or a key meant for the screen behind.
fn answer(key: &KeyEvent) -> Option<bool> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    match key.code {
        KeyCode::Char('y' | 'Y') => Some(true),
        KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(false),
        _ => None,
    }
}

/// y / n on the resume, discard and quit prompts; other keys leave the prompt up.
pub fn prompt_key(state: &mut State, overlay: Overlay, key: KeyEvent) -> Update {
    let answer = answer(&key);
    match (overlay, answer) {
        (Overlay::ResumeDraft(draft, _), Some(true)) => {
            state.basket = draft.basket;
            state.form = Some(ContactForm::from_input(&draft.input, default_due(state), draft.field));
            state.screen = Screen::Form;
            // The draft becomes this session's (it was left by a session that is gone),
            // and is written again as this session's: a draft held on this server while
            // the database was unreachable is already there, and taking over replaces it.
            let take = Effect::TakeDraft(state.draft_from.take().unwrap_or_default());
            redraw_with(vec![take, self::draft(state)])
        }
        (Overlay::ResumeDraft(..), Some(false)) => {
            // Not now, never "throw it away": this prompt comes up unbidden at the start,
            // and a navigator typing "food pantry" before looking would answer it with the
            // "n". The contact stays a draft and is offered again at the next start;
            // discarding it is Ctrl-D in the resumed form, which asks.
            state.notice = Some("The unsaved contact is kept and offered again at the next start".into());
            Update::redraw_only()
        }
        (Overlay::ConfirmDiscard, Some(true)) => {
            state.form = None;
            state.basket.clear();
            state.screen = Screen::Search;
            state.notice = Some("Contact discarded".into());
            redraw_with(vec![delete_draft(state)])
        }
        (Overlay::ConfirmQuit, Some(true)) => super::update::quit_now(state),
        (Overlay::DraftElsewhere(draft, from, _), Some(true)) => {
            // Taken over explicitly: the other session is told on its next write.
            state.basket = draft.basket;
            state.form = Some(ContactForm::from_input(&draft.input, default_due(state), draft.field));
            state.screen = Screen::Form;
            state.draft_saved = true;
            state.notice = Some("You took this contact over; the other session is told".into());
            redraw_with(vec![Effect::TakeDraft(from)])
        }
        (Overlay::DraftElsewhere(..), Some(false)) => Update::redraw_only(),
        (Overlay::ConfirmQuit, None) if state.keymap.resolve(&key, Context::Menu) == Some(Action::Quit) => {
            // Quit asked twice: the navigator means it.
            super::update::quit_now(state)
        }
        (Overlay::ConfirmDiscard | Overlay::ConfirmQuit, Some(false)) => Update::redraw_only(),
        (other, _) => {
            state.overlay = Some(other);
            Update::default()
        }
    }
}
