//! The HSDS 3.0 export: every service object validates against the official compiled
//! `service.json` schema (formats checked), the CSV datapackage follows the 3.0
//! descriptor, and importing the JSON export gives back the same services.

mod import_common;

use std::collections::HashMap;

use import_common::*;
use navigator_index::export::{hsds_service, CsvPackage, Tally};
use navigator_index::import::{import_path, import_path_with, Format, Options};
use navigator_index::Service;
use serde_json::Value;

fn spec(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture("hsds-3.0-spec").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&spec("compiled-service-3.0.json"))
        .unwrap()
}

/// Every fixture family: iCarol (with inactive ones, marked), AIRS, HSDS CSV and JSON.
fn catalogues() -> Vec<(&'static str, Vec<Service>)> {
    let all = Options {
        include_inactive: true,
        ..Options::default()
    };
    let read = |name: &str| import_path_with(&fixture(name), Format::Auto, all).unwrap().services;
    vec![
        ("icarol sites", read("icarol/sites-and-programs.csv")),
        ("icarol programs", read("icarol/programs-only.csv")),
        ("airs shelter", read("airs/shelter-3.0.xml")),
        ("airs nested", read("airs/nested-3.1.xml")),
        ("hsds 3.0 csv", read("hsds-3.0-csv")),
        ("hsds 1.1", read("hsds-1.1")),
        ("hsds json", read("hsds-3.0-json/service.json")),
    ]
}

#[test]
fn every_exported_service_validates_against_the_official_schema() {
    let schema = validator();
    // The validator checks what it should: ids must be UUIDs, status one of four.
    let mut bad = hsds_service(&import("airs/shelter-3.0.xml").services[0], &mut Tally::default());
    assert!(schema.is_valid(&bad));
    bad["id"] = "7110".into();
    assert!(!schema.is_valid(&bad), "a non-UUID id is refused");
    bad["id"] = "0b4d2f3e-8a2c-5d8e-9f10-2a3b4c5d6e7f".into();
    bad["status"] = "open".into();
    assert!(!schema.is_valid(&bad), "an unknown status is refused");
    for (name, services) in catalogues() {
        assert!(!services.is_empty(), "{name}");
        let mut tally = Tally::default();
        for s in &services {
            let v = hsds_service(s, &mut tally);
            let errors: Vec<String> = schema
                .iter_errors(&v)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name} {}: {errors:#?}", s.id);
        }
    }
}

#[test]
fn the_export_is_hsds_shaped() {
    let import = import("airs/shelter-3.0.xml");
    let v = hsds_service(service(&import, "7110"), &mut Tally::default());
    assert_eq!(v["name"], "Transition Shelter for Women");
    assert_eq!(v["status"], "active");
    assert_eq!(v["assured_date"], "2024-02-03");
    assert_eq!(v["minimum_age"], 19);
    assert_eq!(v["organization"]["name"], "Safe Harbour Society");
    let schedule = &v["schedules"][0];
    assert_eq!(
        (
            schedule["freq"].as_str(),
            schedule["byday"].as_str(),
            schedule["opens_at"].as_str(),
            schedule["closes_at"].as_str()
        ),
        (
            Some("WEEKLY"),
            Some("MO,TU,WE,TH,FR,SA,SU"),
            Some("00:00"),
            Some("24:00")
        )
    );
    let codes: Vec<&str> = v["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["taxonomy_term"]["taxonomy"] == "AIRS")
        .map(|a| a["taxonomy_term"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["BH-1800.8500-800", "YK-9000"]);
    let phone = &v["phones"][1];
    assert_eq!(
        (phone["number"].as_str(), phone["type"].as_str()),
        (Some("1-800-555-0199"), Some("voice"))
    );
    let address = &v["service_at_locations"][0]["location"]["addresses"][0];
    assert_eq!(address["address_type"], "physical");
    assert_eq!(v["languages"][1]["code"], "fr");
    assert!(uuid_like(v["id"].as_str().unwrap()));
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|&c| c == '-').count() == 4
}

/// Services by id, for comparing catalogues.
fn by_id(services: Vec<Service>) -> HashMap<String, Service> {
    services.into_iter().map(|s| (s.id.clone(), s)).collect()
}

#[test]
fn importing_the_json_export_gives_the_same_catalogue() {
    for (name, services) in catalogues() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.jsonl");
        let mut tally = Tally::default();
        let lines: Vec<String> = services
            .iter()
            .map(|s| serde_json::to_string(&hsds_service(s, &mut tally)).unwrap())
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        same_catalogue(name, services, &path);
    }
}

