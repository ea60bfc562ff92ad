//! The keystroke workload against navigator's own engine, in this process, on the index
//! the `navigator import` just wrote: 20 hits with facet counts, as issue 8 asks (the TUI
//! itself asks for facet counts only while its filter menu is open, so its keystrokes cost
//! less than these).

use std::path::Path;

use anyhow::Context;
use navigator_index::geo::Point;
use navigator_index::{Engine, Filters, Near, SearchRequest, Synonyms};

use crate::queries::{self, Keystrokes, Query, Variant, MUNICIPALITY, NEAR_PLACE, WITHIN_KM};

pub struct NavFigures {
    pub keystrokes: Keystrokes,
    /// The centre navigator resolved for the radius variant (reused by the FTS5 box).
    pub origin: Option<Point>,
}

pub fn request(text: &str, query: &Query, variant: Variant) -> SearchRequest {
    let mut r = SearchRequest::new(text);
    r.limit = 20;
    r.facets = true;
    r.filters = Filters::default();
    match variant {
        Variant::Plain => {}
        Variant::Category => r.filters.categories = vec![query.category.to_string()],
        Variant::Municipality => r.filters.municipalities = vec![MUNICIPALITY.to_string()],
        Variant::Near => {
            r.near = Some(Near::Place(NEAR_PLACE.to_string()));
            r.within_km = Some(WITHIN_KM);
        }
    }
    r
}

pub fn run(data_dir: &Path) -> anyhow::Result<NavFigures> {
    let index = data_dir.join("index");
    let engine = Engine::open(&index).with_context(|| format!("opening the index {}", index.display()))?;
    let synonyms = Synonyms::defaults();
    let probe = engine
        .search(&request("", &queries::QUERIES[0], Variant::Near), &synonyms)
        .with_context(|| format!("resolving the place {NEAR_PLACE}"))?;
    let origin = probe.origin.map(|(p, _)| p);
    let keystrokes = queries::run("navigator", &mut |text, query, variant| {
        let results = engine
            .search(&request(text, query, variant), &synonyms)
            .with_context(|| format!("searching {text:?} ({})", variant.label()))?;
        Ok(results.total)
    })?;
    Ok(NavFigures { keystrokes, origin })
}
