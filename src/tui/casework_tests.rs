//! Unit tests of the basket, the contact form, the summary and drafts: keys in, effects out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use navigator_index::{Phone, SearchResults};

use super::form::{Draft, Field};
use super::state::{Focus, Overlay, Screen, State};
use super::tests::{hit, results, state};
use super::update::{update, Effect, Event};

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(s, key(KeyCode::Char(c))).effects)
        .collect()
}

fn drafts(effects: &[Effect]) -> Vec<Draft> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveDraft(body) => Some(serde_json::from_str(body).unwrap()),
            _ => None,
        })
        .collect()
}

/// A state with two results, the list focused.
fn with_results() -> State {
    let mut s = state();
    typed(&mut s, "a");
    let mut first = hit("svc-1", "Food Bank");
    first.service.phones.push(Phone {
        number: "705-555-0142".into(),
        ..Default::default()
    });
    let results = SearchResults {
        hits: vec![first, hit("svc-2", "Shelter")],
        total: 2,
        facets: None,
        origin: None,
        ..Default::default()
    };
    update(
        &mut s,
        Event::Results {
            generation: 1,
            results: Box::new(results),
        },
    );
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Focus::Results);
    s
}

#[test]
fn ctrl_space_marks_services_into_a_basket_that_survives_searches() {
    let mut s = with_results();
    let effects = update(&mut s, ctrl(' ')).effects;
    assert_eq!(s.basket.len(), 1);
    assert_eq!(
        drafts(&effects)[0].basket[0].id,
        "svc-1",
        "the basket is part of the draft"
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Insert));
    assert_eq!(s.basket.len(), 2);
    update(&mut s, ctrl(' '));
    assert_eq!(s.basket.len(), 1, "marking again unmarks");
    typed(&mut s, "other");
    update(
        &mut s,
        Event::Results {
            generation: 7,
            results: Box::new(SearchResults {
                hits: vec![],
                total: 0,
                facets: None,
                origin: None,
                ..Default::default()
            }),
        },
    );
    assert_eq!(s.basket.len(), 1);
    assert_eq!(s.query.value(), "aother");
}

#[test]
fn the_form_validates_as_fields_are_left_and_saves_only_when_valid() {
    let mut s = with_results();
    update(&mut s, ctrl(' '));
    update(&mut s, ctrl('r'));
    assert_eq!(s.screen, Screen::Form);
    // Channel: a first letter picks it.
    let effects = typed(&mut s, "c");
    assert_eq!(drafts(&effects)[0].input.channel, "chat");
    // To the FSA field, type a bad value, leave it: the error shows beside it.
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Tab));
    }
    assert_eq!(s.form.as_ref().unwrap().field, Field::Fsa);
    typed(&mut s, "123");
    update(&mut s, key(KeyCode::Tab));
    assert!(s.form.as_ref().unwrap().errors.contains_key(&Field::Fsa));
    // Ctrl-S with no needs and a bad FSA: not saved, says what is missing.
    let effects = update(&mut s, ctrl('s')).effects;
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveContact { .. })));
    let notice = s.notice.clone().unwrap();
    assert!(notice.contains("Postal area") && notice.contains("Needs"), "{notice}");
    // Fix the FSA (lowercase is fine), add a need, save.
    let form = s.form.as_mut().unwrap();
    form.field = Field::Fsa;
    form.fsa = tui_input::Input::default();
    typed(&mut s, "p3a");
    update(&mut s, key(KeyCode::Tab)); // age group
    update(&mut s, key(KeyCode::Tab)); // needs
    typed(&mut s, "hous");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.form.as_ref().unwrap().needs[0].category, "housing");
    // Mark it unmet with a reason: down to the need, then Right picks a reason.
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Right));
    let need = &s.form.as_ref().unwrap().needs[0];
    assert!(!need.met && need.reason.is_some());
    let effects = update(&mut s, ctrl('s')).effects;
    let input = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveContact { input, .. } => Some(input.clone()),
            _ => None,
        })
        .expect("saved once valid");
    assert_eq!(
        input.postal_code.as_deref(),
        Some("P3A"),
        "normalized when the field was left"
    );
    assert_eq!(input.referrals, ["svc-1"]);
    assert_eq!(input.needs[0].unmet_reason.as_deref(), Some("no-service"));
}

