//! `navigator export contacts`: no personal value leaves the store in a de-identified
//! export (CSV or JSON Lines); `--with-personal-data` is refused (77) unless the user is
//! listed in `[privacy] personal_data_readers`; every export is audited with counts only.

mod common;

use common::users::{account, skip_without_root};
use common::Data;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use serde_json::{json, Value};

/// UTC-5 without daylight saving (local midnight is 05:00Z).
const TZ: &str = "<-05>5";
const USER: &str = "navuser-qx";

/// Personal values seeded below; none may appear in a de-identified export.
const SECRETS: &[&str] = &[
    "Zephyrine",
    "Quillon",
    "613-555-0187",
    "6135550187",
    "555-0187",
    "249-555-0163",
    "555-0163",
    "after Vespertine hour",
    "Vespertine",
    "Obscurantist",
    "cousin Marguerite-Xu",
    "Palimpsest",
];

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(TimeZone::fixed(Offset::constant(-5)))
        .date()
}

fn run_as(d: &Data, user: &str, args: &[&str], stdin: &str) -> std::process::Output {
    d.nav_as(user)
        .env("TZ", TZ)
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap()
}

fn ok(d: &Data, args: &[&str], stdin: &str) -> String {
    let out = run_as(d, USER, args, stdin);
    String::from_utf8(common::succeeded(out, &format!("navigator {args:?}"))).unwrap()
}

fn add(d: &Data, contact: Value) -> Value {
    serde_json::from_str(&ok(d, &["contacts", "add", "--json"], &contact.to_string())).unwrap()
}

/// Three contacts: one with a follow-up completed (notes on the call too), one with a
/// follow-up scheduled, one without; personal values everywhere they can go.
fn seed(d: &Data) -> Vec<String> {
    let s = d.search_ids("food", 2);
    let due = today().to_string();
    let first = add(
        d,
        json!({
            "channel": "phone", "language": "fr", "municipality": "Sudbury", "postal_fsa": "P3A",
            "age_group": "25-44", "started_at": "2026-01-15T14:00:00Z", "ended_at": "2026-01-15T14:20:00Z",
            "needs": [{"category": "food", "met": true, "taxonomy_code": "BD-1800"},
                      {"category": "housing", "met": false, "unmet_reason": "waitlist"}],
            "referrals": [s[0], s[1]],
            "follow_up": {"consent": true, "due": due, "first_name": "Zephyrine",
                          "phone": "(613) 555-0187", "best_time": "after Vespertine hour"},
            "notes": "Obscurantist, \"quoted\"\nsecond line",
        }),
    );
    let id = first["follow_up"]["id"].as_i64().unwrap().to_string();
    let outcome = json!({"reached": true,
        "referrals": [{"service_id": s[0], "contacted": true, "got_help": "yes"},
                      {"service_id": s[1], "contacted": false, "got_help": "no", "barrier": "cost"}],
        "notes": "staying with cousin Marguerite-Xu"});
    ok(d, &["followups", "complete", &id, "--json"], &outcome.to_string());
    add(
        d,
        json!({
            "channel": "chat", "municipality": "Kenora", "started_at": "2026-01-20T04:59:59Z",
            "needs": [{"category": "legal", "met": false, "unmet_reason": "cost"}],
            "follow_up": {"consent": true, "due": due, "first_name": "Quillon", "phone": "249-555-0163"},
            "notes": "Palimpsest",
        }),
    );
    add(
        d,
        json!({"channel": "walk-in", "started_at": "2026-01-20T05:00:00Z",
               "needs": [{"category": "income", "met": true}]}),
    );
    s
}

/// The cells of `record` in `range`.
fn cells(record: &csv::StringRecord, range: impl std::ops::RangeBounds<usize>) -> Vec<&str> {
    record
        .iter()
        .enumerate()
        .filter(|(i, _)| range.contains(i))
        .map(|(_, c)| c)
        .collect()
}

/// No personal value, and not the navigator's account either.
fn assert_no_secrets(text: &str) {
    for secret in SECRETS.iter().copied().chain([account(USER).as_str()]) {
        assert!(!text.contains(secret), "{secret:?} leaked:\n{text}");
    }
}

fn audit(d: &Data) -> Vec<Value> {
    ok(d, &["admin", "audit", "--json"], "")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["action"].as_str().unwrap().starts_with("export."))
        .collect()
}

