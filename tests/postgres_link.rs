//! A broken link to PostgreSQL: the cluster stopped while a save waits for it, and in the
//! middle of a save (its rows written, its COMMIT not yet sent), then started again.
//! Nothing is half-written and the save completes after reconnecting, once; with
//! the database gone for longer than the store's patience, the CLI exits 75 with a clear
//! message. In its own test binary: it stops the shared test cluster, which no other test
//! may be using meanwhile. Skipped without a test cluster.

mod common;

use std::time::Duration;

use common::servers::Servers;
use serde_json::{json, Value};

fn ctl(action: &str) {
    let script =
        std::env::var("NAVIGATOR_TEST_PG_CTL").expect("NAVIGATOR_TEST_PG_CTL names the cluster's stop/start script");
    let status = std::process::Command::new(script).arg(action).status().unwrap();
    assert!(status.success(), "pg {action}");
}

#[test]
fn a_save_survives_the_database_going_away_and_coming_back() {
    let Some(s) = Servers::new() else { return };
    if std::env::var("NAVIGATOR_TEST_PG_CTL").is_err() {
        eprintln!("skipping: NAVIGATOR_TEST_PG_CTL is not set (.ci/run sets it)");
        return;
    }
    let input = json!({"channel": "phone", "needs": [{"category": "food", "met": true},
        {"category": "housing", "met": false, "unmet_reason": "cost"}],
        "notes": "rent"});
    s.add_contact(1, "ana", &input);
    // This server has its index (casework never builds it; the first search does).
    let out = s.nav(1, "ana").args(["search", "food", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body = input.to_string();

    // Gone for longer than the patience: exit 75, saying the database cannot be reached.
    ctl("stop");
    let out = s
        .nav(1, "ana")
        .env("NAVIGATOR_DATABASE_PATIENCE_SECS", "1")
        .args(["contacts", "add", "--json"])
        .write_stdin(body.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(75), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot be reached") && !stderr.contains("rent"),
        "{stderr}"
    );

    // Search never needs the database: this server's index answers, with a warning.
    let out = s.nav(1, "ana").args(["search", "food", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 0);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("searching this server's index"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Gone for a moment while a save is waiting: it completes once the database is back.
    let saver = std::thread::spawn({
        let mut cmd = s.nav(1, "ana");
        cmd.env("NAVIGATOR_DATABASE_PATIENCE_SECS", "60")
            .args(["contacts", "add", "--json"])
            .write_stdin(body.clone());
        move || cmd.output().unwrap()
    });
    std::thread::sleep(Duration::from_secs(2));
    ctl("start");
    let out = saver.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["needs"].as_array().unwrap().len(), 2);

    // Stopped in the middle of a save: the contact's rows are written and its COMMIT is
    // held back (a test hook), when the server goes down. The transaction dies with the
    // connection, so nothing of it is stored; the store reconnects and saves it, whole
    // and once.
    let saver = std::thread::spawn({
        let mut cmd = s.nav(1, "ana");
        cmd.env("NAVIGATOR_DATABASE_PATIENCE_SECS", "60")
            .env("NAVIGATOR_TEST_PAUSE_BEFORE_COMMIT_MS", "2000")
            .args(["contacts", "add", "--json"])
            .write_stdin(body.clone());
        move || cmd.output().unwrap()
    });
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    let waited = std::time::Instant::now();
    loop {
        // A transaction, idle before its COMMIT, that has inserted needs: the save.
        let mid_save: i64 = db
            .query_one(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                 JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE c.relname = 'needs' AND l.mode = 'RowExclusiveLock'
                   AND a.state = 'idle in transaction' AND a.datname = current_database()",
                &[],
            )
            .unwrap()
            .get(0);
        if mid_save > 0 {
            break;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "the save never reached its COMMIT"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let contacts: i64 = db.query_one("SELECT count(*) FROM contacts", &[]).unwrap().get(0);
    assert_eq!(contacts, 2, "the save in progress is not visible before its commit");
    drop(db);
    ctl("stop");
    ctl("start");
    let out = saver.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["needs"].as_array().unwrap().len(), 2);
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    let count = |db: &mut postgres::Client, sql: &str| -> i64 { db.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(count(&mut db, "SELECT count(*) FROM contacts"), 3, "saved once");
    let id = saved["id"].as_i64().unwrap();
    let needs: i64 = db
        .query_one("SELECT count(*) FROM needs WHERE contact_id = $1", &[&id])
        .unwrap()
        .get(0);
    assert_eq!(needs, 2, "saved whole");
    drop(db);

    // Stopped in the middle of a save of many rows (a long import here), then started:
    // the import either committed whole or left nothing.
    let synth = s.synth(4000);
    let import = std::thread::spawn({
        let mut cmd = s.nav(1, "ana");
        cmd.env("NAVIGATOR_DATABASE_PATIENCE_SECS", "2")
            .args(["import", "--replace"])
            .arg(&synth);
        move || cmd.output().unwrap()
    });
    std::thread::sleep(Duration::from_millis(1500));
    ctl("stop");
    ctl("start");
    let out = import.join().unwrap();
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    let services: i64 = db.query_one("SELECT count(*) FROM services", &[]).unwrap().get(0);
    if out.status.success() {
        assert_eq!(services, 4000);
    } else {
        assert_eq!(out.status.code(), Some(75), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            services == 500 || services == 4000,
            "half an import: {services} services"
        );
    }
    // Every contact whole: two needs each, none without its needs.
    let contacts: i64 = db.query_one("SELECT count(*) FROM contacts", &[]).unwrap().get(0);
    let needs: i64 = db.query_one("SELECT count(*) FROM needs", &[]).unwrap().get(0);
    assert_eq!((contacts, needs), (3, 6));
}
