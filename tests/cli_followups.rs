//! `navigator followups`: the queue as JSON and tables, claims between navigators (each its
//! own process and OS account), outcomes that write all or nothing, the retry policy from
//! config.toml. Eight navigators at once: `cli_followups_concurrent.rs`.

mod common;

use common::users::{account, skip_without_root};
use common::Data;
use serde_json::{json, Value};

use common::followups::*;

#[test]
fn the_queue_as_json_and_claims_between_navigators() {
    if skip_without_root("the_queue_as_json_and_claims_between_navigators") {
        return;
    }
    let d = Data::shared();
    let service = food_service(&d);
    let (id, contact_id) = add_followup(&d, &service);

    let due = queue(&d, "due");
    assert_eq!(due.len(), 1);
    let row = &due[0];
    assert_eq!(row["id"], id);
    assert_eq!(row["contact_id"], contact_id);
    assert_eq!(row["due"], today().to_string());
    assert_eq!(row["state"], "due");
    assert_eq!(row["attempts"], 0);
    assert_eq!(row["claimed_by"], Value::Null);
    assert_eq!(row["lease_until"], Value::Null);
    assert_eq!(row["municipality"], "Sudbury");
    assert_eq!(row["needs"], json!(["food", "housing"]));
    assert_eq!(row["referrals"], 1);
    assert_eq!(row["last_attempt"], Value::Null);
    let text = row.to_string();
    for secret in ["Ana", "0142", "mornings", "arrears"] {
        assert!(!text.contains(secret), "{text}");
    }
    // `followups --json` is the due view.
    let default: Vec<Value> = String::from_utf8(run(&d, "alice", &["--json"], "").stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(default, due);
    assert!(queue(&d, "upcoming").is_empty());
    assert_eq!(queue(&d, "all").len(), 1);

    let claim = ok_json(&d, "alice", &["claim", &id.to_string(), "--json"], "");
    assert_eq!(claim["id"], id);
    assert_eq!(claim["contact_id"], contact_id);
    assert_eq!(claim["claimed_by"], account("alice"));
    assert_eq!(claim["renewed"], false);
    let since: jiff::Timestamp = claim["claimed_at"].as_str().unwrap().parse().unwrap();
    let until: jiff::Timestamp = claim["lease_until"].as_str().unwrap().parse().unwrap();
    assert_eq!(until.duration_since(since).as_secs(), 15 * 60);

    let row = &queue(&d, "due")[0];
    assert_eq!(row["state"], "claimed");
    assert_eq!(row["claimed_by"], account("alice"));
    assert_eq!(row["lease_until"], claim["lease_until"]);

    let out = run(&d, "bob", &["claim", &id.to_string()], "");
    assert_eq!(out.status.code(), Some(75));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("follow-up {id} is held by {} since ", account("alice"))),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // Bob cannot release or complete alice's claim either.
    assert_eq!(
        run(&d, "bob", &["release", &id.to_string()], "").status.code(),
        Some(75)
    );
    let before = counts(&d);
    let out = run(&d, "bob", &["complete", &id.to_string(), "--json"], &reached(&service));
    assert_eq!(out.status.code(), Some(75));
    assert_eq!(counts(&d), before);

    // Alice renews by claiming again, then releases; now bob may claim it.
    let again = ok_json(&d, "alice", &["claim", &id.to_string(), "--json"], "");
    assert_eq!(again["renewed"], true);
    assert_eq!(again["claimed_at"], claim["claimed_at"]);
    let out = run(&d, "alice", &["release", &id.to_string()], "");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("Released follow-up {id}.\n")
    );
    assert_eq!(queue(&d, "due")[0]["claimed_by"], Value::Null);
    let out = run(&d, "bob", &["claim", &id.to_string()], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with(&format!("Claimed follow-up {id} (contact {contact_id}) until ")));

    // The human table.
    let out = run(&d, "alice", &[], "");
    let human = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(
        lines[0]
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>(),
        [
            "ID",
            "Due",
            "State",
            "Tries",
            "Municipality",
            "Needs",
            "Refs",
            "Last try",
            "Claimed by"
        ],
        "{human}"
    );
    let cells: Vec<&str> = lines[1].split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(
        cells,
        [
            id.to_string().as_str(),
            &today().to_string(),
            "claimed",
            "0",
            "Sudbury",
            "food, housing",
            "1",
            &account("bob")
        ],
        "{human}"
    );

    let missing = run(&d, "alice", &["claim", "999"], "");
    assert_eq!(missing.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no follow-up with id 999"));
}

