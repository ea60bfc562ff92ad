//! An import killed at any moment leaves a searchable catalogue: the old one, or (if it
//! died after the catalogue commit) the new one once the index catches up, never a mix.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::Data;
use serde_json::Value;

/// (services in the catalogue, services a search finds). Searches count every match here
/// (a budget above the directory), so the second is the index's whole size.
fn services(d: &Data) -> (u64, u64) {
    let config = d.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[search]\ncount_budget = 1000000\n").unwrap();
    let stats: Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    let total = d.json_lines(&["search", "--json", "--limit", "1", "--facets"]);
    let searchable = total.last().unwrap()["total"].as_u64().unwrap();
    (stats["services"].as_u64().unwrap(), searchable)
}

#[test]
fn sigkill_during_import_keeps_a_consistent_searchable_catalogue() {
    let d = Data::new();
    let big = d.path().join("big");
    d.ok(&[
        "synth",
        "--services",
        "20000",
        "--seed",
        "7",
        "--out",
        big.to_str().unwrap(),
    ]);
    let (demo, searchable) = services(&d);
    assert_eq!(demo, searchable);

    // Kill at several points of the import; whatever was hit, the catalogue and the index agree.
    for delay_ms in [20u64, 150, 400, 900, 1600] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("navigator"))
            .arg("--data-dir")
            .arg(d.path().join("data"))
            .args(["import", big.to_str().unwrap(), "--replace"])
            .env("NAVIGATOR_NO_PROGRESS", "1")
            .env("NAVIGATOR_CONFIG_DIR", d.path().join("config"))
            .env("NAVIGATOR_SYSTEM_CONFIG", d.path().join("system-config.toml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let (catalogue, searchable) = services(&d);
        assert_eq!(
            catalogue, searchable,
            "after a kill at {delay_ms} ms the index matches the catalogue"
        );
        assert!(
            catalogue == demo || catalogue == 20000,
            "old or new, never a mix: {catalogue}"
        );
    }
    // And the next import completes: a killed import's import.lock is free again (the
    // flock goes with the process), so this one, which does not wait, goes ahead.
    let out = d
        .nav()
        .args(["import", big.to_str().unwrap(), "--replace", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(services(&d), (20000, 20000));
}
