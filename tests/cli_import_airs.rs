//! `navigator import` of AIRS XML: recognised from content, the report, upserts by Key,
//! a broken file refused with nothing written, and BC 211's real exports when present.

mod common;

use common::{fixture, shared_data, Data};
use serde_json::Value;

fn import_json(d: &Data, path: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["import", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&d.ok(&args)).unwrap()
}

#[test]
fn an_airs_file_imports_and_upserts_by_key() {
    let d = Data::new();
    let copy = d.path().join("export.dat");
    std::fs::copy(fixture("airs/shelter-3.0.xml"), &copy).unwrap();
    let r = import_json(&d, &copy, &[]);
    assert_eq!(r["format"], "airs-xml 3.0");
    assert_eq!(r["added"], 2);
    assert_eq!(r["services_read"], 3);
    assert_eq!(r["organizations"], 1);
    assert_eq!(r["locations"], 3);
    let again = import_json(&d, &fixture("airs/shelter-3.0.xml"), &["--format", "airs-xml"]);
    assert_eq!(
        (again["added"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    let hits = d.json_lines(&["search", "outreach", "--json"]);
    assert_eq!(hits[0]["id"], "7210");
}

#[test]
fn a_broken_file_is_refused_and_nothing_changes() {
    let d = Data::new();
    import_json(&d, &fixture("airs/shelter-3.0.xml"), &[]);
    let broken = d.path().join("broken.xml");
    let text = std::fs::read_to_string(fixture("airs/shelter-3.0.xml")).unwrap();
    std::fs::write(&broken, &text[..text.len() / 2]).unwrap();
    let out = d
        .nav()
        .args(["import", broken.to_str().unwrap(), "--replace"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.xml: line ") && (err.contains("cut short") || err.contains("not well-formed")),
        "{err}"
    );
    assert_eq!(d.search_ids("outreach", 3), ["7210"]);
}

#[test]
fn bc_211_exports_import() {
    let Some(data) = shared_data() else {
        eprintln!("skipping: ../shared/data is not there");
        return;
    };
    let d = Data::new();
    let r = import_json(&d, &data.join("airs-xml/bc211-service-at-two-sites-3.0.xml"), &[]);
    assert_eq!(r["added"], 23);
    let r = import_json(&d, &data.join("airs-xml/bc211-one-agency-3.0.xml"), &[]);
    assert_eq!(r["added"], 1);
    let hits = d.json_lines(&["search", "mental health", "--json"]);
    assert!(hits.len() >= 5, "{hits:?}");
}
