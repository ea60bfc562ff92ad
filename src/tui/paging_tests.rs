//! How many results a keystroke asks for, and the next page fetched when the selection
//! nears the end of what is loaded: each row of a page is a record read and decoded on
//! every keystroke, so a page is two screens, not a fixed hundred.

use crossterm::event::KeyCode;
use navigator_index::{Hit, SearchResults};

use super::tests::{hit, key, state, type_text};
use super::update::{update, Effect, Event};
use super::update_search::{RESULT_LIMIT, RESULT_PAGE_MIN};

/// (generation, offset, limit) of every search among `effects`.
fn searches(effects: &[Effect]) -> Vec<(u64, usize, usize)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Search { generation, request } => Some((*generation, request.offset, request.limit)),
            _ => None,
        })
        .collect()
}

fn page(generation: u64, from: usize, count: usize, total: usize) -> Event {
    let hits: Vec<Hit> = (from..from + count)
        .map(|i| hit(&format!("s{i}"), &format!("Service {i}")))
        .collect();
    Event::Results {
        generation,
        results: Box::new(SearchResults {
            hits,
            total,
            ..Default::default()
        }),
    }
}

#[test]
fn a_keystroke_asks_for_two_screens_of_results() {
    let mut s = state(); // 80x24: 17 lines of rows at most
    let sent = searches(&type_text(&mut s, "f"));
    assert_eq!(sent.last().map(|x| x.2), Some(34));
    update(&mut s, Event::Resize(120, 80));
    let sent = searches(&type_text(&mut s, "o"));
    assert_eq!(sent.last().map(|x| x.2), Some(RESULT_LIMIT), "never more than the most");
    update(&mut s, Event::Resize(80, 10));
    let sent = searches(&type_text(&mut s, "o"));
    assert_eq!(
        sent.last().map(|x| x.2),
        Some(RESULT_PAGE_MIN),
        "never fewer than the fewest"
    );
}

#[test]
fn moving_near_the_end_fetches_the_next_page_and_appends_it() {
    let mut s = state();
    let (generation, offset, limit) = *searches(&type_text(&mut s, "food")).last().unwrap();
    assert_eq!(offset, 0);
    update(&mut s, page(generation, 0, limit, 200));
    assert_eq!(s.hits.len(), limit);
    // Down through the first page: the next one is asked for once, from where it ends.
    let mut more = Vec::new();
    for _ in 0..limit {
        more.extend(searches(&update(&mut s, key(KeyCode::Down)).effects));
    }
    assert_eq!(more.len(), 1, "{more:?}");
    let (next, offset, next_limit) = more[0];
    assert_eq!((offset, next_limit), (limit, limit));
    update(&mut s, page(next, limit, limit, 200));
    assert_eq!(s.hits.len(), 2 * limit);
    assert_eq!(s.hits[limit].service.id, format!("s{limit}"));
}
