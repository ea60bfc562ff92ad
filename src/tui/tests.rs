//! Unit tests of `update`: keys in, state and effects out. No terminal involved.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use navigator_index::{Hit, SearchResults, Service};

use super::keymap::Keymap;
use super::state::{Display, Focus, Overlay, State};
use super::update::{update, Effect, Event};

pub fn hit(id: &str, name: &str) -> Hit {
    Hit {
        service: Service {
            id: id.into(),
            name: name.into(),
            ..Default::default()
        },
        score: 1.0,
        distance_km: None,
        open_now: None,
        ..Default::default()
    }
}

pub fn state() -> State {
    State::new(
        Keymap::default(),
        Display::default(),
        "test".into(),
        (80, 24),
        "2026-11-25".parse().unwrap(),
    )
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn type_text(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(s, key(KeyCode::Char(c))).effects)
        .collect()
}

pub fn results(generation: u64, hits: Vec<Hit>) -> Event {
    let total = hits.len();
    Event::Results {
        generation,
        results: Box::new(SearchResults {
            hits,
            total,
            facets: None,
            origin: None,
            ..Default::default()
        }),
    }
}

fn searched_text(effects: &[Effect]) -> Vec<(u64, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Search { generation, request } => Some((*generation, request.text.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn every_keystroke_searches_with_a_new_generation() {
    let mut s = state();
    let effects = type_text(&mut s, "food");
    assert_eq!(
        searched_text(&effects),
        [(1, "f".into()), (2, "fo".into()), (3, "foo".into()), (4, "food".into())]
    );
    let effects = update(&mut s, key(KeyCode::Backspace)).effects;
    assert_eq!(searched_text(&effects), [(5, "foo".into())]);
    // Moving the cursor changes nothing to search for.
    assert!(update(&mut s, key(KeyCode::Left)).effects.is_empty());
}

#[test]
fn stale_results_are_never_shown_after_newer_ones() {
    let mut s = state();
    type_text(&mut s, "ab");
    update(&mut s, results(2, vec![hit("new", "Newest")]));
    update(&mut s, results(1, vec![hit("old", "Older")]));
    assert_eq!(s.hits[0].service.id, "new");
    assert_eq!(s.shown_generation, 2);
}

#[test]
fn selection_moves_and_survives_a_new_result_set() {
    let mut s = state();
    type_text(&mut s, "a");
    update(
        &mut s,
        results(1, vec![hit("1", "One"), hit("2", "Two"), hit("3", "Three")]),
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, ctrl('n'));
    assert_eq!(s.selected, 2);
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.selected, 2, "stops at the end");
    type_text(&mut s, "b");
    update(&mut s, results(2, vec![hit("9", "Nine"), hit("3", "Three")]));
    assert_eq!(s.selected, 1, "the same service stays selected");
}

#[test]
fn a_selection_left_on_the_first_row_stays_on_the_best_match() {
    let mut s = state();
    type_text(&mut s, "a");
    update(&mut s, results(1, vec![hit("1", "One"), hit("2", "Two")]));
    assert_eq!(s.selected, 0);
    type_text(&mut s, "b");
    // The service that was first is now second: the selection stays on the first row.
    update(&mut s, results(2, vec![hit("9", "Nine"), hit("1", "One")]));
    assert_eq!(s.selected_hit().unwrap().service.id, "9");
}

#[test]
fn printable_keys_always_type_in_the_query_whatever_has_focus() {
    let mut s = state();
    type_text(&mut s, "jkq");
    update(&mut s, results(3, vec![hit("1", "One"), hit("2", "Two")]));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Focus::Results);
    // "rent" with the results focused: no contact form, no channel set, no quit.
    let effects = type_text(&mut s, " rent");
    assert_eq!((s.focus, s.query.value()), (Focus::Query, "jkq rent"));
    assert_eq!(s.screen, super::state::Screen::Search);
    assert!(s.form.is_none() && !s.quit && s.basket.is_empty());
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveDraft(_))));
    // From the details too, and "key largo" keeps its k.
    update(&mut s, ctrl('u'));
    update(&mut s, results(9, vec![hit("1", "One"), hit("2", "Two")]));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.focus, Focus::Details);
    type_text(&mut s, "key largo");
    assert_eq!(s.query.value(), "key largo");
}

