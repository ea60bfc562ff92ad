//! `navigator followups`: the queue as JSON and tables, claims between navigators (each its
//! own process and USER), outcomes that write all or nothing, the retry policy from
//! config.toml, and eight navigators working one queue at once.

mod common;

use std::sync::atomic::Ordering::Relaxed;

use common::Data;
use jiff::civil::{Date, Weekday};
use jiff::Span;
use serde_json::{json, Value};

const TABLES: &[&str] = &["outcomes", "outcome_referrals", "attempts", "followup_notes", "audit"];

fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

fn plus_days(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap()
}

/// Computed here rather than by the code under test.
fn next_business_day(date: Date) -> Date {
    match date.weekday() {
        Weekday::Friday => plus_days(date, 3),
        Weekday::Saturday => plus_days(date, 2),
        _ => plus_days(date, 1),
    }
}

fn food_service(d: &Data) -> String {
    d.json_lines(&["search", "food", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn contact(service: &str) -> Value {
    json!({
        "channel": "phone", "municipality": "Sudbury",
        "needs": [{"category": "food", "met": true},
                  {"category": "housing", "met": false, "unmet_reason": "waitlist"}],
        "referrals": [service],
        "follow_up": {"consent": true, "due": today().to_string(), "first_name": "Ana",
                      "phone": "705-555-0142", "best_time": "mornings"},
        "notes": "rent arrears"
    })
}

/// Records a contact with a follow-up due today; returns (follow-up id, contact id).
fn add_followup(d: &Data, service: &str) -> (i64, i64) {
    let out = d
        .nav()
        .args(["contacts", "add", "--json"])
        .write_stdin(contact(service).to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        saved["follow_up"]["id"].as_i64().unwrap(),
        saved["id"].as_i64().unwrap(),
    )
}

/// `navigator followups ARGS` as `user`, with `stdin`.
fn run(d: &Data, user: &str, args: &[&str], stdin: &str) -> std::process::Output {
    d.nav()
        .env("USER", user)
        .arg("followups")
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap()
}

fn ok_json(d: &Data, user: &str, args: &[&str], stdin: &str) -> Value {
    let out = run(d, user, args, stdin);
    assert!(
        out.status.success(),
        "followups {args:?} failed with {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn queue(d: &Data, view: &str) -> Vec<Value> {
    let out = run(d, "alice", &[view, "--json"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn db(d: &Data) -> rusqlite::Connection {
    rusqlite::Connection::open(d.path().join("data/navigator.db")).unwrap()
}

fn counts(d: &Data) -> Vec<i64> {
    let conn = db(d);
    TABLES
        .iter()
        .map(|t| {
            conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
}

fn reached(service: &str) -> String {
    json!({"reached": true,
           "referrals": [{"service_id": service, "contacted": true, "got_help": "yes"}],
           "better_prepared": true, "health_improved": "not_applicable",
           "satisfaction": "satisfied", "would_call_again": true,
           "notes": "found a place with her sister"})
    .to_string()
}

#[test]
fn the_queue_as_json_and_claims_between_navigators() {
    let d = Data::new();
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
    assert_eq!(claim["claimed_by"], "alice");
    assert_eq!(claim["renewed"], false);
    let since: jiff::Timestamp = claim["claimed_at"].as_str().unwrap().parse().unwrap();
    let until: jiff::Timestamp = claim["lease_until"].as_str().unwrap().parse().unwrap();
    assert_eq!(until.duration_since(since).as_secs(), 15 * 60);

    let row = &queue(&d, "due")[0];
    assert_eq!(row["state"], "claimed");
    assert_eq!(row["claimed_by"], "alice");
    assert_eq!(row["lease_until"], claim["lease_until"]);

    let out = run(&d, "bob", &["claim", &id.to_string()], "");
    assert_eq!(out.status.code(), Some(75));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("follow-up {id} is held by alice since ")),
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
            "bob"
        ],
        "{human}"
    );

    let missing = run(&d, "alice", &["claim", "999"], "");
    assert_eq!(missing.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no follow-up with id 999"));
}

#[test]
fn complete_validates_every_field_and_writes_nothing_on_error() {
    let d = Data::new();
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
    assert!(stderr.contains("satisfaction: expected one of very_satisfied, satisfied, neutral"));
    assert!(!stderr.contains("Ana"), "{stderr}");
    assert_eq!(counts(&d), before);

    for (body, needle) in [
        ("{\"reached\": true,\n \"referrals\": [}", "line 2 column"),
        (r#"{"reached":true,"satisfied":"yes"}"#, "unknown field `satisfied`"),
        (
            r#"{"reached":false,"result":"busy"}"#,
            "result: expected one of no_answer",
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
    assert_eq!(done["by"], "alice");
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
            "alice".into()
        )
    );

    // Done is done.
    let out = run(&d, "bob", &["complete", &id_text, "--json"], &reached(&service));
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("follow-up {id} is already completed")));

    // The detail shows the caller's details to the navigator making the call.
    let detail = ok_json(&d, "bob", &["show", &id_text, "--json"], "");
    assert_eq!(detail["first_name"], "Ana");
    assert_eq!(detail["phone"], "705-555-0142");
    assert_eq!(detail["outcome"]["referrals"][0]["got_help"], "yes");
    assert_eq!(detail["contact"]["referrals"][0]["service_id"], service.as_str());
}

#[test]
fn not_reached_retries_on_the_next_business_day_and_the_third_is_unreachable() {
    let d = Data::new();
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
    assert_eq!(row["last_attempt"], "no_answer");
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
            ("alice".to_string(), "no_answer".to_string()),
            ("bob".into(), "left_message".into()),
            ("alice".into(), "no_answer".into())
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
    let d = Data::new();
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

/// Eight navigators, each its own process and USER, work a queue of 200 follow-ups at once:
/// half claim before completing (and race each other for the same ones), half complete
/// directly (claiming in the same transaction).
#[test]
fn eight_navigators_complete_every_follow_up_exactly_once() {
    const FOLLOWUPS: usize = 200;
    const WORKERS: usize = 8;
    let d = Data::new();
    let service = food_service(&d); // installs the demo before anyone starts
    {
        let mut store = navigator::store::Store::open(&d.path().join("data/navigator.db")).unwrap();
        let input: navigator::casework::ContactInput = serde_json::from_value(contact(&service)).unwrap();
        for _ in 0..FOLLOWUPS {
            store
                .add_contact(&input, "intake", jiff::Timestamp::now(), today())
                .unwrap();
        }
    }
    let outcome = reached(&service);
    let lost = std::sync::atomic::AtomicUsize::new(0);
    let start = std::time::Instant::now();
    let completed: Vec<Vec<i64>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let (d, outcome, lost) = (&d, &outcome, &lost);
                s.spawn(move || {
                    let user = format!("nav{w}");
                    let mut mine = Vec::new();
                    let mut seed = w as u64 + 1;
                    'relist: loop {
                        let out = run(d, &user, &["due", "--json"], "");
                        let stderr = String::from_utf8_lossy(&out.stderr);
                        assert!(out.status.success() && !stderr.contains("locked"), "{stderr}");
                        let ids: Vec<i64> = String::from_utf8(out.stdout)
                            .unwrap()
                            .lines()
                            .map(|l| serde_json::from_str::<Value>(l).unwrap())
                            .filter(|v| v["claimed_by"].is_null())
                            .map(|v| v["id"].as_i64().unwrap())
                            .collect();
                        if ids.is_empty() {
                            // Others may still hold claims; the queue is done when none are due.
                            if queue(d, "due").is_empty() {
                                return mine;
                            }
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            continue;
                        }
                        // Claimers (even) all pick at random among the first few free
                        // follow-ups, so they often race for the same one; the others
                        // start at their own place in the queue.
                        let first = if w % 2 == 0 {
                            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                            (seed >> 33) as usize % ids.len().min(4)
                        } else {
                            w * ids.len() / WORKERS
                        };
                        for &id in ids[first..].iter().chain(&ids[..first]) {
                            let id_text = id.to_string();
                            if w % 2 == 0 {
                                let out = run(d, &user, &["claim", &id_text], "");
                                let stderr = String::from_utf8_lossy(&out.stderr);
                                assert!(!stderr.contains("locked"), "{stderr}");
                                match out.status.code() {
                                    Some(0) => {}
                                    Some(75) => {
                                        lost.fetch_add(1, Relaxed);
                                        continue 'relist;
                                    }
                                    Some(65) if stderr.contains("is already completed") => {
                                        lost.fetch_add(1, Relaxed);
                                        continue 'relist;
                                    }
                                    other => panic!("claim {id} exited {other:?}: {stderr}"),
                                }
                            }
                            let out = run(d, &user, &["complete", &id_text, "--json"], outcome);
                            let stderr = String::from_utf8_lossy(&out.stderr);
                            assert!(!stderr.contains("locked"), "{stderr}");
                            match out.status.code() {
                                Some(0) => {
                                    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
                                    assert_eq!(
                                        (done["id"].as_i64(), done["state"].as_str()),
                                        (Some(id), Some("completed"))
                                    );
                                    mine.push(id);
                                }
                                // Lost the race: someone holds it or has completed it.
                                Some(75) if w % 2 == 1 => {
                                    lost.fetch_add(1, Relaxed);
                                    continue 'relist;
                                }
                                Some(65) if w % 2 == 1 && stderr.contains("is already completed") => {
                                    lost.fetch_add(1, Relaxed);
                                    continue 'relist;
                                }
                                other => panic!("{user} complete {id} exited {other:?}: {stderr}"),
                            }
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();

    let mut all: Vec<i64> = completed.concat();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(
        (all.len(), total),
        (FOLLOWUPS, FOLLOWUPS),
        "a follow-up completed twice or lost"
    );
    let conn = db(&d);
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        one("SELECT count(*) FROM followups WHERE state = 'completed'"),
        FOLLOWUPS as i64
    );
    assert_eq!(one("SELECT count(*) FROM outcomes"), FOLLOWUPS as i64);
    assert_eq!(one("SELECT count(*) FROM outcome_referrals"), FOLLOWUPS as i64);
    assert_eq!(
        one("SELECT count(*) FROM audit WHERE action = 'followup.complete'"),
        FOLLOWUPS as i64
    );
    assert_eq!(
        one("SELECT count(DISTINCT record) FROM audit WHERE action = 'followup.complete'"),
        FOLLOWUPS as i64
    );
    assert_eq!(one("SELECT count(*) FROM attempts"), 0);
    // Each outcome was written by the navigator whose process reported it.
    for (w, ids) in completed.iter().enumerate() {
        for id in ids {
            let by: String = conn
                .query_row("SELECT completed_by FROM outcomes WHERE followup_id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(by, format!("nav{w}"));
        }
    }
    // Several navigators took part.
    assert!(completed.iter().filter(|c| !c.is_empty()).count() >= 4, "{completed:?}");
    eprintln!(
        "{FOLLOWUPS} follow-ups by {WORKERS} navigators in {elapsed:?}, {} lost races",
        lost.load(Relaxed)
    );
}
