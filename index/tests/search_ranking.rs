//! Ranking on what real exports look like (issue 14): the taxonomy outranks words in a
//! name, one row per program, place-named records told apart, the home area first.

mod common;

use common::*;
use navigator_index::{Near, SearchRequest, SearchSettings};

/// A county-wide funding program whose name holds every common word, copied at ten sites,
/// beside the services resource specialists tagged Emergency Shelter.
fn funding_and_shelters() -> navigator_index::Engine {
    let mut services: Vec<Svc> = (0..10)
        .map(|i| {
            svc(
                &format!("efs{i}"),
                "EMERGENCY FOOD AND SHELTER",
                "Federal funding for emergency food and shelter programs in the county",
            )
            .org("United Way of the County")
            .at(&format!("Town {i}"), Some(25.0 + i as f64 * 0.1), Some(-80.3))
            .code("BR-9000", "Emergency Financial Assistance")
        })
        .collect();
    for (i, name) in ["Harbour House", "St. Jude Night Beds", "Safe Haven"]
        .iter()
        .enumerate()
    {
        services.push(
            svc(&format!("tagged{i}"), name, "Beds, showers and a hot meal")
                .org(&format!("{name} Society"))
                .code("BH-1800", "Emergency Shelter"),
        );
    }
    // Tagged with a narrower term only: its broader term is Emergency Shelter.
    services.push(
        svc("child", "Family Place", "Rooms for families")
            .org("Family Place Inc")
            .code("BH-1800.8500", "Homeless Shelter")
            .broader("Emergency Shelter"),
    );
    engine(services)
}

#[test]
fn the_taxonomy_outranks_words_that_happen_to_be_in_a_name() {
    let e = funding_and_shelters();
    let hits = find(&e, "emergency shelter");
    let first_four: Vec<&str> = hits.iter().take(4).map(String::as_str).collect();
    for id in ["tagged0", "tagged1", "tagged2", "child"] {
        assert!(first_four.contains(&id), "{id} not in the first four: {hits:?}");
    }
    // The funding program is one row, not ten.
    assert_eq!(hits.iter().filter(|h| h.starts_with("efs")).count(), 1, "{hits:?}");
}

#[test]
fn one_row_per_program_with_its_locations_and_the_nearest_shown() {
    let e = funding_and_shelters();
    let mut request = SearchRequest::new("funding ");
    request.near = Some(Near::Point(navigator_index::geo::Point::new(25.72, -80.3).unwrap()));
    let r = search(&e, &request);
    assert_eq!(r.hits.len(), 1, "{:?}", ids(&r));
    let row = &r.hits[0];
    assert_eq!(row.locations, 10);
    assert_eq!(row.service.id, "efs7", "the nearest site");
    // The other sites, for the details: nearest first, without the one shown.
    let origin = request.near.as_ref().and_then(|n| match n {
        Near::Point(p) => Some(*p),
        _ => None,
    });
    let sites = e.sites(&row.service.id, origin).unwrap();
    assert_eq!(sites.len(), 9);
    assert!(sites.iter().all(|s| s.id != "efs7" && s.municipality.is_some()));
    assert!(sites.windows(2).all(|w| w[0].distance_km <= w[1].distance_km));
    assert_eq!(r.total, 10, "total counts records");
}

#[test]
fn a_program_at_twelve_sites_is_one_row_and_identical_records_collapse() {
    let mut services: Vec<Svc> = (0..12)
        .map(|i| {
            svc(&format!("hand{i}"), "HAND PROGRAM", "Help with rent and deposits")
                .org("Housing Action Network")
                .at(&format!("Site {i}"), Some(40.0 + i as f64 * 0.01), Some(-75.0))
        })
        .collect();
    // Two copies of one record under different ids.
    for id in ["dup1", "dup2"] {
        services.push(svc(id, "Rent Clinic", "Rent help on Tuesdays").org("Legal Aid").at(
            "Dover",
            Some(39.1),
            Some(-75.5),
        ));
    }
    let e = engine(services);
    let r = search(&e, &SearchRequest::new("rent help"));
    assert_eq!(r.hits.len(), 2, "{:?}", ids(&r));
    let hand = r.hits.iter().find(|h| h.service.id.starts_with("hand")).unwrap();
    assert_eq!(
        (hand.locations, e.sites(&hand.service.id, None).unwrap().len()),
        (12, 11)
    );
    let dup = r.hits.iter().find(|h| h.service.id.starts_with("dup")).unwrap();
    assert_eq!(dup.locations, 1, "identical records are one location");
    // A page is rows: the second row is the other program, not another site.
    let mut page = SearchRequest::new("rent help");
    page.limit = 1;
    page.offset = 1;
    assert_eq!(search(&e, &page).hits.len(), 1);
}

