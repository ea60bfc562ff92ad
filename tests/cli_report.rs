//! `navigator report needs|outcomes`: every figure of both reports checked against data
//! seeded through the real CLI, with inclusive date bounds at the second, the
//! municipality filter, null percentages for an empty period, and the table, CSV and JSON
//! forms agreeing.
//!
//! The binary runs with TZ fixed at UTC-5 (no daylight saving), so local midnight is
//! 05:00Z and the period bounds are exact.

mod common;

use std::collections::HashMap;

use common::Data;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::Span;
use serde_json::{json, Value};

/// UTC-5 as a POSIX TZ string: needs no time zone database.
const TZ: &str = "<-05>5";

fn today() -> Date {
    let tz = TimeZone::fixed(Offset::constant(-5));
    jiff::Timestamp::now().to_zoned_datetime(tz).date()
}

fn plus_days(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap()
}

fn nav(d: &Data) -> assert_cmd::Command {
    let mut cmd = d.nav();
    cmd.env("TZ", TZ);
    cmd
}

fn run(d: &Data, args: &[&str], stdin: &str) -> std::process::Output {
    nav(d).args(args).write_stdin(stdin.to_string()).output().unwrap()
}

fn ok(d: &Data, args: &[&str], stdin: &str) -> String {
    let out = run(d, args, stdin);
    String::from_utf8(common::succeeded(out, &format!("navigator {args:?}"))).unwrap()
}

/// Adds a contact; returns the saved contact.
fn add(d: &Data, contact: Value) -> Value {
    serde_json::from_str(&ok(d, &["contacts", "add", "--json"], &contact.to_string())).unwrap()
}

/// `report KIND --format json ARGS`, parsed; checks it is one line.
fn report(d: &Data, kind: &str, args: &[&str]) -> Value {
    let mut all = vec!["report", kind, "--format", "json"];
    all.extend(args);
    let text = ok(d, &all, "");
    assert_eq!(text.lines().count(), 1, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// `report KIND --format csv ARGS`, read with a CSV reader: (section, group, key) ->
/// (value, numerator, denominator).
fn csv_report(d: &Data, kind: &str, args: &[&str]) -> HashMap<(String, String, String), [String; 3]> {
    let mut all = vec!["report", kind, "--format", "csv"];
    all.extend(args);
    let text = ok(d, &all, "");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["section", "group", "key", "value", "numerator", "denominator"]
    );
    let mut out = HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let key = (r[0].to_string(), r[1].to_string(), r[2].to_string());
        assert!(
            out.insert(key.clone(), [r[3].to_string(), r[4].to_string(), r[5].to_string()])
                .is_none(),
            "{key:?} twice"
        );
    }
    out
}

fn fig(section: &str, group: &str, key: &str) -> (String, String, String) {
    (section.into(), group.into(), key.into())
}

fn need(category: &str, unmet: Option<&str>) -> Value {
    match unmet {
        None => json!({"category": category, "met": true}),
        Some(reason) => json!({"category": category, "met": false, "unmet_reason": reason}),
    }
}

fn contact_at(started: &str, municipality: Option<&str>, needs: Vec<Value>) -> Value {
    let mut c = json!({"channel": "phone", "needs": needs, "started_at": started, "ended_at": started});
    if let Some(m) = municipality {
        c["municipality"] = m.into();
    }
    c
}

/// Six contacts around a period of 2026-01-10 to 2026-01-19 (local, UTC-5).
fn seed_needs(d: &Data) {
    // The first second of the first day.
    add(
        d,
        contact_at(
            "2026-01-10T05:00:00Z",
            Some("Sudbury"),
            vec![need("food", None), need("housing", Some("waitlist"))],
        ),
    );
    // The last second before it.
    add(
        d,
        contact_at("2026-01-10T04:59:59Z", Some("Sudbury"), vec![need("food", None)]),
    );
    add(
        d,
        contact_at(
            "2026-01-15T12:00:00Z",
            Some("sudbury"),
            vec![
                need("housing", Some("cost")),
                need("legal", Some("waitlist")),
                need("health", None),
            ],
        ),
    );
    // The last second of the last day.
    add(
        d,
        contact_at(
            "2026-01-20T04:59:59Z",
            Some("Kenora"),
            vec![need("food", Some("no-service"))],
        ),
    );
    // The first second after it.
    add(
        d,
        contact_at("2026-01-20T05:00:00Z", Some("Kenora"), vec![need("income", None)]),
    );
    add(
        d,
        contact_at("2026-01-12T15:00:00Z", None, vec![need("food", Some("distance"))]),
    );
}