#[test]
fn the_modal_keymap_puts_letters_on_the_list() {
    let mut s = state();
    s.keymap = Keymap::with_style(super::keymap::Style::Modal);
    type_text(&mut s, "jkq");
    assert_eq!(s.query.value(), "jkq", "letters still type in the query");
    update(&mut s, results(3, vec![hit("1", "One"), hit("2", "Two")]));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('j')));
    assert_eq!(s.selected, 1);
    update(&mut s, key(KeyCode::Char('k')));
    assert_eq!(s.selected, 0);
    // A letter that is not bound goes back to the query.
    update(&mut s, key(KeyCode::Char('x')));
    assert_eq!((s.focus, s.query.value()), (Focus::Query, "jkqx"));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('q')));
    assert!(s.quit, "nothing in the basket: q quits at once");
}

#[test]
fn quitting_with_a_basket_or_an_open_contact_asks_first() {
    let mut s = state();
    type_text(&mut s, "food");
    update(&mut s, results(1, vec![hit("1", "One")]));
    update(&mut s, ctrl(' '));
    assert_eq!(s.basket.len(), 1);
    update(&mut s, ctrl('c'));
    assert!(!s.quit);
    assert!(matches!(s.overlay, Some(Overlay::ConfirmQuit)));
    update(&mut s, key(KeyCode::Enter));
    assert!(!s.quit, "Enter (or a Ctrl-J read as Enter) does not answer");
    update(&mut s, key(KeyCode::Char('n')));
    assert!(!s.quit && s.overlay.is_none());
    update(&mut s, ctrl('c'));
    update(&mut s, key(KeyCode::Char('y')));
    assert!(s.quit);
    // Ctrl-C twice quits too.
    let mut s = state();
    update(&mut s, ctrl('r'));
    update(&mut s, ctrl('c'));
    assert!(!s.quit);
    update(&mut s, ctrl('c'));
    assert!(s.quit);
}

#[test]
fn esc_walks_back_and_never_clears_the_query() {
    let mut s = state();
    type_text(&mut s, "food");
    update(&mut s, results(4, vec![hit("1", "One")]));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.focus, Focus::Details);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.focus, Focus::Results);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.focus, Focus::Query);
    for _ in 0..3 {
        assert!(searched_text(&update(&mut s, key(KeyCode::Esc)).effects).is_empty());
    }
    assert_eq!(s.query.value(), "food");
}

#[test]
fn ctrl_u_clears_the_query_and_ctrl_z_brings_it_back() {
    let mut s = state();
    type_text(&mut s, "food bank");
    let effects = update(&mut s, ctrl('u')).effects;
    assert_eq!(s.query.value(), "");
    assert_eq!(searched_text(&effects), [(10, String::new())]);
    assert!(s.notice.as_deref().unwrap_or("").contains("^Z"), "{:?}", s.notice);
    type_text(&mut s, "rent");
    let effects = update(&mut s, ctrl('z')).effects;
    assert_eq!(s.query.value(), "food bank");
    assert_eq!(searched_text(&effects).last().unwrap().1, "food bank");
    // The query it replaced can come back in turn.
    update(&mut s, ctrl('z'));
    assert_eq!(s.query.value(), "rent");
}

#[test]
fn query_editing_keys() {
    let mut s = state();
    type_text(&mut s, "food bank");
    update(&mut s, ctrl('w'));
    assert_eq!(s.query.value(), "food ");
    update(&mut s, key(KeyCode::Home));
    type_text(&mut s, "x");
    assert_eq!(s.query.value(), "xfood ");
    update(&mut s, key(KeyCode::End));
    type_text(&mut s, "y");
    assert_eq!(s.query.value(), "xfood y");
    update(&mut s, ctrl('u'));
    assert_eq!(s.query.value(), "");
    update(&mut s, Event::Paste("rent\u{1b}[2J help\n".into()));
    assert_eq!(s.query.value(), "rent help");
    update(&mut s, ctrl('u'));
    update(&mut s, Event::Paste("food bank\nrent help".into()));
    assert_eq!(
        s.query.value(),
        "food bank rent help",
        "pasted lines are words, not bankrent"
    );
}

#[test]
fn filter_menu_toggles_a_category_and_searches() {
    let mut s = state();
    let u = update(&mut s, ctrl('f'));
    assert!(matches!(s.overlay, Some(Overlay::Filters(_))));
    match &u.effects[..] {
        [Effect::Search { request, .. }] => assert!(request.facets, "the menu's counts are asked for"),
        other => panic!("{other:?}"),
    }
    assert!(
        !type_text(&mut state(), "a")
            .iter()
            .any(|e| matches!(e, Effect::Search { request, .. } if request.facets)),
        "no counts while the menu is closed"
    );
    // Typing narrows the list; the cursor lands on the first match.
    type_text(&mut s, "housing");
    let effects = update(&mut s, key(KeyCode::Char(' '))).effects;
    assert_eq!(s.filters.categories, ["housing"]);
    assert_eq!(searched_text(&effects).len(), 1);
    match &effects[0] {
        Effect::Search { request, .. } => assert_eq!(request.filters.categories, ["housing"]),
        other => panic!("{other:?}"),
    }
    // Ctrl-U clears the narrowing; Esc closes the menu, keeping the filters.
    update(&mut s, ctrl('u'));
    match &s.overlay {
        Some(Overlay::Filters(menu)) => assert_eq!(menu.narrow.value(), ""),
        other => panic!("{other:?}"),
    }
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    assert_eq!(s.filters.categories, ["housing"]);
    update(&mut s, ctrl('f'));
    // Clear all with one key.
    let effects = update(&mut s, ctrl('x')).effects;
    assert!(s.filters.categories.is_empty());
    assert_eq!(searched_text(&effects).len(), 1);
}

