//! HSDS CSV packages in versions 1.1, 2.0 and 3.0: every field the fixtures carry, joined.

mod import_common;

use import_common::*;
use navigator_index::import::{import_path, Format};
use navigator_index::{Address, TaxonomyTerm};

#[test]
fn hsds_1_1_package_joins_every_table() {
    let import = import("hsds-1.1");
    assert_eq!(import.report.format, "hsds-csv 1.1");
    assert_eq!(import.report.services_read, 3);
    assert_eq!(ids(&import), ["svc-1", "svc-2", "svc-3"], "services.csv order");
    assert_eq!(
        problems(&import),
        [repaired(
            "services.csv",
            Some(4),
            Some("taxonomy_ids"),
            "taxonomy term tax-missing not in taxonomy.csv; dropped"
        )]
    );
    assert_eq!(import.report.files.len(), 15);
    assert_eq!(import.report.files[0], "services.csv");

    let s = service(&import, "svc-1");
    assert_eq!(s.name, "Elm Street Food Bank");
    assert_eq!(
        s.description.as_deref(),
        Some("Emergency groceries for individuals and families in Sudbury.")
    );
    assert_eq!(s.organization.id.as_deref(), Some("org-1"));
    assert_eq!(s.organization.name, "Nickel Basin Food Network");
    assert_eq!(s.organization.alternate_name.as_deref(), Some("NBFN"));
    assert_eq!(s.organization.url.as_deref(), Some("https://nbfn.example.org"));
    assert_eq!(s.url.as_deref(), Some("https://nbfn.example.org/elm"));
    assert_eq!(s.email.as_deref(), Some("elm@nbfn.example.org"));
    assert_eq!(s.status.as_deref(), Some("active"));
    assert_eq!(s.application_process.as_deref(), Some("Walk in with photo ID."));
    assert_eq!(location_ids(s), ["loc-1"]);
    let loc = &s.locations[0];
    assert_eq!(loc.name.as_deref(), Some("Elm Street Hall"));
    assert_eq!((loc.latitude, loc.longitude), (Some(46.4917), Some(-80.993)));
    assert_eq!(loc.transportation.as_deref(), Some("Bus 2 stops at the door."));
    // The physical address wins over the postal one.
    assert_eq!(
        loc.address,
        Some(Address {
            lines: vec!["120 Elm Street".into(), "Unit 4".into()],
            city: Some("Sudbury".into()),
            region: None,
            state_province: Some("ON".into()),
            postal_code: Some("P3C 1T3".into()),
            country: Some("CA".into()),
            ..Default::default()
        })
    );
    assert_eq!(
        phone_numbers(s),
        ["705-555-0101"],
        "the service's own phone, not the organization's"
    );
    assert_eq!(s.phones[0].kind.as_deref(), Some("voice"));
    assert_eq!(s.phones[0].description.as_deref(), Some("Food bank line"));
    assert_eq!(hours(s), ["monday 09:00-12:00", "wednesday 13:00-16:00"]);
    assert_eq!(language_codes(s), ["en"], "from its location");
    assert_eq!((s.fees.as_deref(), s.free), (Some("Free"), Some(true)));
    assert_eq!(strs(&s.accessibility), ["ramp", "Ramp at the side door"]);
    assert_eq!(s.wheelchair_accessible, Some(true));
    assert_eq!(strs(&s.required_documents), ["Photo ID"]);
    assert_eq!(strs(&s.service_areas), ["Greater Sudbury"]);
    assert_eq!(
        s.taxonomy,
        [TaxonomyTerm {
            code: "BD-1800.2000".into(),
            name: "Food Pantries".into(),
            vocabulary: Some("AIRS".into())
        }]
    );
    assert_eq!((strs(&s.categories), s.categories_inferred), (vec!["food"], false));
    assert_eq!(strs(&s.audiences), ["families"]);
    assert_eq!(s.text_language.as_deref(), Some("en"));
    assert_eq!(s.last_verified, None);

    let s = service(&import, "svc-2");
    assert_eq!(s.organization.name, "Centre de santé communautaire du Lac-Ramsey");
    assert_eq!(s.interpretation_services.as_deref(), Some("Interprètes disponibles"));
    assert_eq!(location_ids(s), ["loc-2"]);
    assert_eq!(s.phones.len(), 1, "no phone of its own: its location's");
    assert_eq!(
        (s.phones[0].number.as_str(), s.phones[0].extension.as_deref()),
        ("705-555-0202", Some("12"))
    );
    assert_eq!(s.phones[0].kind.as_deref(), Some("voice"), "types are lowercased");
    assert_eq!(
        hours(s),
        ["monday 08:30-16:30", "tuesday 08:30-16:30"],
        "weekday numbers; Saturday closed"
    );
    assert_eq!(language_codes(s), ["fr", "en"], "a list in one cell");
    assert_eq!(s.free, Some(true), "Gratuit");
    assert_eq!(s.taxonomy.len(), 2);
    assert_eq!(s.taxonomy[0].name, "Community Health Centres");
    assert_eq!(s.taxonomy[0].vocabulary.as_deref(), Some("Local"));
    assert_eq!(
        s.taxonomy[1],
        TaxonomyTerm {
            code: "LN-4500".into(),
            ..Default::default()
        },
        "a code not in taxonomy.csv"
    );
    assert_eq!((strs(&s.categories), s.categories_inferred), (vec!["health"], false));
    assert_eq!(strs(&s.audiences), ["seniors", "families"]);
    assert_eq!(s.text_language.as_deref(), Some("fr"));
    assert_eq!(s.wheelchair_accessible, None);

    let s = service(&import, "svc-3");
    assert_eq!(location_ids(s), ["loc-1"]);
    assert_eq!(
        phone_numbers(s),
        ["705-555-0103"],
        "linked through its service_at_location id"
    );
    assert_eq!(s.phones[0].kind.as_deref(), Some("text"));
    assert!(s.schedules.is_empty(), "no hours anywhere: unknown, not closed");
    assert_eq!(s.eligibility.as_deref(), Some("Youth aged 12 to 17"));
    assert_eq!(
        (s.min_age, s.max_age),
        (Some(12), Some(17)),
        "ages read from eligibility text"
    );
    assert_eq!(
        s.taxonomy,
        [TaxonomyTerm {
            code: "BD-5000.1500".into(),
            ..Default::default()
        }]
    );
    assert_eq!(s.free, None);
}