fn reasons(pairs: &[(&str, u64)]) -> Value {
    let mut all = serde_json::Map::new();
    for r in [
        "no-service",
        "not-eligible",
        "waitlist",
        "cost",
        "distance",
        "language",
        "other",
    ] {
        let n = pairs.iter().find(|(k, _)| *k == r).map_or(0, |(_, n)| *n);
        all.insert(r.into(), n.into());
    }
    Value::Object(all)
}

#[test]
fn needs_report_counts_every_figure_with_inclusive_bounds() {
    let d = Data::new();
    seed_needs(&d);
    let period = ["--from", "2026-01-10", "--to", "2026-01-19"];
    let r = report(&d, "needs", &period);
    assert_eq!(
        r,
        json!({
            "contacts": 4,
            "contacts_with_needs": 4,
            "tracked_pct": 100.0,
            "tracked": {"yes": 4, "of": 4},
            "needs": [
                {"category": "food", "total": 3, "met": 1, "unmet": 2},
                {"category": "housing", "total": 2, "met": 0, "unmet": 2},
                {"category": "health", "total": 1, "met": 1, "unmet": 0},
                {"category": "legal", "total": 1, "met": 0, "unmet": 1},
            ],
            "unmet_reasons": reasons(&[("waitlist", 2), ("cost", 1), ("no-service", 1), ("distance", 1)]),
            "by_municipality": [
                {"municipality": "Sudbury", "contacts": 2, "needs": 5, "unmet": 3},
                {"municipality": "Kenora", "contacts": 1, "needs": 1, "unmet": 1},
                {"municipality": null, "contacts": 1, "needs": 1, "unmet": 1},
            ],
            "office": null,
            "from": "2026-01-10",
            "to": "2026-01-19",
        })
    );
    // One day either way at each end.
    assert_eq!(
        report(&d, "needs", &["--from", "2026-01-09", "--to", "2026-01-19"])["contacts"],
        5
    );
    assert_eq!(
        report(&d, "needs", &["--from", "2026-01-10", "--to", "2026-01-20"])["contacts"],
        5
    );
    assert_eq!(
        report(&d, "needs", &["--from", "2026-01-11", "--to", "2026-01-18"])["contacts"],
        2
    );
    // A single day: the contact at its first second and none from the day before.
    let day = report(&d, "needs", &["--from", "2026-01-10", "--to", "2026-01-10"]);
    assert_eq!(day["contacts"], 1);
    assert_eq!(
        day["needs"][1],
        json!({"category": "housing", "total": 1, "met": 0, "unmet": 1})
    );
    // Open ends.
    let all = report(&d, "needs", &[]);
    assert_eq!(all["contacts"], 6);
    assert_eq!((all["from"].clone(), all["to"].clone()), (Value::Null, Value::Null));
    assert_eq!(report(&d, "needs", &["--to", "2026-01-19"])["contacts"], 5);
    assert_eq!(report(&d, "needs", &["--from", "2026-01-20"])["contacts"], 1);

    // The municipality filter ignores case.
    let sudbury = report(
        &d,
        "needs",
        &[
            "--from",
            "2026-01-10",
            "--to",
            "2026-01-19",
            "--municipality",
            "SUDBURY",
        ],
    );
    assert_eq!(sudbury["contacts"], 2);
    assert_eq!(sudbury["tracked"], json!({"yes": 2, "of": 2}));
    assert_eq!(
        sudbury["needs"],
        json!([
            {"category": "housing", "total": 2, "met": 0, "unmet": 2},
            {"category": "food", "total": 1, "met": 1, "unmet": 0},
            {"category": "health", "total": 1, "met": 1, "unmet": 0},
            {"category": "legal", "total": 1, "met": 0, "unmet": 1},
        ])
    );
    assert_eq!(sudbury["unmet_reasons"], reasons(&[("waitlist", 2), ("cost", 1)]));
    assert_eq!(
        sudbury["by_municipality"],
        json!([{"municipality": "Sudbury", "contacts": 2, "needs": 5, "unmet": 3}])
    );
    assert_eq!(report(&d, "needs", &["--municipality", "Timmins"])["contacts"], 0);

    // CSV says the same, one row per figure.
    let csv = csv_report(&d, "needs", &period);
    let get = |s: &str, g: &str, k: &str| csv[&fig(s, g, k)].clone();
    assert_eq!(get("period", "", "from"), ["2026-01-10", "", ""]);
    assert_eq!(get("summary", "", "contacts"), ["4", "", ""]);
    assert_eq!(get("summary", "", "contacts_with_needs"), ["4", "", ""]);
    assert_eq!(get("summary", "", "tracked_pct"), ["100.0", "4", "4"]);
    assert_eq!(get("needs", "food", "total"), ["3", "", ""]);
    assert_eq!(get("needs", "food", "unmet"), ["2", "", ""]);
    assert_eq!(get("unmet_reasons", "", "waitlist"), ["2", "", ""]);
    assert_eq!(get("unmet_reasons", "", "other"), ["0", "", ""]);
    assert_eq!(get("by_municipality", "Sudbury", "needs"), ["5", "", ""]);
    assert_eq!(get("by_municipality", "", "contacts"), ["1", "", ""]);
    assert_eq!(csv.len(), 2 + 3 + 4 * 3 + 7 + 3 * 3);

    // The table.
    let table = ok(
        &d,
        &["report", "needs", "--from", "2026-01-10", "--to", "2026-01-19"],
        "",
    );
    assert!(table.starts_with("Needs: 2026-01-10 to 2026-01-19\n"), "{table}");
    assert!(table.contains("Needs tracked        100.0% (4 of 4)"), "{table}");
    assert!(table.contains("food      3      1    2"), "{table}");
    assert!(table.contains("(none)"), "{table}");
}

