//! Hostile input to `import` is bounded and reported, never hangs: a FIFO (even with
//! `--format hsds-json`), a folder or a symlink loop where a file should be; NUL bytes; a
//! field far over the limit (20 MB), dropped with `file:line: field: too long (N bytes,
//! limit M)` while the rest of its record is kept; one bad byte repairs one record and
//! leaves every other (French) record exactly as it was.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Data;
use serde_json::Value;

/// The demo package copied to `dir`, with services.csv passed through `edit`.
fn package(dir: &Path, edit: impl FnOnce(Vec<u8>) -> Vec<u8>) {
    std::fs::create_dir_all(dir).unwrap();
    let mut edit = Some(edit);
    for (name, bytes) in navigator::demo::FILES {
        let bytes = match edit.take_if(|_| *name == "services.csv") {
            Some(edit) => edit(bytes.to_vec()),
            None => bytes.to_vec(),
        };
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Runs navigator and kills it if it has not finished in 20 s (a hang).
fn run_bounded(d: &Data, args: &[&str], path: &Path) -> (Option<i32>, String, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("navigator"))
        .arg("--data-dir")
        .arg(d.path().join("data"))
        .args(args)
        .arg(path)
        .env("NAVIGATOR_CONFIG_DIR", d.path().join("config"))
        .env("NAVIGATOR_SYSTEM_CONFIG", d.path().join("system-config.toml"))
        .env("NAVIGATOR_NO_PROGRESS", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("navigator {args:?} {} hung", path.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn fifos_folders_and_symlink_loops_are_refused_at_once() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("services.json");
    mkfifo(&fifo);
    let (code, _, stderr) = run_bounded(&d, &["import", "--format", "hsds-json"], &fifo);
    assert_eq!(code, Some(65), "{stderr}");
    assert!(stderr.contains("is a FIFO (named pipe), not a file"), "{stderr}");
    // The import lock was not kept: another import goes ahead at once.
    assert!(!navigator::import_lock::import_running(&d.path().join("data")));

    let folder = dir.path().join("pkg");
    package(&folder, |b| b);
    std::fs::remove_file(folder.join("phones.csv")).unwrap();
    mkfifo(&folder.join("phones.csv"));
    let (code, _, stderr) = run_bounded(&d, &["import"], &folder);
    assert_eq!(code, Some(65), "{stderr}");
    assert!(stderr.contains("phones.csv: is a FIFO"), "{stderr}");

    std::fs::remove_file(folder.join("phones.csv")).unwrap();
    std::fs::create_dir(folder.join("phones.csv")).unwrap();
    let (code, _, stderr) = run_bounded(&d, &["import"], &folder);
    assert_eq!(code, Some(65), "{stderr}");
    assert!(stderr.contains("phones.csv: is a directory"), "{stderr}");

    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let (code, _, stderr) = run_bounded(&d, &["import"], &a);
    assert_eq!(code, Some(65), "{stderr}");
    assert!(stderr.contains("a loop of symbolic links"), "{stderr}");

    let (code, _, stderr) = run_bounded(&d, &["import", "--format", "hsds-json"], dir.path());
    assert_eq!(code, Some(65), "{stderr}");
    assert!(stderr.contains("is a directory"), "{stderr}");
}

/// The problems an import reported, as `file:line: field: reason` strings.
fn problems(report: &str) -> Vec<String> {
    let report: Value = serde_json::from_str(report).unwrap();
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}: {}: {}",
                p["file"].as_str().unwrap(),
                p["line"],
                p["field"].as_str().unwrap_or("-"),
                p["reason"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_20_mb_field_and_nul_bytes_are_reported_and_the_record_kept() {
    let d = Data::new();
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(20_000_000);
    package(dir.path(), |bytes| {
        let text = String::from_utf8(bytes).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines[1] = lines[1].replacen("Emergency food bank", &huge, 1);
        lines[2] = lines[2].replacen("Client-choice", "Client-\0choice", 1);
        (lines.join("\n") + "\n").into_bytes()
    });
    let (code, stdout, stderr) = run_bounded(&d, &["import", "--json"], dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    let found = problems(&stdout);
    assert!(
        found.contains(&"services.csv:2: description: too long (20000163 bytes, limit 65536)".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"services.csv:3: description: NUL bytes removed".to_string()),
        "{found:?}"
    );
    let kept: Value = serde_json::from_str(&d.ok(&["show", "svc-000001", "--json"])).unwrap();
    assert_eq!(kept["name"], "Food Bank – East End", "the rest of the record is kept");
    let pantry: Value = serde_json::from_str(&d.ok(&["show", "svc-000002", "--json"])).unwrap();
    assert!(pantry["description"]
        .as_str()
        .unwrap()
        .starts_with("Client-choice food pantry"));

    // The limits are configurable.
    std::fs::write(
        d.path().join("system-config.toml"),
        "[import]\nmax_field_bytes = 1024\nmax_record_bytes = 4096\n",
    )
    .unwrap();
    let small = tempfile::tempdir().unwrap();
    package(small.path(), |bytes| {
        let text = String::from_utf8(bytes).unwrap();
        text.replacen("Emergency food bank", &"y".repeat(2000), 1).into_bytes()
    });
    let (code, stdout, stderr) = run_bounded(&d, &["import", "--json"], small.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        problems(&stdout)
            .iter()
            .any(|p| p.starts_with("services.csv:2: description: too long (2") && p.ends_with("limit 1024)")),
        "{stdout}"
    );
}

#[test]
fn one_bad_byte_alters_one_record() {
    let d = Data::new();
    let clean_dir = tempfile::tempdir().unwrap();
    package(clean_dir.path(), |b| b);
    let bad_dir = tempfile::tempdir().unwrap();
    package(bad_dir.path(), |bytes| {
        // One Windows-1252 "é" (0xE9) in the 10th record; 112 lines of real UTF-8
        // accents elsewhere.
        let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let line = &mut lines[10];
        let at = line.iter().position(|&b| b == b',').unwrap() + 1;
        let at = at + line[at..].iter().position(|&b| b == b',').unwrap() + 1;
        let at = at + line[at..].iter().position(|&b| b == b',').unwrap() + 1;
        line.splice(at..at, b"Caf\xe9 ".iter().copied());
        lines.join(&b'\n')
    });
    let services = |dir: &Path| -> Vec<Value> {
        let d = Data::new();
        let (code, _, stderr) = run_bounded(&d, &["import", "--json"], dir);
        assert_eq!(code, Some(0), "{stderr}");
        let store = navigator::store::Store::open(&d.path().join("data/navigator.db")).unwrap();
        let mut all = Vec::new();
        store
            .for_each_service(|s| all.push(serde_json::to_value(&s).unwrap()))
            .unwrap();
        all
    };
    let clean = services(clean_dir.path());
    let bad = services(bad_dir.path());
    assert_eq!(clean.len(), bad.len());
    let altered: Vec<&str> = clean
        .iter()
        .zip(&bad)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a["id"].as_str().unwrap())
        .collect();
    eprintln!("records altered by one bad byte: {}", altered.len());
    assert_eq!(altered, ["svc-000010"], "only the record with the bad byte");
    let repaired = bad.iter().find(|s| s["id"] == "svc-000010").unwrap();
    assert!(repaired["name"].as_str().unwrap().starts_with("Café "), "{repaired}");
    let (_, stdout, _) = run_bounded(&d, &["import", "--json"], bad_dir.path());
    assert_eq!(
        problems(&stdout),
        ["services.csv:11: name: not valid UTF-8; read as Windows-1252"]
    );
}
