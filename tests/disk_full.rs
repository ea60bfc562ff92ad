//! A full disk after the catalogue commit never takes the office down: the import says
//! truthfully what was committed (its source and generation are in the same transaction),
//! casework and reports never need the index, and search keeps using the last good index
//! with a warning until a rebuild succeeds.
//!
//! Once with injected write failures (`NAVIGATOR_FAULT`, read by debug builds only), once
//! on a small tmpfs that really fills up (needs root and mount; skipped otherwise).

mod common;

use std::path::Path;
use std::process::Output;

use common::Data;
use serde_json::{json, Value};

fn synth(dir: &Path, services: u32, seed: u32) {
    let out = common::Data::new()
        .nav()
        .args([
            "synth",
            "--services",
            &services.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    common::succeeded(out, "synth");
}

fn run(d: &Data, fault: &str, args: &[&str], stdin: &str) -> Output {
    d.nav()
        .env("NAVIGATOR_FAULT", fault)
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap()
}

/// `index stats --json`; with `fault` "index-rebuild" it cannot bring the index up to date.
fn stats(d: &Data, fault: &str) -> Value {
    serde_json::from_slice(&common::succeeded(
        run(d, fault, &["index", "stats", "--json"], ""),
        "index stats",
    ))
    .unwrap()
}

/// Casework, follow-ups, reports and exports: none of them may fail because of the index.
fn casework_works(d: &Data, fault: &str, service: &str) -> Vec<(String, Option<i32>)> {
    let contact = json!({"channel": "phone", "needs": [{"category": "food", "met": true}],
        "referrals": [service],
        "follow_up": {"consent": true, "due": common::followups::today().to_string(),
                      "first_name": "Ana", "phone": "705-555-0142"}});
    let mut failed = Vec::new();
    for (args, stdin) in [
        (&["contacts", "add", "--json"][..], contact.to_string()),
        (&["contacts", "list", "--json"], String::new()),
        (&["followups", "due", "--json"], String::new()),
        (&["report", "needs", "--format", "json"], String::new()),
        (&["report", "outcomes", "--format", "json"], String::new()),
        (&["export", "contacts", "--format", "csv"], String::new()),
        (&["admin", "audit"], String::new()),
        (&["show", service], String::new()),
    ] {
        let out = run(d, fault, args, &stdin);
        if !out.status.success() {
            failed.push((
                format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)),
                out.status.code(),
            ));
        }
    }
    failed
}

#[test]
fn an_index_that_cannot_be_written_stops_nothing_but_the_index() {
    let d = Data::new();
    let demo_results = d.ok(&["search", "food", "--json"]);
    let export = d.path().join("export");
    synth(&export, 60, 77);

    let out = run(&d, "index-commit", &["import", export.to_str().unwrap(), "--json"], "");
    assert_eq!(out.status.code(), Some(74), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["index_updated"], false);
    assert_eq!(
        report["added"].as_u64().unwrap() + report["updated"].as_u64().unwrap(),
        60
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the catalogue was updated (generation 2: ")
            && stderr.contains("but the search index could not be")
            && stderr.contains("No space left on device"),
        "{stderr}"
    );
    // What the catalogue says is true: the import, not the demo.
    let s = stats(&d, "index-rebuild");
    assert_eq!(
        (s["source"].as_str(), s["generation"].as_u64()),
        (Some("import"), Some(2))
    );
    let imported = navigator::store::Store::open(&d.path().join("data/navigator.db"))
        .unwrap()
        .catalogue_stats()
        .unwrap();
    assert_eq!(imported.services, 60);

    // The disk is still full: every casework command works, no rebuild is even tried.
    let service_id = {
        let store = navigator::store::Store::open(&d.path().join("data/navigator.db")).unwrap();
        let mut first = None;
        store
            .for_each_service(|s| {
                first.get_or_insert(s.id);
            })
            .unwrap();
        first.unwrap()
    };
    let failed = casework_works(&d, "index-commit,index-rebuild", &service_id);
    assert!(failed.is_empty(), "{failed:?}");

    // Search keeps the last good index (the demo's), with a warning.
    let out = run(&d, "index-rebuild", &["search", "food", "--json"], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("searching the last good index"), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        demo_results,
        "the last good index"
    );

    // Space again: the next search rebuilds, and the warning is gone.
    let out = run(&d, "", &["search", "food", "--json"], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("rebuilt it") && !stderr.contains("warning"), "{stderr}");
    assert_ne!(
        String::from_utf8_lossy(&out.stdout),
        demo_results,
        "the import is searched"
    );
    assert_eq!(stats(&d, "")["services"], 60);
    let out = run(&d, "", &["search", "food"], "");
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

/// A tmpfs of `mb` megabytes mounted for the test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(mb: u32) -> Option<Tmpfs> {
        if !common::users::can_switch() {
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m,mode=0755"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        out.status.success().then_some(Tmpfs { dir })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.dir.path()).output();
    }
}

fn free_bytes(path: &Path) -> u64 {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: statvfs fills a struct we own; `c` is a valid path.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::statvfs(c.as_ptr(), &mut st) }, 0);
    st.f_bavail * st.f_frsize
}

