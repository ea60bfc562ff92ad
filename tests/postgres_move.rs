//! `admin move-to-postgres`: an office's SQLite catalogue and casework copied into
//! PostgreSQL, a non-empty target refused unless --merge, counts verified, and a second
//! run after an interruption finishing the move without copying anything twice.
//! Skipped without a test cluster.

mod common;

use common::servers::Servers;
use common::Data;
use serde_json::{json, Value};

fn add(d: &Data, first_name: &str) {
    // Not due for most of a year (follow-ups may be at most 365 days ahead).
    let due = common::followups::plus_days(common::followups::today(), 300).to_string();
    let body = json!({"channel": "phone", "needs": [{"category": "food", "met": true}],
        "follow_up": {"consent": true, "due": due, "first_name": first_name, "phone": "705-555-0142"},
        "notes": "moved"});
    let out = d
        .nav()
        .args(["contacts", "add", "--json"])
        .write_stdin(body.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn moved(d: &Data, url: &str, extra: &[&str]) -> std::process::Output {
    d.nav()
        .args(["admin", "move-to-postgres", url, "--json"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn two_offices_move_into_one_database() {
    let Some(s) = Servers::new() else { return };
    let url = s.url_text();
    let sudbury = Data::new();
    for name in ["Ana", "Bea", "Cy"] {
        add(&sudbury, name);
    }
    let id = sudbury.json_lines(&["followups", "due", "--json"]).len();
    assert_eq!(id, 0, "due in 300 days");
    let out = moved(&sudbury, &url, &["--office", "Sudbury"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["contacts"].as_u64(), report["followups"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(report["services"].as_u64(), Some(500));

    // Run again (as after an interruption): nothing is copied twice.
    let again = moved(&sudbury, &url, &["--office", "Sudbury"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (report["contacts"].as_u64(), report["already_moved"].as_u64()),
        (Some(0), Some(3))
    );

    // A second office: refused without --merge, then merged with ids of its own.
    let ottawa = Data::new();
    add(&ottawa, "Dee");
    let refused = moved(&ottawa, &url, &["--office", "Ottawa"]);
    assert_eq!(
        refused.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--merge"));
    let merged = moved(&ottawa, &url, &["--office", "Ottawa", "--merge"]);
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));

    // Served from PostgreSQL now: four contacts, their offices, personal data and audit.
    let on_pg = s.nav(1, "ana").args(["contacts", "list", "--json"]).output().unwrap();
    let contacts: Vec<Value> = String::from_utf8_lossy(&on_pg.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let offices: Vec<&str> = contacts.iter().map(|c| c["office"].as_str().unwrap()).collect();
    assert_eq!(offices, ["Sudbury", "Sudbury", "Sudbury", "Ottawa"]);
    let dee = contacts[3]["id"].as_i64().unwrap().to_string();
    // Ana may read callers' details.
    std::fs::write(
        s.path().join("system-config.toml"),
        format!(
            "[privacy]\npersonal_data_readers = [{:?}]\n",
            common::users::account("ana")
        ),
    )
    .unwrap();
    let shown = s
        .nav(1, "ana")
        .args(["contacts", "show", &dee, "--json"])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["personal"]["first_name"], "Dee");
    let audit = s.nav(1, "ana").args(["admin", "audit", "--json"]).output().unwrap();
    let records: Vec<String> = String::from_utf8_lossy(&audit.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["action"] == "contact.create")
        .map(|v| v["record"].as_str().unwrap().to_string())
        .collect();
    assert!(records.contains(&format!("contact:{dee}")), "{records:?}");
    assert_eq!(records.len(), 4);
}
