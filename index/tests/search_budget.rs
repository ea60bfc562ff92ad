//! A search visits at most `count_budget` matched services: broader queries say their counts
//! are lower bounds and still give a full page; narrower ones count exactly. The flag counts
//! (open now, free, accessible) come from the same pass and agree with the filters.

mod common;

use common::*;
use navigator_index::Weekday::*;
use navigator_index::{Filters, SearchRequest, SearchSettings};

/// 300 food services (every third free, every fifth accessible, every fourth open on
/// weekdays 9-17) and 10 legal clinics.
fn directory(budget: Option<usize>) -> navigator_index::Engine {
    let mut services = Vec::new();
    for i in 0..300 {
        let mut s = svc(
            &format!("food-{i:03}"),
            &format!("Food Bank {i}"),
            "groceries and meals",
        )
        .at("Sudbury", Some(46.49), Some(-80.99))
        .cat("food");
        if i % 3 == 0 {
            s = s.free();
        }
        if i % 5 == 0 {
            s = s.accessible();
        }
        if i % 4 == 0 {
            s = s.hours(&[Monday, Tuesday, Wednesday, Thursday, Friday], "9:00", "17:00");
        }
        services.push(s);
    }
    for i in 0..10 {
        services.push(svc(&format!("legal-{i}"), &format!("Legal Clinic {i}"), "tenant rights").cat("legal"));
    }
    engine_with(
        services,
        SearchSettings {
            count_budget: budget,
            timezone: Some("America/Toronto".into()),
            ..Default::default()
        },
    )
}

/// A Wednesday at noon in Toronto.
fn noon() -> jiff::Timestamp {
    "2026-12-02T17:00:00Z".parse().unwrap()
}

fn faceted(text: &str, filters: Filters) -> SearchRequest {
    SearchRequest {
        facets: true,
        filters,
        now: noon(),
        ..SearchRequest::new(text)
    }
}

#[test]
fn a_query_broader_than_the_budget_says_its_counts_are_lower_bounds() {
    let e = directory(Some(100));
    let r = search(&e, &faceted("food", Filters::default()));
    assert!(r.total_is_lower_bound, "300 match, 100 are counted");
    assert_eq!(r.total, 100);
    assert_eq!(r.hits.len(), 20, "a full page all the same");
    let f = r.facets.clone().expect("facets asked for");
    assert!(f.lower_bound, "facet counts are lower bounds too");
    assert!(f.free <= 100 && f.free > 0);
    let food = f.categories.iter().find(|c| c.value == "food").map(|c| c.count);
    assert_eq!(food, Some(100));
    // A later page still comes from the services counted, without repeats.
    let next = search(
        &e,
        &SearchRequest {
            offset: 20,
            ..faceted("food", Filters::default())
        },
    );
    let first: Vec<String> = ids(&r);
    assert!(ids(&next).iter().all(|id| !first.contains(id)));
}

#[test]
fn a_query_within_the_budget_counts_exactly() {
    let e = directory(Some(100));
    let r = search(&e, &faceted("legal", Filters::default()));
    assert!(!r.total_is_lower_bound);
    assert_eq!(r.total, 10);
    assert!(!r.facets.unwrap().lower_bound);
    // The default budget is far above this directory.
    let r = search(&directory(None), &faceted("food", Filters::default()));
    assert!(!r.total_is_lower_bound);
    assert_eq!(r.total, 300);
}

#[test]
fn the_budget_reached_on_the_last_match_is_no_lower_bound() {
    let e = directory(Some(300));
    let r = search(&e, &faceted("food", Filters::default()));
    assert_eq!(r.total, 300);
    assert!(!r.total_is_lower_bound, "nothing was left uncounted");
}

#[test]
fn flag_counts_from_the_same_pass_match_the_filters() {
    let e = directory(None);
    let r = search(&e, &faceted("food", Filters::default()));
    let f = r.facets.unwrap();
    let with = |set: fn(&mut Filters)| {
        let mut filters = Filters::default();
        set(&mut filters);
        search(&e, &faceted("food", filters)).total as u64
    };
    assert_eq!(f.free, 100);
    assert_eq!(f.accessible, 60);
    assert_eq!(f.open_now, 75, "every fourth is open on a Wednesday at noon");
    assert_eq!(f.free, with(|f| f.free = true));
    assert_eq!(f.accessible, with(|f| f.accessible = true));
    assert_eq!(f.open_now, with(|f| f.open_now = true));
    // With a filter on, the flags count within it.
    let r = search(
        &e,
        &faceted(
            "food",
            Filters {
                free: true,
                ..Default::default()
            },
        ),
    );
    let f = r.facets.unwrap();
    assert_eq!(f.free, 100);
    assert_eq!(f.accessible, 20, "free and accessible: every fifteenth");
}

#[test]
fn the_words_already_typed_are_not_looked_up_again_on_the_next_key() {
    let e = directory(None);
    let reads = |text: &str| {
        let before = e.lexicon_reads();
        search(&e, &SearchRequest::new(text));
        e.lexicon_reads() - before
    };
    // A typo and a complete word: corrections and word counts read from the dictionary.
    let first = reads("grocries meal");
    assert!(first > 0);
    // The same query again (a redraw, a filter toggled) reads nothing.
    assert_eq!(reads("grocries meal"), 0);
    // A letter more: only the last word is new; "grocries" costs nothing again.
    let next = reads("grocries meals");
    assert!(next > 0 && next < first, "first {first}, next {next}");
    // Backspace: the query typed before is answered from what was kept.
    assert_eq!(reads("grocries meal"), 0);
    // A reload that finds the same segments (tantivy's file watcher makes one, late, after
    // every commit and merge) keeps what was looked up.
    e.reload().unwrap();
    assert_eq!(reads("grocries meal"), 0);
}

#[test]
fn new_index_contents_are_looked_up_afresh() {
    let e = directory(None);
    let reads = |text: &str| {
        let before = e.lexicon_reads();
        search(&e, &SearchRequest::new(text));
        e.lexicon_reads() - before
    };
    assert!(reads("grocries meal") > 0);
    let mut w = e.writer().unwrap();
    w.add(&svc("pantry-1", "Grocery Pantry", "groceries").s).unwrap();
    w.commit(2).unwrap();
    e.reload().unwrap();
    assert!(
        reads("grocries meal") > 0,
        "a new segment's words are read, not taken from the old cache"
    );
}
