//! Nothing rebuilds the index behind a running import: a command that finds the index
//! behind the catalogue while an import holds the lock keeps searching the previous index;
//! without one, exactly one process rebuilds (under the lock) while the others search the
//! previous index; a staging folder a killed rebuild left is removed by the next one.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Data;

/// A data directory whose catalogue is one import ahead of its index, as after an import
/// whose index commit failed (or that is between its two commits right now).
fn behind() -> (Data, String) {
    let d = Data::new();
    let before = d.ok(&["search", "food", "--json"]);
    let export = d.path().join("export");
    common::succeeded(
        d.nav()
            .args(["synth", "--services", "80", "--seed", "9", "--out"])
            .arg(&export)
            .output()
            .unwrap(),
        "synth",
    );
    let out = d
        .nav()
        .env("NAVIGATOR_FAULT", "index-commit")
        .arg("import")
        .arg(&export)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74), "{}", String::from_utf8_lossy(&out.stderr));
    (d, before)
}

fn index_generation(data: &Path) -> u64 {
    navigator_index::Engine::open(&data.join("index"))
        .unwrap()
        .commit_info()
        .unwrap()
        .generation
}

/// Eight navigators search at once: (longest run, how many said they rebuilt, outputs).
fn eight_searches(d: &Data) -> (Duration, usize, Vec<String>) {
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let started = Instant::now();
                    let out = d.nav().args(["search", "food", "--json"]).output().unwrap();
                    let took = started.elapsed();
                    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                    assert!(out.status.success(), "{stderr}");
                    (
                        took,
                        stderr.contains("rebuilt it"),
                        String::from_utf8(out.stdout).unwrap(),
                    )
                })
            })
            .collect();
        let results: Vec<_> = runs.into_iter().map(|r| r.join().unwrap()).collect();
        let longest = results.iter().map(|r| r.0).max().unwrap();
        let rebuilds = results.iter().filter(|r| r.1).count();
        (longest, rebuilds, results.into_iter().map(|r| r.2).collect())
    })
}

#[test]
fn while_an_import_holds_the_lock_searches_use_the_previous_index() {
    let (d, before) = behind();
    let data = d.path().join("data");
    let lock = navigator::import_lock::acquire(&data, Duration::ZERO).unwrap();
    let (longest, rebuilds, outputs) = eight_searches(&d);
    eprintln!("8 navigators during an import: longest {longest:?}, {rebuilds} rebuilds");
    assert_eq!(rebuilds, 0, "nothing rebuilds behind a running import");
    assert!(
        outputs.iter().all(|o| *o == before),
        "the previous index, consistent with its generation"
    );
    assert_eq!(index_generation(&data), 1);
    // Casework never waited on it either.
    d.ok(&["followups", "due"]);
    drop(lock);
    d.ok(&["search", "food"]);
    assert_eq!(index_generation(&data), 2);
}

#[test]
fn without_an_import_exactly_one_process_rebuilds() {
    let (d, before) = behind();
    let data = d.path().join("data");
    let (_, rebuilds, outputs) = eight_searches(&d);
    assert_eq!(rebuilds, 1, "one rebuild at a time, under the lock");
    // Those that did not rebuild searched the previous index meanwhile, or the new one.
    let after = d.ok(&["search", "food", "--json"]);
    assert_ne!(after, before);
    assert!(outputs.iter().all(|o| *o == before || *o == after));
    assert_eq!(index_generation(&data), 2);
}

#[test]
fn a_killed_rebuilds_staging_folder_is_removed_by_the_next() {
    let (d, _) = behind();
    let data = d.path().join("data");
    for stale in [".index-rebuild-Ab12Cd", ".index-old-4242"] {
        std::fs::create_dir_all(data.join(stale).join("sub")).unwrap();
        std::fs::write(data.join(stale).join("sub/segment"), vec![7u8; 4096]).unwrap();
    }
    d.ok(&["search", "food"]);
    let left: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".index-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
