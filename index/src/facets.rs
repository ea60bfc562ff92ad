//! Facet counts as the filter menu shows them: each kind counted with its own filter left
//! out (filters of one kind are any-of, so the other values stay choosable with their
//! counts), and how many would match with open now, free or accessible turned on.

use std::collections::HashMap;

use tantivy::query::Query;

use crate::collect::{Counting, Pass};
use crate::search::{FacetCount, Facets, Filters, SearchError, SearchRequest};

/// Clears one kind of filter (for counting that kind without it).
type ClearFilter = fn(&mut Filters);

/// The facets of `request`, whose own pass (results, counts and flags) is `own`; `query`
/// builds the query of a variation of the request (the same text, other filters).
pub(crate) fn disjunctive(
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    own: &Pass,
    budget: usize,
    query: impl Fn(&SearchRequest) -> Box<dyn Query>,
) -> Result<Facets, SearchError> {
    let mut facets = from_counts(&own.facets);
    facets.lower_bound = own.lower_bound;
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
        let mut wider = request.clone();
        clear(&mut wider.filters);
        // Only the counts of this kind are wanted: no results, no ranking.
        let counting = Counting {
            roots: vec![root],
            flags: None,
        };
        let unranked = |_: &tantivy::SegmentReader| -> crate::ranking::SortKeyFn { Box::new(|_, s| (0, 0, s, 0)) };
        let pass = crate::collect::pass(searcher, &*query(&wider), 0, budget, &unranked, &counting)?;
        facets.lower_bound |= pass.lower_bound;
        let list = from_counts(&pass.facets);
        match root {
            "/category" => facets.categories = list.categories,
            "/audience" => facets.audiences = list.audiences,
            "/municipality" => facets.municipalities = list.municipalities,
            _ => facets.languages = list.languages,
        }
    }
    [facets.open_now, facets.free, facets.accessible] = own.flags;
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
