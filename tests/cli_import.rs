//! `navigator import`: reports, upserts, --replace, exit statuses, and the real data sets.

mod common;

use std::path::Path;

use common::{hsds_package as package, shared_data, Data};
use serde_json::Value;

fn import_json(d: &Data, path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["import", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&d.ok(&args)).unwrap()
}

#[test]
fn import_replaces_the_demo_then_upserts_by_id() {
    let d = Data::new();
    let v1 = d.path().join("v1");
    package(
        &v1,
        &[("s1", "Alpha Food Bank", "groceries"), ("s2", "Beta Shelter", "beds")],
    );
    let demo: Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    let r = import_json(&d, &v1, &[]);
    // Importing over the demo replaces it: every demo service is removed.
    assert_eq!(
        (r["added"].as_u64(), r["removed"].as_u64()),
        (Some(2), demo["services"].as_u64())
    );
    assert_eq!(r["format"], "hsds-csv 3.0");
    // The demo never mixes with real data.
    let stats: Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    assert_eq!(stats["services"], 2);
    assert_eq!(stats["source"], "import");

    let v2 = d.path().join("v2");
    package(
        &v2,
        &[
            ("s1", "Alpha Food Bank", "groceries and hampers"),
            ("s3", "Gamma Clinic", "nurses"),
        ],
    );
    let r = import_json(&d, &v2, &[]);
    assert_eq!(
        (
            r["added"].as_u64(),
            r["updated"].as_u64(),
            r["unchanged"].as_u64(),
            r["removed"].as_u64()
        ),
        (Some(1), Some(1), Some(0), Some(0))
    );
    assert_eq!(
        d.json_lines(&["search", "hampers", "--json"])[0]["id"],
        "s1",
        "the update is searchable"
    );
    assert_eq!(
        d.json_lines(&["search", "beds", "--json"]).len(),
        1,
        "without --replace s2 stays"
    );

    let r = import_json(&d, &v2, &["--replace"]);
    assert_eq!((r["unchanged"].as_u64(), r["removed"].as_u64()), (Some(2), Some(1)));
    assert!(
        d.json_lines(&["search", "beds", "--json"]).is_empty(),
        "s2 is gone from the index too"
    );
    let stats: Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    assert_eq!(stats["services"], 2);
    assert_eq!(stats["last_import"]["removed"], 1);
}

#[test]
fn exit_statuses_for_missing_and_unusable_input() {
    let d = Data::new();
    let out = d.nav().args(["import", "/no/such/path"]).output().unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/path"));

    let empty = d.path().join("empty");
    package(&empty, &[]);
    let out = d.nav().args(["import", empty.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", String::from_utf8_lossy(&out.stderr));

    let junk = d.path().join("junk.json");
    std::fs::write(&junk, "{ not json").unwrap();
    let out = d.nav().args(["import", junk.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.json"));
}

#[test]
fn a_failed_import_leaves_the_catalogue_as_it_was() {
    let d = Data::new();
    let v1 = d.path().join("v1");
    package(&v1, &[("s1", "Alpha Food Bank", "groceries")]);
    import_json(&d, &v1, &[]);
    let junk = d.path().join("junk.json");
    std::fs::write(&junk, "[1, 2").unwrap();
    assert_eq!(
        d.nav()
            .args(["import", junk.to_str().unwrap(), "--replace"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(65)
    );
    assert_eq!(d.json_lines(&["search", "groceries", "--json"])[0]["id"], "s1");
}

#[test]
fn problems_name_file_line_and_field() {
    let d = Data::new();
    let dir = d.path().join("bad");
    package(&dir, &[("s1", "Alpha", "ok"), ("s1", "Alpha again", "duplicate id")]);
    let r = import_json(&d, &dir, &[]);
    assert_eq!(r["added"], 1);
    assert_eq!(r["skipped"], 1);
    let p = &r["problems"][0];
    assert_eq!(p["file"], "services.csv");
    assert_eq!(p["line"], 3);
    assert_eq!(p["kind"], "skipped");
}

#[test]
fn imports_every_shared_hsds_data_set() {
    let Some(shared) = shared_data() else {
        eprintln!("skipped: ../shared/data is not present");
        return;
    };
    for (path, at_least) in [
        ("hsds-1.1-legal-aid/output", 400),
        ("hsds-1.1-sample", 10),
        ("hsds-3.0-examples/csv", 1),
        ("hsds-3.0-examples/json/service_full.json", 1),
        ("hsds-3.0-examples/json/service_list.json", 1),
    ] {
        let d = Data::new();
        let r = import_json(&d, &shared.join(path), &[]);
        assert!(r["added"].as_u64().unwrap() >= at_least, "{path}: {r}");
    }
    let d = Data::new();
    import_json(&d, &shared.join("hsds-1.1-legal-aid/output"), &[]);
    let hits = d.json_lines(&["search", "legal", "--json"]);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["categories"].as_array().is_some()));
}

#[test]
fn the_human_report_groups_problems_and_says_it_replaced_the_demo() {
    let d = Data::new();
    let dir = d.path().join("dups");
    let rows: Vec<(String, String, String)> = (0..8)
        .map(|i| ("s1".to_string(), format!("Alpha {i}"), "again".to_string()))
        .collect();
    let refs: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    package(&dir, &refs);
    d.ok(&["index", "stats"]); // the demo is installed
    let out = d.nav().args(["import", dir.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("replaced   the built-in demo"), "{stdout}");
    assert!(
        !stdout.contains("removed"),
        "the demo's 500 are not services removed: {stdout}"
    );
    assert!(stdout.contains("skipped           7 services"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("services.csv: skipped 7 rows: "), "{stderr}");
    assert_eq!(
        stderr.matches("  services.csv:").count(),
        3,
        "the first three lines: {stderr}"
    );
    assert!(stderr.contains("… 4 more (--verbose"), "{stderr}");
    // --verbose lists them all; a second import no longer mentions the demo.
    let out = d
        .nav()
        .args(["import", dir.to_str().unwrap(), "--verbose"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("  services.csv:").count(), 7, "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed           0"));
}

#[test]
fn an_import_into_a_new_data_directory_never_installs_the_demo_first() {
    let d = Data::new();
    let dir = d.path().join("two");
    package(&dir, &[("s1", "Alpha Pantry", "food"), ("s2", "Beta Clinic", "health")]);
    let out = d.nav().args(["import", dir.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("demo"), "{stderr}");
    assert!(!stderr.contains("rebuilding"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("demo"), "nothing of the demo was replaced: {stdout}");
    // The catalogue and the index hold the import and nothing else.
    let all = d.json_lines(&["search", "", "--json", "--limit", "1000"]);
    let mut ids: Vec<&str> = all.iter().filter_map(|h| h["id"].as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["s1", "s2"]);
}