#[test]
fn hsds_2_0_package_reads_rrule_schedules_and_service_attributes() {
    let import = import("hsds-2.0");
    assert_eq!(import.report.format, "hsds-csv 2.0");
    assert_eq!(problems(&import), []);
    assert_eq!(ids(&import), ["svc-tb-1", "svc-tb-2"]);

    let s = service(&import, "svc-tb-1");
    assert_eq!(
        hours(s),
        ["monday 10:00-15:00", "wednesday 10:00-15:00", "friday 10:00-15:00"]
    );
    assert_eq!(s.hours_note.as_deref(), Some("Closed statutory holidays"));
    assert_eq!(s.timezone.as_deref(), Some("America/Thunder_Bay"));
    assert_eq!((s.fees.as_deref(), s.free), (Some("No fee"), Some(true)));
    assert_eq!(s.wait_time.as_deref(), Some("About two weeks"));
    assert_eq!(
        s.taxonomy,
        [TaxonomyTerm {
            code: "BH-3800.7000".into(),
            name: "Rent Payment Assistance".into(),
            vocabulary: Some("AIRS".into())
        }]
    );
    assert_eq!(strs(&s.categories), ["housing"]);
    assert_eq!(phone_numbers(s), ["807-555-0140"]);
    assert_eq!(language_codes(s), ["en", "oj"]);
    assert_eq!(s.municipality(), Some("Thunder Bay"));

    let s = service(&import, "svc-tb-2");
    let overnight: Vec<String> = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .map(|d| format!("{d} 20:00-08:00"))
    .collect();
    assert_eq!(
        hours(s),
        overnight,
        "DAILY through its service_at_location id, overnight"
    );
    assert_eq!(s.hours_note.as_deref(), Some("Open all night"));
    assert_eq!(s.timezone, None);
}

#[test]
fn hsds_3_0_package_reads_attributes_cost_options_and_addresses() {
    let import = import("hsds-3.0-csv");
    assert_eq!(import.report.format, "hsds-csv 3.0");
    assert_eq!(
        problems(&import),
        [
            skipped(
                "attributes.csv",
                Some(5),
                Some("link_id"),
                "service svc-gone not in services.csv"
            ),
            repaired(
                "attributes.csv",
                Some(6),
                Some("taxonomy_term_id"),
                "taxonomy term term-none not in taxonomy_terms.csv; dropped"
            ),
        ],
        "the location's attribute (line 4) is not a problem"
    );

    let s = service(&import, "svc-ott-1");
    assert_eq!(
        s.organization.url.as_deref(),
        Some("https://rcs.example.org"),
        "3.0 calls it website"
    );
    assert_eq!(
        s.organization.alternate_name.as_deref(),
        Some("Services communautaires Rideau")
    );
    let address = s.locations[0].address.as_ref().unwrap();
    assert_eq!(
        address.lines,
        ["815 Rideau St", "Suite 2"],
        "physical beats postal; virtual ignored"
    );
    assert_eq!(address.postal_code.as_deref(), Some("K1N 5Z8"));
    assert_eq!(
        phone_numbers(s),
        ["613-555-0110"],
        "its service_at_location phone, not the organization's"
    );
    assert_eq!(
        hours(s),
        ["tuesday 09:00-16:00", "thursday 09:00-16:00"],
        "from its location"
    );
    assert_eq!(s.hours_note.as_deref(), Some("By appointment, March to April"));
    assert_eq!(s.timezone.as_deref(), Some("America/Toronto"));
    assert_eq!(language_codes(s), ["en", "es"]);
    assert_eq!(s.languages[1].name, "Spanish", "a code alone resolves to its name");
    assert_eq!(s.fees.as_deref(), Some("Eligible households: 0 CAD per return"));
    assert_eq!(s.free, Some(true), "a cost option of 0");
    assert_eq!(s.eligibility.as_deref(), Some("Households with low income"));
    assert_eq!((s.min_age, s.max_age), (Some(18), None));
    assert_eq!(s.last_verified.as_deref(), Some("2024-03-01"), "assured_date first");
    assert_eq!(strs(&s.accessibility), ["Accessible entrance with automatic doors"]);
    assert_eq!(s.wheelchair_accessible, Some(true));
    assert_eq!(strs(&s.required_documents), ["Notice of assessment from last year"]);
    assert_eq!(strs(&s.service_areas), ["City of Ottawa"]);
    assert_eq!(
        s.taxonomy,
        [TaxonomyTerm {
            code: "NL-6000.8000".into(),
            name: "Tax Preparation Assistance".into(),
            vocabulary: Some("Ontario 211 Taxonomy".into())
        }],
        "vocabulary from taxonomies.csv"
    );
    assert_eq!(strs(&s.categories), ["income"]);
    assert_eq!(strs(&s.audiences), ["low-income"]);

    let s = service(&import, "svc-ott-2");
    assert_eq!(phone_numbers(s), ["613-555-0111"]);
    assert_eq!(s.fees.as_deref(), Some("Gratuit pour les ménages admissibles"));
    assert_eq!(s.free, Some(true));
    assert_eq!(
        s.last_verified.as_deref(),
        Some("2024-06-15"),
        "last_modified, date part"
    );
    assert_eq!(language_codes(s), ["fr"]);
    assert_eq!(s.text_language.as_deref(), Some("fr"));
}

