//! Held casework: saves and drafts kept in private files, replaced atomically, and
//! scrubbed when they go.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::casework::ContactInput;

fn contact(notes: &str) -> HeldWrite {
    HeldWrite::Contact {
        input: Box::new(ContactInput {
            channel: "phone".into(),
            notes: Some(notes.into()),
            ..Default::default()
        }),
        office: Some("Sudbury".into()),
    }
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            out.extend(fs::read(&path).unwrap());
        }
    }
    out
}

fn has(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn saves_are_held_in_private_files_oldest_first_until_released() {
    let data = tempfile::tempdir().unwrap();
    let held = Held::open(data.path()).unwrap();
    assert_eq!(mode(held.dir()), 0o700);
    let first = held.hold("ana", contact("first caller")).unwrap();
    let second = held.hold_as("key-2", "ana", contact("second caller")).unwrap();
    assert_ne!(first.key, second.key);
    assert_eq!(held.count(), 2);
    assert_eq!(held.entries(), vec![first.clone(), second.clone()]);
    for entry in fs::read_dir(held.dir()).unwrap() {
        assert_eq!(mode(&entry.unwrap().path()), 0o600);
    }
    // Another Held on the same folder (the app started again) finds them.
    assert_eq!(Held::open(data.path()).unwrap().entries().len(), 2);
    held.release(&first.key).unwrap();
    assert_eq!(held.entries(), vec![second]);
    assert!(!has(&all_bytes(held.dir()), "first caller"));
}

#[test]
fn a_draft_is_replaced_atomically_and_the_old_bytes_are_zeroed() {
    let data = tempfile::tempdir().unwrap();
    let held = Held::open(data.path()).unwrap();
    held.keep_draft("contact", r#"{"notes":"Margaret 705-555-0199"}"#)
        .unwrap();
    let path = held.dir().join("draft-contact.json");
    // A handle on the first version sees what became of its bytes.
    let mut old = File::open(&path).unwrap();
    held.keep_draft("contact", r#"{"notes":"Margaret, evictions"}"#)
        .unwrap();
    let mut bytes = Vec::new();
    old.read_to_end(&mut bytes).unwrap();
    assert!(
        !bytes.is_empty() && bytes.iter().all(|b| *b == 0),
        "old version not zeroed"
    );
    assert_eq!(held.draft("contact").unwrap().0, r#"{"notes":"Margaret, evictions"}"#);
    assert_eq!(mode(&path), 0o600);
    assert!(held.drop_draft("contact").unwrap());
    assert!(held.draft("contact").is_none());
    assert!(!held.drop_draft("contact").unwrap());
    assert!(!has(&all_bytes(held.dir()), "Margaret"));
}

#[test]
fn a_crash_between_scrub_and_rename_keeps_the_new_version() {
    let data = tempfile::tempdir().unwrap();
    let held = Held::open(data.path()).unwrap();
    held.keep_draft("contact", "old").unwrap();
    let path = held.dir().join("draft-contact.json");
    // What a crash after zeroing the old file, before the rename, leaves.
    let next = serde_json::json!({"at": "2026-11-25T15:00:00Z", "body": "new"}).to_string();
    fs::write(staged(&path), next).unwrap();
    zero(&path).unwrap();
    assert_eq!(held.draft("contact").unwrap().0, "new");
}

#[test]
fn a_refused_save_is_kept_as_the_input_commands_read() {
    let data = tempfile::tempdir().unwrap();
    let held = Held::open(data.path()).unwrap();
    let entry = held.hold("ana", contact("kept")).unwrap();
    let path = held.refuse(&entry).unwrap();
    assert_eq!(held.count(), 0);
    let input: ContactInput = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(input.notes.as_deref(), Some("kept"));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn another_accounts_folder_is_refused() {
    let data = tempfile::tempdir().unwrap();
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    fs::create_dir_all(data.path().join("held")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), data.path().join("held").join(uid.to_string())).unwrap();
    let err = Held::open(data.path())
        .err()
        .expect("a symlink is not this account's folder");
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
}