#[test]
fn an_empty_period_has_null_percentages_and_every_reason_at_zero() {
    let d = Data::new();
    seed_needs(&d);
    let r = report(&d, "needs", &["--from", "2025-01-01", "--to", "2025-01-31"]);
    assert_eq!(
        r,
        json!({
            "contacts": 0, "contacts_with_needs": 0, "tracked_pct": null,
            "tracked": {"yes": 0, "of": 0}, "needs": [], "unmet_reasons": reasons(&[]),
            "by_municipality": [], "office": null, "from": "2025-01-01", "to": "2025-01-31",
        })
    );
    let csv = csv_report(&d, "needs", &["--from", "2025-01-01", "--to", "2025-01-31"]);
    assert_eq!(csv[&fig("summary", "", "tracked_pct")], ["", "0", "0"]);
    let table = ok(
        &d,
        &["report", "needs", "--from", "2025-01-01", "--to", "2025-01-31"],
        "",
    );
    assert!(table.contains("n/a (0 of 0)"), "{table}");
    assert!(table.contains("No needs recorded in this period."), "{table}");

    let o = report(&d, "outcomes", &["--to", "2025-01-31"]);
    for key in [
        "followed_up_on_referral",
        "connected",
        "better_prepared",
        "health_improved",
        "very_satisfied",
        "would_call_again",
    ] {
        assert_eq!(o[format!("{key}_pct")], Value::Null, "{key}");
        assert_eq!(o[key], json!({"yes": 0, "of": 0}), "{key}");
    }
    let table = ok(&d, &["report", "outcomes", "--to", "2025-01-31"], "");
    assert!(table.contains("Very satisfied               n/a (0 of 0)"), "{table}");
}

