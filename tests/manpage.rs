//! The committed man pages under man/ are exactly what the clap definitions generate.

use std::path::Path;

#[test]
fn committed_man_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = navigator::manpage::render_all();
    let how = navigator::manpage::REGENERATE;
    let mut stale = Vec::new();
    for (name, bytes) in &pages {
        match std::fs::read(dir.join(name)) {
            Ok(committed) if committed == *bytes => {}
            Ok(_) => stale.push(format!("{name} differs")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".1") && !pages.iter().any(|(n, _)| *n == name) {
            stale.push(format!("{name} is for a command that no longer exists"));
        }
    }
    assert!(
        stale.is_empty(),
        "the man pages under man/ are out of date ({}); regenerate them with `{how}` and commit them",
        stale.join(", ")
    );
}

#[test]
fn the_main_page_documents_keys_files_environment_and_exit_status() {
    let pages = navigator::manpage::render_all();
    let (name, main) = &pages[0];
    assert_eq!(name, "navigator.1");
    let main = String::from_utf8_lossy(main);
    for needle in [
        ".SH KEYS",
        ".SH FILES",
        ".SH ENVIRONMENT",
        ".SH EXIT STATUS",
        "navigator.db",
        "navigator.log",
        "/etc/navigator/config.toml",
        "synonyms.txt",
        "NAVIGATOR_DATA_DIR",
        "NAVIGATOR_CONFIG_DIR",
        "NO_COLOR",
        "NAVIGATOR_NO_PROGRESS",
    ] {
        assert!(main.contains(needle), "navigator.1 lacks {needle}");
    }
    // Every action of the keymap is there, with its default keys.
    let keymap = navigator::tui::keymap::Keymap::default();
    for action in navigator::tui::keymap::Action::ALL {
        assert!(
            main.contains(&action.name().replace('-', "\\-")),
            "{} missing",
            action.name()
        );
        for key in keymap.keys_for(*action) {
            assert!(main.contains(&key.to_string().replace('-', "\\-")), "key {key} missing");
        }
    }
    for code in ["0", "2", "64", "65", "66", "70", "74", "75"] {
        assert!(
            main.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "exit status {code} missing"
        );
    }
    assert!(pages.iter().any(|(n, _)| n == "navigator-search.1"));
    assert!(pages.iter().any(|(n, _)| n == "navigator-admin-purge.1"));
}

#[test]
fn contacts_and_followups_pages_give_the_json_with_complete_examples() {
    let pages: std::collections::HashMap<String, String> = navigator::manpage::render_all()
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
        .collect();
    let page = |name: &str| {
        pages
            .get(name)
            .unwrap_or_else(|| panic!("no page {name}"))
            .replace("\\-", "-")
    };
    let add = page("navigator-contacts-add.1");
    for needle in [
        "\"first_name\"",
        "\"unmet_reason\"",
        "\"postal_code\"",
        "prints (one line)",
    ] {
        assert!(add.contains(needle), "contacts add lacks {needle}");
    }
    let complete = page("navigator-followups-complete.1");
    for needle in ["\"satisfaction\"", "very-satisfied", "no-answer", "\"state\""] {
        assert!(complete.contains(needle), "followups complete lacks {needle}");
    }
    assert!(page("navigator-followups.1").contains("\"last_attempt\""));
}
