use super::*;

fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn plain(c: char) -> KeyEvent {
    ev(KeyCode::Char(c), KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    ev(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn overrides(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect()))
        .collect()
}

#[test]
fn no_printable_key_runs_a_command_where_a_navigator_types() {
    let map = Keymap::default();
    for context in [Context::Search, Context::Form, Context::FollowUp, Context::Menu] {
        for c in (' '..='~').chain("éàçñ".chars()) {
            assert_eq!(map.resolve(&plain(c), context), None, "{c:?} {context:?}");
            let shifted = ev(KeyCode::Char(c), KeyModifiers::SHIFT);
            assert_eq!(map.resolve(&shifted, context), None, "shift {c:?} {context:?}");
        }
    }
    // The default keymap has no separate list context: the search screen is one context.
    for c in ['j', 'k', 'q', 'r', 'g', '?', '/', ' '] {
        assert_eq!(map.resolve(&plain(c), Context::List), None, "{c:?}");
    }
}

#[test]
fn commands_sit_on_keys_a_typist_cannot_hit_by_accident() {
    let map = Keymap::default();
    let search = Context::Search;
    assert_eq!(
        map.resolve(&ev(KeyCode::Down, KeyModifiers::NONE), search),
        Some(Action::SelectNext)
    );
    assert_eq!(map.resolve(&ctrl('n'), search), Some(Action::SelectNext));
    assert_eq!(map.resolve(&ctrl(' '), search), Some(Action::ToggleMark));
    assert_eq!(
        map.resolve(&ev(KeyCode::Insert, KeyModifiers::NONE), search),
        Some(Action::ToggleMark)
    );
    assert_eq!(map.resolve(&ctrl('r'), search), Some(Action::OpenForm));
    assert_eq!(map.resolve(&ctrl('u'), search), Some(Action::ClearQuery));
    assert_eq!(map.resolve(&ctrl('z'), search), Some(Action::RestoreQuery));
    assert_eq!(
        map.resolve(&ev(KeyCode::F(2), KeyModifiers::NONE), search),
        Some(Action::OpenQueue)
    );
    assert_eq!(map.resolve(&ctrl('c'), Context::Form), Some(Action::Quit));
    assert_eq!(map.resolve(&ctrl('s'), Context::Form), Some(Action::Save));
    assert_eq!(map.resolve(&ctrl('d'), Context::Form), Some(Action::DiscardContact));
    assert_eq!(map.resolve(&ctrl('d'), Context::FollowUp), Some(Action::CancelFollowup));
    assert_eq!(map.resolve(&ctrl('w'), Context::Menu), Some(Action::DeleteWord));
    // Screens without typing keep their letters.
    assert_eq!(map.resolve(&plain('m'), Context::Queue), Some(Action::ToggleMine));
    assert_eq!(map.resolve(&plain('w'), Context::Summary), Some(Action::WriteFile));
    assert_eq!(
        map.conflict(),
        None,
        "the defaults never bind one key twice in a context"
    );
}

#[test]
fn the_modal_keymap_adds_letters_to_the_results_only() {
    let map = Keymap::with_style(Style::Modal);
    assert_eq!(map.resolve(&plain('j'), Context::List), Some(Action::SelectNext));
    assert_eq!(map.resolve(&plain('q'), Context::List), Some(Action::Quit));
    assert_eq!(map.resolve(&plain(' '), Context::List), Some(Action::ToggleMark));
    assert_eq!(
        map.resolve(&plain('j'), Context::Search),
        None,
        "j is text in the query"
    );
    assert_eq!(map.resolve(&plain('q'), Context::Form), None);
    assert_eq!(map.conflict(), None);
    assert_eq!(Style::parse("modal"), Some(Style::Modal));
    assert_eq!(Style::parse("default"), Some(Style::Typing));
    assert_eq!(Style::parse("emacs"), None);
}

#[test]
fn overrides_replace_an_actions_keys() {
    let o = overrides(&[("select-next", &["ctrl-j"]), ("quit", &["ctrl-q"])]);
    let map = Keymap::with_overrides(Style::Typing, &o).unwrap();
    assert_eq!(map.resolve(&ctrl('j'), Context::Search), Some(Action::SelectNext));
    assert_eq!(
        map.resolve(&ev(KeyCode::Down, KeyModifiers::NONE), Context::Search),
        None,
        "defaults replaced"
    );
    assert_eq!(map.resolve(&ctrl('q'), Context::Search), Some(Action::Quit));
    assert_eq!(map.resolve(&ctrl('c'), Context::Search), None);
    assert_eq!(map.hint(Action::SelectNext), "^J");
}

#[test]
fn a_key_bound_to_two_actions_in_one_context_names_both() {
    let err = Keymap::with_overrides(Style::Typing, &overrides(&[("quit", &["ctrl-s"])]))
        .unwrap_err()
        .0;
    assert!(
        err.contains("[keys] quit") && err.contains("Ctrl-S") && err.contains("quit") && err.contains("save"),
        "{err}"
    );
    assert!(err.contains("contact form"), "{err}");
    // Moving save away as well makes it fine.
    let fine = overrides(&[("quit", &["ctrl-s"]), ("save", &["f10"])]);
    let map = Keymap::with_overrides(Style::Typing, &fine).unwrap();
    assert_eq!(map.resolve(&ctrl('s'), Context::Form), Some(Action::Quit));
    // Keys shared by actions of different screens are fine (Ctrl-D discards a contact in
    // the form and cancels a follow-up on a call).
    assert_eq!(map.conflict(), None);
}

#[test]
fn a_printable_key_cannot_be_bound_where_it_is_text() {
    let err = Keymap::with_overrides(Style::Typing, &overrides(&[("save", &["s"])]))
        .unwrap_err()
        .0;
    assert!(err.contains("[keys] save") && err.contains("is text"), "{err}");
    // On the queue a letter is fine.
    let map = Keymap::with_overrides(Style::Typing, &overrides(&[("mine-only", &["x"])])).unwrap();
    assert_eq!(map.resolve(&plain('x'), Context::Queue), Some(Action::ToggleMine));
    // In the modal keymap a letter can go to the results, unless a modal letter has it.
    let err = Keymap::with_overrides(Style::Modal, &overrides(&[("copy-referral", &["ctrl-y", "j"])]))
        .unwrap_err()
        .0;
    assert!(err.contains("copy-referral") && err.contains("select-next"), "{err}");
}

#[test]
fn bad_config_names_the_action_and_key() {
    let err = Keymap::with_overrides(Style::Typing, &overrides(&[("select-next", &["ctrl-banana"])]))
        .unwrap_err()
        .0;
    assert!(
        err.contains("[keys] select-next") && err.contains("ctrl-banana"),
        "{err}"
    );
    let err = Keymap::with_overrides(Style::Typing, &overrides(&[("fly-away", &["x"])]))
        .unwrap_err()
        .0;
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
        ("ctrl-space", "Ctrl-Space"),
        ("insert", "Insert"),
    ] {
        assert_eq!(Key::parse(text).unwrap().to_string(), shown);
    }
    assert_eq!(Key::parse("ctrl-f").unwrap().short(), "^F");
    assert_eq!(Key::parse("ctrl-space").unwrap().short(), "^Space");
    assert_eq!(Key::parse("down").unwrap().short(), "Down");
}