#[test]
fn de_identified_exports_carry_no_personal_value() {
    let d = Data::shared();
    let s = seed(&d);

    let text = ok(&d, &["export", "contacts", "--format", "json"], "");
    assert_no_secrets(&text);
    let rows: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        json!({
            "contact_id": 1, "started_at": "2026-01-15", "channel": "phone", "language": "fr",
            "municipality": "Sudbury", "postal_fsa": "P3A", "age_group": "25-44",
            "category": "food", "met": true, "unmet_reason": null, "taxonomy_code": "BD-1800",
            "referrals": [s[0], s[1]], "followup_state": "completed", "outcome_result": "reached",
        })
    );
    assert_eq!(rows[1]["category"], "housing");
    assert_eq!(rows[1]["met"], false);
    assert_eq!(rows[1]["unmet_reason"], "waitlist");
    // 04:59:59Z is still the day before in UTC-5.
    assert_eq!(rows[2]["started_at"], "2026-01-19");
    assert_eq!(rows[2]["referrals"], json!([]));
    assert_eq!(rows[2]["followup_state"], "scheduled");
    assert_eq!(rows[2]["outcome_result"], Value::Null);
    assert_eq!(rows[3]["started_at"], "2026-01-20");
    assert_eq!(rows[3]["followup_state"], Value::Null);
    for row in &rows {
        let keys = row.as_object().unwrap();
        for personal in ["first_name", "phone", "best_time", "notes", "navigator"] {
            assert!(!keys.contains_key(personal), "{personal} in {row}");
        }
    }

    let text = ok(&d, &["export", "contacts", "--format", "csv"], "");
    assert_no_secrets(&text);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "contact_id",
            "started_at",
            "channel",
            "language",
            "municipality",
            "postal_fsa",
            "age_group",
            "category",
            "met",
            "unmet_reason",
            "taxonomy_code",
            "referrals",
            "followup_state",
            "outcome_result",
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 4);
    assert_eq!(records[0][11], format!("{};{}", s[0], s[1]));
    assert_eq!(cells(&records[1], 7..10), ["housing", "false", "waitlist"]);
    assert_eq!(records[3][4].len(), 0);

    // Inclusive local dates.
    let count = |args: &[&str]| {
        let mut all = vec!["export", "contacts", "--format", "json"];
        all.extend(args);
        ok(&d, &all, "").lines().count()
    };
    assert_eq!(count(&["--from", "2026-01-15", "--to", "2026-01-19"]), 3);
    assert_eq!(count(&["--from", "2026-01-16", "--to", "2026-01-19"]), 1);
    assert_eq!(count(&["--from", "2026-01-20"]), 1);
    assert_eq!(count(&["--to", "2026-01-14"]), 0);

    // Audited, counts only.
    let rows = audit(&d);
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["action"] == "export.contacts"));
    assert_eq!(rows[0]["record"], "contacts=3 rows=4");
    assert_eq!(rows[0]["user"], account(USER));
    assert_eq!(rows[5]["record"], "contacts=0 rows=0");

    // Bad dates name the option; nothing is exported or audited.
    let out = run_as(
        &d,
        USER,
        &["export", "contacts", "--format", "csv", "--to", "2026-1-5"],
        "",
    );
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--to: "));
    assert!(out.stdout.is_empty());
    assert_eq!(audit(&d).len(), 6);
}

#[test]
fn personal_data_only_for_listed_readers() {
    if skip_without_root("personal_data_only_for_listed_readers") {
        return;
    }
    let d = Data::shared();
    let alice = account("alice");
    seed(&d);
    let args = ["export", "contacts", "--format", "csv", "--with-personal-data"];

    // No [privacy] section: nobody.
    let out = run_as(&d, USER, &args, "");
    assert_eq!(out.status.code(), Some(77));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("personal_data_readers"), "{stderr}");
    assert_no_secrets(&stderr.replace(&account(USER), ""));

    // Listed in the system file, but the user's file overrides the list.
    std::fs::write(
        d.path().join("system-config.toml"),
        format!("[privacy]\npersonal_data_readers = [\"{}\"]\n", account(USER)),
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(
        d.path().join("config/config.toml"),
        format!("[privacy]\npersonal_data_readers = [\"{}\"]\n", account("alice")),
    )
    .unwrap();
    assert_eq!(run_as(&d, USER, &args, "").status.code(), Some(77));
    assert!(audit(&d).is_empty());

    // Alice is listed.
    let out = run_as(&d, "alice", &args, "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[14..], ["first_name", "phone", "notes"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        cells(&records[0], 14..),
        ["Zephyrine", "613-555-0187", "Obscurantist, \"quoted\"\nsecond line"]
    );
    assert_eq!(cells(&records[2], 14..), ["Quillon", "249-555-0163", "Palimpsest"]);
    assert_eq!(cells(&records[3], 14..), ["", "", ""]);
    // Still never the best time, follow-up call notes or the navigator.
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    for never in ["Vespertine", "Marguerite-Xu", &account(USER)] {
        assert!(!text.contains(never), "{never}");
    }

    let out = run_as(
        &d,
        "alice",
        &["export", "contacts", "--format", "json", "--with-personal-data"],
        "",
    );
    assert!(out.status.success());
    let first: Value = serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["first_name"], "Zephyrine");
    assert_eq!(first["phone"], "613-555-0187");
    assert_eq!(first["category"], "food");

    let rows = audit(&d);
    let actions: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["user"].as_str().unwrap(),
                r["action"].as_str().unwrap(),
                r["record"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            (alice.as_str(), "export.contacts", "contacts=3 rows=4"),
            (alice.as_str(), "export.personal", "contacts=3 rows=4"),
            (alice.as_str(), "export.contacts", "contacts=3 rows=4"),
            (alice.as_str(), "export.personal", "contacts=3 rows=4"),
        ]
    );
    // The de-identified export stays open to everyone.
    let out = run_as(&d, USER, &["export", "contacts", "--format", "json"], "");
    assert!(out.status.success());
    assert_no_secrets(&String::from_utf8_lossy(&out.stdout));
}