#[test]
fn bad_dates_exit_65_naming_the_option() {
    let d = Data::new();
    for (args, option) in [
        (vec!["--from", "2026-02-30"], "--from"),
        (vec!["--to", "31/01/2026"], "--to"),
        (vec!["--from", "2026-02-01", "--to", "2026-01-31"], "--from"),
        (vec!["--municipality", " "], "--municipality"),
    ] {
        for kind in ["needs", "outcomes"] {
            let mut all = vec!["report", kind];
            all.extend(&args);
            let out = run(&d, &all, "");
            assert_eq!(out.status.code(), Some(65), "{all:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(&format!("navigator: {option}: ")), "{stderr}");
            assert!(out.stdout.is_empty());
        }
    }
}

/// A contact with a follow-up due on `due`; returns the follow-up id.
fn followup(d: &Data, municipality: &str, referrals: &[&str], due: Date) -> String {
    let saved = add(
        d,
        json!({
            "channel": "phone", "municipality": municipality, "needs": [need("food", None)],
            "referrals": referrals,
            "follow_up": {"consent": true, "due": due.to_string(), "first_name": "Ana",
                          "phone": "705-555-0142"},
        }),
    );
    saved["follow_up"]["id"].as_i64().unwrap().to_string()
}

fn complete(d: &Data, id: &str, outcome: Value) -> Value {
    serde_json::from_str(&ok(d, &["followups", "complete", id, "--json"], &outcome.to_string())).unwrap()
}

fn barriers(pairs: &[(&str, u64)]) -> Value {
    let mut all = serde_json::Map::new();
    for b in [
        "eligibility",
        "cost",
        "transportation",
        "waitlist",
        "no-answer",
        "language",
        "hours",
        "other",
    ] {
        let n = pairs.iter().find(|(k, _)| *k == b).map_or(0, |(_, n)| *n);
        all.insert(b.into(), n.into());
    }
    Value::Object(all)
}

#[test]
fn outcomes_report_counts_every_figure() {
    let d = Data::new();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(d.path().join("config/config.toml"), "[followups]\nretry = 2\n").unwrap();
    let s = d.search_ids("food", 3);
    let (s1, s2, s3) = (s[0].as_str(), s[1].as_str(), s[2].as_str());
    let t = today();

    let f1 = followup(&d, "Sudbury", &[s1, s2], t);
    complete(
        &d,
        &f1,
        json!({"reached": true, "referrals": [
            {"service_id": s1, "contacted": true, "got_help": "yes"},
            {"service_id": s2, "contacted": false, "got_help": "no", "barrier": "cost"}],
        "better_prepared": true, "health_improved": true, "satisfaction": "very_satisfied",
        "would_call_again": true}),
    );
    let f2 = followup(&d, "Sudbury", &[s1], t);
    complete(
        &d,
        &f2,
        json!({"reached": true, "referrals": [
            {"service_id": s1, "contacted": true, "got_help": "partly", "barrier": "hours"}],
        "better_prepared": false, "health_improved": "not_applicable", "satisfaction": "satisfied",
        "would_call_again": false}),
    );
    let f3 = followup(&d, "Kenora", &[s3], t);
    complete(
        &d,
        &f3,
        json!({"reached": true, "referrals": [
            {"service_id": s3, "contacted": false, "got_help": "waitlisted", "barrier": "waitlist"}],
        "better_prepared": true, "health_improved": false, "satisfaction": "very_satisfied",
        "would_call_again": true}),
    );
    // Reached, referred nowhere, no answers.
    let f4 = followup(&d, "kenora", &[], t);
    complete(&d, &f4, json!({"reached": true}));
    // A wrong number: unreachable at once.
    let f5 = followup(&d, "Sudbury", &[s1], t);
    assert_eq!(
        complete(&d, &f5, json!({"reached": false, "result": "wrong_number"}))["state"],
        "unreachable"
    );
    // Not reached: retried in 2 days, which moves its due date.
    let f6 = followup(&d, "Sudbury", &[s1], t);
    let retried = complete(&d, &f6, json!({"reached": false, "result": "no_answer"}));
    assert_eq!(retried["due"], plus_days(t, 2).to_string());
    // Cancelled: never due.
    let f7 = followup(&d, "Sudbury", &[], plus_days(t, 3));
    ok(&d, &["followups", "cancel", &f7], "");
    // Scheduled ten days out.
    followup(&d, "Kenora", &[], plus_days(t, 10));

    let r = report(&d, "outcomes", &[]);
    assert_eq!(
        r,
        json!({
            // f1-f5 are due today; f6 moved to t+2 and f8 is t+10 (not due yet); f7 cancelled.
            "followups_due": 5,
            "followups_completed": 4,
            "reached": 4,
            "unreachable": 1,
            "followed_up_on_referral_pct": 66.7,
            "followed_up_on_referral": {"yes": 2, "of": 3},
            "connected_pct": 50.0,
            "connected": {"yes": 2, "of": 4},
            "better_prepared_pct": 66.7,
            "better_prepared": {"yes": 2, "of": 3},
            "health_improved_pct": 50.0,
            "health_improved": {"yes": 1, "of": 2},
            "very_satisfied_pct": 66.7,
            "very_satisfied": {"yes": 2, "of": 3},
            "would_call_again_pct": 66.7,
            "would_call_again": {"yes": 2, "of": 3},
            "barriers": barriers(&[("cost", 1), ("hours", 1), ("waitlist", 1)]),
            "from": null,
            "to": null,
        })
    );

    // Due dates: inclusive at both ends, the current (retried) date, never cancelled.
    let (today_s, t2, t9, t10) = (
        t.to_string(),
        plus_days(t, 2).to_string(),
        plus_days(t, 9).to_string(),
        plus_days(t, 10).to_string(),
    );
    let due = |args: &[&str]| report(&d, "outcomes", args)["followups_due"].as_u64().unwrap();
    assert_eq!(due(&["--from", &today_s, "--to", &t10]), 7);
    assert_eq!(due(&["--from", &today_s, "--to", &t9]), 6);
    assert_eq!(due(&["--from", &t2, "--to", &t2]), 1);
    assert_eq!(due(&["--from", &t10, "--to", &t10]), 1);
    assert_eq!(due(&["--to", &today_s]), 5);

    // Completed by when the outcome was recorded (today), inclusive.
    let one_day = report(&d, "outcomes", &["--from", &today_s, "--to", &today_s]);
    assert_eq!(
        (one_day["followups_completed"].clone(), one_day["unreachable"].clone()),
        (json!(4), json!(1))
    );
    assert_eq!(one_day["connected"], r["connected"]);
    let yesterday = plus_days(t, -1).to_string();
    let before = report(&d, "outcomes", &["--to", &yesterday]);
    assert_eq!(
        (before["followups_completed"].clone(), before["followups_due"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(before["connected_pct"], Value::Null);
    assert_eq!(before["barriers"], barriers(&[]));
    let tomorrow = plus_days(t, 1).to_string();
    assert_eq!(
        report(&d, "outcomes", &["--from", &tomorrow, "--to", &t10])["reached"],
        0
    );

    // Kenora only (case ignored): f3 and f4 reached, f8 not due yet.
    let kenora = report(&d, "outcomes", &["--municipality", "KENORA"]);
    assert_eq!(
        kenora,
        json!({
            "followups_due": 2, "followups_completed": 2, "reached": 2, "unreachable": 0,
            "followed_up_on_referral_pct": 0.0, "followed_up_on_referral": {"yes": 0, "of": 1},
            "connected_pct": 0.0, "connected": {"yes": 0, "of": 1},
            "better_prepared_pct": 100.0, "better_prepared": {"yes": 1, "of": 1},
            "health_improved_pct": 0.0, "health_improved": {"yes": 0, "of": 1},
            "very_satisfied_pct": 100.0, "very_satisfied": {"yes": 1, "of": 1},
            "would_call_again_pct": 100.0, "would_call_again": {"yes": 1, "of": 1},
            "barriers": barriers(&[("waitlist", 1)]), "from": null, "to": null,
        })
    );
    assert_eq!(
        report(&d, "outcomes", &["--municipality", "Kenora", "--to", &t10])["followups_due"],
        3
    );

    // CSV and table agree with the JSON.
    let csv = csv_report(&d, "outcomes", &[]);
    assert_eq!(csv[&fig("summary", "", "followups_due")], ["5", "", ""]);
    assert_eq!(csv[&fig("summary", "", "unreachable")], ["1", "", ""]);
    assert_eq!(
        csv[&fig("reached", "", "followed_up_on_referral_pct")],
        ["66.7", "2", "3"]
    );
    assert_eq!(csv[&fig("reached", "", "connected_pct")], ["50.0", "2", "4"]);
    assert_eq!(csv[&fig("reached", "", "health_improved_pct")], ["50.0", "1", "2"]);
    assert_eq!(csv[&fig("barriers", "", "hours")], ["1", "", ""]);
    assert_eq!(csv[&fig("barriers", "", "eligibility")], ["0", "", ""]);
    assert_eq!(csv.len(), 2 + 4 + 6 + 8);
    let table = ok(&d, &["report", "outcomes"], "");
    assert!(table.starts_with("Outcomes: all dates\n"), "{table}");
    for line in [
        "Follow-ups due               5",
        "Followed up on the referral  66.7% (2 of 3)",
        "Connected to help            50.0% (2 of 4)",
        "Health improved              50.0% (1 of 2)",
        "hours           1",
    ] {
        assert!(table.contains(line), "{line:?} not in\n{table}");
    }
    // No personal value in any form.
    let all = format!("{table}{}{}", r, ok(&d, &["report", "outcomes", "--format", "csv"], ""));
    assert!(!all.contains("Ana") && !all.contains("0142"), "{all}");
}