#[test]
fn importing_the_csv_export_gives_the_same_catalogue() {
    for (name, services) in catalogues() {
        let dir = tempfile::tempdir().unwrap();
        let mut package = CsvPackage::create(dir.path()).unwrap();
        let mut tally = Tally::default();
        for s in &services {
            package.add(s, &mut tally).unwrap();
        }
        package.finish().unwrap();
        same_catalogue(name, services, dir.path());
    }
}

/// Imports `path` and checks it holds exactly `services`, field by field.
fn same_catalogue(name: &str, services: Vec<Service>, path: &std::path::Path) {
    {
        let back = import_path(path, Format::Auto).unwrap();
        assert!(back.report.problems.is_empty(), "{name}: {:?}", back.report.problems);
        let (before, after) = (by_id(services), by_id(back.services));
        assert_eq!(before.len(), after.len(), "{name}");
        assert!(
            before.values().any(|s| !s.phones.is_empty() && !s.locations.is_empty()),
            "{name}: a real comparison"
        );
        for (id, s) in &before {
            let b = after.get(id).unwrap_or_else(|| panic!("{name}: {id} lost"));
            if s != b {
                let (x, y) = (serde_json::to_value(s).unwrap(), serde_json::to_value(b).unwrap());
                let diff: Vec<String> = x
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, v)| y.get(*k) != Some(v))
                    .map(|(k, v)| format!("{k}: {v} -> {}", y.get(k).unwrap_or(&Value::Null)))
                    .collect();
                panic!("{name} {id} changed: {diff:#?}");
            }
        }
    }
}

#[test]
fn the_csv_package_follows_the_3_0_descriptor() {
    let descriptor = spec("datapackage-3.0.json");
    let official: HashMap<&str, &Value> = descriptor["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut package = CsvPackage::create(dir.path()).unwrap();
    let mut tally = Tally::default();
    for (_, services) in catalogues() {
        for s in &services {
            package.add(s, &mut tally).unwrap();
        }
    }
    package.finish().unwrap();
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("datapackage.json")).unwrap()).unwrap();
    let resources = written["resources"].as_array().unwrap();
    assert!(resources.len() >= 10);
    for r in resources {
        let path = r["path"].as_str().unwrap();
        let spec = official
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not an HSDS 3.0 table"));
        assert_eq!(r["name"], spec["name"]);
        let fields = spec["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(r["schema"]["fields"].as_array().unwrap().len(), names.len(), "{path}");
        let mut reader = csv::Reader::from_path(dir.path().join(path)).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, names, "{path}: columns in the descriptor's order");
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap();
            rows += 1;
            for (field, cell) in fields.iter().zip(record.iter()) {
                let name = field["name"].as_str().unwrap();
                let required = field["constraints"]["required"] == true;
                assert!(
                    !required || !cell.is_empty() || field["type"] == "string",
                    "{path} {name}: required"
                );
                if cell.is_empty() {
                    continue;
                }
                match (field["type"].as_str().unwrap(), field["format"].as_str()) {
                    ("number", _) => assert!(cell.parse::<f64>().is_ok(), "{path} {name}: {cell:?} is not a number"),
                    ("date", _) => assert!(
                        jiff::civil::Date::strptime("%Y-%m-%d", cell).is_ok(),
                        "{path} {name}: {cell:?}"
                    ),
                    ("time", _) => assert!(
                        navigator_index::hours::parse_time(cell).is_some(),
                        "{path} {name}: {cell:?}"
                    ),
                    (_, Some("uuid")) => assert!(uuid_like(cell), "{path} {name}: {cell:?} is not a UUID"),
                    _ => {}
                }
            }
        }
        if ["services.csv", "organizations.csv", "phones.csv", "schedules.csv"].contains(&path) {
            assert!(rows > 0, "{path} is empty");
        }
    }
    // Every id a row points to is in its table.
    let ids = |file: &str| -> std::collections::HashSet<String> {
        csv::Reader::from_path(dir.path().join(file))
            .unwrap()
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect()
    };
    let (services, orgs, locations) = (ids("services.csv"), ids("organizations.csv"), ids("locations.csv"));
    let mut reader = csv::Reader::from_path(dir.path().join("services.csv")).unwrap();
    for r in reader.records() {
        assert!(orgs.contains(&r.unwrap()[1]), "organization_id");
    }
    let mut reader = csv::Reader::from_path(dir.path().join("service_at_location.csv")).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        assert!(services.contains(&r[1]) && locations.contains(&r[2]));
    }
}
