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

/// What the last faceted search with some filters learnt: whether one sideways pass (the
/// query without the facet-kind filters, scored) costs less than the filtered pass plus a
/// counting pass per filtered kind. It does when the wider query ends within the budget:
/// the counting pass over it is saved, and scoring its documents costs less than a second
/// walk through the query (measured on the 60k workload, even for a municipality holding
/// a tenth of the services). When the budget stops it, both passes run anyway and the
/// sideways one was wasted: a broad query in a big directory. A letter more of the same
/// query, with the same filters, matches no more than the last keystroke did, so its
/// answer holds; a new query (its first letter matches half the directory) or a word
/// rubbed out may match far more, and gets the filtered pass (which teaches again).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SidewaysHint {
    filters: u64,
    text: String,
    worth_it: bool,
}

fn filters_key(filters: &Filters) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    filters.hash(&mut h);
    h.finish()
}

impl SidewaysHint {
    /// What `request` taught; `complete` when the budget did not stop the count of the
    /// wider query.
    pub(crate) fn learn(request: &SearchRequest, complete: bool) -> SidewaysHint {
        SidewaysHint {
            filters: filters_key(&request.filters),
            text: request.text.clone(),
            worth_it: complete,
        }
    }

    /// Whether `hint` says to try the sideways pass for `request`: the same filters, and
    /// the text it was learnt from typed further (or as it was).
    pub(crate) fn says(hint: Option<&SidewaysHint>, request: &SearchRequest) -> bool {
        hint.is_some_and(|h| {
            h.worth_it && h.filters == filters_key(&request.filters) && request.text.starts_with(&h.text)
        })
    }
}

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
/// kind; one the budget stopped (`side`) still gives its filtered kinds' counts. Also
/// returns what the counting passes it ran teach about sideways passes (see
/// [`SidewaysHint`]), when it ran any.
pub(crate) fn disjunctive(
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    own: &Pass,
    side: Option<&Pass>,
    budget: usize,
    query: impl Fn(&SearchRequest) -> Box<dyn Query>,
) -> Result<(Facets, Option<SidewaysHint>), SearchError> {
    let mut facets = from_counts(&own.facets);
    facets.lower_bound = own.lower_bound;
    [facets.open_now, facets.free, facets.accessible] = own.flags;
    if own.sideways_complete {
        return Ok((facets, None));
    }
    // Whether every counting pass run here ended within the budget; `None` for none run.
    let mut complete: Option<bool> = None;
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
                complete = Some(complete.unwrap_or(true) && !pass.lower_bound);
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
    let hint = complete.map(|complete| SidewaysHint::learn(request, complete));
    Ok((facets, hint))
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
