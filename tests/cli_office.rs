//! Running navigator for an office: completions, layered configuration, purge and
//! retention of personal data, the audit trail, the log, and recovery from a damaged index
//! or database.

mod common;

use common::Data;
use serde_json::{json, Value};

fn add(d: &Data, body: &Value) -> Value {
    let out = d
        .nav()
        .args(["contacts", "add", "--json"])
        .write_stdin(body.to_string())
        .output()
        .unwrap();
    serde_json::from_slice(&common::succeeded(out, "contacts add")).unwrap()
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

/// A contact from long ago, with personal data and (optionally) a follow-up.
fn old_contact(first_name: &str, follow_up: bool) -> Value {
    let mut c = json!({
        "channel": "phone",
        "needs": [{"category": "food", "met": true},
                  {"category": "housing", "met": false, "unmet_reason": "waitlist"}],
        "notes": format!("{first_name} owes rent"),
        "started_at": "2020-01-15T14:00:00Z", "ended_at": "2020-01-15T14:12:00Z"
    });
    if follow_up {
        c["follow_up"] = json!({"consent": true, "due": today().to_string(), "first_name": first_name,
                                "phone": "(705) 555-0123", "best_time": "evenings"});
    }
    c
}

fn db(d: &Data) -> rusqlite::Connection {
    rusqlite::Connection::open(d.path().join("data/navigator.db")).unwrap()
}

fn close_follow_up(d: &Data, contact: i64) {
    db(d)
        .execute(
            "UPDATE followups SET state = 'completed', updated_at = '2020-02-01T00:00:00Z' WHERE contact_id = ?1",
            [contact],
        )
        .unwrap();
}

#[test]
fn completions_for_each_shell_mention_search() {
    let d = Data::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = d.ok(&["completions", shell]);
        assert!(!out.trim().is_empty(), "{shell}: empty");
        assert!(out.contains("search"), "{shell}: no search subcommand");
        assert!(out.contains("admin"), "{shell}: no admin subcommand");
    }
    let bad = d.nav().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn config_show_merges_the_system_and_user_files_and_says_where_values_came_from() {
    let d = Data::new();
    let system = d.path().join("system-config.toml");
    let from_config = d.path().join("from-config");
    std::fs::write(
        &system,
        format!(
            "data_dir = {:?}\n[followups]\ndefault_days = 10\nmax_attempts = 4\n[retention]\npersonal_data_days = 400\n[keys]\nquit = \"ctrl-q\"\n",
            from_config.display().to_string()
        ),
    )
    .unwrap();
    let user_dir = d.path().join("config");
    std::fs::create_dir_all(&user_dir).unwrap();
    let user = user_dir.join("config.toml");
    std::fs::write(
        &user,
        "[followups]\ndefault_days = 3\n[keys]\nhelp = [\"f12\", \"f1\"]\n",
    )
    .unwrap();

    // No --data-dir: the nav() helper's flag is replaced by a bare command.
    let show = |extra: &[(&str, &str)], flag: Option<&str>| -> Value {
        let mut cmd = assert_cmd::Command::cargo_bin("navigator").unwrap();
        cmd.env("NAVIGATOR_CONFIG_DIR", &user_dir)
            .env("NAVIGATOR_SYSTEM_CONFIG", &system)
            .env_remove("NAVIGATOR_DATA_DIR");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        if let Some(dir) = flag {
            cmd.args(["--data-dir", dir]);
        }
        let out = cmd.args(["config", "show", "--json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let value = |shown: &Value, key: &str| -> Value {
        shown["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["key"] == key)
            .unwrap_or_else(|| panic!("{key} not shown: {shown}"))
            .clone()
    };

    let shown = show(&[], None);
    assert_eq!(shown["files"][0]["scope"], "system");
    assert_eq!(shown["files"][0]["path"], system.display().to_string());
    assert_eq!(shown["files"][0]["exists"], true);
    assert_eq!(shown["files"][1]["scope"], "user");
    assert_eq!(shown["files"][1]["path"], user.display().to_string());

    let data_dir = value(&shown, "data_dir");
    assert_eq!(data_dir["value"], from_config.display().to_string());
    assert_eq!(data_dir["source"], "system");
    assert_eq!(data_dir["origin"], system.display().to_string());

    let days = value(&shown, "followups.default_days");
    assert_eq!(days["value"], 3, "the user's value wins");
    assert_eq!(days["source"], "user");
    assert_eq!(days["origin"], user.display().to_string());
    let attempts = value(&shown, "followups.max_attempts");
    assert_eq!(
        (attempts["value"].clone(), attempts["source"].clone()),
        (json!(4), json!("system"))
    );
    let retention = value(&shown, "retention.personal_data_days");
    assert_eq!(
        (retention["value"].clone(), retention["source"].clone()),
        (json!(400), json!("system"))
    );
    assert_eq!(value(&shown, "keys.quit")["value"], "ctrl-q");
    assert_eq!(value(&shown, "keys.help")["value"], json!(["f12", "f1"]));
    assert_eq!(value(&shown, "keys.help")["source"], "user");
    assert_eq!(value(&shown, "keys.select-next")["source"], "default");

    let env_dir = d.path().join("from-env");
    let shown = show(&[("NAVIGATOR_DATA_DIR", env_dir.to_str().unwrap())], None);
    let data_dir = value(&shown, "data_dir");
    assert_eq!(data_dir["value"], env_dir.display().to_string());
    assert_eq!(
        (data_dir["source"].clone(), data_dir["origin"].clone()),
        (json!("environment"), json!("NAVIGATOR_DATA_DIR"))
    );

    let flag_dir = d.path().join("from-flag");
    let shown = show(
        &[("NAVIGATOR_DATA_DIR", env_dir.to_str().unwrap())],
        Some(flag_dir.to_str().unwrap()),
    );
    let data_dir = value(&shown, "data_dir");
    assert_eq!(data_dir["value"], flag_dir.display().to_string());
    assert_eq!(
        (data_dir["source"].clone(), data_dir["origin"].clone()),
        (json!("flag"), json!("--data-dir"))
    );

    // The human form says the same.
    let mut cmd = assert_cmd::Command::cargo_bin("navigator").unwrap();
    let out = cmd
        .env("NAVIGATOR_CONFIG_DIR", &user_dir)
        .env("NAVIGATOR_SYSTEM_CONFIG", &system)
        .env_remove("NAVIGATOR_DATA_DIR")
        .args(["config", "show"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("(user: {})", user.display())), "{text}");
    assert!(text.contains(&format!("(system: {})", system.display())), "{text}");

    // And commands use the configured data directory when nothing else names one.
    let mut cmd = assert_cmd::Command::cargo_bin("navigator").unwrap();
    let out = cmd
        .env("NAVIGATOR_CONFIG_DIR", &user_dir)
        .env("NAVIGATOR_SYSTEM_CONFIG", &system)
        .env("NAVIGATOR_NO_PROGRESS", "1")
        .env_remove("NAVIGATOR_DATA_DIR")
        .args(["contacts", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(from_config.join("navigator.db").exists());
}

#[test]
fn a_bad_config_value_names_its_file() {
    let d = Data::new();
    std::fs::write(
        d.path().join("system-config.toml"),
        "[retention]\npersonal_data_days = -3\n",
    )
    .unwrap();
    let out = d.nav().args(["contacts", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("system-config.toml") && err.contains("personal_data_days"),
        "{err}"
    );
}

#[test]
fn purge_clears_personal_data_of_closed_old_contacts_and_keeps_coded_fields() {
    let d = Data::new();
    d.allow_personal_data(&[&navigator::user::name()]);
    let plain = add(&d, &old_contact("Quintessa", false))["id"].as_i64().unwrap();
    let closed = add(&d, &old_contact("Bartholomew", true))["id"].as_i64().unwrap();
    let open = add(&d, &old_contact("Philippa", true))["id"].as_i64().unwrap();
    close_follow_up(&d, closed);
    let list_before = d.ok(&["contacts", "list", "--json"]);

    let dry: Value =
        serde_json::from_str(&d.ok(&["admin", "purge", "--older-than", "90d", "--dry-run", "--json"])).unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["older_than_days"], 90);
    assert_eq!(dry["personal_data"], 2, "{dry}");
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &plain.to_string(), "--json"])).unwrap();
    assert_eq!(
        shown["personal"]["notes"], "Quintessa owes rent",
        "a dry run changes nothing"
    );

    let done: Value = serde_json::from_str(&d.ok(&["admin", "purge", "--older-than", "90d", "--json"])).unwrap();
    assert_eq!(done["dry_run"], false);
    assert_eq!(done["personal_data"], 2);

    for id in [plain, closed] {
        let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &id.to_string(), "--json"])).unwrap();
        assert!(shown["personal"].is_null(), "{shown}");
        assert!(shown["personal_purged_at"].as_str().is_some(), "{shown}");
        assert_eq!(shown["needs"].as_array().unwrap().len(), 2, "coded fields stay");
        let text = d.ok(&["contacts", "show", &id.to_string()]);
        assert!(text.contains("Personal data: purged"), "{text}");
        assert!(!text.contains("owes rent"), "{text}");
    }
    let still: Value = serde_json::from_str(&d.ok(&["contacts", "show", &open.to_string(), "--json"])).unwrap();
    assert_eq!(
        still["personal"]["first_name"], "Philippa",
        "an open follow-up keeps its caller's details"
    );
    assert_eq!(
        d.ok(&["contacts", "list", "--json"]),
        list_before,
        "the coded listing does not change"
    );

    let again: Value = serde_json::from_str(&d.ok(&["admin", "purge", "--older-than", "90d", "--json"])).unwrap();
    assert_eq!(again["personal_data"], 0);

    let audit = d.json_lines(&["admin", "audit", "--json"]);
    let purges: Vec<&Value> = audit.iter().filter(|r| r["action"] == "admin.purge").collect();
    assert_eq!(
        purges.len(),
        1,
        "one audit row per purge that changed something: {audit:?}"
    );
    assert_eq!(purges[0]["record"], "personal_data=2 followup_notes=0 drafts=0");
    let everything = audit.iter().map(|r| r.to_string()).collect::<String>();
    for secret in [
        "Quintessa",
        "Bartholomew",
        "Philippa",
        "555-0123",
        "owes rent",
        "evenings",
    ] {
        assert!(!everything.contains(secret), "the audit trail holds {secret}");
    }
    assert!(audit
        .iter()
        .any(|r| r["action"] == "contact.create" && r["record"] == format!("contact:{plain}")));

    // Filters: a user with no entries, and a date after everything.
    assert!(d
        .json_lines(&["admin", "audit", "--json", "--user", "nobody-at-all"])
        .is_empty());
    let tomorrow = today().tomorrow().unwrap().to_string();
    assert!(d
        .json_lines(&["admin", "audit", "--json", "--since", &tomorrow])
        .is_empty());
    let table = d.ok(&["admin", "audit"]);
    assert!(
        table.contains("admin.purge") && table.contains("contact.create"),
        "{table}"
    );
}

