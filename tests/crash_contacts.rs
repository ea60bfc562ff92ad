//! A contact save killed at any moment loses nothing that was reported saved and leaves no
//! partial record: each contact is written in one transaction, with its needs, referrals,
//! personal data and follow-up, or not at all.

mod common;

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::Data;
use serde_json::{json, Value};

/// A small deterministic generator, seeded per run and printed, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn spawn_add(d: &Data, body: &str) -> Child {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("navigator"))
        .arg("--data-dir")
        .arg(d.path().join("data"))
        .args(["contacts", "add", "--json"])
        .env("NAVIGATOR_CONFIG_DIR", d.path().join("config"))
        .env("NAVIGATOR_SYSTEM_CONFIG", d.path().join("system-config.toml"))
        .env("NAVIGATOR_NO_PROGRESS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(body.as_bytes());
    drop(stdin);
    child
}

#[test]
fn sigkill_during_contact_saves_keeps_every_reported_contact_whole() {
    let d = Data::new();
    let services: Vec<String> = d
        .json_lines(&["search", "food", "--json", "--limit", "2"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let today = jiff::ZonedDateTime::now().date().to_string();
    let body = json!({
        "channel": "phone",
        "needs": [{"category": "food", "met": true},
                  {"category": "housing", "met": false, "unmet_reason": "cost"},
                  {"category": "income", "met": true}],
        "referrals": services,
        "follow_up": {"consent": true, "due": today, "first_name": "Ana", "phone": "705-555-0100"},
        "notes": "called about groceries"
    })
    .to_string();

    // How long one save takes here, so the kills land before, during and after it.
    let timing = std::time::Instant::now();
    for _ in 0..3 {
        assert!(spawn_add(&d, &body).wait().unwrap().success());
    }
    let typical = (timing.elapsed() / 3).as_micros() as u64;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("seed {seed}, a save takes about {typical} us");
    let mut rng = Lcg(seed);
    let mut reported: Vec<i64> = Vec::new();
    let (mut killed, mut finished) = (0, 0);
    for _round in 0..12 {
        // Several writers at once, as in an office; each is killed at a random moment of
        // its run (or left to finish).
        let mut children: Vec<(Child, std::time::Instant, Option<Duration>)> = (0..4)
            .map(|_| {
                let kill_after = (rng.next(5) != 0).then(|| Duration::from_micros(rng.next(typical * 3 / 2 + 1)));
                let child = spawn_add(&d, &body);
                (child, std::time::Instant::now(), kill_after)
            })
            .collect();
        children.sort_by_key(|(_, spawned, after)| after.map(|a| *spawned + a));
        for (child, spawned, after) in &mut children {
            if let Some(after) = after {
                let at = *spawned + *after;
                if let Some(rest) = at.checked_duration_since(std::time::Instant::now()) {
                    std::thread::sleep(rest);
                }
                let _ = child.kill();
            }
        }
        for (child, _, _) in children {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                finished += 1;
                let saved: Value = serde_json::from_slice(&out.stdout).expect("exit 0 printed the saved contact");
                reported.push(saved["id"].as_i64().unwrap());
            } else {
                killed += 1;
            }
        }
    }
    eprintln!("{finished} saves reported, {killed} killed or failed");
    assert!(!reported.is_empty(), "some saves ran to the end");

    let conn = rusqlite::Connection::open(d.path().join("data/navigator.db")).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let count = |sql: &str, id: i64| -> i64 { conn.query_row(sql, [id], |r| r.get(0)).unwrap() };
    for id in &reported {
        assert_eq!(
            count("SELECT count(*) FROM contacts WHERE id = ?1", *id),
            1,
            "contact {id} lost"
        );
        assert_eq!(
            count("SELECT count(*) FROM needs WHERE contact_id = ?1", *id),
            3,
            "contact {id}'s needs"
        );
        assert_eq!(
            count("SELECT count(*) FROM referrals WHERE contact_id = ?1", *id),
            2,
            "contact {id}'s referrals"
        );
        assert_eq!(
            count("SELECT count(*) FROM personal_data WHERE contact_id = ?1", *id),
            1
        );
        assert_eq!(count("SELECT count(*) FROM followups WHERE contact_id = ?1", *id), 1);
    }
    // Every contact in the database, reported or not (killed after the commit), is whole.
    let partial: i64 = conn
        .query_row(
            "SELECT count(*) FROM contacts c WHERE
               (SELECT count(*) FROM needs n WHERE n.contact_id = c.id) <> 3
            OR (SELECT count(*) FROM referrals r WHERE r.contact_id = c.id) <> 2
            OR NOT EXISTS (SELECT 1 FROM followups f WHERE f.contact_id = c.id)
            OR NOT EXISTS (SELECT 1 FROM personal_data p WHERE p.contact_id = c.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(partial, 0, "partial contacts in the database");
    let orphans: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM needs WHERE contact_id NOT IN (SELECT id FROM contacts))
                  + (SELECT count(*) FROM referrals WHERE contact_id NOT IN (SELECT id FROM contacts))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    // Each committed contact has its audit row, in the same transaction.
    let unaudited: i64 = conn
        .query_row(
            "SELECT count(*) FROM contacts c WHERE NOT EXISTS
               (SELECT 1 FROM audit a WHERE a.action = 'contact.create' AND a.record = 'contact:' || c.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unaudited, 0);
    drop(conn);

    // And the next save works.
    let out = spawn_add(&d, &body).wait_with_output().unwrap();
    assert!(out.status.success());
}