fn db_bytes(data: &Path) -> u64 {
    ["navigator.db", "navigator.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(data.join(f)).ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn a_really_full_disk_after_the_catalogue_commit() {
    let Some(fs) = Tmpfs::mount(48) else {
        eprintln!("skipped a_really_full_disk_after_the_catalogue_commit: cannot mount a tmpfs (needs root)");
        return;
    };
    let export = tempfile::tempdir().unwrap();
    synth(export.path(), 3000, 5);
    // How much the catalogue of this import takes, measured on a roomy disk.
    let roomy = Data::new();
    roomy.ok(&["index", "stats"]);
    let before = db_bytes(&roomy.path().join("data"));
    roomy.ok(&["import", export.path().to_str().unwrap()]);
    let catalogue_growth = db_bytes(&roomy.path().join("data")).saturating_sub(before);

    // The office's data directory on the small disk, with room for the catalogue's
    // write-ahead log but not for the index too.
    let d = Data {
        dir: tempfile::tempdir_in(fs.dir.path()).unwrap(),
    };
    d.ok(&["index", "stats"]);
    let data = d.path().join("data");
    let filler = fs.dir.path().join("filler");
    let leave = catalogue_growth * 2;
    let fill = free_bytes(fs.dir.path()).saturating_sub(leave);
    std::fs::write(&filler, vec![0u8; fill as usize]).unwrap();

    let out = run(&d, "", &["import", export.path().to_str().unwrap()], "");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    eprintln!("import on a full disk: exit {:?}: {stderr}", out.status.code());
    assert!(matches!(out.status.code(), Some(0 | 74)), "{stderr}");
    let s = stats(&d, "");
    if stderr.contains("the catalogue was updated") {
        assert_eq!(
            (s["source"].as_str(), s["generation"].as_u64()),
            (Some("import"), Some(2))
        );
    } else if out.status.code() == Some(74) {
        assert_eq!(s["generation"], 1, "nothing committed, as it said: {s}");
        assert_eq!(s["source"], "demo");
    }

    // Still full. Reads never fail; a write (a contact, an export's audit row) may say the
    // disk is full, naming the file, and never crashes (70).
    let service = d.search_ids("food", 1).remove(0);
    let failed = casework_works(&d, "", &service);
    for (what, code) in &failed {
        let saving = what.starts_with(r#"["contacts", "add""#) || what.starts_with(r#"["export""#);
        assert!(
            saving && *code == Some(74) && what.contains("disk is full"),
            "{what} exited {code:?}"
        );
    }
    eprintln!("commands that failed on the full disk: {}", failed.len());
    let out = run(&d, "", &["search", "shelter"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A cron job's stderr on the same full disk: messages are lost, never a panic (101).
    let log = std::fs::File::create(fs.dir.path().join("cron.log")).unwrap();
    let status = d
        .std_nav()
        .args(["followups", "due"])
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let log = std::fs::File::create(fs.dir.path().join("cron2.log")).unwrap();
    let bad = export.path().join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let stdin = std::fs::File::open(&bad).unwrap();
    let status = d
        .std_nav()
        .args(["contacts", "add", "--json"])
        .stdin(stdin)
        .stderr(log)
        .status()
        .unwrap();
    assert_eq!(
        status.code(),
        Some(65),
        "a refusal whose message cannot be written still exits 65"
    );

    // Room again: everything works and the index catches up.
    std::fs::remove_file(&filler).unwrap();
    assert!(casework_works(&d, "", &service).is_empty());
    let out = run(&d, "", &["search", "shelter"], "");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    let s = stats(&d, "");
    let store = navigator::store::Store::open(&data.join("navigator.db")).unwrap();
    assert_eq!(s["generation"].as_u64(), Some(store.generation().unwrap()));
}
