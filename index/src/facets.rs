//! Facet counts as the filter menu shows them: each kind counted with its own filter left
//! out (filters of one kind are any-of, so the other values stay choosable with their
//! counts), and how many would match with open now, free or accessible turned on.

use tantivy::collector::{Count, FacetCollector, FacetCounts};
use tantivy::query::Query;

use crate::search::{FacetCount, Facets, Filters, SearchError, SearchRequest};

/// Clears one kind of filter (for counting that kind without it).
type ClearFilter = fn(&mut Filters);

/// The facets of `request`, whose own counts are `counts`; `query` builds the query of a
/// variation of the request (the same text, other filters).
pub(crate) fn disjunctive(
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    counts: &FacetCounts,
    query: impl Fn(&SearchRequest) -> Box<dyn Query>,
) -> Result<Facets, SearchError> {
    let mut facets = from_counts(counts);
    let f = &request.filters;
    let kinds: [(&str, bool, ClearFilter); 4] = [
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
        let mut collector = FacetCollector::for_field("facets");
        collector.add_facet(root);
        let list = from_counts(&searcher.search(&*query(&wider), &collector)?);
        match root {
            "/category" => facets.categories = list.categories,
            "/audience" => facets.audiences = list.audiences,
            "/municipality" => facets.municipalities = list.municipalities,
            _ => facets.languages = list.languages,
        }
    }
    let flags: [fn(&mut Filters); 3] = [|f| f.open_now = true, |f| f.free = true, |f| f.accessible = true];
    let mut flag_counts = [0u64; 3];
    for (n, set) in flags.iter().enumerate() {
        let mut with = request.clone();
        set(&mut with.filters);
        flag_counts[n] = searcher.search(&*query(&with), &Count)? as u64;
    }
    [facets.open_now, facets.free, facets.accessible] = flag_counts;
    Ok(facets)
}

/// The counts of one query, most first.
pub(crate) fn from_counts(counts: &FacetCounts) -> Facets {
    let list = |root: &str| {
        let mut v: Vec<FacetCount> = counts
            .get(root)
            .map(|(facet, count)| FacetCount {
                value: facet.to_path().last().map(|s| s.to_string()).unwrap_or_default(),
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
