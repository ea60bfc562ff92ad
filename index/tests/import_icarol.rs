//! The iCarol CSV importer on fixtures written for each shape and quirk of real exports:
//! sites joined to programs by ProgramAtSite rows, a confidential shelter, site-level and
//! agency-level descriptions, statuses, DC 211's programs-only shape, typed and
//! placeholder phones, M/D/YY dates, free-text hours, HTML, linked taxonomy codes.

mod import_common;

use import_common::*;
use navigator_index::import::{import_path_with, Format, Import, Options, ProblemKind};
use navigator_index::Weekday;

fn with_inactive(name: &str) -> Import {
    import_path_with(
        &fixture(name),
        Format::Auto,
        Options {
            include_inactive: true,
            ..Options::default()
        },
    )
    .unwrap()
}

#[test]
fn the_format_is_recognised_from_the_header() {
    let import = import("icarol/sites-and-programs.csv");
    assert_eq!(import.report.format, "icarol-csv");
    assert_eq!(import.report.files, ["sites-and-programs.csv"]);
    assert_eq!(import.report.services_read, 15, "every row is a resource");
}

#[test]
fn a_program_at_two_sites_is_one_service_with_two_locations() {
    let import = import("icarol/sites-and-programs.csv");
    let s = service(&import, "131");
    assert_eq!(s.name, "Outreach Counselling");
    assert_eq!(s.organization.name, "Safe Harbour Society");
    assert_eq!(s.organization.id.as_deref(), Some("100"));
    let sites: Vec<(&str, &str)> = s
        .locations
        .iter()
        .map(|l| (l.id.as_deref().unwrap(), l.name.as_deref().unwrap()))
        .collect();
    assert_eq!(sites, [("110", "Harbour House"), ("120", "Harbour Outreach Office")]);
    // Each ProgramAtSite row's hours belong to that site; the first site's are the service's.
    let monday: Vec<(u16, u16)> = s
        .schedules
        .iter()
        .filter(|h| h.weekday == Weekday::Monday)
        .map(|h| (h.opens, h.closes))
        .collect();
    assert_eq!(monday, [(540, 720), (780, 1020)], "a split shift keeps both intervals");
    assert!(
        s.locations[0].schedules.is_empty(),
        "the same as the service's: not repeated"
    );
    let second: Vec<(Weekday, u16, u16)> = s.locations[1]
        .schedules
        .iter()
        .map(|h| (h.weekday, h.opens, h.closes))
        .collect();
    assert_eq!(second, [(Weekday::Tuesday, 600, 900), (Weekday::Thursday, 600, 900)]);
    assert_eq!(
        s.locations[1].hours_note.as_deref(),
        Some("Tuesday and Thursday 10 am to 3 pm")
    );
    assert_eq!(
        s.locations[1].transportation.as_deref(),
        Some("Bus 1 and 7 stop at the door")
    );
    assert!(import
        .report
        .notes
        .iter()
        .any(|n| n == "1 program is offered at several sites: one service with several locations"));
}

#[test]
fn a_confidential_shelter_is_marked_where_the_export_says_so() {
    let import = import("icarol/sites-and-programs.csv");
    let shelter = service(&import, "130");
    let place = &shelter.locations[0];
    let address = place.address.as_ref().unwrap();
    assert!(address.confidential, "PhysicalAddressIsPrivate = Yes");
    assert_eq!(address.lines, ["1410 Hidden Lane"]);
    assert_eq!(place.latitude, Some(50.6745), "stored: the resource team may need it");
    let mailing = place.mailing_address.as_ref().unwrap();
    assert!(!mailing.confidential, "the PO box is public");
    // The site's phones: the shelter line is private, the crisis line toll-free.
    let phones: Vec<(&str, bool, bool)> = shelter
        .phones
        .iter()
        .map(|p| (p.number.as_str(), p.confidential, p.toll_free))
        .collect();
    assert_eq!(phones, [("250-555-0111", true, false), ("1-800-555-0199", false, true)]);
    assert_eq!(shelter.phones[1].kind.as_deref(), Some("hotline"));
    assert_eq!(shelter.schedules.len(), 7, "open 24 hours");
}

#[test]
fn site_level_and_agency_level_resources_are_not_lost() {
    let import = import("icarol/sites-and-programs.csv");
    let depot = service(&import, "210");
    assert_eq!(depot.name, "Riverside Food Bank - North Shore Depot");
    assert_eq!(depot.organization.name, "Riverside Food Bank Society");
    assert_eq!(depot.description.as_deref(), Some("Food hampers once a month."));
    assert_eq!(depot.categories, ["food"]);
    assert_eq!(depot.locations[0].id.as_deref(), Some("210"));
    assert_eq!(
        depot.schedules,
        [navigator_index::WeeklyHours {
            weekday: Weekday::Wednesday,
            opens: 13 * 60,
            closes: 16 * 60
        }]
    );
    let clinic = service(&import, "300");
    assert_eq!(clinic.organization.name, "Kamloops Legal Clinic");
    assert_eq!(clinic.categories, ["legal"]);
    assert_eq!(clinic.phones[0].number, "250-555-0300");
    // Agencies with programs or sites are organizations only; sites joined to programs
    // are locations only.
    for id in ["100", "110", "120", "140", "200"] {
        assert!(import.services.iter().all(|s| s.id != id), "{id} is not a service");
    }
    for note in [
        "1 site is not linked to any program: read as a service of its own",
        "1 agency has no programs or sites: read as a service of its own",
    ] {
        assert!(
            import.report.notes.iter().any(|n| n == note),
            "{:?}",
            import.report.notes
        );
    }
    assert_eq!(import.report.organizations, 3);
    assert_eq!(import.report.locations, 4);
}