#[test]
fn filter_menu_edits_age_and_location_with_validation() {
    let mut s = state();
    update(&mut s, ctrl('f'));
    type_text(&mut s, "age");
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "16");
    let effects = update(&mut s, key(KeyCode::Enter)).effects;
    assert_eq!(s.filters.age, Some(16));
    assert_eq!(searched_text(&effects).len(), 1);
    // Ctrl-U, Ctrl-W, Home and End edit the Near field like the query: "33125" then
    // Ctrl-U then "Hialeah" is "Hialeah", not "33125Hialeah".
    update(&mut s, ctrl('u'));
    type_text(&mut s, "near");
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "33125");
    update(&mut s, ctrl('u'));
    type_text(&mut s, "Hialeah");
    update(&mut s, key(KeyCode::Home));
    type_text(&mut s, "North ");
    update(&mut s, key(KeyCode::End));
    type_text(&mut s, " x");
    update(&mut s, ctrl('w'));
    update(&mut s, Event::Paste("\n".into()));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.location.as_ref().map(|l| l.place.as_str()), Some("North Hialeah"));
    // A radius needs a place first, and says so.
    s.location = None;
    update(&mut s, ctrl('u'));
    type_text(&mut s, "within");
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "25");
    assert!(update(&mut s, key(KeyCode::Enter)).effects.is_empty());
    assert!(s.notice.as_deref().unwrap_or("").contains("place"), "{:?}", s.notice);
}

#[test]
fn copy_emits_the_referral_text() {
    let mut s = state();
    type_text(&mut s, "a");
    update(&mut s, results(1, vec![hit("1", "Alpha Food Bank")]));
    let effects = update(&mut s, ctrl('y')).effects;
    match &effects[..] {
        [Effect::Copy(text)] => assert!(text.starts_with("Alpha Food Bank\n"), "{text}"),
        other => panic!("{other:?}"),
    }
    // It cannot know whether the terminal took it: it says where it was sent.
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("Sent the referral for Alpha Food Bank to the terminal's clipboard"));
    update(&mut s, key(KeyCode::Left));
    assert!(s.notice.is_none(), "a notice lasts one key");
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut s = state();
    update(&mut s, Event::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)));
    assert!(matches!(s.overlay, Some(Overlay::Help(0))));
    update(&mut s, key(KeyCode::Down));
    assert!(matches!(s.overlay, Some(Overlay::Help(1))), "arrows scroll the help");
    update(&mut s, key(KeyCode::Char('z')));
    assert!(s.overlay.is_none());
    assert_eq!(s.query.value(), "", "the closing key is not typed");
}

#[test]
fn failures_resizes_and_signals() {
    let mut s = state();
    type_text(&mut s, "a");
    update(
        &mut s,
        Event::SearchFailed {
            generation: 1,
            message: "unknown place".into(),
        },
    );
    assert_eq!(s.error.as_deref(), Some("unknown place"));
    assert!(!s.searching());
    update(&mut s, Event::Resize(50, 10));
    assert!(s.too_small());
    update(&mut s, Event::Resize(100, 30));
    assert!(!s.too_small());
    update(&mut s, Event::Terminate);
    assert!(s.quit);
}

#[test]
fn an_unknown_place_clears_the_results_it_would_seem_to_filter() {
    let mut s = state();
    type_text(&mut s, "a");
    update(
        &mut s,
        results(1, vec![hit("svc-1", "Food Bank"), hit("svc-2", "Pantry")]),
    );
    assert_eq!(s.hits.len(), 2);
    update(
        &mut s,
        Event::SearchFailed {
            generation: 1,
            message: "unknown place \"33125\": no services with coordinates in ZIP code 33125".into(),
        },
    );
    assert!(s.hits.is_empty() && s.total == 0, "old results would look filtered");
    assert!(s.error.as_deref().unwrap().contains("33125"));
}

