//! Filter-menu counts with filters of several facet kinds on: each kind is counted with its
//! own filter left out and every other filter kept, the results are the services passing
//! every filter, whether one pass answers both or the budget sends the search back to
//! the filtered query. Checked against counts worked out from the directory itself.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use navigator_index::{FacetCount, Filters, SearchRequest, SearchSettings};

const CATEGORIES: [&str; 4] = ["food", "housing", "legal", "health"];
const AUDIENCES: [&str; 3] = ["seniors", "youth", "families"];
/// Two spellings of one place: the filter folds them, the menu lists each as written.
const PLACES: [&str; 5] = ["Sudbury", "Ottawa", "Montréal", "Montreal", "Timmins"];
const LANGUAGES: [&str; 3] = ["en", "fr", "es"];

/// What one synthetic service carries, kept beside the index to count by hand.
struct Carries {
    id: String,
    categories: Vec<&'static str>,
    audiences: Vec<&'static str>,
    place: &'static str,
    languages: Vec<&'static str>,
}

/// 400 services; a small linear congruential generator picks what each carries, so the
/// kinds overlap unevenly (no value is on every service, some services have none).
fn directory() -> Vec<Carries> {
    let mut state: u64 = 211;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % n as u64) as usize
    };
    (0..400)
        .map(|i| {
            let mut categories = vec![CATEGORIES[next(4)]];
            if next(3) == 0 {
                categories.push(CATEGORIES[next(4)]);
            }
            let audiences = (0..next(3)).map(|_| AUDIENCES[next(3)]).collect();
            let place = PLACES[next(5)];
            let mut languages = vec![LANGUAGES[next(3)]];
            if next(2) == 0 {
                languages.push(LANGUAGES[next(3)]);
            }
            categories.sort();
            categories.dedup();
            languages.sort();
            languages.dedup();
            Carries {
                id: format!("svc-{i:03}"),
                categories,
                audiences,
                place,
                languages,
            }
        })
        .collect()
}

/// The service `c`, the `i`th of the directory.
fn built(i: usize, c: &Carries) -> Svc {
    let mut s = svc(&c.id, &format!("Help Centre {i}"), "help for callers").at(c.place, None, None);
    for slug in &c.categories {
        s = s.cat(slug);
    }
    for slug in &c.audiences {
        s = s.aud(slug);
    }
    for code in &c.languages {
        s = s.lang(code);
    }
    s
}

fn engine_of(services: &[Carries], budget: Option<usize>) -> navigator_index::Engine {
    let built = services.iter().enumerate().map(|(i, c)| built(i, c)).collect();
    engine_with(
        built,
        SearchSettings {
            count_budget: budget,
            ..Default::default()
        },
    )
}

fn filters() -> Filters {
    Filters {
        categories: vec!["food".into(), "legal".into()],
        audiences: vec!["seniors".into()],
        municipalities: vec!["montreal".into()],
        languages: vec!["fr".into()],
        ..Default::default()
    }
}

/// Which of the four kinds `c` passes under `filters()`: category, audience, place, language.
fn passes(c: &Carries) -> [bool; 4] {
    let f = filters();
    let fold = |s: &str| s.to_lowercase().replace('é', "e");
    [
        c.categories.iter().any(|v| f.categories.iter().any(|k| k == v)),
        c.audiences.iter().any(|v| f.audiences.iter().any(|k| k == v)),
        f.municipalities.iter().any(|k| *k == fold(c.place)),
        c.languages.iter().any(|v| f.languages.iter().any(|k| k == v)),
    ]
}

/// Counts by value of kind `k` over the services passing every other kind.
fn expected(services: &[Carries], k: usize) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for c in services {
        let p = passes(c);
        if (0..4).any(|other| other != k && !p[other]) {
            continue;
        }
        let values: Vec<&str> = match k {
            0 => c.categories.clone(),
            1 => c.audiences.clone(),
            2 => vec![c.place],
            _ => c.languages.clone(),
        };
        for v in values.into_iter().collect::<BTreeSet<_>>() {
            *out.entry(v.to_string()).or_default() += 1;
        }
    }
    out
}

fn counted(list: &[FacetCount]) -> BTreeMap<String, u64> {
    list.iter().map(|f| (f.value.clone(), f.count)).collect()
}

