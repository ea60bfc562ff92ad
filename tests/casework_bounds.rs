//! Casework input is bounded and its errors name the field: at most 20 needs and 20
//! referrals, dates within a sane window, bounded strings and input size, JSON type errors
//! as `needs[2].met: expected true or false` (never repeating the value), a UTF-8 byte-order
//! mark accepted; and idempotency keys make a retried `contacts add` or `followups
//! complete` safe.

mod common;

use common::Data;
use serde_json::{json, Value};

fn add(d: &Data, args: &[&str], body: &str) -> std::process::Output {
    d.nav()
        .args(["contacts", "add", "--json"])
        .args(args)
        .write_stdin(body.to_string())
        .output()
        .unwrap()
}

fn contacts(d: &Data) -> i64 {
    d.row_counts(&["contacts"])[0]
}

fn refused(d: &Data, body: &str, expected: &str) {
    let before = contacts(d);
    let out = add(d, &[], body);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{body:.200}: {stderr}");
    assert!(stderr.contains(expected), "expected {expected:?}, got: {stderr}");
    assert_eq!(contacts(d), before, "nothing written");
}

fn need() -> Value {
    json!({"category": "food", "met": true})
}

#[test]
fn json_type_errors_name_the_field_and_not_the_value() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let body = json!({"channel": "phone", "needs": [need(), need(), {"category": "food", "met": "Zelda"}]});
    refused(&d, &body.to_string(), "needs[2].met: expected true or false");
    let out = add(&d, &[], &body.to_string());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Zelda"));
    let body = json!({"channel": "phone", "needs": [need()], "follow_up": {"consent": true, "phone": 7055550142u64}});
    refused(&d, &body.to_string(), "follow_up.phone: expected a string");
    refused(&d, r#"{"channel":"phone","needs":{}}"#, "needs: expected a list");

    // A byte-order mark (as Windows editors write) is fine.
    let body = format!("\u{feff}{}", json!({"channel": "phone", "needs": [need()]}));
    let out = add(&d, &[], &body);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The same for an outcome.
    let service = common::followups::food_service(&d);
    let (id, _) = common::followups::add_followup(&d, &service);
    let out = d
        .nav()
        .args(["followups", "complete", &id.to_string(), "--json"])
        .write_stdin(r#"{"reached": "yes"}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reached: expected true or false"));
}

#[test]
fn counts_dates_lengths_and_size_are_bounded() {
    let d = Data::new();
    let service = common::followups::food_service(&d);
    let many_needs: Vec<Value> = (0..21).map(|_| need()).collect();
    refused(
        &d,
        &json!({"channel": "phone", "needs": many_needs}).to_string(),
        "needs: at most 20 needs (21 given)",
    );
    let many_refs: Vec<String> = (0..21).map(|i| format!("svc-{i}")).collect();
    refused(
        &d,
        &json!({"channel": "phone", "needs": [need()], "referrals": many_refs}).to_string(),
        "referrals: at most 20 referrals (21 given)",
    );
    refused(
        &d,
        &json!({"channel": "phone", "needs": [need()], "referrals": ["x".repeat(300)]}).to_string(),
        "referrals[0]: expected a service id of at most 200 characters",
    );
    for when in ["1999-12-31T23:00:00Z", "2999-01-01T00:00:00Z"] {
        refused(
            &d,
            &json!({"channel": "phone", "needs": [need()], "started_at": when}).to_string(),
            "started_at: expected a time from 2000-01-01 to ",
        );
    }
    let far = common::followups::plus_days(common::followups::today(), 400).to_string();
    refused(
        &d,
        &json!({"channel": "phone", "needs": [need()], "referrals": [service],
                "follow_up": {"consent": true, "due": far, "first_name": "Ana", "phone": "705-555-0142"}})
        .to_string(),
        "follow_up.due: at most 365 days ahead",
    );
    let huge = json!({"channel": "phone", "needs": [need()], "notes": "n".repeat(300_000)}).to_string();
    refused(&d, &huge, "stdin: too long (");
}

#[test]
fn a_retried_contact_with_its_key_is_saved_once() {
    let d = Data::new();
    let service = common::followups::food_service(&d);
    let body = common::followups::contact(&service).to_string();
    let key = ["--idempotency-key", "6f1c2a4e-retry-1"];
    let first = common::succeeded(add(&d, &key, &body), "first");
    // The script was killed before it read the answer; it retries with the same key.
    let again = common::succeeded(add(&d, &key, &body), "retry");
    assert_eq!(first, again, "the same answer");
    assert_eq!(contacts(&d), 1);
    // The same key for another contact is refused; another key is another contact.
    let other = json!({"channel": "chat", "needs": [need()]}).to_string();
    let out = add(&d, &key, &other);
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--idempotency-key: already used"));
    common::succeeded(add(&d, &["--idempotency-key", "another"], &other), "another key");
    assert_eq!(contacts(&d), 2);
    let out = add(&d, &["--idempotency-key", "has space"], &other);
    assert_eq!(out.status.code(), Some(65));

    // Follow-up outcomes too.
    let saved: Value = serde_json::from_slice(&first).unwrap();
    let id = saved["follow_up"]["id"].as_i64().unwrap().to_string();
    let outcome = common::followups::reached(&service);
    let complete = |key: &str, body: &str| {
        d.nav()
            .args(["followups", "complete", &id, "--json", "--idempotency-key", key])
            .write_stdin(body.to_string())
            .output()
            .unwrap()
    };
    let done = common::succeeded(complete("call-1", &outcome), "complete");
    let retried = common::succeeded(complete("call-1", &outcome), "retried complete");
    assert_eq!(done, retried);
    assert_eq!(d.row_counts(&["outcomes"]), [1]);
    let audit = d.json_lines(&["admin", "audit", "--json"]);
    assert_eq!(audit.iter().filter(|r| r["action"] == "followup.complete").count(), 1);
    // Without a key the retry is what it always was: already completed.
    let out = d
        .nav()
        .args(["followups", "complete", &id, "--json"])
        .write_stdin(outcome)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
}
