//! `navigator import` of iCarol CSV exports: the report's counts, notes and exclusions,
//! `--include-inactive`, `--format icarol-csv`, and DC 211's real export when present.

mod common;

use common::{fixture, shared_data, Data};
use serde_json::Value;

fn import_json(d: &Data, path: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["import", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&d.ok(&args)).unwrap()
}

#[test]
fn the_report_counts_organizations_locations_and_what_was_left_out() {
    let d = Data::new();
    let r = import_json(&d, &fixture("icarol/sites-and-programs.csv"), &[]);
    assert_eq!(r["format"], "icarol-csv");
    assert_eq!(r["services_read"], 15);
    assert_eq!(r["added"], 4);
    assert_eq!(r["organizations"], 3);
    assert_eq!(r["locations"], 4);
    assert_eq!(
        r["excluded"],
        serde_json::json!({"do not refer": 1, "excluded from the directory": 1, "inactive": 1})
    );
    let notes: Vec<&str> = r["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&"1 site is not linked to any program: read as a service of its own"),
        "{notes:?}"
    );
    let problem = &r["problems"][0];
    assert_eq!(
        (problem["line"].as_u64(), problem["field"].as_str()),
        (Some(10), Some("ConnectsToProgramNum"))
    );
    // Not imported means not found.
    assert!(d.search_ids("Volunteer Drivers", 5).iter().all(|id| id != "401"));
}

#[test]
fn include_inactive_keeps_them_marked() {
    let d = Data::new();
    let r = import_json(&d, &fixture("icarol/sites-and-programs.csv"), &["--include-inactive"]);
    assert_eq!(r["added"], 7);
    let shown: Value = serde_json::from_str(&d.ok(&["show", "401", "--json"])).unwrap();
    assert_eq!(shown["do_not_refer"], true);
    let text = d.ok(&["show", "400"]);
    assert!(text.contains("inactive at the source"), "{text}");
    let hit = &d.json_lines(&["search", "volunteer drivers", "--json"])[0];
    assert_eq!(
        (hit["id"].as_str(), hit["marks"].clone()),
        (Some("401"), serde_json::json!(["do not refer"]))
    );
    let table = d.ok(&["search", "volunteer drivers"]);
    assert!(table.contains("[do not refer] Volunteer Drivers"), "{table}");
}

#[test]
fn an_export_of_only_inactive_records_says_why_nothing_was_imported() {
    let d = Data::new();
    let text = std::fs::read_to_string(fixture("icarol/sites-and-programs.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // The inactive program and the one not to refer, alone.
    let rows: Vec<&str> = lines
        .filter(|l| l.starts_with("400,") || l.starts_with("401,"))
        .collect();
    assert_eq!(rows.len(), 2, "the fixture's rows 400 and 401");
    let path = d.path().join("inactive.csv");
    std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let out = d.nav().args(["import", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 left out by their status"), "{err}");
    assert!(err.contains("do not refer: 1") && err.contains("inactive: 1"), "{err}");
    assert!(
        err.contains("--include-inactive") && !err.contains("all skipped"),
        "{err}"
    );
    let r = import_json(&d, &path, &["--include-inactive"]);
    assert_eq!(r["added"], 2);
}

#[test]
fn the_format_can_be_named_and_the_file_name_does_not_matter() {
    let d = Data::new();
    let copy = d.path().join("export.txt");
    std::fs::copy(fixture("icarol/programs-only.csv"), &copy).unwrap();
    let r = import_json(&d, &copy, &[]);
    assert_eq!(r["format"], "icarol-csv");
    let r = import_json(&d, &copy, &["--format", "icarol-csv"]);
    assert_eq!(r["unchanged"], 2);
    let human = d.ok(&["import", copy.to_str().unwrap()]);
    assert!(human.contains("1 organization, 2 locations"), "{human}");
}

#[test]
fn dc_211_imports_and_finds_food() {
    let Some(data) = shared_data() else {
        eprintln!("skipping: ../shared/data is not there");
        return;
    };
    let d = Data::new();
    let r = import_json(&d, &data.join("icarol-csv-dc211/211.csv"), &[]);
    assert_eq!(r["format"], "icarol-csv");
    assert!(r["added"].as_u64().unwrap() > 1300);
    let hits = d.json_lines(&["search", "food pantry", "--json"]);
    assert!(hits.len() >= 10);
    assert!(
        hits[0]["categories"].as_array().unwrap().iter().any(|c| c == "food"),
        "{}",
        hits[0]
    );
}