/// Runs `request` twice: the first search of some filters counts the filtered query and
/// each kind's wider one; having seen the wider one end within the budget, the second
/// makes one sideways pass. Both must give the same answer.
fn twice(e: &navigator_index::Engine, request: &SearchRequest) -> navigator_index::SearchResults {
    let first = search(e, request);
    let second = search(e, request);
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(first.total, second.total);
    assert_eq!(first.facets, second.facets);
    second
}

fn request() -> SearchRequest {
    SearchRequest {
        facets: true,
        filters: filters(),
        limit: 500,
        ..SearchRequest::new("help")
    }
}

#[test]
fn each_filtered_kind_is_counted_without_its_own_filter_and_with_the_others() {
    let services = directory();
    let e = engine_of(&services, None);
    let r = twice(&e, &request());
    let f = r.facets.as_ref().unwrap();
    assert!(!f.lower_bound);
    assert_eq!(counted(&f.categories), expected(&services, 0));
    assert_eq!(counted(&f.audiences), expected(&services, 1));
    assert_eq!(counted(&f.municipalities), expected(&services, 2));
    assert_eq!(counted(&f.languages), expected(&services, 3));
    // Both spellings of the chosen place are listed, each with its own count.
    assert!(f.municipalities.iter().any(|m| m.value == "Montréal"));
    assert!(f.municipalities.iter().any(|m| m.value == "Montreal"));
    // The results are the services passing every filter, and only those.
    let wanted: BTreeSet<String> = services
        .iter()
        .filter(|c| passes(c).iter().all(|p| *p))
        .map(|c| c.id.clone())
        .collect();
    assert!(!wanted.is_empty());
    assert_eq!(r.total, wanted.len());
    assert_eq!(ids(&r).into_iter().collect::<BTreeSet<_>>(), wanted);
}

#[test]
fn a_kind_with_no_filter_counts_the_results_only() {
    let services = directory();
    let e = engine_of(&services, None);
    let mut req = request();
    req.filters.audiences.clear();
    let r = twice(&e, &req);
    let f = r.facets.unwrap();
    let mut audiences = BTreeMap::new();
    for c in services.iter().filter(|c| {
        let p = passes(c);
        p[0] && p[2] && p[3]
    }) {
        for a in c.audiences.iter().collect::<BTreeSet<_>>() {
            *audiences.entry(a.to_string()).or_insert(0u64) += 1;
        }
    }
    assert_eq!(counted(&f.audiences), audiences);
}

#[test]
fn a_budget_met_before_the_end_still_gives_exact_results_and_lower_bound_counts() {
    let services = directory();
    // The wider query (every service says "help") meets a budget of 100 long before the
    // end; the services passing every filter are far fewer.
    // While the directory holds 40 services the wider query ends within a budget of 100:
    // the next search with this text and these filters makes one sideways pass.
    let e = engine_of(&services[..40], Some(100));
    assert!(!twice(&e, &request()).facets.unwrap().lower_bound);
    // Then the rest arrives (an import commits while the navigator types): the sideways
    // pass now meets the budget, and the filtered query answers.
    let mut w = e.writer().unwrap();
    for (i, c) in services.iter().enumerate().skip(40) {
        w.add(&built(i, c).s).unwrap();
    }
    w.commit(2).unwrap();
    e.reload().unwrap();
    let wanted = services.iter().filter(|c| passes(c).iter().all(|p| *p)).count();
    assert!(wanted < 100, "the filtered query stays within the budget: {wanted}");
    // The sideways pass the budget stops, then (having learnt) the filtered one at once:
    // the same exact results; counts that are lower bounds, each within the true count.
    let sideways = search(&e, &request());
    let filtered = search(&e, &request());
    assert_eq!(ids(&sideways), ids(&filtered));
    assert!(
        sideways.facets.as_ref().unwrap().lower_bound,
        "the sideways pass stopped at 100 of 400"
    );
    for r in [sideways, filtered] {
        assert_eq!(r.total, wanted);
        assert!(!r.total_is_lower_bound);
        let f = r.facets.unwrap();
        for (k, list) in [&f.categories, &f.audiences, &f.municipalities, &f.languages]
            .into_iter()
            .enumerate()
        {
            let all = expected(&services, k);
            if !f.lower_bound {
                // Each kind's own counting pass (the other filters on) ended in the budget.
                assert_eq!(counted(list), all);
            }
            for (value, count) in counted(list) {
                assert!(count <= all[&value], "{value}: {count} counted, {} in all", all[&value]);
            }
        }
    }
}