#[test]
fn the_retention_setting_purges_at_startup_once_a_day() {
    let d = Data::new();
    d.allow_personal_data(&[&navigator::user::name()]);
    let id = add(&d, &old_contact("Ermengarde", false))["id"].as_i64().unwrap();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(
        d.path().join("config/config.toml"),
        "[retention]\npersonal_data_days = 30\n",
    )
    .unwrap();

    d.ok(&["search", "food", "--limit", "1"]);
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &id.to_string(), "--json"])).unwrap();
    assert!(
        shown["personal"].is_null() && shown["personal_purged_at"].is_string(),
        "{shown}"
    );

    // Another old contact today is left until tomorrow's run.
    let later = add(&d, &old_contact("Hortensia", false))["id"].as_i64().unwrap();
    d.ok(&["search", "food", "--limit", "1"]);
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &later.to_string(), "--json"])).unwrap();
    assert_eq!(
        shown["personal"]["notes"], "Hortensia owes rent",
        "at most one automatic purge a day"
    );
    let runs = d
        .json_lines(&["admin", "audit", "--json"])
        .into_iter()
        .filter(|r| r["action"] == "retention.purge")
        .count();
    assert_eq!(runs, 1);

    // A day later (the last run moved back), the next start purges it.
    db(&d)
        .execute(
            "UPDATE catalogue_meta SET value = '2020-01-01T00:00:00Z' WHERE key = 'retention_last_run'",
            [],
        )
        .unwrap();
    d.ok(&["contacts", "list"]);
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &later.to_string(), "--json"])).unwrap();
    assert!(shown["personal"].is_null(), "{shown}");
}