#[test]
fn complete_validates_every_field_and_writes_nothing_on_error() {
    let d = Data::shared();
    let service = food_service(&d);
    let (id, _) = add_followup(&d, &service);
    let id_text = id.to_string();
    let before = counts(&d);

    let bad = json!({"reached": true,
        "referrals": [{"service_id": service, "contacted": true, "got_help": "no"},
                      {"service_id": "svc-nope", "contacted": true, "got_help": "yes"}],
        "satisfaction": "ecstatic", "notes": "Ana said the rent is late"});
    let out = run(&d, "alice", &["complete", &id_text, "--json"], &bad.to_string());
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let fields: Vec<&str> = stderr.lines().map(|l| l.split_once(": ").unwrap().0).collect();
    assert_eq!(
        fields,
        ["referrals[0].barrier", "referrals[1].service_id", "satisfaction"],
        "{stderr}"
    );
    assert!(stderr.contains("satisfaction: expected one of very-satisfied, satisfied, neutral"));
    assert!(!stderr.contains("Ana"), "{stderr}");
    assert_eq!(counts(&d), before);

    for (body, needle) in [
        ("{\"reached\": true,\n \"referrals\": [}", "line 2 column"),
        (r#"{"reached":true,"satisfied":"yes"}"#, "unknown field `satisfied`"),
        (
            r#"{"reached":false,"result":"busy"}"#,
            "result: expected one of no-answer",
        ),
        (
            r#"{"reached":false,"result":"no_answer","satisfaction":"neutral"}"#,
            "satisfaction: only when",
        ),
        ("", "EOF"),
    ] {
        let out = run(&d, "alice", &["complete", &id_text, "--json"], body);
        assert_eq!(out.status.code(), Some(65), "{body}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{body}: {stderr}");
        assert_eq!(counts(&d), before, "{body}");
    }
    assert_eq!(run(&d, "alice", &["complete", &id_text], "{}").status.code(), Some(2));
    assert_eq!(queue(&d, "due")[0]["state"], "due");

    // A valid outcome completes it, claiming it on the way, and prints what happened.
    let done = ok_json(&d, "alice", &["complete", &id_text, "--json"], &reached(&service));
    assert_eq!(done["id"], id);
    assert_eq!(done["state"], "completed");
    assert_eq!(done["attempts"], 0);
    assert_eq!(done["due"], today().to_string());
    assert_eq!(done["by"], account("alice"));
    assert!(done["at"].as_str().unwrap().parse::<jiff::Timestamp>().is_ok());
    assert!(!done.to_string().contains("sister"));
    assert!(queue(&d, "due").is_empty());
    assert_eq!(queue(&d, "all")[0]["state"], "completed");

    let conn = db(&d);
    let stored: (i64, String, Option<String>, String) = conn
        .query_row(
            "SELECT o.reached, o.satisfaction, n.notes, o.completed_by FROM outcomes o
             JOIN followup_notes n USING (followup_id) WHERE o.followup_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        stored,
        (
            1,
            "satisfied".into(),
            Some("found a place with her sister".into()),
            account("alice")
        )
    );

    // Done is done.
    let out = run(&d, "bob", &["complete", &id_text, "--json"], &reached(&service));
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("follow-up {id} is already completed")));

    // The detail shows the caller's details to a personal-data reader making the call,
    // "withheld" to anyone else.
    let detail = ok_json(&d, "bob", &["show", &id_text, "--json"], "");
    for field in ["first_name", "phone", "best_time", "contact_notes", "notes"] {
        assert_eq!(detail[field], "withheld", "{field}");
    }
    let human = String::from_utf8(run(&d, "bob", &["show", &id_text], "").stdout).unwrap();
    assert!(human.contains("Caller:       withheld"), "{human}");
    assert!(!human.contains("Ana") && !human.contains("705-555-0142"), "{human}");
    d.allow_personal_data(&[&account("bob")]);
    let detail = ok_json(&d, "bob", &["show", &id_text, "--json"], "");
    assert_eq!(detail["first_name"], "Ana");
    assert_eq!(detail["phone"], "705-555-0142");
    assert_eq!(detail["outcome"]["referrals"][0]["got_help"], "yes");
    assert_eq!(detail["contact"]["referrals"][0]["service_id"], service.as_str());
}

