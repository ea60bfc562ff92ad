//! Identity is the operating-system account of the real uid, never USER or LOGNAME: the
//! audit trail, lease owners, contacts' navigator and the personal-data readers check all
//! use it, and setting USER to a listed reader's name gets nobody in.

mod common;

use common::Data;
use serde_json::Value;

fn me() -> String {
    navigator::user::name()
}

#[test]
fn user_and_logname_are_never_trusted() {
    let d = Data::new();
    let service = common::followups::food_service(&d);
    // "ana" may read personal data; the account running this test is not ana.
    assert_ne!(me(), "ana");
    std::fs::write(
        d.path().join("system-config.toml"),
        "[privacy]\npersonal_data_readers = [\"ana\"]\n",
    )
    .unwrap();
    let export = d
        .nav()
        .env("USER", "ana")
        .env("LOGNAME", "ana")
        .args(["export", "contacts", "--format", "csv", "--with-personal-data"])
        .output()
        .unwrap();
    assert_eq!(
        export.status.code(),
        Some(77),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let stderr = String::from_utf8_lossy(&export.stderr);
    assert!(stderr.contains(&format!("user {} may not", me())), "{stderr}");

    // What a contact, a claim and the audit trail record is the real account.
    let out = d
        .nav()
        .env("USER", "ana")
        .args(["contacts", "add", "--json"])
        .write_stdin(common::followups::contact(&service).to_string())
        .output()
        .unwrap();
    let saved: Value = serde_json::from_slice(&common::succeeded(out, "contacts add")).unwrap();
    assert_eq!(saved["navigator"], me());
    let id = saved["follow_up"]["id"].as_i64().unwrap().to_string();
    let claim = d
        .nav()
        .env("USER", "ana")
        .env("LOGNAME", "ana")
        .args(["followups", "claim", &id, "--json"])
        .output()
        .unwrap();
    let claim: Value = serde_json::from_slice(&common::succeeded(claim, "claim")).unwrap();
    assert_eq!(claim["claimed_by"], me());
    let audit = d.json_lines(&["admin", "audit", "--json"]);
    assert!(!audit.is_empty());
    for row in &audit {
        assert_eq!(row["user"], me(), "{row}");
    }
    let lease_owner: String = d
        .db()
        .query_row("SELECT lease_owner FROM followups WHERE id = ?1", [&id], |r| r.get(0))
        .unwrap();
    assert_eq!(lease_owner, me());
}

/// Root is an account like any other: not a personal-data reader unless listed.
#[test]
fn root_is_not_special() {
    if !common::users::can_switch() {
        eprintln!("skipped root_is_not_special: not running as root");
        return;
    }
    let d = Data::new();
    let out = d
        .nav()
        .args(["export", "contacts", "--format", "csv", "--with-personal-data"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(77), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("user root may not"));
}
