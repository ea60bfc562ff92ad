//! Places and hours (issue 14): postal codes resolve to the centre of the catalogue's
//! services there; an unknown place is an error; "open now" is judged in the directory's
//! time zone (the record's, else the catalogue's), not the server's.

mod common;

use common::*;
use navigator_index::model::Weekday::*;
use navigator_index::{Near, SearchError, SearchRequest, SearchSettings, Synonyms};

fn postal_directory() -> navigator_index::Engine {
    engine(vec![
        svc("p3a-1", "Sudbury Food Bank", "Groceries")
            .at("Sudbury", Some(46.50), Some(-81.00))
            .postal("P3A 1A1"),
        svc("p3a-2", "Downtown Pantry", "Groceries")
            .at("Sudbury", Some(46.52), Some(-81.02))
            .postal("P3A 2B2"),
        svc("miami", "Little Havana Pantry", "Comida")
            .at("Miami", Some(25.77), Some(-80.22))
            .postal("33125"),
        svc("far", "Far Pantry", "Groceries")
            .at("Timmins", Some(48.47), Some(-81.33))
            .postal("P4N 1A1"),
    ])
}

fn near(e: &navigator_index::Engine, text: &str, place: &str) -> Result<navigator_index::SearchResults, SearchError> {
    let mut r = SearchRequest::new(text);
    r.near = Some(Near::Place(place.into()));
    r.within_km = Some(30.0);
    e.search(&r, &Synonyms::defaults())
}

#[test]
fn zips_fsas_and_full_postal_codes_are_places() {
    let e = postal_directory();
    let fsa = near(&e, "", "P3A").unwrap();
    let (point, name) = fsa.origin.clone().unwrap();
    assert!(
        (point.lat - 46.51).abs() < 1e-9 && (point.lon + 81.01).abs() < 1e-9,
        "{point:?}"
    );
    assert_eq!(name.as_deref(), Some("postal area P3A"));
    let mut found = ids(&fsa);
    found.sort();
    assert_eq!(found, ["p3a-1", "p3a-2"]);
    let full = near(&e, "", "p3a 2b2").unwrap();
    assert_eq!(full.origin.unwrap().0.lat, 46.52);
    let zip = near(&e, "", "33125").unwrap();
    assert_eq!(ids(&zip), ["miami"]);
    assert!(near(&e, "", "33125-0042").is_ok(), "ZIP+4 is its ZIP");
}

#[test]
fn an_unknown_place_or_code_is_an_error_naming_it() {
    let e = postal_directory();
    for place in ["90210", "K1A", "Atlantis"] {
        match near(&e, "", place) {
            Err(SearchError::UnknownPlace(p)) => assert_eq!(p, place),
            other => panic!("{place}: {:?}", other.map(|r| ids(&r))),
        }
    }
    let message = SearchError::UnknownPlace("90210".into()).to_string();
    assert!(
        message.contains("\"90210\"") && message.contains("ZIP code 90210"),
        "{message}"
    );
}

/// Wednesday 7 January 2026 at `hh:mm` UTC.
fn wednesday_utc(hh: u32, mm: u32) -> jiff::Timestamp {
    format!("2026-01-07T{hh:02}:{mm:02}:00Z").parse().unwrap()
}

fn nine_to_five(zone: Option<&str>) -> navigator_index::Engine {
    let s = svc("office", "Benefits Office", "Walk in").hours(&[Wednesday], "9:00", "17:00");
    engine_with(
        vec![s],
        SearchSettings {
            timezone: zone.map(str::to_string),
            ..Default::default()
        },
    )
}

fn open_at(e: &navigator_index::Engine, now: jiff::Timestamp) -> (Option<bool>, Option<String>, bool) {
    let mut r = SearchRequest::new("benefits");
    r.now = now;
    let hit = search(e, &r).hits.remove(0);
    let mut filtered = r.clone();
    filtered.filters.open_now = true;
    let in_filter = !search(e, &filtered).hits.is_empty();
    (hit.open_now, hit.zone, in_filter)
}

#[test]
fn open_now_is_judged_in_the_catalogue_zone_on_a_utc_server() {
    // A Toronto catalogue whose records give no zone, on a server whatever its zone.
    let toronto = nine_to_five(Some("America/Toronto"));
    // 13:30 UTC is 08:30 in Toronto (EST): not open yet, though it is 13:30 on the server.
    assert_eq!(
        open_at(&toronto, wednesday_utc(13, 30)),
        (Some(false), Some("America/Toronto".into()), false)
    );
    // 21:30 UTC is 16:30 in Toronto: open, filter included.
    assert_eq!(
        open_at(&toronto, wednesday_utc(21, 30)),
        (Some(true), Some("America/Toronto".into()), true)
    );
    // A record's own zone wins over the catalogue's.
    let s = svc("office", "Benefits Office", "Walk in")
        .hours(&[Wednesday], "9:00", "17:00")
        .tz("America/Vancouver");
    let mixed = engine_with(
        vec![s],
        SearchSettings {
            timezone: Some("America/Toronto".into()),
            ..Default::default()
        },
    );
    // 21:30 UTC is 13:30 in Vancouver.
    assert_eq!(open_at(&mixed, wednesday_utc(21, 30)).0, Some(true));
    assert_eq!(
        open_at(&mixed, wednesday_utc(16, 30)).0,
        Some(false),
        "08:30 in Vancouver"
    );
}

#[test]
fn closed_now_says_when_it_opens_next_in_the_catalogue_zone() {
    let toronto = nine_to_five(Some("America/Toronto"));
    let next = |now| {
        let mut r = SearchRequest::new("benefits");
        r.now = now;
        search(&toronto, &r)
            .hits
            .remove(0)
            .opens_next
            .map(navigator_index::hours::opening_text)
    };
    // 13:30 UTC is 08:30 in Toronto: it opens at nine this morning, not at the server's.
    assert_eq!(next(wednesday_utc(13, 30)).as_deref(), Some("Wed 9:00"));
    // 23:30 UTC is 18:30 in Toronto: closed until next Wednesday.
    assert_eq!(next(wednesday_utc(23, 30)).as_deref(), Some("Wed 9:00"));
    assert_eq!(next(wednesday_utc(15, 0)), None, "open now");
}