#[test]
fn consent_reveals_personal_fields_and_checks_the_phone() {
    let mut s = with_results();
    update(&mut s, ctrl('r'));
    s.form.as_mut().unwrap().field = Field::Consent;
    typed(&mut s, "y");
    assert!(s.form.as_ref().unwrap().consent);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.form.as_ref().unwrap().field, Field::FirstName);
    typed(&mut s, "Ana");
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "555-0142");
    update(&mut s, key(KeyCode::Tab));
    let form = s.form.as_ref().unwrap();
    assert!(
        form.errors[&Field::Phone].contains("North American") || form.errors[&Field::Phone].contains("10 digits"),
        "{:?}",
        form.errors
    );
    assert_eq!(form.due.value(), "2026-12-02", "today + 7 days by default");
}

#[test]
fn saved_shows_the_summary_clears_the_form_and_the_draft() {
    let mut s = with_results();
    update(&mut s, ctrl(' '));
    update(&mut s, ctrl('r'));
    let effects = update(
        &mut s,
        Event::ContactSaved {
            id: 42,
            follow_up_due: Some("2026-12-02".into()),
        },
    )
    .effects;
    // The save consumed the draft in its own transaction: nothing left to delete.
    assert!(!effects.iter().any(|e| matches!(e, Effect::DeleteDraft)));
    assert!(!s.draft_saved);
    assert_eq!(s.screen, Screen::Summary);
    assert!(s.form.is_none() && s.basket.is_empty());
    // The call-back date leads the summary, and is said once.
    let shown = super::queue_tests::screen(&s);
    assert_eq!(shown.matches("We will call you back").count(), 1, "{shown}");
    let copy = update(&mut s, ctrl('y')).effects;
    match &copy[..] {
        [Effect::Copy(text)] => {
            assert!(text.contains("Food Bank") && text.contains("705-555-0142"), "{text}");
            assert!(text.contains("We will call you back around 2026-12-02"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, key(KeyCode::Char('l')));
    match &update(&mut s, key(KeyCode::Char('w'))).effects[..] {
        [Effect::WriteFile { path, text }] => {
            assert_eq!(path, "referral-42-fr.txt");
            assert!(text.contains("Téléphone : 705-555-0142"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, key(KeyCode::Char('l')));
    match &update(&mut s, key(KeyCode::Char('w'))).effects[..] {
        [Effect::WriteFile { path, text }] => {
            assert_eq!(path, "referral-42-es.txt");
            assert!(text.contains("Teléfono: 705-555-0142"), "{text}");
            assert!(text.contains("Le llamaremos alrededor del 2026-12-02"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.screen, Screen::Search);
}

/// A Spanish-speaking caller's summary is in Spanish from the start.
#[test]
fn the_summary_is_in_the_callers_language() {
    for (language, title, call_back) in [
        ("es", "español", "Le llamaremos"),
        ("Spanish", "español", "Le llamaremos"),
        ("fr", "français", "Nous vous rappellerons"),
        ("so", "English", "We will call you back"),
    ] {
        let mut s = with_results();
        update(&mut s, ctrl(' '));
        update(&mut s, ctrl('r'));
        s.form.as_mut().unwrap().language = tui_input::Input::new(language.into());
        update(
            &mut s,
            Event::ContactSaved {
                id: 7,
                follow_up_due: Some("2026-12-02".into()),
            },
        );
        let shown = super::queue_tests::screen(&s);
        assert!(shown.contains(&format!("({title})")), "{language}: {shown}");
        assert!(shown.contains(call_back), "{language}: {shown}");
    }
}

#[test]
fn esc_and_ctrl_r_keep_the_form_and_ctrl_d_asks_before_discarding() {
    let mut s = with_results();
    update(&mut s, ctrl(' '));
    update(&mut s, ctrl('r'));
    update(&mut s, ctrl('r'));
    assert_eq!(s.screen, Screen::Search, "back to the search, form kept");
    assert!(s.form.is_some());
    update(&mut s, ctrl('r'));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Search, "Esc never throws the form away");
    assert!(s.form.is_some() && s.overlay.is_none());
    update(&mut s, ctrl('r'));
    update(&mut s, ctrl('d'));
    assert!(matches!(s.overlay, Some(Overlay::ConfirmDiscard)));
    update(&mut s, key(KeyCode::Char('n')));
    assert!(s.form.is_some() && s.overlay.is_none());
    update(&mut s, ctrl('d'));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.form.is_some(), "only a plain y discards");
    let effects = update(&mut s, key(KeyCode::Char('y'))).effects;
    assert!(s.form.is_none() && s.basket.is_empty());
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteDraft)));
}

#[test]
fn a_draft_resumes_with_every_field_and_the_basket() {
    let mut s = with_results();
    update(&mut s, ctrl(' '));
    update(&mut s, ctrl('r'));
    typed(&mut s, "t");
    s.form.as_mut().unwrap().field = Field::Notes;
    let effects = typed(&mut s, "called twice");
    let draft = drafts(&effects).pop().unwrap();
    assert_eq!(draft.input.notes.as_deref(), Some("called twice"));
    // A new session finds the draft and resumes it.
    let mut next = state();
    next.overlay = Some(Overlay::ResumeDraft(Box::new(draft), "2026-11-25 10:00".into()));
    let effects = update(&mut next, key(KeyCode::Char('y'))).effects;
    assert!(matches!(effects.first(), Some(Effect::TakeDraft(_))), "{effects:?}");
    // Then written again as this session's, after the takeover.
    assert_eq!(
        drafts(&effects).pop().unwrap().input.notes.as_deref(),
        Some("called twice")
    );
    assert!(next.draft_saved);
    assert_eq!(next.screen, Screen::Form);
    let form = next.form.as_ref().unwrap();
    assert_eq!((form.notes.value(), form.channel), ("called twice", 3));
    assert_eq!(form.field, Field::Notes);
    assert_eq!(next.basket[0].id, "svc-1");
}

#[test]
fn typing_ahead_at_the_resume_prompt_never_throws_the_draft_away() {
    let mut s = with_results();
    update(&mut s, ctrl('r'));
    let draft = drafts(&typed(&mut s, "t")).pop().unwrap();
    let mut next = state();
    next.overlay = Some(Overlay::ResumeDraft(Box::new(draft), "2026-11-25 10:00".into()));
    // A navigator types a query before looking: its letters up to the "n" are swallowed
    // by the prompt, and the "n" only puts the draft off.
    let effects: Vec<Effect> = "food pan"
        .chars()
        .flat_map(|c| update(&mut next, key(KeyCode::Char(c))).effects)
        .collect();
    assert!(next.overlay.is_none());
    assert!(!effects.iter().any(|e| matches!(e, Effect::DeleteDraft)), "{effects:?}");
    assert!(next.notice.as_deref().unwrap().contains("kept"), "{:?}", next.notice);
    assert!(next.form.is_none());
}

fn searches(effects: &[Effect]) -> Vec<(u64, String, usize)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Search { generation, request } => Some((*generation, request.text.clone(), request.limit)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_service_is_searched_for_and_added_without_leaving_the_form() {
    let mut s = with_results();
    update(&mut s, ctrl(' ')); // svc-1 in the basket
    update(&mut s, ctrl('r'));
    s.form.as_mut().unwrap().field = Field::Referrals;
    let sent = searches(&typed(&mut s, "shel"));
    assert_eq!(sent.len(), 4, "a search a key: {sent:?}");
    let (newest, text, limit) = sent.last().unwrap().clone();
    assert_eq!((text.as_str(), limit), ("shel", 5));
    // An older answer is dropped; the newest goes to the form, never to the result list.
    let list: Vec<String> = s.hits.iter().map(|h| h.service.id.clone()).collect();
    assert!(!update(&mut s, results(sent[2].0, vec![hit("old", "Old")])).redraw);
    assert!(s.form.as_ref().unwrap().add_results.is_empty());
    let u = update(
        &mut s,
        results(
            newest,
            vec![hit("svc-7", "Youth Shelter"), hit("svc-8", "Family Shelter")],
        ),
    );
    assert!(u.redraw);
    assert_eq!(s.form.as_ref().unwrap().add_results.len(), 2);
    assert_eq!(s.hits.iter().map(|h| h.service.id.clone()).collect::<Vec<_>>(), list);
    // Down highlights the second, Enter adds it, and the draft has it.
    update(&mut s, key(KeyCode::Down));
    let effects = update(&mut s, key(KeyCode::Enter)).effects;
    let ids: Vec<&str> = s.basket.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["svc-1", "svc-8"]);
    assert_eq!(drafts(&effects)[0].basket.len(), 2);
    let form = s.form.as_ref().unwrap();
    assert!(form.add_query.value().is_empty() && form.add_results.is_empty());
    assert_eq!((s.screen, form.field), (Screen::Form, Field::Referrals));
    // Esc with a search typed clears the search, not the form.
    typed(&mut s, "x");
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    assert!(s.form.as_ref().unwrap().add_query.value().is_empty());
    // With nothing typed, Backspace still takes the highlighted service out.
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.basket.len(), 1);
}

#[test]
fn a_held_contact_frees_the_form_and_is_numbered_when_it_reaches_the_database() {
    let mut s = with_results();
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Char('r')));
    let link = super::state::Link {
        down_since: Some("14:02".into()),
        held: 1,
    };
    assert!(update(&mut s, Event::Link(link.clone())).redraw);
    assert!(
        !update(&mut s, Event::Link(link)).redraw,
        "the same link again draws nothing"
    );
    let effects = update(
        &mut s,
        Event::ContactHeld {
            key: "k-1".into(),
            follow_up_due: None,
        },
    )
    .effects;
    // The draft goes with the held save (which carries the contact), the form is free for
    // the next call, and the summary is there to read out, without a number yet.
    assert!(!s.draft_saved);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveDraft(..))));
    assert!(s.form.is_none() && s.basket.is_empty());
    assert_eq!(s.screen, Screen::Summary);
    let summary = s.summary.as_ref().unwrap();
    assert_eq!((summary.contact_id, summary.held.as_deref()), (None, Some("k-1")));
    assert!(s.notice.as_deref().unwrap().contains("held on this server"));
    // Another held save reaching the database leaves this summary alone; its own numbers it.
    update(
        &mut s,
        Event::HeldSaved {
            key: "k-0".into(),
            contact_id: Some(6),
            message: "Held contact saved as 6".into(),
        },
    );
    assert_eq!(s.summary.as_ref().unwrap().contact_id, None);
    update(
        &mut s,
        Event::HeldSaved {
            key: "k-1".into(),
            contact_id: Some(7),
            message: "Held contact saved as 7".into(),
        },
    );
    let summary = s.summary.as_ref().unwrap();
    assert_eq!((summary.contact_id, summary.held.as_deref()), (Some(7), None));
    assert_eq!(s.notice.as_deref(), Some("Held contact saved as 7"));
}

