//! Filters, open-now, geo ranking and facet counts.

mod common;

use common::*;
use navigator_index::geo::Point;
use navigator_index::Weekday::*;
use navigator_index::{Filters, Near, SearchError, SearchRequest, Synonyms};

const WEEKDAYS: &[navigator_index::Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday];

fn catalogue() -> navigator_index::Engine {
    engine(vec![
        svc("sud-food", "Sudbury Food Bank", "groceries")
            .at("Sudbury", Some(46.49), Some(-80.99))
            .cat("food")
            .aud("families")
            .lang("en")
            .lang("fr")
            .free()
            .hours(WEEKDAYS, "9:00", "17:00"),
        svc("sud-youth", "Youth Drop-in", "meals for youth")
            .at("Sudbury", Some(46.50), Some(-81.00))
            .cat("food")
            .cat("community")
            .aud("youth")
            .lang("en")
            .ages(Some(12), Some(24))
            .accessible()
            .hours(&[Saturday], "10:00", "14:00"),
        svc("sud-nocoords", "Sudbury Meal Program", "hot meals")
            .at("Sudbury", None, None)
            .cat("food")
            .lang("fr"),
        svc("tor-food", "Toronto Food Bank", "groceries")
            .at("Toronto", Some(43.65), Some(-79.38))
            .cat("food")
            .lang("en")
            .free()
            .accessible(),
        svc("tor-senior", "Seniors Lunch", "meals for seniors")
            .at("Toronto", Some(43.70), Some(-79.40))
            .cat("food")
            .aud("seniors")
            .ages(Some(55), None)
            .hours(WEEKDAYS, "11:00", "14:00"),
        svc("kenora-crisis", "Kenora Crisis Line", "24 hour crisis support")
            .at("Kenora", Some(49.77), Some(-94.49))
            .cat("crisis")
            .tz("America/Winnipeg")
            .hours(&[Monday], "8:00", "9:00"),
        svc("timmins-hopital", "Hôpital de Timmins", "soins")
            .fr()
            .at("Timmins", Some(48.48), Some(-81.33))
            .cat("health"),
    ])
}

