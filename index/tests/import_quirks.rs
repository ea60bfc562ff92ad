//! A package with every quirk real exports have (see fixtures/quirks and the data README):
//! a BOM, cp1252 bytes, CR-only and CRLF files, odd headers, empty and repeated ids,
//! dangling keys, 8:00am times, weekday names, literal \n, ###MON### markers, trailing
//! spaces, -1 placeholders, bad and swapped coordinates, quoted phone numbers. No
//! service_at_location table, so services are placed by phone rows and organizations.

mod import_common;

use import_common::*;

#[test]
fn every_problem_is_reported_with_its_file_line_and_field() {
    let import = import("quirks");
    assert_eq!(
        import.report.format, "hsds-csv 3.0",
        "services.csv has minimum_age, a 3.0 column"
    );
    assert_eq!(import.report.services_read, 7);
    assert_eq!(ids(&import), ["svc-q1", "svc-q2", "svc-q3", "svc-q4", "svc-q5"]);
    assert_eq!(
        problems(&import),
        [
            // Field by field: only the values that are not UTF-8.
            repaired(
                "organizations.csv",
                Some(2),
                Some("name"),
                "not valid UTF-8; read as Windows-1252"
            ),
            repaired(
                "organizations.csv",
                Some(2),
                Some("description"),
                "not valid UTF-8; read as Windows-1252"
            ),
            skipped(
                "organizations.csv",
                Some(4),
                Some("id"),
                "duplicate organization id org-q2 (first on line 3)"
            ),
            skipped("services.csv", Some(3), Some("id"), "service has no id"),
            skipped(
                "services.csv",
                Some(5),
                Some("id"),
                "duplicate service id svc-q1 (first on line 2)"
            ),
            repaired(
                "services.csv",
                Some(6),
                Some("organization_id"),
                "organization org-gone not in organizations.csv"
            ),
            repaired(
                "services.csv",
                Some(6),
                Some("minimum_age"),
                "\"abc\" is not an age; dropped"
            ),
            repaired(
                "locations.csv",
                Some(3),
                Some("latitude"),
                "latitude 463.1 is out of range -90..90; coordinates dropped"
            ),
            repaired(
                "locations.csv",
                Some(4),
                Some("latitude"),
                "latitude -94.4894 and longitude 49.767 were swapped; fixed"
            ),
            skipped("locations.csv", Some(6), Some("id"), "location has no id"),
            skipped(
                "phones.csv",
                Some(6),
                Some("service_id"),
                "service svc-nope not in services.csv"
            ),
            skipped("phones.csv", Some(8), Some("number"), "phone has no number"),
            skipped(
                "regular_schedules.csv",
                Some(5),
                Some("weekday"),
                "unknown weekday \"Funday\"; hours not imported"
            ),
            skipped(
                "regular_schedules.csv",
                Some(6),
                Some("closes_at"),
                "\"noonish\" is not a time; hours not imported"
            ),
        ]
    );
}

#[test]
fn text_is_repaired() {
    let import = import("quirks");
    let s = service(&import, "svc-q1");
    assert_eq!(s.id, "svc-q1", "trailing space in the id");
    assert_eq!(s.name, "Hearst Food Cupboard", "trailing spaces in the name");
    assert_eq!(
        s.description.as_deref(),
        Some("Open Mondays.\nBring a bag."),
        "literal \\n and ###MON###"
    );
    assert_eq!(s.email, None, "-1 placeholder");
    assert_eq!(s.min_age, None, "-1 placeholder");
    assert_eq!((s.fees.as_deref(), s.free), (Some("Free"), Some(true)));
    assert_eq!(s.organization.name, "Société d'aide de Hearst", "cp1252 decoded");
    assert_eq!(
        s.organization.description.as_deref(),
        Some("Organisme francophone à Hearst")
    );
    assert_eq!(s.url, None, "a column the file does not have");

    let s = service(&import, "svc-q4");
    assert_eq!(
        s.description.as_deref(),
        Some("Call any time.\nText too."),
        "a quoted CRLF inside a cell"
    );
    assert_eq!(s.min_age, Some(16));
    let s = service(&import, "svc-q3");
    assert_eq!(
        s.organization.id.as_deref(),
        Some("org-gone"),
        "kept despite the dangling key"
    );
    assert_eq!(s.organization.name, "");
}

#[test]
fn phones_hours_and_coordinates_are_repaired() {
    let import = import("quirks");
    let s = service(&import, "svc-q1");
    assert_eq!(phone_numbers(s), ["705-555-0111"], "literal quotes unwrapped");
    assert_eq!(
        hours(s),
        ["monday 08:00-16:30", "thursday 13:00-17:00"],
        "8:00am times, weekday names"
    );
    let loc = &s.locations[0];
    assert_eq!(
        (loc.latitude, loc.longitude),
        (Some(49.6867), Some(-83.6733)),
        "padded strings"
    );

    let s = service(&import, "svc-q4");
    assert_eq!(
        (s.locations[0].latitude, s.locations[0].longitude),
        (Some(49.767), Some(-94.4894)),
        "swapped back"
    );
    assert_eq!(
        phone_numbers(s),
        ["807-555-0133"],
        "the organization's phone when nothing nearer has one"
    );

    let s = service(&import, "svc-q5");
    assert_eq!(
        (s.locations[0].latitude, s.locations[0].longitude),
        (None, None),
        "out of range: dropped"
    );
    let s = service(&import, "svc-q2");
    assert_eq!(
        (s.locations[0].latitude, s.locations[0].longitude),
        (None, None),
        "-1 placeholders"
    );
}

#[test]
fn services_are_placed_without_a_service_at_location_table() {
    let import = import("quirks");
    // The only location of its organization.
    assert_eq!(location_ids(service(&import, "svc-q1")), ["loc-q1"]);
    assert_eq!(location_ids(service(&import, "svc-q4")), ["loc-q3"]);
    // A phone row naming both the service and a location.
    let s = service(&import, "svc-q2");
    assert_eq!(location_ids(s), ["loc-q4"]);
    assert_eq!(phone_numbers(s), ["705-555-0122"]);
    assert_eq!(
        hours(s),
        ["tuesday 09:00-17:00"],
        "the location's hours; its own row was unreadable"
    );
    // A number only this service and this location of the organization share.
    let s = service(&import, "svc-q5");
    assert_eq!(location_ids(s), ["loc-q2"]);
    assert_eq!(phone_numbers(s), ["705-555-0177"]);
    // An organization with no locations.
    let s = service(&import, "svc-q3");
    assert!(s.locations.is_empty());
    assert!(s.phones.is_empty() && s.schedules.is_empty());
}