#[test]
fn the_log_records_commands_but_no_personal_values() {
    let d = Data::new();
    let service = d.json_lines(&["search", "food", "--json", "--limit", "1"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let contact = json!({
        "channel": "phone",
        "needs": [{"category": "food", "met": true}],
        "referrals": [service],
        "follow_up": {"consent": true, "due": today().to_string(), "first_name": "Zebediah",
                      "phone": "(705) 555-0987", "best_time": "after quarter past nine"},
        "notes": "Xylophone repair debts"
    });
    add(&d, &contact);
    d.ok(&["search", "Zebediah", "--limit", "1"]);
    // A failing contact: its message may quote the input, the log must not.
    let out = d
        .nav()
        .args(["contacts", "add", "--json"])
        .write_stdin("{\"channel\": \"Quizzaciously\"}")
        .output()
        .unwrap();
    assert!(!out.status.success());
    d.ok(&["contacts", "show", "1"]);

    let log = std::fs::read_to_string(d.path().join("data/navigator.log")).unwrap();
    assert!(!log.trim().is_empty());
    assert!(log.contains("contacts add") && log.contains("search"), "{log}");
    for secret in [
        "Zebediah",
        "555-0987",
        "0987",
        "quarter past nine",
        "Xylophone",
        "Quizzaciously",
    ] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}

#[test]
fn a_damaged_index_is_rebuilt_at_startup() {
    let d = Data::new();
    let before = d.json_lines(&["search", "food", "--json", "--limit", "3"]);
    assert!(!before.is_empty());
    let index = d.path().join("data/index");

    std::fs::write(index.join("meta.json"), b"{ this is not json").unwrap();
    let out = d
        .nav()
        .args(["search", "food", "--json", "--limit", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("rebuilding"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(),
        before.len()
    );

    // Garbage in a segment file: the largest one, whatever it holds.
    let segment = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "json" && e != "lock"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    std::fs::write(&segment, vec![0x5a; 4096]).unwrap();
    let out = d
        .nav()
        .args(["search", "food", "--json", "--limit", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rebuilding"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let ids = |lines: &[Value]| -> Vec<String> { lines.iter().map(|l| l["id"].to_string()).collect() };
    let after: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (mut a, mut b) = (ids(&after), ids(&before));
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same results, from the rebuilt index");

    // A missing index too.
    std::fs::remove_dir_all(&index).unwrap();
    let out = d
        .nav()
        .args(["search", "food", "--json", "--limit", "3"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("rebuilding"));
}

#[test]
fn a_damaged_database_is_a_clear_error_naming_the_file() {
    let d = Data::new();
    d.ok(&["search", "food", "--limit", "1"]);
    let db = d.path().join("data/navigator.db");
    for f in ["navigator.db-wal", "navigator.db-shm"] {
        let _ = std::fs::remove_file(d.path().join("data").join(f));
    }
    std::fs::write(&db, vec![0xA5u8; 64 * 1024]).unwrap();
    for args in [
        &["search", "food"][..],
        &["contacts", "list"][..],
        &["index", "stats"][..],
    ] {
        let out = d.nav().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(74), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&db.display().to_string()), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
