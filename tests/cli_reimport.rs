//! `navigator import` of a directory already imported (the nightly import from cron): the
//! services read from what they were built from last time are not built again, and the
//! catalogue ends exactly where a fresh import of the same package would.

mod common;

use std::path::Path;

use common::servers::Servers;
use common::{hsds_package as package, Data};
use serde_json::Value;

fn import_json(d: &Data, path: &Path) -> Value {
    serde_json::from_str(&d.ok(&["import", path.to_str().unwrap(), "--json"])).unwrap()
}

fn counts(r: &Value) -> [u64; 4] {
    ["added", "updated", "unchanged", "removed"].map(|k| r[k].as_u64().unwrap())
}

/// Every stored service's id and record hash.
fn records(d: &Data) -> Vec<(String, i64)> {
    let db = d.db();
    let mut q = db.prepare("SELECT id, hash FROM services ORDER BY id").unwrap();
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The `known_unchanged` of the last "import applied" line of the data directory's log.
fn known_unchanged(d: &Data) -> u64 {
    known_unchanged_in(&d.path().join("data"))
}

fn known_unchanged_in(data_dir: &Path) -> u64 {
    let log = std::fs::read_to_string(data_dir.join("navigator.log")).unwrap();
    let line = log.lines().rev().find(|l| l.contains("import applied")).unwrap();
    let value = line.split("known_unchanged=").nth(1).unwrap();
    value.split_whitespace().next().unwrap().parse().unwrap()
}

const SERVICES: [(&str, &str, &str); 3] = [
    ("s1", "Alpha Food Bank", "groceries"),
    ("s2", "Beta Shelter", "beds"),
    ("s3", "Gamma Clinic", "nurses"),
];

#[test]
fn a_reimport_builds_only_what_changed_and_ends_where_a_fresh_import_would() {
    let d = Data::new();
    let dir = d.path().join("export");
    package(&dir, &SERVICES);
    assert_eq!(import_json(&d, &dir)["added"], 3);
    assert_eq!(
        d.row_counts(&["import_digests"]),
        [3],
        "a digest remembered per service"
    );

    // The same export again: nothing is built.
    assert_eq!(counts(&import_json(&d, &dir)), [0, 0, 3, 0]);
    assert_eq!(known_unchanged(&d), 3);

    // One service's own row changed: only it is built, and it is searchable.
    let edited = [SERVICES[0], ("s2", "Beta Shelter", "beds and bunks"), SERVICES[2]];
    package(&dir, &edited);
    assert_eq!(counts(&import_json(&d, &dir)), [0, 1, 2, 0]);
    assert_eq!(known_unchanged(&d), 2);
    assert_eq!(d.search_ids("bunks", 5), ["s2"]);

    // The address of the location all three share: all are built again.
    let addresses = std::fs::read_to_string(dir.join("addresses.csv")).unwrap();
    std::fs::write(dir.join("addresses.csv"), addresses.replace("1 Elm St", "9 Oak Ave")).unwrap();
    assert_eq!(counts(&import_json(&d, &dir)), [0, 3, 0, 0]);
    assert_eq!(known_unchanged(&d), 0);
    let shown: Value = serde_json::from_str(&d.ok(&["show", "s1", "--json"])).unwrap();
    assert!(shown.to_string().contains("9 Oak Ave"), "{shown}");

    // Where a fresh import of the same export ends.
    let fresh = Data::new();
    import_json(&fresh, &dir);
    assert_eq!(records(&d), records(&fresh));

    // A service gone with --replace: its digest is forgotten.
    package(&dir, &edited[..2]);
    std::fs::write(dir.join("addresses.csv"), addresses.replace("1 Elm St", "9 Oak Ave")).unwrap();
    let out = d.ok(&["import", dir.to_str().unwrap(), "--replace", "--json"]);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(counts(&r), [0, 0, 2, 1]);
    assert_eq!(d.row_counts(&["import_digests"]), [2]);
}

#[test]
fn the_digests_are_remembered_in_a_shared_postgresql_catalogue_too() {
    let Some(s) = Servers::new() else { return };
    let dir = s.synth(200);
    let import = |server| -> Value {
        let out = s
            .nav(server, "importer")
            .arg("import")
            .arg(&dir)
            .arg("--json")
            .output()
            .unwrap();
        serde_json::from_slice(&common::succeeded(out, "import")).unwrap()
    };
    assert_eq!(import(1)["added"], 200);
    assert_eq!(counts(&import(1)), [0, 0, 200, 0]);
    assert_eq!(known_unchanged_in(&s.data_dir(1)), 200);
    // Another server's import reads the same remembered digests.
    let services = std::fs::read_to_string(dir.join("services.csv")).unwrap();
    let edited = services.replacen("Emergency food bank", "Emergency food bank (moved)", 1);
    assert_ne!(edited, services);
    std::fs::write(dir.join("services.csv"), edited).unwrap();
    assert_eq!(counts(&import(2)), [0, 1, 199, 0]);
    assert_eq!(known_unchanged_in(&s.data_dir(2)), 199);
}
