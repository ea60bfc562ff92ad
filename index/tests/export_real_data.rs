//! The HSDS export of real directories (`../shared/data`, or `NAVIGATOR_SHARED_DATA`):
//! DC 211's iCarol export and BC 211's AIRS exports validate against the official HSDS 3.0
//! service schema, and come back from JSON and CSV as the same services. Skips, saying so,
//! without the data.

mod shared_data;

use std::collections::HashMap;
use std::path::PathBuf;

use shared_data::shared;

use navigator_index::export::{hsds_service, CsvPackage, Tally};
use navigator_index::import::{import_path, import_path_with, Format, Options};
use navigator_index::Service;

fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-3.0-spec/compiled-service-3.0.json");
    let schema = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn check(name: &str, services: Vec<Service>) {
    let schema = validator();
    let dir = tempfile::tempdir().unwrap();
    let mut tally = Tally::default();
    let mut lines = String::new();
    let mut package = CsvPackage::create(dir.path()).unwrap();
    for s in &services {
        let v = hsds_service(s, &mut tally);
        let errors: Vec<String> = schema
            .iter_errors(&v)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name} {}: {errors:?}", s.id);
        lines.push_str(&serde_json::to_string(&v).unwrap());
        lines.push('\n');
        package.add(s, &mut tally).unwrap();
    }
    package.finish().unwrap();
    eprintln!(
        "{name}: {} services exported; changed on the way: {:?}",
        services.len(),
        tally.changed
    );
    let json = dir.path().join("export.jsonl");
    std::fs::write(&json, lines).unwrap();
    let before: HashMap<&str, &Service> = services.iter().map(|s| (s.id.as_str(), s)).collect();
    for (how, path) in [("json", json.clone()), ("csv", dir.path().to_path_buf())] {
        let back = import_path(
            &path,
            if how == "json" {
                Format::HsdsJson
            } else {
                Format::HsdsCsv
            },
        )
        .unwrap();
        assert_eq!(back.services.len(), services.len(), "{name} {how}");
        let mut differ = Vec::new();
        for b in &back.services {
            let s = before
                .get(b.id.as_str())
                .unwrap_or_else(|| panic!("{name} {how}: unknown id {}", b.id));
            if *s != b {
                differ.push(b.id.clone());
            }
        }
        if !differ.is_empty() {
            let id = &differ[0];
            let (x, y) = (before[id.as_str()], back.services.iter().find(|b| &b.id == id).unwrap());
            let (x, y) = (serde_json::to_value(x).unwrap(), serde_json::to_value(y).unwrap());
            let diff: Vec<String> = x
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| y.get(*k) != Some(v))
                .map(|(k, v)| format!("{k}: {v} -> {}", y[k]))
                .collect();
            eprintln!("{name} {how}: {} differ, e.g. {id}: {diff:?}", differ.len());
        }
        assert!(
            differ.is_empty(),
            "{name} {how}: {} of {} differ: {:?}",
            differ.len(),
            services.len(),
            &differ[..differ.len().min(5)]
        );
    }
}

#[test]
fn dc_211_exports_valid_hsds_and_comes_back() {
    let Some(path) = shared("icarol-csv-dc211/211.csv") else {
        return;
    };
    let all = import_path_with(
        &path,
        Format::Auto,
        Options {
            include_inactive: true,
            ..Options::default()
        },
    )
    .unwrap();
    check("DC 211", all.services);
}

#[test]
fn bc_211_exports_valid_hsds_and_comes_back() {
    let Some(path) = shared("airs-xml/bc211-service-at-two-sites-3.0.xml") else {
        return;
    };
    check("BC 211", import_path(&path, Format::Auto).unwrap().services);
}
