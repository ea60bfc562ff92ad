//! A re-import of an HSDS CSV package tells the services it already has from what they
//! are built from, before building them: told the digests a first read gave, a second read
//! passes on as unchanged exactly the services a full read would build the same, and
//! builds, the same as a full read, every service whose own row, detail rows,
//! organization, locations or taxonomy changed. On generated HSDS 3.0 packages.

mod shared_data;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use navigator_index::import::{read_path, stream_known, Format, ImportReport, Known, Options, Streamed};
use navigator_index::synth::{write_datapackage, SynthOptions};
use navigator_index::Service;
use shared_data::shared;

fn package(dir: &Path, services: u64) {
    let opts = SynthOptions { services, seed: 211 };
    write_datapackage(&opts, dir, &mut |_| {}).unwrap();
}

fn read(dir: &Path, known: &Known) -> (ImportReport, Vec<Streamed>) {
    let mut items = Vec::new();
    let report = stream_known(dir, Format::HsdsCsv, Options::default(), known, &mut |s| items.push(s)).unwrap();
    (report, items)
}

/// Every service a full read builds, by id.
fn built(dir: &Path) -> BTreeMap<String, Service> {
    let mut all = BTreeMap::new();
    read_path(dir, Format::HsdsCsv, Options::default(), &mut |s| {
        all.insert(s.id.clone(), s);
    })
    .unwrap();
    all
}

/// The hash the catalogue would keep for a record: any number tied to the service will do.
fn hash_of(s: &Service) -> i64 {
    s.id.bytes()
        .fold(7i64, |h, b| h.wrapping_mul(31).wrapping_add(b as i64))
}

/// Rewrites `file`'s rows: `edit` gets the header and each row, and may change the row.
fn edit_rows(dir: &Path, file: &str, mut edit: impl FnMut(&csv::StringRecord, &mut Vec<String>)) {
    let path = dir.join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header = reader.headers().unwrap().clone();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&header).unwrap();
    for mut row in rows {
        edit(&header, &mut row);
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
}

/// Sets `column` to `value` in the row of `file` whose `key` column is `id`.
fn set(dir: &Path, file: &str, key: &str, id: &str, column: &str, value: &str) {
    let mut found = false;
    edit_rows(dir, file, |header, row| {
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        if row[col(key)] == id {
            row[col(column)] = value.to_string();
            found = true;
        }
    });
    assert!(found, "{file} has no {key} {id}");
}

/// The value of `column` in the first row of `file` whose `key` column is `id`.
fn lookup(dir: &Path, file: &str, key: &str, id: &str, column: &str) -> String {
    let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[col(key)] == id)
        .map(|r| r[col(column)].to_string())
        .unwrap_or_else(|| panic!("{file} has no {key} {id}"))
}

/// Digests of a first read, as the catalogue would remember them.
fn remember(items: Vec<Streamed>) -> (Known, BTreeMap<String, Service>) {
    let (mut known, mut services) = (Known::default(), BTreeMap::new());
    for item in items {
        match item {
            Streamed::Service(s, Some(digest)) => {
                known.insert(&s.id, digest, hash_of(&s));
                services.insert(s.id.clone(), s);
            }
            Streamed::Service(s, None) => panic!("{} was not digested", s.id),
            Streamed::Unchanged(u) => panic!("{} unchanged with nothing known", u.id),
        }
    }
    (known, services)
}