#[test]
fn a_join_to_a_missing_program_is_reported_with_its_line() {
    let import = import("icarol/sites-and-programs.csv");
    assert!(problems(&import).contains(&skipped(
        "sites-and-programs.csv",
        Some(10),
        Some("ConnectsToProgramNum"),
        "program 999 is not a Program row in this file"
    )));
}

#[test]
fn inactive_do_not_refer_and_excluded_are_counted_not_imported() {
    let import = import("icarol/sites-and-programs.csv");
    for id in ["400", "401", "402"] {
        assert!(import.services.iter().all(|s| s.id != id), "{id}");
    }
    let excluded: Vec<(&str, usize)> = import.report.excluded.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        excluded,
        [("do not refer", 1), ("excluded from the directory", 1), ("inactive", 1)]
    );
    let kept = with_inactive("icarol/sites-and-programs.csv");
    let old = service(&kept, "400");
    assert!(old.inactive && !old.do_not_refer);
    assert_eq!(old.status.as_deref(), Some("inactive"));
    assert!(service(&kept, "401").do_not_refer);
    assert!(service(&kept, "402").excluded_from_directory);
    assert!(!service(&kept, "131").inactive);
}

#[test]
fn programs_with_their_own_addresses_as_dc_211_exports_them() {
    let import = import("icarol/programs-only.csv");
    let s = service(&import, "510");
    let place = &s.locations[0];
    let a = place.address.as_ref().unwrap();
    assert_eq!(a.lines, ["1420 Columbia Road, NW"]);
    assert_eq!(a.region, None, "-1 is a placeholder");
    assert_eq!(place.mailing_address, None, "the same place as the street address");
    assert_eq!((place.latitude, place.longitude), (Some(38.908569), Some(-77.017972)));
    assert_eq!(place.transportation.as_deref(), Some("Transportation Available: 2"));
    assert!(s.accessibility.is_empty(), "a city quadrant is not an access note");
    assert!(import.report.notes.iter().any(|n| n
        == "2 programs have no ProgramAtSite rows and an address of their own: a service at that address"
        || n.starts_with("1 program has no ProgramAtSite rows")));
    assert_eq!(s.organization.url.as_deref(), Some("http://www.cacs.example"));
    assert_eq!(
        s.organization.description.as_deref(),
        Some("Serving the District since 1970."),
        "escaped HTML decoded and stripped"
    );
    assert_eq!(s.description.as_deref(), Some("Groceries for families in need."));
    assert_eq!(
        s.url.as_deref(),
        Some("http://www.cacs.example"),
        "the agency's, as the program has none"
    );
}

#[test]
fn phones_are_typed_and_placeholders_dropped() {
    let import = import("icarol/programs-only.csv");
    let s = service(&import, "510");
    let phones: Vec<(&str, &str, bool)> = s
        .phones
        .iter()
        .map(|p| (p.number.as_str(), p.kind.as_deref().unwrap(), p.toll_free))
        .collect();
    assert_eq!(
        phones,
        [
            ("(202) 555-0510", "voice", false),
            ("(202) 555-0511", "fax", false),
            ("(202) 555-0512", "tty", false),
            ("1-888-555-0513", "voice", true),
            ("(202) 555-0514", "hotline", false),
        ]
    );
    assert_eq!(s.phones[0].description.as_deref(), Some("Intake Number"));
}

#[test]
fn dates_hours_languages_and_taxonomy_are_read() {
    let import = import("icarol/programs-only.csv");
    let s = service(&import, "510");
    assert_eq!(s.last_verified.as_deref(), Some("2012-03-30"), "M/D/YY");
    assert_eq!(s.schedules.len(), 5);
    assert_eq!(
        (s.schedules[0].weekday, s.schedules[0].opens, s.schedules[0].closes),
        (Weekday::Monday, 540, 1020)
    );
    assert_eq!(s.hours_note.as_deref(), Some("9:00 am - 5:00 pm, Monday - Friday"));
    let codes: Vec<&str> = s.languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["en", "es"]);
    assert_eq!(s.interpretation_services.as_deref(), Some("TDD"));
    assert_eq!(s.required_documents, ["Photo ID, proof of address"]);
    assert_eq!(s.service_areas, ["District of Columbia"]);
    assert_eq!(s.eligibility.as_deref(), Some("Low-income DC residents"));
    let terms: Vec<(&str, &str)> = s.taxonomy.iter().map(|t| (t.code.as_str(), t.name.as_str())).collect();
    assert_eq!(
        terms,
        [
            ("BD-1800.2000", "Food Pantries"),
            ("TM-5100", "Military Family Service/Support Centers"),
            ("YN-0500", "Active Military"),
        ]
    );
    assert!(s.categories.contains(&"food".to_string()));
    assert!(s.audiences.contains(&"veterans".to_string()));
    assert!(!s.categories_inferred);
    let advice = service(&import, "520");
    assert!(
        advice.schedules.is_empty(),
        "\"Please inquire\" is unknown hours, not closed"
    );
    assert_eq!(advice.hours_note.as_deref(), Some("Please inquire"));
    assert_eq!(advice.phones[0].number, "(202) 555-0500", "the agency's phone");
    let p = problems(&import);
    assert!(
        p.contains(&repaired(
            "programs-only.csv",
            Some(4),
            Some("LastVerifiedOn"),
            "\"not a date\" is not a date; dropped"
        )),
        "{p:?}"
    );
    assert!(p.iter().all(|(kind, ..)| *kind != ProblemKind::Skipped));
}