#[test]
fn a_services_file_path_reads_its_folder() {
    let import = import_path(&fixture("hsds-1.1/services.csv"), Format::Auto).unwrap();
    assert_eq!(ids(&import), ["svc-1", "svc-2", "svc-3"]);
    assert_eq!(
        service(&import, "svc-1").locations.len(),
        1,
        "the other tables were read too"
    );
}

#[test]
fn tables_in_a_subfolder_are_found_and_cited_by_relative_path() {
    let import = import("nested-package");
    assert_eq!(ids(&import), ["svc-n1", "svc-n2"]);
    assert_eq!(import.report.files, ["tables/services.csv", "tables/organizations.csv"]);
    assert_eq!(service(&import, "svc-n1").organization.name, "Algoma Meals");
    assert_eq!(
        problems(&import),
        [repaired(
            "tables/services.csv",
            Some(3),
            Some("organization_id"),
            "organization org-missing not in organizations.csv"
        )]
    );
}

#[test]
fn a_folder_without_services_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("organizations.csv"), "id,name\no,Org\n").unwrap();
    let err = import_path(dir.path(), Format::Auto).unwrap_err();
    assert!(
        matches!(err, navigator_index::import::ImportError::Unusable { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("no services.csv"), "{err}");
}

#[test]
fn a_large_services_file_reads_like_a_small_one() {
    // Over a megabyte, so rows are read on several threads: order, duplicates and
    // problems must come out exactly as a sequential read.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,name,description,minimum_age\n");
    for i in 0..12_000 {
        let (id, name, age) = match i {
            2500 => (String::new(), format!("Service {i}"), ""),
            3000 => (format!("svc-{i}"), String::new(), ""),
            4000 => ("svc-10".to_string(), format!("Service {i}"), "abc"),
            11_999 => (format!("svc-{i}"), format!("Service {i}"), "old"),
            _ => (format!("svc-{i}"), format!("Service {i}"), ""),
        };
        csv.push_str(&format!(
            "{id},{name},\"Meals, groceries and advice for families in Sudbury, row {i} of a large file.\",{age}\n"
        ));
    }
    assert!(csv.len() > 1 << 20);
    std::fs::write(dir.path().join("services.csv"), csv).unwrap();
    let import = import_path(dir.path(), Format::Auto).unwrap();
    assert_eq!(import.report.services_read, 12_000);
    assert_eq!(import.services.len(), 11_997);
    let expected: Vec<String> = (0..12_000)
        .filter(|i| ![2500, 3000, 4000].contains(i))
        .map(|i| format!("svc-{i}"))
        .collect();
    assert_eq!(ids(&import), expected);
    assert_eq!(
        problems(&import),
        [
            skipped("services.csv", Some(2502), Some("id"), "service has no id"),
            skipped("services.csv", Some(3002), Some("name"), "service svc-3000 has no name"),
            skipped(
                "services.csv",
                Some(4002),
                Some("id"),
                "duplicate service id svc-10 (first on line 12)"
            ),
            repaired(
                "services.csv",
                Some(12_001),
                Some("minimum_age"),
                "\"old\" is not an age; dropped"
            ),
        ],
        "the duplicate's bad age is not reported: the row is skipped"
    );
}

#[test]
fn broader_terms_come_from_parent_ids_and_stop_at_a_cycle() {
    let import = import("hsds-3.0-csv");
    let s = service(&import, "svc-ott-1");
    // term-tax -> term-money -> term-income -> term-money again (a cycle): each name once.
    assert_eq!(s.broader_terms, ["Money Management", "Income Support"]);
}