#[test]
fn a_swapped_catalogue_is_searched_again_with_the_same_query() {
    let mut s = with_results();
    let before = s.sent_generation;
    let u = update(&mut s, Event::CatalogueChanged(1234));
    assert!(u.redraw);
    match &u.effects[..] {
        [Effect::Search { generation, request }] => {
            assert!(*generation > before);
            assert_eq!(request.text, "a");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((s.services, s.source.as_str()), (1234, "catalogue of 1,234"));
}

fn env_state() -> State {
    let mut s = with_results();
    s.places = vec!["Sudbury".into(), "Sudbury East".into(), "Timmins".into()];
    s.centres.insert(
        "sudbury".into(),
        navigator_index::geo::Point::new(46.49, -80.99).unwrap(),
    );
    s
}

#[test]
fn opening_and_leaving_the_form_without_typing_leaves_no_draft() {
    let mut s = env_state();
    let effects: Vec<Effect> = [ctrl('r'), ctrl('r'), ctrl('r'), key(KeyCode::Esc)]
        .into_iter()
        .flat_map(|e| update(&mut s, e).effects)
        .collect();
    assert!(drafts(&effects).is_empty(), "no draft: {effects:?}");
    assert!(s.form.is_none(), "an untouched form is not kept");
    // Once something is entered, the form stays behind the search and says so.
    update(&mut s, ctrl('r'));
    assert!(!drafts(&typed(&mut s, "c")).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.form.is_some() && s.screen == Screen::Search);
}

#[test]
fn municipality_and_language_complete_or_refuse_never_keep_what_was_typed() {
    let mut s = env_state();
    update(&mut s, ctrl('r'));
    update(&mut s, key(KeyCode::Tab)); // language
    typed(&mut s, "klingon");
    update(&mut s, key(KeyCode::Tab));
    let form = s.form.as_ref().unwrap();
    assert_eq!(form.field, Field::Language, "refused: the cursor stays");
    assert!(form.errors[&Field::Language].contains("language from the list"));
    update(&mut s, ctrl('u'));
    typed(&mut s, "som");
    update(&mut s, key(KeyCode::Tab));
    let form = s.form.as_ref().unwrap();
    assert_eq!((form.language.value(), form.field), ("Somali", Field::Municipality));
    // "Sud" completes to the highlighted suggestion; Down picks the next one.
    typed(&mut s, "sud");
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Tab));
    let form = s.form.as_ref().unwrap();
    assert_eq!((form.municipality.value(), form.field), ("Sudbury East", Field::Fsa));
    // A place the catalogue does not know: only "Other / outside the area" is offered.
    update(&mut s, Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    update(&mut s, ctrl('u'));
    typed(&mut s, "Hialeah");
    update(&mut s, key(KeyCode::Tab));
    let form = s.form.as_ref().unwrap();
    assert_eq!(form.municipality.value(), crate::casework::OTHER_MUNICIPALITY);
}

#[test]
fn enter_on_an_empty_needs_picker_adds_nothing() {
    let mut s = env_state();
    update(&mut s, ctrl('r'));
    s.form.as_mut().unwrap().field = Field::Needs;
    update(&mut s, key(KeyCode::Enter));
    let form = s.form.as_ref().unwrap();
    assert!(form.needs.is_empty(), "{:?}", form.needs);
    assert_eq!(form.field, Field::Referrals, "Enter went on to the next field");
}

#[test]
fn the_needs_picker_knows_the_callers_own_words() {
    let mut s = env_state();
    update(&mut s, ctrl('r'));
    s.form.as_mut().unwrap().field = Field::Needs;
    // No category is called "rent" or "pantry"; they are housing and food.
    typed(&mut s, "rent");
    assert_eq!(s.form.as_ref().unwrap().category_matches().first(), Some(&"housing"));
    update(&mut s, key(KeyCode::Enter));
    s.form.as_mut().unwrap().field = Field::Needs;
    typed(&mut s, "pantry");
    update(&mut s, key(KeyCode::Enter));
    let needs: Vec<&str> = s.form.as_ref().unwrap().needs.iter().map(|n| n.category).collect();
    assert_eq!(needs, ["housing", "food"]);
    // A category's own name still comes first.
    s.form.as_mut().unwrap().field = Field::Needs;
    update(&mut s, ctrl('u'));
    typed(&mut s, "health");
    assert_eq!(s.form.as_ref().unwrap().category_matches().first(), Some(&"health"));
}

#[test]
fn a_us_office_records_zip_codes() {
    let mut s = env_state();
    s.country = crate::casework::Country::UnitedStates;
    update(&mut s, ctrl('r'));
    s.form.as_mut().unwrap().field = Field::Fsa;
    typed(&mut s, "P3A");
    update(&mut s, key(KeyCode::Tab));
    assert!(s.form.as_ref().unwrap().errors[&Field::Fsa].contains("ZIP"));
    s.form.as_mut().unwrap().field = Field::Fsa;
    update(&mut s, ctrl('u'));
    typed(&mut s, "20001");
    update(&mut s, key(KeyCode::Tab));
    let form = s.form.as_mut().unwrap();
    assert!(!form.errors.contains_key(&Field::Fsa));
    form.needs.push(super::form::Need {
        category: "food",
        met: true,
        reason: None,
    });
    let effects = update(&mut s, ctrl('s')).effects;
    let (input, rules, consume) = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveContact {
                input,
                rules,
                consume_draft,
            } => Some((input.clone(), rules.clone(), *consume_draft)),
            _ => None,
        })
        .expect("saved");
    assert_eq!(input.postal_code.as_deref(), Some("20001"));
    assert_eq!(rules.country, crate::casework::Country::UnitedStates);
    assert!(consume, "the draft this session wrote goes with the save");
}

