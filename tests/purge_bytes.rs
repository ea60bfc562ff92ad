//! A purge removes the values from the files, not only from the rows: after `admin purge`
//! no purged value is in any byte of any file in the data directory (`navigator.db`, its
//! `-wal` and `-shm`, the index, the log), whether or not other processes have the database
//! open, and a reader that holds an old snapshot for a while only delays it. The same for
//! a discarded draft.

mod common;

use std::path::Path;
use std::time::Duration;

use common::Data;
use serde_json::json;

/// Distinctive values no other byte in the data directory could contain.
const SECRETS: &[&str] = &[
    "Quorblethwaite",
    "807-555-0166",
    "Vesperhour",
    "Xanthippe-Marrowbone",
    "Glimmerwick-Ostrander",
    "Draftling-Pemberquist",
];

/// Every file under `dir` that contains one of the secrets: (file, secret).
fn found(dir: &Path) -> Vec<(String, String)> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else { continue };
        for secret in SECRETS {
            if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
                hits.push((path.display().to_string(), secret.to_string()));
            }
        }
    }
    hits
}

/// Writes every secret: a contact with a follow-up that is then completed with notes, a
/// contact with notes only, and a draft saved many times, as the form does while typing.
fn seed(d: &Data) {
    let service = common::followups::food_service(d);
    let due = common::followups::today().to_string();
    let contact = json!({
        "channel": "phone", "started_at": "2025-01-10T15:00:00Z", "ended_at": "2025-01-10T15:10:00Z",
        "needs": [{"category": "food", "met": true}], "referrals": [service],
        "follow_up": {"consent": true, "due": due, "first_name": "Quorblethwaite",
                      "phone": "807-555-0166", "best_time": "Vesperhour"},
        "notes": "Xanthippe-Marrowbone",
    });
    let saved: serde_json::Value = serde_json::from_slice(&common::succeeded(
        d.nav()
            .args(["contacts", "add", "--json"])
            .write_stdin(contact.to_string())
            .output()
            .unwrap(),
        "contacts add",
    ))
    .unwrap();
    let id = saved["follow_up"]["id"].as_i64().unwrap().to_string();
    let outcome = json!({"reached": true,
        "referrals": [{"service_id": service, "contacted": true, "got_help": "yes"}],
        "notes": "Glimmerwick-Ostrander"});
    common::succeeded(
        d.nav()
            .args(["followups", "complete", &id, "--json"])
            .write_stdin(outcome.to_string())
            .output()
            .unwrap(),
        "followups complete",
    );
    let mut store = navigator::store::Store::open(&d.path().join("data/navigator.db")).unwrap();
    for n in 0..40 {
        let body = json!({"first_name": format!("Draftling-Pemberquist {n}")}).to_string();
        store.save_draft("someone", "contact", &body).unwrap();
    }
    assert!(!found(&d.path().join("data")).is_empty(), "the secrets were written");
    // The purge takes what is older than now, to the second.
    std::thread::sleep(Duration::from_millis(1100));
}

fn purge(d: &Data) -> std::process::Output {
    d.nav()
        .args(["admin", "purge", "--older-than", "0d", "--json"])
        .output()
        .unwrap()
}

#[test]
fn a_purge_leaves_no_purged_byte_in_any_file() {
    let d = Data::new();
    seed(&d);
    let out = purge(&d);
    let report: serde_json::Value = serde_json::from_slice(&common::succeeded(out, "purge")).unwrap();
    assert_eq!(
        (
            report["personal_data"].as_u64(),
            report["followup_notes"].as_u64(),
            report["drafts"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(report["files_clean"], true);
    assert_eq!(found(&d.path().join("data")), Vec::<(String, String)>::new());
}

#[test]
fn a_purge_with_other_connections_open_leaves_no_purged_byte() {
    let d = Data::new();
    seed(&d);
    // Another navigator's connection, open and idle, and one in the middle of a read that
    // finishes a second into the purge.
    let idle = d.db();
    idle.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let reading = std::thread::spawn({
        let conn = d.db();
        move || {
            conn.execute_batch("BEGIN").unwrap();
            conn.query_row("SELECT count(*) FROM personal_data", [], |r| r.get::<_, i64>(0))
                .unwrap();
            std::thread::sleep(Duration::from_millis(1500));
            conn.execute_batch("COMMIT").unwrap();
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    let out = purge(&d);
    reading.join().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&common::succeeded(out, "purge")).unwrap();
    assert_eq!(report["files_clean"], true);
    assert_eq!(found(&d.path().join("data")), Vec::<(String, String)>::new());
    drop(idle);
}

#[test]
fn a_discarded_draft_leaves_no_byte_behind() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let other = d.db();
    let mut store = navigator::store::Store::open(&d.path().join("data/navigator.db")).unwrap();
    for n in 0..40 {
        let body = json!({"first_name": format!("Draftling-Pemberquist {n}"), "notes": "Xanthippe-Marrowbone"});
        store.save_draft("someone", "contact", &body.to_string()).unwrap();
    }
    assert!(!found(&d.path().join("data")).is_empty());
    assert!(store.delete_draft("someone", "contact").unwrap());
    assert_eq!(found(&d.path().join("data")), Vec::<(String, String)>::new());
    drop(other);
}
