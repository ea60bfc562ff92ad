//! The detail pane while typing: held until typing pauses, released by any other key.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::state::{Focus, Preview, State};
use super::tests::{hit, key, results, state, type_text};
use super::update::{update, Effect, Event};

const DELAY: Duration = Duration::from_millis(300);

fn shown(s: &State) -> Option<&str> {
    s.shown_details().0.map(|h| h.service.id.as_str())
}

/// A state showing "a" (and "b") in the list, the way the app starts: not typing.
fn showing_a() -> State {
    let mut s = state();
    s.details_delay = DELAY;
    update(&mut s, results(1, vec![hit("a", "Alpha"), hit("b", "Beta")]));
    s.sent_generation = 1;
    assert_eq!(shown(&s), Some("a"));
    s
}

fn waits_for_a_pause(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::AwaitTypingPause(d) if *d == DELAY))
}

#[test]
fn typing_holds_the_detail_pane_until_typing_pauses() {
    let mut s = showing_a();
    type_text(&mut s, "f");
    let u = update(&mut s, results(2, vec![hit("c", "Gamma"), hit("d", "Delta")]));
    assert!(waits_for_a_pause(&u.effects));
    assert_eq!(s.selected_hit().map(|h| h.service.id.as_str()), Some("c"));
    assert_eq!(shown(&s), Some("a"), "the pane keeps what it showed");
    // More typing keeps holding what was shown before the typing began.
    type_text(&mut s, "o");
    let u = update(&mut s, results(3, vec![hit("e", "Epsilon")]));
    assert!(waits_for_a_pause(&u.effects));
    assert_eq!(shown(&s), Some("a"));
    let u = update(&mut s, Event::TypingPaused);
    assert!(u.redraw);
    assert_eq!(shown(&s), Some("e"));
    // A second pause changes nothing and draws nothing.
    assert!(!update(&mut s, Event::TypingPaused).redraw);
}

#[test]
fn any_other_key_shows_the_selection_at_once() {
    let mut s = showing_a();
    type_text(&mut s, "f");
    update(&mut s, results(2, vec![hit("c", "Gamma"), hit("d", "Delta")]));
    assert_eq!(shown(&s), Some("a"));
    let u = update(&mut s, key(KeyCode::Down));
    assert!(u.redraw);
    assert!(matches!(s.preview, Preview::Live));
    assert_eq!(shown(&s), Some("d"));
}

#[test]
fn results_of_a_non_typing_search_show_at_once() {
    let mut s = showing_a();
    // Esc on an empty query does nothing; Ctrl-U on a query is typing; filters are not.
    type_text(&mut s, "f");
    update(&mut s, key(KeyCode::Tab)); // focus the list: not typing
    let u = update(&mut s, results(2, vec![hit("c", "Gamma")]));
    assert!(!waits_for_a_pause(&u.effects));
    assert_eq!(shown(&s), Some("c"));
}

#[test]
fn the_full_screen_details_always_show_the_selection() {
    let mut s = showing_a();
    type_text(&mut s, "f");
    update(&mut s, results(2, vec![hit("c", "Gamma")]));
    s.focus = Focus::Details;
    assert_eq!(shown(&s), Some("c"));
}

#[test]
fn a_zero_delay_follows_every_keystroke() {
    let mut s = showing_a();
    s.details_delay = Duration::ZERO;
    type_text(&mut s, "f");
    let u = update(&mut s, results(2, vec![hit("c", "Gamma")]));
    assert!(u.effects.iter().all(|e| !matches!(e, Effect::AwaitTypingPause(_))));
    assert_eq!(shown(&s), Some("c"));
}

#[test]
fn pasting_counts_as_typing() {
    let mut s = showing_a();
    update(&mut s, Event::Paste("food bank".into()));
    let u = update(&mut s, results(2, vec![hit("c", "Gamma")]));
    assert!(waits_for_a_pause(&u.effects));
    assert_eq!(shown(&s), Some("a"));
}
