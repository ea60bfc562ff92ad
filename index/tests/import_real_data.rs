//! The importers on the real public data in `../shared/data` (see its README). Each test
//! skips, saying so, when that folder is not there (a fresh clone has no `../shared`).

mod import_common;

use std::collections::HashMap;
use std::path::PathBuf;

use import_common::*;
use navigator_index::import::{import_path, Format, Import, ProblemKind};

fn data(path: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(path);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is not there", dir.display());
        None
    }
}

fn read(path: &std::path::Path) -> Import {
    import_path(path, Format::Auto).unwrap_or_else(|e| panic!("{e}"))
}

fn count(import: &Import, kind: ProblemKind, file: &str, field: &str) -> usize {
    import
        .report
        .problems
        .iter()
        .filter(|p| p.kind == kind && p.file == file && p.field.as_deref() == Some(field))
        .count()
}

#[test]
fn illinois_legal_aid_hsds_1_1() {
    let Some(dir) = data("hsds-1.1-legal-aid/output") else {
        return;
    };
    let import = read(&dir);
    assert_eq!(import.report.format, "hsds-csv 1.1");
    assert_eq!(import.report.services_read, 430);
    assert_eq!(import.services.len(), 429);
    assert_eq!(
        import
            .report
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Skipped && p.file == "services.csv")
            .count(),
        1
    );
    let skipped = import
        .report
        .problems
        .iter()
        .find(|p| p.file == "services.csv" && p.kind == ProblemKind::Skipped)
        .unwrap();
    assert_eq!(
        (skipped.line, skipped.field.as_deref(), skipped.reason.as_str()),
        (Some(651), Some("id"), "service has no id")
    );
    // organizations.csv has 33 organizations; most services name one that is not there.
    assert_eq!(
        count(&import, ProblemKind::Repaired, "services.csv", "organization_id"),
        340
    );
    assert_eq!(count(&import, ProblemKind::Skipped, "phones.csv", "number"), 19);
    assert_eq!(import.report.problems.len(), 1 + 340 + 19);

    assert_eq!(import.services.iter().filter(|s| !s.phones.is_empty()).count(), 429);
    let located: Vec<_> = import.services.iter().filter(|s| !s.locations.is_empty()).collect();
    assert_eq!(
        located.len(),
        274,
        "no service_at_location table: placed by organization and shared phone numbers"
    );
    assert_eq!(
        import.services.iter().filter(|s| !s.schedules.is_empty()).count(),
        265,
        "hours from their locations"
    );
    let free = import.services.iter().filter(|s| s.free == Some(true)).count();
    assert_eq!(free, 397, "fees that say free");

    // Every placement agrees with the raw export's own "Location ID" column.
    let Some(input) = data("hsds-1.1-legal-aid/input/services.csv") else {
        return;
    };
    let mut reader = csv::Reader::from_path(input).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, loc) = (col("Services-ID"), col("Location ID"));
    let truth: HashMap<String, String> = reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[id].to_string(), r[loc].to_string()))
        .collect();
    for s in located {
        assert_eq!(location_ids(s), [truth[&s.id].as_str()], "{} {}", s.id, s.name);
    }

    let s = service(&import, "135836");
    assert_eq!(s.name, "Free legal information and forms in Cook County");
    assert_eq!(location_ids(s), ["135831"]);
    assert_eq!(
        s.locations[0].name.as_deref(),
        Some("Arlington Heights Memorial Library")
    );
    assert_eq!(phone_numbers(s), ["847-392-0100"]);
    assert_eq!(hours(s)[0], "monday 09:00-22:00");
    assert_eq!(hours(s)[6], "sunday 11:00-20:00");
    assert_eq!((s.fees.as_deref(), s.free), (Some("Free to everyone"), Some(true)));
    assert!(s.categories.contains(&"legal".to_string()));
}

#[test]
fn hsds_1_1_sample_package() {
    let Some(dir) = data("hsds-1.1-sample") else {
        return;
    };
    let import = read(&dir);
    assert_eq!(import.report.format, "hsds-csv 1.1");
    assert_eq!(import.services.len(), 13);
    assert_eq!(problems(&import), []);
    assert!(import
        .services
        .iter()
        .all(|s| s.locations.len() == 1 && !s.organization.name.is_empty()));
    let s = service(&import, "c89eb05c-62dd-4b64-b494-0cc347b6ea7f");
    assert_eq!(s.name, "Never Homeless Helpline");
    assert_eq!(s.organization.name, "Sanctuary Example City");
    assert_eq!(
        s.locations[0].address.as_ref().and_then(|a| a.city.as_deref()),
        Some("New York City")
    );
    assert_eq!(
        hours(s),
        ["monday 09:00-17:00", "tuesday 09:00-17:00", "wednesday 09:00-17:00"]
    );
    assert_eq!(language_codes(s), ["en", "es"]);
    assert_eq!(s.eligibility.as_deref(), Some("adult"));
    assert_eq!(strs(&s.required_documents), ["Sample required document"]);
    // Phones by service, by service_at_location, and by organization.
    assert_eq!(
        phone_numbers(service(&import, "21a1192b-abb9-45e8-bc52-c81ca4087240")),
        ["(223) 4567 12534", "(773) 2351 2461"]
    );
    assert_eq!(
        phone_numbers(service(&import, "62e95523-07b9-4d1b-9bcf-6cea6e2be5d8")),
        ["(223) 346 12361"]
    );
}

