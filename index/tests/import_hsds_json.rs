//! HSDS 3.0 JSON: one object, an array, a paginated list, JSON Lines, and files that are
//! not usable.

mod import_common;

use import_common::*;
use navigator_index::import::{import_path, Format, ImportError};
use navigator_index::{Address, TaxonomyTerm};

#[test]
fn one_service_object_with_nested_locations() {
    let import = import("hsds-3.0-json/service.json");
    assert_eq!(import.report.format, "hsds-json 3.0");
    assert_eq!(import.report.files, ["service.json"]);
    assert_eq!((import.report.services_read, import.services.len()), (1, 1));
    assert_eq!(problems(&import), []);
    let s = &import.services[0];
    assert_eq!(s.id, "svc-kgn-1");
    assert_eq!(s.name, "Kingston Youth Drop-in");
    assert_eq!(s.organization.id.as_deref(), Some("org-kgn"));
    assert_eq!(s.organization.name, "Limestone Youth Services");
    assert_eq!(s.organization.url.as_deref(), Some("https://lys.example.org"));
    assert_eq!(s.status.as_deref(), Some("active"));
    assert_eq!(location_ids(s), ["loc-kgn"]);
    let loc = &s.locations[0];
    assert_eq!(loc.name.as_deref(), Some("Princess Street Youth Centre"));
    assert_eq!(
        (loc.latitude, loc.longitude),
        (Some(44.2312), Some(-76.486)),
        "a string and a number"
    );
    assert_eq!(
        loc.address,
        Some(Address {
            lines: vec!["340 Princess St".into()],
            city: Some("Kingston".into()),
            region: None,
            state_province: Some("ON".into()),
            postal_code: Some("K7L 1B6".into()),
            country: Some("CA".into()),
            ..Default::default()
        }),
        "the physical address, though the postal one comes first"
    );
    assert_eq!(
        phone_numbers(s),
        ["613-555-0311"],
        "the location's phone before the organization's"
    );
    assert_eq!(s.phones[0].extension.as_deref(), Some("4"), "a number as text");
    assert_eq!(s.phones[0].kind.as_deref(), Some("voice"));
    let weekdays: Vec<String> = ["monday", "tuesday", "wednesday", "thursday", "friday"]
        .iter()
        .map(|d| format!("{d} 15:00-21:00"))
        .collect();
    assert_eq!(hours(s), weekdays, "service_at_location hours");
    assert_eq!(s.hours_note.as_deref(), Some("Closed on statutory holidays"));
    assert_eq!(s.timezone.as_deref(), Some("America/Toronto"));
    assert_eq!(language_codes(s), ["en", "fr"]);
    assert_eq!((s.fees.as_deref(), s.free), (Some("Everyone: 0 CAD"), Some(true)));
    assert_eq!((s.min_age, s.max_age), (Some(12), Some(24)));
    assert_eq!(s.eligibility.as_deref(), Some("Youth 12 to 24"));
    assert_eq!(s.last_verified.as_deref(), Some("2024-02-29"));
    assert_eq!(strs(&s.accessibility), ["Ramp and accessible washroom"]);
    assert_eq!(s.wheelchair_accessible, Some(true));
    assert_eq!(strs(&s.required_documents), ["Health card if you have one"]);
    assert_eq!(strs(&s.service_areas), ["City of Kingston"]);
    assert_eq!(
        s.taxonomy,
        [
            TaxonomyTerm {
                code: "TC-5500".into(),
                name: "Drop-in Centres".into(),
                vocabulary: Some("Ontario 211 Taxonomy".into())
            },
            TaxonomyTerm {
                code: "YB-9500".into(),
                name: "Youth".into(),
                vocabulary: Some("AIRS".into())
            },
        ]
    );
    assert_eq!((strs(&s.categories), s.categories_inferred), (vec!["community"], false));
    assert_eq!(strs(&s.audiences), ["youth", "children"]);
    assert_eq!(s.text_language.as_deref(), Some("en"));
}

#[test]
fn an_array_reports_problems_by_element_path() {
    let import = import("hsds-3.0-json/services.json");
    assert_eq!(import.report.services_read, 4);
    assert_eq!(ids(&import), ["svc-a", "42"], "a numeric id is text");
    assert_eq!(
        problems(&import),
        [
            skipped("services.json", None, Some("[1].name"), "service svc-b has no name"),
            skipped(
                "services.json",
                None,
                Some("[2].id"),
                "duplicate service id svc-a (first at [0])"
            ),
            skipped(
                "services.json",
                None,
                Some("[3].schedules[0].closes_at"),
                "\"noonish\" is not a time; hours not imported"
            ),
            repaired(
                "services.json",
                None,
                Some("[3].service_at_locations[0].location.latitude"),
                "latitude 191.5 is out of range -90..90; coordinates dropped"
            ),
        ]
    );
    let s = service(&import, "svc-a");
    assert_eq!(s.name, "Belleville Food Share", "the first of a repeated id");
    assert_eq!(phone_numbers(s), ["613-555-0400"]);
    let s = service(&import, "42");
    assert_eq!(
        s.organization.id.as_deref(),
        Some("org-c"),
        "organization_id without a nested organization"
    );
    assert_eq!(location_ids(s), ["loc-c"]);
    assert_eq!((s.locations[0].latitude, s.locations[0].longitude), (None, None));
    assert!(s.schedules.is_empty());
}