#[test]
fn partial_matches_and_the_home_area_reach_the_state() {
    let mut s = state();
    type_text(&mut s, "a");
    let mut partial = hit("svc-1", "Food Bank");
    partial.partial = true;
    update(
        &mut s,
        Event::Results {
            generation: 1,
            results: Box::new(SearchResults {
                hits: vec![partial],
                total: 1,
                partial: true,
                home: true,
                origin: Some((
                    navigator_index::geo::Point { lat: 46.5, lon: -81.0 },
                    Some("Sudbury".into()),
                )),
                ..Default::default()
            }),
        },
    );
    assert!(s.partial);
    assert_eq!(s.home_name.as_deref(), Some("Sudbury"));
    assert_eq!(s.origin_name, None, "the home area is not a filter the navigator set");
    update(
        &mut s,
        Event::Results {
            generation: 2,
            results: Box::new(SearchResults {
                unknown_home: Some("Atlantis".into()),
                ..Default::default()
            }),
        },
    );
    assert!(s.error.as_deref().unwrap().contains("[search] home"), "{:?}", s.error);
}

#[test]
fn page_down_scrolls_the_list_to_keep_the_selection_visible() {
    let mut s = state();
    type_text(&mut s, "a");
    update(&mut s, results(1, (0..50).map(|i| hit(&i.to_string(), "S")).collect()));
    let rows = s.list_rows();
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.selected, rows);
    assert!(s.scroll > 0 && s.selected < s.scroll + rows);
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!((s.selected, s.scroll), (0, 0));
}

#[test]
fn program_sites_arrive_after_the_results_and_redraw_only_the_shown_row() {
    let mut s = state();
    type_text(&mut s, "a");
    let generation = s.sent_generation;
    let mut first = hit("svc-1", "Food Bank");
    first.locations = 3;
    let mut second = hit("svc-2", "Food Pantry");
    second.locations = 2;
    update(
        &mut s,
        Event::Results {
            generation,
            results: Box::new(SearchResults {
                hits: vec![first, second],
                total: 5,
                ..Default::default()
            }),
        },
    );
    let site = |id: &str| navigator_index::Site {
        id: id.into(),
        ..Default::default()
    };
    // Another row's sites: kept for when it is selected, nothing on screen changes.
    let u = update(
        &mut s,
        Event::Sites {
            generation,
            sites: vec![("svc-2".into(), vec![site("svc-2b")])],
        },
    );
    assert!(!u.redraw);
    assert_eq!(s.hits[1].sites, vec![site("svc-2b")]);
    // The selected row's: its details list them.
    let u = update(
        &mut s,
        Event::Sites {
            generation,
            sites: vec![("svc-1".into(), vec![site("svc-1b"), site("svc-1c")])],
        },
    );
    assert!(u.redraw);
    assert_eq!(s.hits[0].sites.len(), 2);
    // Sites of an older search are dropped.
    let u = update(
        &mut s,
        Event::Sites {
            generation: generation - 1,
            sites: vec![("svc-1".into(), Vec::new())],
        },
    );
    assert!(!u.redraw);
    assert_eq!(s.hits[0].sites.len(), 2);
}

#[test]
fn a_count_the_search_stopped_at_is_shown_as_at_least() {
    let mut s = state();
    type_text(&mut s, "s");
    let results = |lower_bound: bool| SearchResults {
        hits: vec![hit("svc-1", "Food Bank")],
        total: 20_000,
        total_is_lower_bound: lower_bound,
        ..Default::default()
    };
    update(
        &mut s,
        Event::Results {
            generation: 1,
            results: Box::new(results(true)),
        },
    );
    assert!(s.total_is_lower_bound);
    let screen = super::queue_tests::screen(&s);
    assert!(screen.contains("1/20,000+"), "{screen}");
    type_text(&mut s, "h");
    update(
        &mut s,
        Event::Results {
            generation: 2,
            results: Box::new(results(false)),
        },
    );
    let screen = super::queue_tests::screen(&s);
    assert!(screen.contains("1/20,000") && !screen.contains("20,000+"), "{screen}");
}

#[test]
fn a_prompt_with_a_long_question_still_shows_its_answer_keys() {
    let mut s = state();
    let draft = super::form::Draft {
        input: Default::default(),
        basket: vec![Service::default(), Service::default()],
        field: super::form::Field::Channel,
    };
    s.overlay = Some(Overlay::DraftElsewhere(
        Box::new(draft),
        "session".into(),
        "since 18:10, pts/0".into(),
    ));
    let screen = super::queue_tests::screen(&s);
    assert!(screen.contains("Take it over here?"), "{screen}");
    assert!(screen.contains("y take it over   n leave it there"), "{screen}");
}