/// The one example service of the HSDS 3.0 specification, as CSV and as JSON.
fn check_example_service(import: &Import) {
    assert_eq!(import.services.len(), 1);
    let s = &import.services[0];
    assert_eq!(s.id, "ac148810-d857-441c-9679-408f346de14b");
    assert_eq!(s.name, "Community Counselling");
    assert_eq!(s.organization.name, "Example Organization Inc.");
    assert_eq!(location_ids(s), ["3a19ff88-4620-4d17-9830-ac1d859eb5d5"]);
    assert_eq!(
        (s.locations[0].latitude, s.locations[0].longitude),
        (None, None),
        "latitude 100 / longitude 101"
    );
    assert_eq!(
        s.locations[0].address.as_ref().map(|a| a.lines.clone()),
        Some(vec!["1-30 Main Street".into(), "MyVillage".into()])
    );
    assert_eq!(phone_numbers(s), ["+44 1234 234567"], "literal quotes unwrapped");
    assert_eq!(hours(s), ["thursday 10:00-18:00", "friday 10:00-18:00"]);
    assert!(s
        .hours_note
        .as_deref()
        .unwrap()
        .starts_with("The service is available from 10 am"));
    assert_eq!(s.timezone, None, "timezone 3 is not an IANA name");
    assert_eq!(language_codes(s), ["ur"]);
    assert_eq!((s.min_age, s.max_age), (Some(12), Some(100)));
    assert_eq!(s.last_verified.as_deref(), Some("2005-01-01"));
    assert_eq!(s.wheelchair_accessible, Some(true));
    assert!(s
        .fees
        .as_deref()
        .unwrap()
        .ends_with("Under 18s and Over 60s: 35 GBP per 1 hour session"));
    assert_eq!(s.free, None);
}

#[test]
fn hsds_3_0_example_csv() {
    let Some(dir) = data("hsds-3.0-examples/csv") else {
        return;
    };
    let import = read(&dir);
    assert_eq!(import.report.format, "hsds-csv 3.0");
    check_example_service(&import);
    assert_eq!(
        problems(&import),
        [repaired(
            "locations.csv",
            Some(2),
            Some("latitude"),
            "latitude 100 is out of range -90..90; coordinates dropped"
        )]
    );
    // Its only attribute links an id that is no service.
    assert!(import.services[0].taxonomy.is_empty());
}

#[test]
fn hsds_3_0_example_json() {
    let Some(dir) = data("hsds-3.0-examples/json") else {
        return;
    };
    let import = read(&dir.join("service_full.json"));
    assert_eq!(import.report.format, "hsds-json 3.0");
    check_example_service(&import);
    assert_eq!(
        problems(&import),
        [repaired(
            "service_full.json",
            None,
            Some("service_at_locations[0].location.latitude"),
            "latitude 100 is out of range -90..90; coordinates dropped"
        )]
    );
    assert_eq!(
        import.services[0].taxonomy[0].code, "code",
        "the example's placeholder term"
    );

    // The same service in a paginated list, nested in an organization, and in a
    // service_at_location.
    for (file, locations) in [
        ("service_list.json", 0),
        ("organization_full.json", 1),
        ("service_at_location_full.json", 1),
    ] {
        let import = read(&dir.join(file));
        assert_eq!(ids(&import), ["ac148810-d857-441c-9679-408f346de14b"], "{file}");
        assert_eq!(
            import.services[0].organization.name, "Example Organization Inc.",
            "{file}"
        );
        assert_eq!(import.services[0].locations.len(), locations, "{file}");
    }
    assert!(
        import_path(&dir.join("taxonomy.json"), Format::Auto).is_err(),
        "no services in it"
    );
}

#[test]
fn florida_legal_aid_prefixed_columns() {
    let Some(dir) = data("hsds-1.1-legal-aid/florida_data") else {
        return;
    };
    let import = read(&dir);
    assert_eq!(import.services.len(), 135);
    assert_eq!(
        problems(&import),
        [repaired(
            "services.csv",
            Some(65),
            Some("minimum_age"),
            "\"http://gulfcoastlegal.org/financial-stability-assistance\" is not an age; dropped"
        )]
    );
    // service_uuid, service_name, organization_uuid ... resolve like id, name, organization_id.
    let s = service(&import, "5b4f6132-3e8c-4d79-9c56-f2e6ac1e02dd");
    assert_eq!(s.name, "General Civil Legal Assistance");
    assert_eq!(s.organization.name, "Bay Area Legal Services, Inc.");
    assert_eq!(s.organization.alternate_name.as_deref(), Some("BALS"));
    assert_eq!(s.email.as_deref(), Some("referrals@bals.org"));
    assert_eq!(s.service_areas.len(), 5);
    assert_eq!(s.service_areas[0], "Hillsborough County");
    assert_eq!((s.min_age, s.max_age), (Some(0), None), "200 means no limit");
    assert!(import.services.iter().all(|s| !s.organization.name.is_empty()));
}