#[test]
fn only_the_services_whose_rows_changed_are_built_again() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path(), 300);
    let (first_report, first) = read(dir.path(), &Known::default());
    let (known, before) = remember(first);
    assert_eq!(before.len(), 300);

    // The same package: nothing is built, and the report's counts are the same.
    let (report, items) = read(dir.path(), &known);
    assert_eq!(items.len(), 300);
    for item in &items {
        match item {
            Streamed::Unchanged(u) => assert_eq!(u.hash, hash_of(&before[&u.id])),
            Streamed::Service(s, _) => panic!("{} built again though nothing changed", s.id),
        }
    }
    assert_eq!(
        (report.organizations, report.locations, report.problems.len()),
        (
            first_report.organizations,
            first_report.locations,
            first_report.problems.len()
        )
    );

    // One location's row, one organization's row, one service's phone; and a location
    // nobody uses put first, which moves every other location one row down.
    let location = lookup(
        dir.path(),
        "service_at_location.csv",
        "service_id",
        "svc-000010",
        "location_id",
    );
    set(
        dir.path(),
        "locations.csv",
        "id",
        &location,
        "name",
        "Renamed Community House",
    );
    let org = lookup(dir.path(), "services.csv", "id", "svc-000050", "organization_id");
    set(dir.path(), "organizations.csv", "id", &org, "name", "Renamed Outreach");
    let phone = lookup(dir.path(), "phones.csv", "service_id", "svc-000100", "id");
    set(dir.path(), "phones.csv", "id", &phone, "number", "416-555-0000");
    let text = std::fs::read_to_string(dir.path().join("locations.csv")).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let unused = "loc-unused,physical,,,Unused Hall,,,,43.6,-79.4,,\n";
    std::fs::write(dir.path().join("locations.csv"), format!("{header}\n{unused}{rest}")).unwrap();

    let after = built(dir.path());
    let changed: BTreeSet<&String> = after.keys().filter(|id| after[*id] != before[*id]).collect();
    for id in ["svc-000010", "svc-000050", "svc-000100"] {
        assert!(changed.contains(&id.to_string()), "{id} did not change: {changed:?}");
    }
    let (_, items) = read(dir.path(), &known);
    let mut rebuilt = BTreeSet::new();
    for item in items {
        match item {
            Streamed::Unchanged(u) => assert!(!changed.contains(&u.id), "{} changed but was skipped", u.id),
            Streamed::Service(s, digest) => {
                assert!(digest.is_some());
                assert_eq!(s, after[&s.id], "{} not built as a full read builds it", s.id);
                rebuilt.insert(s.id);
            }
        }
    }
    assert_eq!(rebuilt.iter().collect::<BTreeSet<_>>(), changed);

    // The taxonomy reaches every service: a term's name changed builds them all again.
    let term = lookup(dir.path(), "taxonomy_terms.csv", "code", "BD-1800.2000", "id");
    set(dir.path(), "taxonomy_terms.csv", "id", &term, "name", "Food Pantries");
    let (_, items) = read(dir.path(), &known);
    assert!(items.iter().all(|i| matches!(i, Streamed::Service(..))));
}

#[test]
fn the_problems_of_a_service_found_unchanged_are_reported_all_the_same() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path(), 40);
    set(
        dir.path(),
        "services.csv",
        "id",
        "svc-000007",
        "minimum_age",
        "about twelve",
    );
    set(
        dir.path(),
        "services.csv",
        "id",
        "svc-000011",
        "organization_id",
        "org-nowhere",
    );
    let (first_report, first) = read(dir.path(), &Known::default());
    let (known, _) = remember(first);
    let (report, items) = read(dir.path(), &known);
    assert!(items.iter().all(|i| matches!(i, Streamed::Unchanged(_))));
    let problems = |r: &ImportReport| -> Vec<String> { r.problems.iter().map(|p| format!("{p:?}")).collect() };
    for field in ["minimum_age", "organization_id"] {
        assert!(
            problems(&report).iter().any(|p| p.contains(field)),
            "{field}: {:?}",
            problems(&report)
        );
    }
    assert_eq!(problems(&report), problems(&first_report));
}

/// Real exports (`../shared/data`, skipped when absent; most of their services have a
/// repaired value), read twice: the second read builds nothing, and reports the same
/// problems and counts.
#[test]
fn real_exports_read_again_are_unchanged_and_report_the_same_problems() {
    let sets = [
        "hsds-1.1-legal-aid/output",
        "hsds-1.1-legal-aid/florida_data",
        "hsds-1.1-sample",
        "hsds-3.0-examples/csv",
        "ohana-sample",
    ];
    for dir in sets.iter().filter_map(|s| shared(s)) {
        let (first_report, first) = read(&dir, &Known::default());
        let (known, before) = remember(first);
        let (report, items) = read(&dir, &known);
        assert_eq!(items.len(), before.len(), "{}", dir.display());
        for item in &items {
            assert!(matches!(item, Streamed::Unchanged(_)), "{}: {item:?}", dir.display());
        }
        let problems = |r: &ImportReport| -> Vec<String> { r.problems.iter().map(|p| format!("{p:?}")).collect() };
        assert_eq!(problems(&report), problems(&first_report), "{}", dir.display());
        assert_eq!(
            (report.organizations, report.locations),
            (first_report.organizations, first_report.locations),
            "{}",
            dir.display()
        );
    }
}
