//! Privacy on PostgreSQL, proven on bytes: after `admin purge`, the purged values are in no
//! file of the cluster's data directory, neither the tables (rewritten by VACUUM FULL) nor
//! the write-ahead log (the purge's checkpoints let the server remove the segments from
//! before it; the test cluster runs with `wal_recycle = off`, see the README). Reads the raw
//! files, so it needs the data directory (`NAVIGATOR_TEST_PG_DATA`, which `.ci/postgres.sh`
//! exports) and the right to read it (root, or the cluster's owner); skipped, saying why,
//! otherwise.

mod common;

use std::path::{Path, PathBuf};

use common::servers::Servers;
use navigator::store::{Location, Store};
use serde_json::{json, Value};

/// Every regular file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            files(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

/// The files of `dir` holding `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut all = Vec::new();
    files(dir, &mut all);
    all.into_iter()
        .filter(|p| std::fs::read(p).is_ok_and(|bytes| finder.find(&bytes).is_some()))
        .collect()
}

/// The cluster's data directory, when this process may read it.
fn data_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("NAVIGATOR_TEST_PG_DATA").map(PathBuf::from) else {
        eprintln!("skipping: NAVIGATOR_TEST_PG_DATA is not set (.ci/postgres.sh exports the cluster's data directory)");
        return None;
    };
    if let Err(e) = std::fs::read_dir(dir.join("base")) {
        eprintln!(
            "skipping: cannot read {} ({e}); run as root or as the cluster's owner",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

#[test]
fn purged_values_are_in_no_file_of_the_cluster() {
    let Some(s) = Servers::new() else { return };
    let Some(pgdata) = data_dir() else { return };
    let tag = format!("{}x{}", std::process::id(), jiff::Timestamp::now().as_millisecond());
    let name = format!("Zebulonqx{tag}");
    let phone = "705-555-0199".to_string();
    let notes = format!("canary notes {tag} eviction on Elm Street");
    let call_notes = format!("canary call {tag} landlord agreed");
    let draft = format!("canary draft {tag} unsaved caller");

    // A caller with a follow-up, its call recorded with notes; a caller with notes only;
    // both a year old, the follow-up closed long ago.
    let today = jiff::ZonedDateTime::now().date().to_string();
    let with_followup = json!({"channel": "phone", "started_at": "2025-01-10T15:00:00Z",
        "ended_at": "2025-01-10T15:10:00Z", "needs": [{"category": "housing", "met": false, "unmet_reason": "cost"}],
        "notes": notes, "follow_up": {"consent": true, "due": today, "first_name": name, "phone": phone}});
    let notes_only = json!({"channel": "phone", "started_at": "2025-01-11T15:00:00Z",
        "ended_at": "2025-01-11T15:10:00Z", "needs": [{"category": "food", "met": true}], "notes": notes});
    let mut followup = 0;
    for input in [with_followup, notes_only] {
        let out = s
            .nav(1, "ana")
            .args(["contacts", "add", "--json"])
            .write_stdin(input.to_string())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
        followup = saved["follow_up"]["id"].as_i64().unwrap_or(followup);
    }
    let id = followup.to_string();
    assert!(s
        .nav(1, "ana")
        .args(["followups", "claim", &id])
        .output()
        .unwrap()
        .status
        .success());
    let outcome = json!({"reached": true, "referrals": [], "better_prepared": true, "health_improved": "yes",
        "satisfaction": "satisfied", "would_call_again": true, "notes": call_notes});
    let out = s
        .nav(1, "ana")
        .args(["followups", "complete", &id, "--json"])
        .write_stdin(outcome.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    db.execute("UPDATE followups SET updated_at = '2025-01-20T00:00:00Z'", &[])
        .unwrap();
    // A draft saved and discarded: its row is dead, its bytes still in the table's file.
    let mut store = Store::open_at(&Location::Postgres(s.url.clone())).unwrap();
    store
        .save_draft("ana", "contact", &json!({"notes": draft}).to_string())
        .unwrap();
    assert!(store.delete_draft("ana", "contact").unwrap());

    // The scan finds them before the purge: the values are in the files to be found.
    db.batch_execute("CHECKPOINT").unwrap();
    let canaries = [name.as_str(), notes.as_str(), call_notes.as_str(), draft.as_str()];
    for canary in canaries {
        assert!(
            !holding(&pgdata, canary).is_empty(),
            "{canary:?} never reached the files"
        );
    }

    let out = s
        .nav(1, "ana")
        .args(["admin", "purge", "--older-than", "90", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["personal_data"].as_u64(), report["followup_notes"].as_u64()),
        (Some(2), Some(1)),
        "{report}"
    );

    for canary in canaries {
        let left = holding(&pgdata, canary);
        assert!(left.is_empty(), "{canary:?} is still in {left:?}");
    }
}
