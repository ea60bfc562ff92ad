//! `navigator export services`: HSDS 3.0 JSON Lines (or an array) that validates against
//! the official schema, a CSV datapackage, confidential values left out unless a
//! confidential reader asks, and a round trip that finds the same services.

mod common;

use common::{fixture, Data};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("hsds-3.0-spec/compiled-service-3.0.json")).unwrap())
            .unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn catalogue() -> Data {
    let d = Data::new();
    for f in ["airs/shelter-3.0.xml", "icarol/sites-and-programs.csv"] {
        d.ok(&["import", fixture(f).to_str().unwrap()]);
    }
    d
}

#[test]
fn json_lines_validate_and_withhold_confidential_values() {
    let d = catalogue();
    let out = d.path().join("services.jsonl");
    d.ok(&[
        "export",
        "services",
        "--format",
        "hsds-json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let schema = validator();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6, "2 AIRS + 4 iCarol services");
    for v in &lines {
        let errors: Vec<String> = schema.iter_errors(v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    for secret in ["Hidden Lane", "V2C 1A1", "555-0111", "50.674"] {
        assert!(!text.contains(secret), "{secret} exported");
    }
    d.ok(&[
        "export",
        "services",
        "--format",
        "hsds-json",
        "--array",
        "--out",
        out.to_str().unwrap(),
    ]);
    let array: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(array.as_array().unwrap().len(), 6);
}

#[test]
fn importing_the_export_finds_the_same_services() {
    let d = catalogue();
    let json = d.path().join("export.json");
    let csv = d.path().join("package");
    d.ok(&[
        "export",
        "services",
        "--format",
        "hsds-json",
        "--out",
        json.to_str().unwrap(),
    ]);
    d.ok(&[
        "export",
        "services",
        "--format",
        "hsds-csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(csv.join("datapackage.json").exists() && csv.join("services.csv").exists());
    for path in [&json, &csv] {
        let other = Data::new();
        other.ok(&["import", path.to_str().unwrap()]);
        for query in ["shelter", "counselling", "food", "legal"] {
            assert_eq!(
                other.search_ids(query, 10),
                d.search_ids(query, 10),
                "{query} after {}",
                path.display()
            );
        }
        let before: Value = serde_json::from_str(&d.ok(&["show", "131", "--json"])).unwrap();
        let after: Value = serde_json::from_str(&other.ok(&["show", "131", "--json"])).unwrap();
        assert_eq!(before, after, "{}", path.display());
    }
    // Exporting again replaces the folder whole.
    d.ok(&[
        "export",
        "services",
        "--format",
        "hsds-csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        left.iter()
            .all(|n| !n.to_string_lossy().contains(".old-") && !n.to_string_lossy().starts_with(".export-")),
        "{left:?}"
    );
}

#[test]
fn with_confidential_is_for_confidential_readers_and_audited() {
    let d = catalogue();
    let out = d.path().join("full.jsonl");
    let refused = d
        .nav()
        .args([
            "export",
            "services",
            "--format",
            "hsds-json",
            "--with-confidential",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(77));
    assert!(!out.exists(), "nothing written");
    std::fs::write(
        d.path().join("system-config.toml"),
        format!("[privacy]\nconfidential_readers = [{:?}]\n", navigator::user::name()),
    )
    .unwrap();
    d.ok(&[
        "export",
        "services",
        "--format",
        "hsds-json",
        "--with-confidential",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("1410 Hidden Lane") && text.contains("250-555-0111"));
    // Re-imported, they are still confidential.
    let other = Data::new();
    other.ok(&["import", out.to_str().unwrap()]);
    let shown = other.ok(&["show", "7110"]);
    assert!(
        !shown.contains("Hidden Lane") && shown.contains("address confidential"),
        "{shown}"
    );
    let audit = d.ok(&["admin", "audit", "--json"]);
    assert!(audit.contains("export.services"), "{audit}");
}