#[test]
fn a_paginated_list() {
    let import = import("hsds-3.0-json/service_list.json");
    assert_eq!(ids(&import), ["svc-p1", "svc-p2"]);
    assert_eq!(problems(&import), []);
    assert_eq!(service(&import, "svc-p2").text_language.as_deref(), Some("fr"));
    assert_eq!(service(&import, "svc-p1").organization.name, "Kawartha Housing");
}

#[test]
fn json_lines_report_line_numbers() {
    let import = import("hsds-3.0-json/services.jsonl");
    assert_eq!(import.report.format, "hsds-json 3.0 (JSON Lines)");
    assert_eq!(import.report.services_read, 4, "three objects and one broken line");
    assert_eq!(ids(&import), ["svc-l1", "svc-l3", "svc-l4"]);
    assert_eq!(
        problems(&import),
        [
            skipped(
                "services.jsonl",
                Some(2),
                None,
                "not valid JSON: EOF while parsing a value at column 42"
            ),
            repaired(
                "services.jsonl",
                Some(3),
                Some("service_at_locations[0].location.latitude"),
                "latitude -94.49 and longitude 49.77 were swapped; fixed"
            ),
        ]
    );
    let s = service(&import, "svc-l3");
    assert_eq!(phone_numbers(s), ["807-555-0199"], "literal quotes unwrapped");
    assert_eq!(
        (s.locations[0].latitude, s.locations[0].longitude),
        (Some(49.77), Some(-94.49))
    );
    assert_eq!(language_codes(service(&import, "svc-l4")), ["fr"]);
}

#[test]
fn json_lines_without_the_extension_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::write(&path, "{\"id\": \"a\", \"name\": \"One\", \"description\": \"x\"}\n{\"id\": \"b\", \"name\": \"Two\", \"status\": \"active\"}\n").unwrap();
    let import = import_path(&path, Format::Auto).unwrap();
    assert_eq!(ids(&import), ["a", "b"]);
    assert_eq!(import.report.format, "hsds-json 3.0 (JSON Lines)");
}

#[test]
fn a_file_that_is_not_json_is_unusable_with_its_line_and_column() {
    let err = import_path(&fixture("hsds-3.0-json/not-json.json"), Format::Auto).unwrap_err();
    let ImportError::Unusable { path, reason } = &err else {
        panic!("{err}")
    };
    assert!(path.ends_with("not-json.json"), "{path}");
    assert_eq!(reason, "not valid JSON: expected `,` or `}` at line 2, column 3");
}

#[test]
fn json_without_services_is_unusable() {
    let err = import_path(&fixture("hsds-3.0-json/no-services.json"), Format::Auto).unwrap_err();
    let ImportError::Unusable { reason, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(reason, "no HSDS service records in this JSON");
}

#[test]
fn a_bom_and_windows_1252_bytes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp1252.json");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(b"{\"id\": \"svc-h\",\n \"name\": \"Soci\xe9t\xe9 d'entraide\", \"status\": \"active\"}\n");
    std::fs::write(&path, bytes).unwrap();
    let import = import_path(&path, Format::Auto).unwrap();
    assert_eq!(import.services[0].name, "Société d'entraide");
    assert_eq!(
        problems(&import),
        [repaired(
            "cp1252.json",
            Some(2),
            None,
            "not valid UTF-8; read as Windows-1252"
        )]
    );
}

/// The JSON reader works within the same limits as the CSV one: a string over the field
/// limit is dropped (named by its JSON path) and the service kept, a line over the record
/// limit skipped, and a bad byte repairs only its own line.
#[test]
fn json_lines_within_the_limits_and_encoding_line_by_line() {
    use navigator_index::import::{import_path_with, Limits, Options};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("services.jsonl");
    let mut text = Vec::new();
    text.extend_from_slice(br#"{"id":"a","name":"M\u00e9tis centre","description":"short"}"#);
    text.push(b'\n');
    text.extend_from_slice(format!(r#"{{"id":"b","name":"Big","description":"{}"}}"#, "x".repeat(3000)).as_bytes());
    text.push(b'\n');
    text.extend_from_slice(
        format!(
            r#"{{"id":"c","name":"Huge","description":"{0}","email":"{0}","url":"{0}"}}"#,
            "y".repeat(900)
        )
        .as_bytes(),
    );
    text.push(b'\n');
    text.extend_from_slice(b"{\"id\":\"d\",\"name\":\"Caf\xe9\",\"description\":\"d\"}\n");
    text.extend_from_slice("{\"id\":\"e\",\"name\":\"Régie\",\"description\":\"e\"}\n".as_bytes());
    std::fs::write(&path, text).unwrap();
    let limits = Limits {
        max_field_bytes: 1000,
        max_record_bytes: 2500,
    };
    let options = Options {
        limits,
        ..Options::default()
    };
    let import = import_path_with(&path, Format::HsdsJson, options).unwrap();
    let names: Vec<(&str, &str)> = import
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("a", "Métis centre"), ("b", "Big"), ("d", "Café"), ("e", "Régie")]
    );
    let shown: Vec<String> = import.report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            "services.jsonl:4: not valid UTF-8; read as Windows-1252",
            "services.jsonl:2: description: too long (3000 bytes, limit 1000)",
            "services.jsonl:3: record too long (2761 bytes, limit 2500)",
        ]
    );
}
