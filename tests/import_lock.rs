//! One import at a time per data directory: a second import started while one runs stops
//! with exit 75 naming the running one (pid, start time), or waits for it with --wait.
//! Searches keep working throughout.

mod common;

use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Data;

/// True while some process holds the import lock of `data`.
fn lock_held(data: &Path) -> bool {
    let Ok(file) = File::open(data.join("import.lock")) else {
        return false;
    };
    // SAFETY: a valid descriptor; a shared non-blocking lock that is released at once.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) };
    if rc == 0 {
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
    }
    rc != 0
}

fn import_cmd(d: &Data, path: &Path, wait: u64) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("navigator"));
    cmd.arg("--data-dir")
        .arg(d.path().join("data"))
        .args([
            "import",
            path.to_str().unwrap(),
            "--replace",
            "--json",
            "--wait",
            &wait.to_string(),
        ])
        .env("NAVIGATOR_CONFIG_DIR", d.path().join("config"))
        .env("NAVIGATOR_SYSTEM_CONFIG", d.path().join("system-config.toml"))
        .env("NAVIGATOR_NO_PROGRESS", "1");
    cmd
}

#[test]
fn a_second_import_stops_with_75_naming_the_running_one() {
    let d = Data::new();
    let big = d.path().join("big");
    d.ok(&[
        "synth",
        "--services",
        "15000",
        "--seed",
        "3",
        "--out",
        big.to_str().unwrap(),
    ]);
    d.ok(&["index", "stats"]);
    let data = d.path().join("data");

    let first = import_cmd(&d, &big, 0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = first.id();
    let start = Instant::now();
    while !lock_held(&data) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the first import never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    let second = import_cmd(&d, &big, 0).output().unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(75), "{err}");
    assert!(
        err.contains(&format!("an import is already running (pid {pid}, started ")),
        "the message names the running import: {err}"
    );

    // Navigators keep searching meanwhile.
    let hits = d.json_lines(&["search", "food", "--json", "--limit", "3"]);
    assert!(!hits.is_empty());

    let out = first.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!lock_held(&data), "the lock goes with the import");
    let stats: serde_json::Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    assert_eq!(stats["services"], 15000);
}

#[test]
fn an_import_with_wait_goes_ahead_once_the_running_one_finishes() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let data = d.path().join("data");
    let fixture = common::fixture("hsds-3.0-csv");

    // Another process's import, as far as navigator can tell: this test holds the lock.
    let mut lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(data.join("import.lock"))
        .unwrap();
    // SAFETY: a valid descriptor, held until `lock` is dropped.
    assert_eq!(
        unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    lock.set_len(0).unwrap();
    write!(lock, "pid=424242\nuser=night-import\nstarted=2026-11-25T03:00:00Z\n").unwrap();

    let refused = import_cmd(&d, &fixture, 1).output().unwrap();
    assert_eq!(refused.status.code(), Some(75));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("an import is already running (pid 424242, started "),
        "{err}"
    );
    assert!(err.contains("night-import"), "{err}");

    let mut waiting = import_cmd(&d, &fixture, 60)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "still waiting while the lock is held"
    );
    drop(lock);
    let out = waiting.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("waiting for the import already running (pid 424242"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["added"].as_u64().unwrap() > 0);
}

#[test]
fn index_rebuild_takes_the_import_lock() {
    let d = common::Data::new();
    d.ok(&["index", "stats"]);
    let lock = navigator::import_lock::acquire(&d.path().join("data"), std::time::Duration::ZERO).unwrap();
    let out = d.nav().args(["index", "rebuild"]).output().unwrap();
    assert_eq!(out.status.code(), Some(75), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&std::process::id().to_string()), "names the holder: {err}");
    drop(lock);
    d.ok(&["index", "rebuild"]);
}
