//! The AIRS XML importer on fixtures written for each quirk of real exports: a
//! confidential shelter, split shifts, double-escaped HTML, placeholder phones, custom
//! codes, elements the schema does not define, a service at two sites, nested agencies,
//! site- and agency-level records, statuses, 3.0 and 3.1, encodings and broken files.

mod import_common;

use import_common::*;
use navigator_index::import::{import_path, import_path_with, Format, ImportError, Options, ProblemKind};
use navigator_index::{Weekday, WeeklyHours};

fn hours(s: &navigator_index::Service) -> Vec<(Weekday, u16, u16)> {
    s.schedules.iter().map(|h| (h.weekday, h.opens, h.closes)).collect()
}

#[test]
fn versions_come_from_schema_version_or_the_namespace() {
    assert_eq!(import("airs/shelter-3.0.xml").report.format, "airs-xml 3.0");
    assert_eq!(import("airs/nested-3.1.xml").report.format, "airs-xml 3.1");
}

#[test]
fn a_confidential_shelter_keeps_its_marks() {
    let import = import("airs/shelter-3.0.xml");
    let s = service(&import, "7110");
    assert_eq!(s.organization.name, "Safe Harbour Society");
    assert_eq!(
        s.organization.alternate_name.as_deref(),
        Some("SHS"),
        "not the confidential AKA"
    );
    let place = &s.locations[0];
    let address = place.address.as_ref().unwrap();
    assert!(address.confidential);
    assert_eq!(address.lines, ["1410 Hidden Lane"]);
    assert_eq!(
        (place.latitude, place.longitude),
        (Some(50.6745), Some(-120.3273)),
        "from Datum"
    );
    assert!(!place.mailing_address.as_ref().unwrap().confidential);
    let phones: Vec<(&str, bool, bool, &str)> = s
        .phones
        .iter()
        .map(|p| {
            (
                p.number.as_str(),
                p.confidential,
                p.toll_free,
                p.kind.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        phones,
        [
            ("250-555-0111", true, false, "voice"),
            ("1-800-555-0199", false, true, "hotline")
        ],
        "placeholder phones with no number are dropped"
    );
}

#[test]
fn double_escaped_html_codes_ages_and_dates() {
    let import = import("airs/shelter-3.0.xml");
    let s = service(&import, "7110");
    assert_eq!(
        s.description.as_deref(),
        Some("Confidential shelter for women and their children. Call the crisis line to arrange a stay; it's free.")
    );
    let terms: Vec<(&str, &str, &str)> = s
        .taxonomy
        .iter()
        .map(|t| (t.code.as_str(), t.name.as_str(), t.vocabulary.as_deref().unwrap()))
        .collect();
    assert_eq!(
        terms,
        [
            ("BH-1800.8500-800", "", "AIRS"),
            ("YK-9000", "", "AIRS"),
            ("", "SHELTER - abuse - Women", "custom"),
        ]
    );
    assert_eq!(s.categories, ["housing"]);
    assert_eq!((s.min_age, s.max_age), (Some(19), None), "120 means no upper limit");
    assert_eq!(s.last_verified.as_deref(), Some("2024-02-03"));
    let codes: Vec<&str> = s.languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["en", "fr"]);
    assert_eq!(
        hours(s),
        Weekday::ALL.map(|d| (d, 0, 1440)),
        "every day, Sunday written first"
    );
    assert_eq!(s.hours_note.as_deref(), Some("Open 24 hours, every day"));
}

#[test]
fn the_same_service_at_two_sites_is_one_service_with_split_shifts() {
    let import = import("airs/shelter-3.0.xml");
    assert!(import.services.iter().all(|s| s.id != "7310"), "merged into 7210");
    let s = service(&import, "7210");
    let sites: Vec<&str> = s.locations.iter().map(|l| l.id.as_deref().unwrap()).collect();
    assert_eq!(sites, ["7200", "7300"]);
    assert_eq!(
        hours(s),
        [
            (Weekday::Monday, 540, 720),
            (Weekday::Monday, 780, 1020),
            (Weekday::Tuesday, 540, 720),
            (Weekday::Tuesday, 780, 1020),
        ],
        "two From/To pairs in a day, and a day given twice"
    );
    assert_eq!(s.phones[0].number, "250-555-0120", "the first site's");
    let second = &s.locations[1];
    assert_eq!(second.phones[0].number, "250-555-0130");
    assert_eq!(
        second.schedules,
        [WeeklyHours {
            weekday: Weekday::Thursday,
            opens: 600,
            closes: 900
        }]
    );
    assert_eq!(s.url.as_deref(), Some("http://www.safeharbour.example/outreach"));
    assert_eq!(
        s.locations[0].transportation.as_deref(),
        Some("Bus 1 and 7 stop at the door")
    );
    assert!(import
        .report
        .notes
        .iter()
        .any(|n| n == "1 service is offered at several sites: one service with several locations"));
}

#[test]
fn bad_values_and_unknown_elements_are_reported_with_path_and_line() {
    let import = import("airs/shelter-3.0.xml");
    assert!(
        problems(&import).contains(&repaired(
            "shelter-3.0.xml",
            Some(117),
            Some("Source/Agency/Site/SiteService/TimeOpen/Wednesday/From"),
            "\"nine\" is not a time; that opening is dropped"
        )),
        "{:?}",
        problems(&import)
    );
    let note = import
        .report
        .notes
        .iter()
        .find(|n| n.starts_with("elements the AIRS schema does not define"))
        .unwrap();
    assert_eq!(
        note,
        "elements the AIRS schema does not define were skipped: Agency/GeographicAreaServed (1), SiteService/FavouriteColour (1)"
    );
}

#[test]
fn nested_agencies_site_and_agency_level_records() {
    let import = import("airs/nested-3.1.xml");
    assert_eq!(ids(&import), ["8210", "8100", "8500"]);
    let depot = service(&import, "8100");
    assert_eq!(depot.name, "Riverside Food Bank");
    assert_eq!(
        depot.description.as_deref(),
        Some("Food hampers once a month. Bring ID.")
    );
    assert_eq!(
        hours(depot),
        [(Weekday::Wednesday, 780, 960)],
        "read from the TimeOpen notes"
    );
    let clinic = service(&import, "8500");
    assert_eq!(clinic.organization.name, "Riverside Legal Clinic");
    assert_eq!(clinic.locations[0].id.as_deref(), Some("8501"));
    assert_eq!(clinic.phones[0].number, "250-555-0850");
    let meals = service(&import, "8210");
    assert_eq!(
        meals.organization.description.as_deref(),
        Some("Community services for the river towns.")
    );
    assert_eq!(meals.phones[0].number, "250-555-0800", "the agency's phone");
    assert_eq!(meals.last_verified.as_deref(), Some("2023-10-01"), "the agency's date");
    assert_eq!(
        meals.eligibility.as_deref(),
        Some("Seniors and adults with disabilities")
    );
    assert_eq!(meals.required_documents, ["Doctor's referral"]);
    assert_eq!(
        meals.application_process.as_deref(),
        Some("Call: Call the centre to register")
    );
    assert_eq!(meals.fees.as_deref(), Some("$5 per meal"));
    assert_eq!(meals.service_areas, ["Kamloops, BC", "Barriere, BC"]);
    for note in [
        "1 site has no SiteService: read as a service of its own",
        "2 agencies have no sites with services: read as services of their own",
        "2 agencies are nested in others: each its own organization",
    ] {
        assert!(
            import.report.notes.iter().any(|n| n == note),
            "{note}: {:?}",
            import.report.notes
        );
    }
}

#[test]
fn statuses_are_counted_or_kept_marked() {
    let import = import("airs/nested-3.1.xml");
    let excluded: Vec<(&str, usize)> = import.report.excluded.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        excluded,
        [("do not refer", 1), ("excluded from the directory", 1), ("inactive", 1)]
    );
    let all = import_path_with(
        &fixture("airs/nested-3.1.xml"),
        Format::AirsXml,
        Options {
            include_inactive: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(service(&all, "8220").inactive);
    assert!(service(&all, "8230").do_not_refer);
    assert!(service(&all, "8600").excluded_from_directory);
}

#[test]
fn latin_1_files_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xml");
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?><Source SchemaVersion=\"AIRS3.0\"><Agency><Key>1</Key><Name>Soci\xe9t\xe9 d'entraide</Name><Site><Key>2</Key><SiteService><Name>Banque alimentaire</Name><Key>3</Key></SiteService></Site></Agency></Source>".to_vec();
    bytes.push(b'\n');
    std::fs::write(&path, bytes).unwrap();
    let import = import_path(&path, Format::Auto).unwrap();
    assert_eq!(import.services[0].organization.name, "Société d'entraide");
    assert_eq!(import.report.format, "airs-xml 3.0");
}

#[test]
fn broken_or_foreign_xml_is_unusable_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xml");
    std::fs::write(&broken, "<Source>\n<Agency>\n<Key>1</Key>\n</Site>\n</Source>\n").unwrap();
    let ImportError::Unusable { reason, .. } = import_path(&broken, Format::Auto).unwrap_err() else {
        panic!()
    };
    assert!(reason.starts_with("line 4: not well-formed XML"), "{reason}");
    let cut = dir.path().join("cut.xml");
    std::fs::write(&cut, "<Source>\n<Agency>\n<Key>1</Key>\n").unwrap();
    let ImportError::Unusable { reason, .. } = import_path(&cut, Format::Auto).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        reason,
        "line 4: the XML ends with 2 element(s) still open (is the file cut short?)"
    );
    let foreign = dir.path().join("feed.xml");
    std::fs::write(&foreign, "<rss><channel/></rss>").unwrap();
    let ImportError::Unusable { reason, .. } = import_path(&foreign, Format::Auto).unwrap_err() else {
        panic!()
    };
    assert_eq!(reason, "not AIRS XML: the root element is <rss>, not <Source>");
}

#[test]
fn a_service_without_a_key_is_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nokey.xml");
    std::fs::write(
        &path,
        "<Source SchemaVersion=\"3.0\">\n<Agency><Key>1</Key><Name>A</Name>\n<Site><Key>2</Key>\n<SiteService><Name>No key</Name></SiteService>\n<SiteService><Name>Kept</Name><Key>9</Key></SiteService>\n</Site></Agency></Source>\n",
    )
    .unwrap();
    let import = import_path(&path, Format::Auto).unwrap();
    assert_eq!(ids(&import), ["9"]);
    let p = &import.report.problems[0];
    assert_eq!(p.kind, ProblemKind::Skipped);
    assert_eq!(
        p.to_string(),
        "nokey.xml:4: Source/Agency/Site/SiteService/Key: SiteService has no Key"
    );
}