#[test]
fn place_named_records_without_an_organization_stay_apart() {
    let e = engine(vec![
        svc("pantry", "KEY LARGO", "Groceries")
            .org("")
            .at("Key Largo", Some(25.1), Some(-80.4))
            .code("BD-1800.2000", "Food Pantries"),
        svc("clinic", "KEY LARGO", "Walk-in care")
            .org("")
            .at("Key Largo", Some(25.1), Some(-80.4))
            .code("LN-1500", "Community Clinics"),
    ]);
    let r = search(&e, &SearchRequest::new("key largo"));
    assert_eq!(r.hits.len(), 2);
    let context: Vec<Vec<String>> = r
        .hits
        .iter()
        .map(|h| navigator_index::grouping::row_context(&h.service))
        .collect();
    assert!(context.contains(&vec!["Food Pantries".to_string()]), "{context:?}");
    assert!(context.contains(&vec!["Community Clinics".to_string()]), "{context:?}");
}

#[test]
fn the_home_area_leans_the_ranking_local_when_no_place_is_asked_for() {
    let services = || {
        vec![
            svc("far", "Food Bank", "Groceries").at("Faraway", Some(47.5), Some(-80.0)),
            svc("near", "Food Bank", "Groceries")
                .at("Sudbury", Some(46.49), Some(-80.99))
                .org("Sudbury Food Bank Org"),
            svc("none", "Food Bank", "Groceries").org("Phone-only Food Bank Org"),
        ]
    };
    let home = engine_with(
        services(),
        SearchSettings {
            home: Some(Near::Place("Sudbury".into())),
            ..Default::default()
        },
    );
    let r = search(&home, &SearchRequest::new("food bank"));
    assert!(r.home);
    assert_eq!(r.origin.as_ref().and_then(|o| o.1.as_deref()), Some("Sudbury"));
    assert_eq!(ids(&r)[0], "near");
    assert_eq!(ids(&r).last().map(String::as_str), Some("far"), "100 km away sinks");
    // A place asked for wins over the home area.
    let mut elsewhere = SearchRequest::new("food bank");
    elsewhere.near = Some(Near::Place("Faraway".into()));
    let r = search(&home, &elsewhere);
    assert!(!r.home && ids(&r)[0] == "far");
    // A home area the directory does not know is reported; searching goes on.
    let lost = engine_with(
        services(),
        SearchSettings {
            home: Some(Near::Place("Atlantis".into())),
            ..Default::default()
        },
    );
    let r = search(&lost, &SearchRequest::new("food bank"));
    assert_eq!(r.unknown_home.as_deref(), Some("Atlantis"));
    assert_eq!(r.hits.len(), 3);
}

#[test]
fn a_confidential_site_is_counted_but_never_located_or_listed_with_its_street() {
    let mut hidden = svc("dv-2", "Transition House", "Safe beds")
        .org("Women's Shelter Society")
        .at("Kamloops", Some(50.6745), Some(-120.3273))
        .postal("V2C 1A1");
    if let Some(a) = hidden.s.locations[0].address.as_mut() {
        a.lines = vec!["1410 Hidden Lane".into()];
        a.confidential = true;
    }
    let public = svc("dv-1", "Transition House", "Safe beds")
        .org("Women's Shelter Society")
        .at("Kelowna", Some(49.888), Some(-119.496))
        .postal("V1Y 1A1");
    let e = engine(vec![public, hidden]);
    let mut r = SearchRequest::new("transition house");
    r.near = Some(Near::Point(
        navigator_index::geo::Point::new(50.6745, -120.3273).unwrap(),
    ));
    let results = search(&e, &r);
    assert_eq!(results.hits.len(), 1, "one program");
    let row = &results.hits[0];
    assert_eq!(row.locations, 2);
    assert_eq!(row.service.id, "dv-2", "the nearer site");
    // Measured to the centre of its cell, not to the door the search stands at.
    let (la, lo) = navigator_index::confidential::rounded_point(50.6745, -120.3273);
    let cell = navigator_index::geo::distance_km(
        navigator_index::geo::Point::new(50.6745, -120.3273).unwrap(),
        navigator_index::geo::Point::new(la, lo).unwrap(),
    );
    assert!(
        cell > 0.1 && (row.distance_km.unwrap() - cell).abs() < 1e-6,
        "{:?} vs {cell}",
        row.distance_km
    );
    let sites = e.sites(&row.service.id, None).unwrap();
    for s in &sites {
        assert!(!s.address.as_deref().unwrap_or("").contains("Hidden"), "{s:?}");
    }
    // Its postal code is not a place: "near V2C 1A1" would find the shelter.
    let mut by_code = SearchRequest::new("");
    by_code.near = Some(Near::Place("V2C 1A1".into()));
    assert!(e.search(&by_code, &navigator_index::Synonyms::defaults()).is_err());
}