#[test]
fn the_form_searches_near_the_callers_municipality_and_a_taken_draft_stops_the_form() {
    let mut s = env_state();
    update(&mut s, ctrl('r'));
    let form = s.form.as_mut().unwrap();
    form.municipality = tui_input::Input::new("Sudbury".into());
    form.field = Field::Referrals;
    let sent = typed(&mut s, "legal");
    let near = sent.iter().rev().find_map(|e| match e {
        Effect::Search { request, .. } => Some(request.near.clone()),
        _ => None,
    });
    assert_eq!(near, Some(Some(navigator_index::Near::Place("Sudbury".into()))));
    s.draft_saved = true;
    update(
        &mut s,
        Event::DraftTakenOver("this contact was taken over by another session (pts/5, at 14:10)".into()),
    );
    assert!(s.form.is_none() && s.screen == Screen::Search && !s.draft_saved);
    assert!(s.notice.as_deref().unwrap().contains("pts/5"));
}

#[test]
fn the_needs_picker_offers_only_what_enter_will_add() {
    let mut s = state();
    update(&mut s, ctrl('r'));
    s.form.as_mut().unwrap().field = Field::Needs;
    let screen = super::queue_tests::screen;
    // Nothing typed: Enter goes on to the next field, so no category is offered.
    assert!(!screen(&s).contains("Enter adds"), "{}", screen(&s));
    typed(&mut s, "rent");
    assert!(screen(&s).contains("Enter adds: Housing and shelter"), "{}", screen(&s));
}
