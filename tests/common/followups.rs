//! Helpers for the follow-up tests: a contact with a follow-up, the CLI as a given user,
//! and the tables an outcome writes.

use jiff::civil::{Date, Weekday};
use jiff::Span;
use serde_json::{json, Value};

use super::Data;

pub const TABLES: &[&str] = &["outcomes", "outcome_referrals", "attempts", "followup_notes", "audit"];

pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

pub fn plus_days(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap()
}

/// Computed here rather than by the code under test.
pub fn next_business_day(date: Date) -> Date {
    match date.weekday() {
        Weekday::Friday => plus_days(date, 3),
        Weekday::Saturday => plus_days(date, 2),
        _ => plus_days(date, 1),
    }
}

pub fn food_service(d: &Data) -> String {
    d.search_ids("food", 1).remove(0)
}

pub fn contact(service: &str) -> Value {
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
pub fn add_followup(d: &Data, service: &str) -> (i64, i64) {
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

/// `navigator followups ARGS` as test navigator `user` (see `users`), with `stdin`.
pub fn run(d: &Data, user: &str, args: &[&str], stdin: &str) -> std::process::Output {
    d.nav_as(user)
        .arg("followups")
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap()
}

pub fn ok_json(d: &Data, user: &str, args: &[&str], stdin: &str) -> Value {
    let out = run(d, user, args, stdin);
    serde_json::from_slice(&super::succeeded(out, &format!("followups {args:?}"))).unwrap()
}

pub fn queue(d: &Data, view: &str) -> Vec<Value> {
    let out = run(d, "alice", &[view, "--json"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn db(d: &Data) -> rusqlite::Connection {
    d.db()
}

/// Rows in each table an outcome writes.
pub fn counts(d: &Data) -> Vec<i64> {
    d.row_counts(TABLES)
}

pub fn reached(service: &str) -> String {
    json!({"reached": true,
           "referrals": [{"service_id": service, "contacted": true, "got_help": "yes"}],
           "better_prepared": true, "health_improved": "not_applicable",
           "satisfaction": "satisfied", "would_call_again": true,
           "notes": "found a place with her sister"})
    .to_string()
}
