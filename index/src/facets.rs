//! Facet counts as the filter menu shows them: each kind counted with its own filter left
//! out (filters of one kind are any-of, so the other values stay choosable with their
//! counts), and how many would match with open now, free or accessible turned on.

use std::collections::HashMap;

use tantivy::query::Query;

use crate::collect::{Counting, Pass, Sideways, ValueTest};
use crate::document::municipality_key;
use crate::search::{FacetCount, Facets, Filters, SearchError, SearchRequest};

/// Clears one kind of filter (for counting that kind without it).
type ClearFilter = fn(&mut Filters);

/// `request` without its facet-kind filters, and those filters as per-document tests;
/// `None` when it has none (see [`Sideways`]).
pub(crate) fn sideways(request: &SearchRequest) -> Option<(SearchRequest, Sideways)> {
    let f = &request.filters;
    let lower = |values: &[String]| values.iter().map(|v| v.trim().to_lowercase()).collect::<Vec<_>>();
    let mut kinds: Vec<(&'static str, ValueTest)> = Vec::new();
    // The same comparisons as the filters' term clauses (`filters::clauses`).
    for (root, keys) in [
        ("/category", lower(&f.categories)),
        ("/audience", lower(&f.audiences)),
        ("/language", lower(&f.languages)),
    ] {
        if !keys.is_empty() {
            kinds.push((root, Box::new(move |value: &str| keys.iter().any(|k| k == value))));
        }
    }
    if !f.municipalities.is_empty() {
        let keys: Vec<String> = f.municipalities.iter().map(|m| municipality_key(m)).collect();
        kinds.push((
            "/municipality",
            Box::new(move |value: &str| keys.contains(&municipality_key(value))),
        ));
    }
    if kinds.is_empty() {
        return None;
    }
    let mut wider = request.clone();
    wider.filters.categories.clear();
    wider.filters.audiences.clear();
    wider.filters.municipalities.clear();
    wider.filters.languages.clear();
    Some((wider, Sideways { kinds }))
}

/// The facets of `request`, whose own pass (results, counts and flags) is `own`; `query`
/// builds the query of a variation of the request (the same text, other filters). A
/// sideways pass that visited everything (`own.sideways_complete`) already counted every
/// kind; one the budget stopped (`side`) still gives its filtered kinds' counts.
pub(crate) fn disjunctive(
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    own: &Pass,
    side: Option<&Pass>,
    budget: usize,
    query: impl Fn(&SearchRequest) -> Box<dyn Query>,
) -> Result<Facets, SearchError> {
    let mut facets = from_counts(&own.facets);
    facets.lower_bound = own.lower_bound;
    [facets.open_now, facets.free, facets.accessible] = own.flags;
    if own.sideways_complete {
        return Ok(facets);
    }
    let f = &request.filters;
    let kinds: [(&'static str, bool, ClearFilter); 4] = [
        ("/category", !f.categories.is_empty(), |f| f.categories.clear()),
        ("/audience", !f.audiences.is_empty(), |f| f.audiences.clear()),
        ("/municipality", !f.municipalities.is_empty(), |f| {
            f.municipalities.clear()
        }),
        ("/language", !f.languages.is_empty(), |f| f.languages.clear()),
    ];
    for (root, filtered, clear) in kinds {
        if !filtered {
            continue;
        }
        let list = match side {
            Some(side) => {
                facets.lower_bound |= side.lower_bound;
                from_counts(&side.facets)
            }
            None => {
                let mut wider = request.clone();
                clear(&mut wider.filters);
                // Only the counts of this kind are wanted: no results, no ranking.
                let counting = Counting {
                    roots: vec![root],
                    flags: None,
                    sideways: None,
                };
                let unranked =
                    |_: &tantivy::SegmentReader| -> crate::ranking::SortKeyFn { Box::new(|_, s| (0, 0, s, 0)) };
                let pass = crate::collect::pass(searcher, &*query(&wider), 0, budget, &unranked, &counting)?;
                facets.lower_bound |= pass.lower_bound;
                from_counts(&pass.facets)
            }
        };
        match root {
            "/category" => facets.categories = list.categories,
            "/audience" => facets.audiences = list.audiences,
            "/municipality" => facets.municipalities = list.municipalities,
            _ => facets.languages = list.languages,
        }
    }
    Ok(facets)
}

/// The counts of one pass, most first.
pub(crate) fn from_counts(counts: &HashMap<String, HashMap<String, u64>>) -> Facets {
    let list = |root: &str| {
        let mut v: Vec<FacetCount> = counts
            .get(root)
            .into_iter()
            .flatten()
            .map(|(value, &count)| FacetCount {
                value: value.clone(),
                count,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    };
    Facets {
        categories: list("/category"),
        audiences: list("/audience"),
        municipalities: list("/municipality"),
        languages: list("/language"),
        ..Default::default()
    }
}