#[test]
fn not_reached_retries_on_the_next_business_day_and_the_third_is_unreachable() {
    let d = Data::shared();
    let service = food_service(&d);
    let (id, _) = add_followup(&d, &service);
    let id_text = id.to_string();
    let no_answer = r#"{"reached":false,"result":"no_answer"}"#;

    ok_json(&d, "alice", &["claim", &id_text, "--json"], "");
    let first = ok_json(&d, "alice", &["complete", &id_text, "--json"], no_answer);
    let next = next_business_day(today()).to_string();
    assert_eq!(first["state"], "scheduled");
    assert_eq!(first["attempts"], 1);
    assert_eq!(first["due"], next);
    assert!(queue(&d, "due").is_empty());
    let row = &queue(&d, "upcoming")[0];
    assert_eq!(row["id"], id);
    assert_eq!(row["due"], next);
    assert_eq!(row["state"], "scheduled");
    assert_eq!(row["attempts"], 1);
    assert_eq!(row["last_attempt"], "no-answer", "slugs read kebab-case");
    assert_eq!(row["claimed_by"], Value::Null);

    let second = ok_json(
        &d,
        "bob",
        &["complete", &id_text, "--json"],
        r#"{"reached":false,"result":"left_message"}"#,
    );
    assert_eq!(
        (second["state"].as_str(), second["attempts"].as_i64()),
        (Some("scheduled"), Some(2))
    );
    let third = ok_json(&d, "alice", &["complete", &id_text, "--json"], no_answer);
    assert_eq!(third["state"], "unreachable");
    assert_eq!(third["attempts"], 3);
    assert!(queue(&d, "upcoming").is_empty());
    assert_eq!(queue(&d, "all")[0]["state"], "unreachable");

    let conn = db(&d);
    let attempts: Vec<(String, String)> = conn
        .prepare("SELECT by, result FROM attempts WHERE followup_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        attempts,
        [
            (account("alice"), "no_answer".to_string()),
            (account("bob"), "left_message".into()),
            (account("alice"), "no_answer".into())
        ]
    );
    let (reached, result): (i64, String) = conn
        .query_row(
            "SELECT reached, result FROM outcomes WHERE followup_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((reached, result.as_str()), (0, "no_answer"));
}

#[test]
fn the_policy_comes_from_config_toml() {
    let d = Data::shared();
    let service = food_service(&d);
    let config = d.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[followups]\nretry = 2\nmax_attempts = 1\n").unwrap();
    let (a, _) = add_followup(&d, &service);
    let (b, _) = add_followup(&d, &service);
    let done = ok_json(
        &d,
        "alice",
        &["complete", &a.to_string(), "--json"],
        r#"{"reached":false,"result":"no_answer"}"#,
    );
    assert_eq!(
        (done["state"].as_str(), done["attempts"].as_i64()),
        (Some("unreachable"), Some(1))
    );

    std::fs::write(
        config.join("config.toml"),
        "[followups]\nretry = \"2\"\nlease_minutes = 30\n",
    )
    .unwrap();
    let done = ok_json(
        &d,
        "alice",
        &["complete", &b.to_string(), "--json"],
        r#"{"reached":false,"result":"no_answer"}"#,
    );
    assert_eq!(done["due"], plus_days(today(), 2).to_string());
    let claim = ok_json(&d, "alice", &["claim", &b.to_string(), "--json"], "");
    let since: jiff::Timestamp = claim["claimed_at"].as_str().unwrap().parse().unwrap();
    let until: jiff::Timestamp = claim["lease_until"].as_str().unwrap().parse().unwrap();
    assert_eq!(until.duration_since(since).as_secs(), 30 * 60);

    for (setting, key) in [
        ("lease_minutes = 0", "[followups] lease_minutes = 0: expected 1 to 480"),
        ("max_attempts = 0", "[followups] max_attempts = 0: expected 1 to "),
        (
            "retry = \"fortnightly\"",
            "[followups] retry = \"fortnightly\": expected \"next-business-day\"",
        ),
        ("retry = 0", "[followups] retry = 0: expected"),
    ] {
        std::fs::write(config.join("config.toml"), format!("[followups]\n{setting}\n")).unwrap();
        let out = run(&d, "alice", &["claim", &b.to_string()], "");
        assert_eq!(out.status.code(), Some(65), "{setting}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("config.toml: ") && stderr.contains(key),
            "{setting}: {stderr}"
        );
    }
}
