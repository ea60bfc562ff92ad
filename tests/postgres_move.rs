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

#[test]
fn a_move_killed_half_way_is_finished_by_running_it_again() {
    let Some(s) = Servers::new() else { return };
    let url = s.url_text();
    let sudbury = Data::new();
    for name in ["Ana", "Bea", "Cy"] {
        add(&sudbury, name);
    }
    // Every write to PostgreSQL waits 2 s before its COMMIT (a test hook), so the move can
    // be killed after the catalogue is in and before the contacts are.
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("navigator"));
    first
        .arg("--data-dir")
        .arg(sudbury.path().join("data"))
        .args(["admin", "move-to-postgres", &url, "--office", "Sudbury", "--json"])
        .env("NAVIGATOR_CONFIG_DIR", sudbury.path().join("config"))
        .env("NAVIGATOR_SYSTEM_CONFIG", sudbury.path().join("system-config.toml"))
        .env("NAVIGATOR_NO_PROGRESS", "1")
        .env("NAVIGATOR_TEST_PAUSE_BEFORE_COMMIT_MS", "2000")
        .env_remove("NAVIGATOR_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = first.spawn().unwrap();
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    let count = |db: &mut postgres::Client, table: &str| -> i64 {
        // The target's tables appear when the move opens it.
        db.query_opt(&format!("SELECT count(*) FROM {table}"), &[])
            .ok()
            .flatten()
            .map_or(0, |r| r.get(0))
    };
    let started = std::time::Instant::now();
    while count(&mut db, "services") == 0 {
        assert!(started.elapsed().as_secs() < 60, "the catalogue never arrived");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the move ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(count(&mut db, "services"), 500);
    assert_eq!(count(&mut db, "contacts"), 0, "killed before the contacts were in");

    // Run again: the catalogue is there, so --merge says this is the same office carrying
    // on; everything arrives once and the counts are verified.
    let again = moved(&sudbury, &url, &["--office", "Sudbury", "--merge"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (report["contacts"].as_u64(), report["followups"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        (
            count(&mut db, "services"),
            count(&mut db, "contacts"),
            count(&mut db, "followups"),
            count(&mut db, "personal_data")
        ),
        (500, 3, 3, 3)
    );
    let once = moved(&sudbury, &url, &["--office", "Sudbury"]);
    assert!(once.status.success(), "{}", String::from_utf8_lossy(&once.stderr));
    let report: Value = serde_json::from_slice(&once.stdout).unwrap();
    assert_eq!(
        (report["contacts"].as_u64(), report["already_moved"].as_u64()),
        (Some(0), Some(3))
    );
}