fn with(text: &str, filters: Filters) -> Vec<String> {
    ids(&search(
        &catalogue(),
        &SearchRequest {
            filters,
            limit: 50,
            ..SearchRequest::new(text)
        },
    ))
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn category_audience_municipality_language_filters() {
    let cat = |c: &[&str]| Filters {
        categories: c.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(
        sorted(with("", cat(&["crisis", "health"]))),
        ["kenora-crisis", "timmins-hopital"],
        "any of"
    );
    assert_eq!(
        with(
            "",
            Filters {
                audiences: vec!["youth".into()],
                ..Default::default()
            }
        ),
        ["sud-youth"]
    );
    let sudbury = Filters {
        municipalities: vec!["SUDBURY".into()],
        ..Default::default()
    };
    assert_eq!(
        sorted(with("", sudbury.clone())),
        ["sud-food", "sud-nocoords", "sud-youth"]
    );
    let french = Filters {
        languages: vec!["fr".into()],
        ..Default::default()
    };
    assert_eq!(sorted(with("", french)), ["sud-food", "sud-nocoords"]);
    // Kinds combine with AND, and with the text.
    let both = Filters {
        categories: vec!["community".into()],
        ..sudbury.clone()
    };
    assert_eq!(with("", both), ["sud-youth"]);
    assert_eq!(with("groceries ", sudbury), ["sud-food"]);
}

#[test]
fn free_accessible_and_age() {
    assert_eq!(
        sorted(with(
            "",
            Filters {
                free: true,
                ..Default::default()
            }
        )),
        ["sud-food", "tor-food"]
    );
    assert_eq!(
        sorted(with(
            "",
            Filters {
                accessible: true,
                ..Default::default()
            }
        )),
        ["sud-youth", "tor-food"]
    );
    let age = |a: u8| {
        with(
            "meals ",
            Filters {
                age: Some(a),
                ..Default::default()
            },
        )
    };
    // Without an age range a service serves every age.
    assert_eq!(sorted(age(16)), ["sud-nocoords", "sud-youth"]);
    assert_eq!(sorted(age(70)), ["sud-nocoords", "tor-senior"]);
    assert_eq!(sorted(age(24)), ["sud-nocoords", "sud-youth"], "bounds are inclusive");
}

#[test]
fn open_now_uses_each_services_time_zone_and_skips_unknown_hours() {
    let e = catalogue();
    let open = |when: &str| {
        let now: jiff::Timestamp = when.parse().unwrap();
        let request = SearchRequest {
            filters: Filters {
                open_now: true,
                ..Default::default()
            },
            now,
            limit: 50,
            ..SearchRequest::new("")
        };
        sorted(ids(&search(&e, &request)))
    };
    // Monday 2026-11-23 13:30 UTC: in Toronto (UTC-5) 8:30, in Winnipeg (UTC-6) 7:30.
    // The index is tested on a machine whose zone may be anything, so only services with an
    // explicit zone are asserted for the morning hour.
    let early = open("2026-11-23T14:30:00Z"); // Winnipeg 8:30 -> the crisis line is open
    assert!(early.contains(&"kenora-crisis".to_string()), "{early:?}");
    let later = open("2026-11-23T15:30:00Z"); // Winnipeg 9:30 -> closed
    assert!(!later.contains(&"kenora-crisis".to_string()), "{later:?}");
    // Unknown hours are never "open now".
    assert!(!later.contains(&"sud-nocoords".to_string()));
    // The result rows report open_now too.
    let r = search(
        &e,
        &SearchRequest {
            now: "2026-11-23T14:30:00Z".parse().unwrap(),
            ..SearchRequest::new("kenora ")
        },
    );
    assert_eq!(r.hits[0].open_now, Some(true));
    let r = search(&e, &SearchRequest::new("meal program "));
    assert_eq!(r.hits[0].open_now, None, "no schedule is unknown, not closed");
}

#[test]
fn near_ranks_by_distance_and_puts_services_without_coordinates_last() {
    let e = catalogue();
    let near = |point: Point, text: &str| {
        let r = search(
            &e,
            &SearchRequest {
                near: Some(Near::Point(point)),
                limit: 50,
                ..SearchRequest::new(text)
            },
        );
        (ids(&r), r)
    };
    let toronto = Point::new(43.65, -79.38).unwrap();
    let (order, r) = near(toronto, "food bank ");
    assert_eq!(order[..2], ["tor-food", "sud-food"], "same relevance: nearer first");
    assert!(r.hits[0].distance_km.unwrap() < 1.0);
    let sudbury = Point::new(46.49, -80.99).unwrap();
    let (order, r) = near(sudbury, "meals ");
    assert_eq!(
        order.last().unwrap(),
        "sud-nocoords",
        "no coordinates: still listed, after: {order:?}"
    );
    assert_eq!(r.hits.last().unwrap().distance_km, None);
}

#[test]
fn within_keeps_the_radius_and_local_services_without_coordinates() {
    let e = catalogue();
    let request = SearchRequest {
        near: Some(Near::Place("sudbury".into())),
        within_km: Some(25.0),
        limit: 50,
        ..SearchRequest::new("")
    };
    let r = search(&e, &request);
    assert_eq!(sorted(ids(&r)), ["sud-food", "sud-nocoords", "sud-youth"]);
    let (origin, name) = r.origin.clone().unwrap();
    assert_eq!(name.as_deref(), Some("Sudbury"));
    assert!(
        (origin.lat - 46.495).abs() < 1e-9,
        "centroid of Sudbury's services with coordinates"
    );
    // A radius that reaches nothing.
    let far = SearchRequest {
        within_km: Some(0.01),
        near: Some(Near::Point(Point::new(45.0, -75.0).unwrap())),
        ..request
    };
    assert!(search(&e, &far).hits.is_empty());
}

#[test]
fn unknown_place_is_a_clear_error() {
    let e = catalogue();
    let request = SearchRequest {
        near: Some(Near::Place("Atlantis".into())),
        ..SearchRequest::new("")
    };
    match e.search(&request, &Synonyms::defaults()) {
        Err(SearchError::UnknownPlace(name)) => assert_eq!(name, "Atlantis"),
        other => panic!("expected UnknownPlace, got {other:?}"),
    }
}

#[test]
fn facet_counts_follow_the_query() {
    let e = catalogue();
    let r = search(
        &e,
        &SearchRequest {
            facets: true,
            ..SearchRequest::new("groceries ")
        },
    );
    let f = r.facets.unwrap();
    let count = |list: &[navigator_index::search::FacetCount], v: &str| {
        list.iter().find(|c| c.value == v).map(|c| c.count).unwrap_or(0)
    };
    assert_eq!(r.total, 2, "the two food banks");
    assert_eq!(count(&f.categories, "food"), 2);
    assert_eq!(count(&f.municipalities, "Sudbury"), 1);
    assert_eq!(count(&f.municipalities, "Toronto"), 1);
    assert_eq!(count(&f.languages, "fr"), 1);
    assert_eq!(count(&f.categories, "crisis"), 0, "other services do not count");
    let all = search(
        &e,
        &SearchRequest {
            facets: true,
            ..SearchRequest::new("")
        },
    )
    .facets
    .unwrap();
    assert_eq!(all.categories[0].value, "food", "largest first");
    assert_eq!(all.categories[0].count, 5);
}

#[test]
fn filters_do_not_change_the_ranking() {
    let e = catalogue();
    let plain = search(&e, &SearchRequest::new("food bank "));
    let filtered = search(
        &e,
        &SearchRequest {
            filters: Filters {
                categories: vec!["food".into()],
                ..Default::default()
            },
            ..SearchRequest::new("food bank ")
        },
    );
    let scores = |r: &navigator_index::SearchResults| {
        r.hits
            .iter()
            .map(|h| (h.service.id.clone(), h.score))
            .collect::<Vec<_>>()
    };
    assert_eq!(scores(&plain), scores(&filtered));
}

#[test]
fn a_chosen_municipality_keeps_the_others_and_their_counts() {
    let e = catalogue();
    let count = |list: &[navigator_index::search::FacetCount], v: &str| {
        list.iter().find(|c| c.value == v).map(|c| c.count).unwrap_or(0)
    };
    let r = search(
        &e,
        &SearchRequest {
            facets: true,
            filters: Filters {
                municipalities: vec!["Sudbury".into()],
                categories: vec!["food".into()],
                ..Default::default()
            },
            ..SearchRequest::new("")
        },
    );
    assert_eq!(r.total, 3, "Sudbury's three food services");
    let f = r.facets.unwrap();
    // Any-of within a kind: Toronto stays with what choosing it too would add.
    assert_eq!(count(&f.municipalities, "Sudbury"), 3);
    assert_eq!(count(&f.municipalities, "Toronto"), 2);
    assert_eq!(count(&f.municipalities, "Kenora"), 0, "Kenora has no food service");
    // Categories count without the category filter, within Sudbury.
    assert_eq!(count(&f.categories, "community"), 1);
    assert_eq!(count(&f.categories, "food"), 3);
    // Audiences have no filter: they count the results as they are.
    assert_eq!(count(&f.audiences, "youth"), 1);
    // The flags: how many of the results are free, accessible.
    assert_eq!((f.free, f.accessible), (1, 1));
}

#[test]
fn a_service_id_typed_as_the_query_finds_that_service_first() {
    let e = engine(vec![
        svc("svc-000123", "Hot Meals", "lunch every day"),
        svc("svc-000124", "Warm Clothing", "coats"),
        svc("28496", "Legal Aid Online", "legal information"),
    ]);
    for (typed, id) in [
        ("svc-000123", "svc-000123"),
        ("SVC-000124", "svc-000124"),
        (" 28496 ", "28496"),
    ] {
        let r = search(&e, &SearchRequest::new(typed));
        assert_eq!(r.hits.first().map(|h| h.service.id.as_str()), Some(id), "{typed:?}");
    }
    let e = catalogue();
    // Words still search as words.
    let r = search(&e, &SearchRequest::new("groceries"));
    assert_eq!(r.total, 2);
}
