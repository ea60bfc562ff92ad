//! Tests of configuration layering and origins.

use super::*;

fn sys() -> Origin {
    Origin::System(PathBuf::from("/etc/navigator/config.toml"))
}
fn user() -> Origin {
    Origin::User(PathBuf::from("/home/ana/.config/navigator/config.toml"))
}

#[test]
fn user_values_override_system_values_key_by_key() {
    let config = Config::from_texts(&[
        (
            sys(),
            "data_dir = \"/srv/navigator\"\n[followups]\ndefault_days = 10\nlease_minutes = 20\n[keys]\nquit = \"ctrl-q\"\n",
        ),
        (user(), "[followups]\ndefault_days = 3\n[keys]\nhelp = \"f12\"\n"),
    ])
    .unwrap();
    assert_eq!(config.followup_default_days().unwrap(), 3);
    assert_eq!(config.origin("followups.default_days"), user());
    // The rest of the system's [followups] table stays.
    assert_eq!(
        config.get("followups.lease_minutes").and_then(|v| v.as_integer()),
        Some(20)
    );
    assert_eq!(config.origin("followups.lease_minutes"), sys());
    // [keys] merges per action.
    let keymap = config.keymap().unwrap();
    use crate::tui::keymap::Action;
    assert_eq!(keymap.hint(Action::Quit), "^Q");
    assert_eq!(keymap.hint(Action::Help), "F12");
    let (dir, origin) = config.data_dir().unwrap().unwrap();
    assert_eq!(dir, PathBuf::from("/srv/navigator"));
    assert_eq!(origin, sys());
    assert_eq!(config.origin("retention.personal_data_days"), Origin::Default);
}

#[test]
fn a_key_bound_twice_in_one_context_names_the_file_and_both_actions() {
    let config = Config::from_texts(&[(user(), "[keys]\nquit = \"ctrl-s\"\n")]).unwrap();
    let e = config.keymap().unwrap_err();
    assert!(
        e.message
            .starts_with("/home/ana/.config/navigator/config.toml: [keys] quit"),
        "{}",
        e.message
    );
    assert!(e.message.contains("quit and save in the contact form"), "{}", e.message);
    // Two layers can conflict only together: the merged keymap names the user's file.
    let config =
        Config::from_texts(&[(sys(), "[keys]\nsave = \"f5\"\n"), (user(), "[keys]\nhelp = \"f5\"\n")]).unwrap();
    let e = config.keymap().unwrap_err();
    assert!(
        e.message.contains("help") && e.message.contains("save"),
        "{}",
        e.message
    );
    // The keymap style is checked too.
    let config = Config::from_texts(&[(user(), "[tui]\nkeymap = \"emacs\"\n")]).unwrap();
    let e = config.keymap().unwrap_err();
    assert!(
        e.message.contains("[tui] keymap") && e.message.contains("modal"),
        "{}",
        e.message
    );
    let config = Config::from_texts(&[(user(), "[tui]\nkeymap = \"modal\"\n")]).unwrap();
    assert_eq!(config.keymap().unwrap().style, crate::tui::keymap::Style::Modal);
}

#[test]
fn a_relative_data_dir_is_taken_from_its_files_folder() {
    let config = Config::from_texts(&[(sys(), "data_dir = \"shared\"")]).unwrap();
    let (dir, _) = config.data_dir().unwrap().unwrap();
    assert_eq!(dir, PathBuf::from("/etc/navigator/shared"));
}

#[test]
fn bad_values_name_the_file_they_came_from() {
    let config = Config::from_texts(&[(sys(), "[retention]\npersonal_data_days = -4\n")]).unwrap();
    let e = config.retention_days().unwrap_err();
    assert!(
        e.message.starts_with("/etc/navigator/config.toml: [retention]"),
        "{}",
        e.message
    );
    let config = Config::from_texts(&[
        (sys(), "[followups]\ndefault_days = 7"),
        (user(), "[followups]\ndefault_days = 900"),
    ])
    .unwrap();
    let e = config.followup_default_days().unwrap_err();
    assert!(
        e.message.contains("/home/ana/.config/navigator/config.toml"),
        "{}",
        e.message
    );
}

#[test]
fn personal_data_readers_default_to_nobody() {
    let none = Config::from_texts(&[]).unwrap();
    assert!(none.personal_data_readers().unwrap().is_empty());
    let config = Config::from_texts(&[
        (sys(), "[privacy]\npersonal_data_readers = [\"root\"]\n"),
        (user(), "[privacy]\npersonal_data_readers = [\" alice \", \"bob\"]\n"),
    ])
    .unwrap();
    assert_eq!(config.personal_data_readers().unwrap(), ["alice", "bob"]);
    let blank = Config::from_texts(&[(user(), "[privacy]\npersonal_data_readers = [\"\"]\n")]).unwrap();
    assert!(blank.personal_data_readers().unwrap_err().message.contains("[privacy]"));
    let wrong = Config::from_texts(&[(user(), "[privacy]\npersonal_data_readers = \"alice\"\n")]).unwrap();
    assert!(wrong.personal_data_readers().is_err());
}

#[test]
fn confidential_readers_come_from_the_system_file_only() {
    assert!(Config::from_texts(&[])
        .unwrap()
        .confidential_readers()
        .unwrap()
        .is_empty());
    let config = Config::from_texts(&[
        (sys(), "[privacy]\nconfidential_readers = [\" ana \"]\n"),
        (user(), "[privacy]\nconfidential_readers = [\"mallory\"]\n"),
    ])
    .unwrap();
    assert_eq!(config.confidential_readers().unwrap(), ["ana"]);
    let only_user = Config::from_texts(&[(user(), "[privacy]\nconfidential_readers = [\"mallory\"]\n")]).unwrap();
    assert!(only_user.confidential_readers().unwrap().is_empty());
    let blank = Config::from_texts(&[(sys(), "[privacy]\nconfidential_readers = [\"\"]\n")]).unwrap();
    assert!(blank
        .confidential_readers()
        .unwrap_err()
        .message
        .contains("confidential_readers"));
}

#[test]
fn effective_lists_defaults_and_origins() {
    let config = Config::from_texts(&[(user(), "[retention]\npersonal_data_days = 90\n")]).unwrap();
    let shown = config.effective(&(PathBuf::from("/data"), Origin::Flag("--data-dir")));
    let get = |k: &str| shown.iter().find(|s| s.key == k).unwrap().clone();
    assert_eq!(get("data_dir").source, "flag");
    assert_eq!(get("retention.personal_data_days").value, 90);
    assert_eq!(get("retention.personal_data_days").source, "user");
    assert_eq!(get("followups.default_days").source, "default");
    assert_eq!(get("keys.quit").source, "default");
}

#[test]
fn details_delay_defaults_to_300_ms_and_bad_values_name_the_file() {
    let none = Config::from_texts(&[]).unwrap();
    assert_eq!(none.details_delay().unwrap(), std::time::Duration::from_millis(300));
    let off = Config::from_texts(&[(user(), "[tui]\ndetails_delay_ms = 0\n")]).unwrap();
    assert_eq!(off.details_delay().unwrap(), std::time::Duration::ZERO);
    for bad in ["-1", "5001"] {
        let config = Config::from_texts(&[(user(), &format!("[tui]\ndetails_delay_ms = {bad}\n"))]).unwrap();
        let message = config.details_delay().unwrap_err().to_string();
        assert!(
            message.contains(".config/navigator/config.toml") && message.contains("[tui] details_delay_ms"),
            "{message}"
        );
    }
}
