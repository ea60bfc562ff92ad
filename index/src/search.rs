//! Running a search: text, filters, geo and facets in one pass over the index.

use std::path::Path;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::SegmentReader;

use crate::engine::{Engine, EngineError};
use crate::geo::Point;
use crate::lexicon::Lexicon;
use crate::model::Service;
use crate::places::Places;
use crate::query::{QueryBuilder, TypedText};
use crate::ranking::{ranking, Origin};
use crate::rows::RowContext;
use crate::schema::StemLanguage;
use crate::synonyms::Synonyms;

/// Filters a navigator can set. Within one kind, any value matches; kinds combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Filters {
    pub categories: Vec<String>,
    pub audiences: Vec<String>,
    /// Municipality names, compared without case or accents.
    pub municipalities: Vec<String>,
    /// ISO codes (resolve names with `languages::resolve` first).
    pub languages: Vec<String>,
    pub open_now: bool,
    pub free: bool,
    pub accessible: bool,
    /// Only services whose age range includes this age.
    pub age: Option<u8>,
}

/// Where distances are measured from.
#[derive(Debug, Clone, PartialEq)]
pub enum Near {
    Point(Point),
    /// A municipality or a postal code (US ZIP, Canadian FSA or full code) in the
    /// catalogue; resolves to the centroid of its located services.
    Place(String),
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub near: Option<Near>,
    pub within_km: Option<f64>,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    /// The moment "open now" is judged at.
    pub now: jiff::Timestamp,
}

impl SearchRequest {
    pub fn new(text: impl Into<String>) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            filters: Filters::default(),
            near: None,
            within_km: None,
            limit: 20,
            offset: 0,
            facets: false,
            now: jiff::Timestamp::now(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Hit {
    /// The record shown for this row: the program's nearest site with a place, else its
    /// best match. Its locations are sorted nearest first when there is a place.
    pub service: Service,
    pub score: f32,
    /// To the nearest of the service's located locations.
    pub distance_km: Option<f64>,
    /// `None` when the service's hours are unknown.
    pub open_now: Option<bool>,
    /// When a closed service opens next (weekday, minute after midnight, in `zone`).
    pub opens_next: Option<(crate::model::Weekday, u16)>,
    /// True when the service answers only some of the query's words: nothing (or too
    /// little) answered all of them, so the closest services are shown instead.
    pub partial: bool,
    /// Distinct locations of the program this row stands for, all its records together
    /// (at least 1). Identical records count once.
    pub locations: usize,
    /// The program's other records (its other sites), nearest (or best) first.
    pub sites: Vec<Site>,
    /// The IANA zone `open_now` was judged in; `None` for the machine's zone.
    pub zone: Option<String>,
}

/// Another record of the same program, as its row's details list it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Site {
    pub id: String,
    pub address: Option<String>,
    pub municipality: Option<String>,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts for the current query. Each list counts with its own kind's filter left out
/// (filters within a kind are any-of): choosing Sudbury keeps Timmins and its count in
/// the list, and choosing it too adds exactly that many.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub categories: Vec<FacetCount>,
    pub audiences: Vec<FacetCount>,
    pub municipalities: Vec<FacetCount>,
    pub languages: Vec<FacetCount>,
    /// How many would match with "open now" (free, accessible) on as well.
    pub open_now: u64,
    pub free: u64,
    pub accessible: u64,
    /// True when some count stopped early (see [`SearchResults::total_is_lower_bound`]):
    /// every count is then at least so.
    pub lower_bound: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// One per program (see [`Hit::locations`]).
    pub hits: Vec<Hit>,
    /// All matching services (records), not just this page; at least so many when
    /// `total_is_lower_bound`.
    pub total: usize,
    /// True when the query matched so many services that the search stopped counting (and
    /// ranking) after [`crate::collect::BUDGET`] of them: `total`, `complete` and the facet
    /// counts are lower bounds, and the page is the best of the services visited.
    pub total_is_lower_bound: bool,
    pub facets: Option<Facets>,
    /// The resolved origin when the request had `near` or a home area was used, with its
    /// name for a place.
    pub origin: Option<(Point, Option<String>)>,
    /// True when some hits answer only part of the query (see [`Hit::partial`]).
    pub partial: bool,
    /// Services that answer every word of the query (`total` when nothing is partial).
    pub complete: usize,
    /// True when `origin` is the navigator's home area rather than a place asked for.
    pub home: bool,
    /// The home area, when it names no place in the directory (searches go on without it).
    pub unknown_home: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{}", crate::places::unknown_place_message(.0))]
    UnknownPlace(String),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Engine(e.into())
    }
}

impl Engine {
    /// Runs `request`. Index data that turns out to be damaged while searching (tantivy
    /// checks file footers when opening, not every byte) gives
    /// [`EngineError::Damaged`]: the caller rebuilds the index. A panic is a bug, not
    /// damage: it gives [`EngineError::Internal`] and the index is left alone.
    pub fn search(&self, request: &SearchRequest, synonyms: &Synonyms) -> Result<SearchResults, SearchError> {
        let damaged = |reason: String| {
            SearchError::Engine(EngineError::Damaged {
                dir: self.dir().map(Path::to_path_buf).unwrap_or_default(),
                reason,
            })
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.search_unguarded(request, synonyms)
        })) {
            Ok(Err(SearchError::Engine(EngineError::Tantivy(
                e @ (tantivy::TantivyError::IoError(_) | tantivy::TantivyError::DataCorruption(_)),
            )))) => Err(damaged(e.to_string())),
            Ok(result) => result,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown".into());
                Err(SearchError::Engine(EngineError::Internal(what)))
            }
        }
    }

    fn search_unguarded(&self, request: &SearchRequest, synonyms: &Synonyms) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let settings = self.settings();
        let home = request.near.is_none().then_some(settings.home.as_ref()).flatten();
        // Centroids are needed only to resolve a place or to keep ungeocoded services
        // inside a radius; computing them costs a pass over the index (once per commit).
        let postal =
            |near: Option<&Near>| matches!(near, Some(Near::Place(name)) if crate::postal::parse(name).is_some());
        let places = if postal(request.near.as_ref()) || postal(home) {
            self.places_with_postal(&searcher)
        } else if request.near.is_some() || home.is_some() {
            self.places(&searcher)
        } else {
            Default::default()
        };
        let mut unknown_home = None;
        let origin: Option<(Point, Option<String>, bool)> = match (&request.near, home) {
            (Some(near), _) => Some(resolve(near, &places)?).map(|(p, n)| (p, n, false)),
            (None, Some(near)) => match resolve(near, &places) {
                Ok((p, n)) => Some((p, n, true)),
                Err(SearchError::UnknownPlace(name)) => {
                    unknown_home = Some(name);
                    None
                }
                Err(e) => return Err(e),
            },
            (None, None) => None,
        };
        let point = origin.as_ref().map(|o| o.0);
        let rank_origin = origin.as_ref().map(|o| Origin { point: o.0, home: o.2 });
        let lexicon = Lexicon::new(&searcher, &self.lexicon);
        let languages = self.languages(&lexicon);
        let text =
            QueryBuilder::new(&self.fields, synonyms, &lexicon, &languages).text(&TypedText::parse(&request.text));
        let zone = settings.timezone.as_deref();
        // A service id typed as the query ("svc-000123", a source's own id) finds that
        // service, first, as well as whatever its words match.
        let id = id_lookup(self.fields.id, &request.text);
        let with_id = |text: Option<&dyn Query>| -> Option<Box<dyn Query>> {
            match (text, id.as_deref()) {
                (Some(t), Some(id)) => Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Should, t.box_clone()),
                    (Occur::Should, id.box_clone()),
                ]))),
                (Some(q), None) | (None, Some(q)) => Some(q.box_clone()),
                (None, None) => None,
            }
        };
        let strict_text = with_id(text.as_ref().map(|t| &*t.strict));
        let relaxed_text = text
            .as_ref()
            .and_then(|t| t.relaxed.as_deref())
            .and_then(|q| with_id(Some(q)));
        // The query for `request`'s filters (or a variation's, for facet counts) and `text`.
        let combine = |request: &SearchRequest, text: Option<&dyn Query>| -> Box<dyn Query> {
            let mut clauses = crate::filters::clauses(&self.fields, request, point, &places, zone);
            if let Some(t) = text {
                clauses.push((Occur::Must, t.box_clone()));
            }
            if clauses.is_empty() {
                return Box::new(AllQuery);
            }
            Box::new(BooleanQuery::new(clauses))
        };
        let page = request.offset + request.limit.max(1);
        let units = text.as_ref().map_or(0, |t| t.units);
        // Rows group records of one program: fetch more than a page, and more again when
        // programs at many sites fill the first places.
        let mut fetch = (page * 3).max(page + 30);
        let budget = settings.count_budget.unwrap_or(COUNT_BUDGET).max(1);
        let counting = || crate::collect::Counting {
            roots: if request.facets {
                FACET_ROOTS.to_vec()
            } else {
                Vec::new()
            },
            flags: request.facets.then(|| crate::filters::open_now_test(request.now, zone)),
            sideways: None,
        };
        // With facets and a filter of a facet kind: one pass over the query without those
        // filters, tested per document instead (see `collect::Sideways`). Only when it
        // meets the budget first does the filtered query run too; its kinds' counts stay.
        let hint = self.sideways_hint.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let try_sideways = request.facets && crate::facets::SidewaysHint::says(hint.as_ref(), request);
        let main_pass = |text: Option<&dyn Query>,
                         fetch: usize,
                         loose: bool|
         -> Result<(crate::collect::Pass, Option<crate::collect::Pass>), SearchError> {
            let rank = || ranking(rank_origin, loose);
            if let Some((wider, sideways)) = try_sideways.then(|| crate::facets::sideways(request)).flatten() {
                let with = crate::collect::Counting {
                    sideways: Some(sideways),
                    ..counting()
                };
                let mut query = combine(&wider, text);
                if text.is_none() {
                    // Filters alone score nothing, as the filtered query would have.
                    query = Box::new(ConstScoreQuery::new(query, 0.0));
                }
                let wide = run(&searcher, &*query, &with, fetch, budget, rank())?;
                if wide.sideways_complete {
                    return Ok((wide, None));
                }
                let own = run(&searcher, &*combine(request, text), &counting(), fetch, budget, rank())?;
                return Ok((own, Some(wide)));
            }
            Ok((
                run(&searcher, &*combine(request, text), &counting(), fetch, budget, rank())?,
                None,
            ))
        };
        let (groups, found, side, complete, relaxed) = loop {
            let (mut found, mut side) = main_pass(strict_text.as_deref(), fetch, false)?;
            let complete = found.total;
            let mut relaxed = false;
            if let Some(loose) = relaxed_text.as_deref().filter(|_| found.total < page) {
                // Too few services answer every word: show the closest ones after them.
                (found, side) = main_pass(Some(loose), fetch, true)?;
                relaxed = true;
            }
            let more = found.docs.len() == fetch && found.total > fetch;
            let groups = crate::rows::group(&searcher, std::mem::take(&mut found.docs), page);
            if groups.len() >= page || !more || fetch >= MAX_FETCH {
                break (groups, found, side, complete, relaxed);
            }
            fetch = (fetch * 4).min(MAX_FETCH);
        };
        let total = found.total;
        let context = RowContext {
            searcher: &searcher,
            fields: &self.fields,
            origin: rank_origin,
            relaxed,
            units,
            now: request.now,
            zone,
        };
        let page_groups: Vec<_> = groups.into_iter().skip(request.offset).collect();
        let mut hits = crate::rows::rows(&context, page_groups)?;
        // tantivy needs a limit of at least 1; a request for 0 hits gets none.
        hits.truncate(request.limit);
        // Facets of the text the rows came from (every word, or the closest).
        let used = if relaxed {
            relaxed_text.as_deref()
        } else {
            strict_text.as_deref()
        };
        let facets = match request.facets {
            true => {
                let (facets, learnt) =
                    crate::facets::disjunctive(&searcher, request, &found, side.as_ref(), budget, |r| {
                        combine(r, used)
                    })?;
                // What this search teaches the next about sideways passes.
                let wide = if found.sideways_complete {
                    Some(&found)
                } else {
                    side.as_ref()
                };
                let learnt =
                    learnt.or_else(|| wide.map(|w| crate::facets::SidewaysHint::learn(request, w.sideways_complete)));
                if let Some(learnt) = learnt {
                    *self.sideways_hint.lock().unwrap_or_else(|e| e.into_inner()) = Some(learnt);
                }
                Some(facets)
            }
            false => None,
        };
        Ok(SearchResults {
            total_is_lower_bound: found.lower_bound,
            partial: hits.iter().any(|h| h.partial),
            hits,
            total,
            facets,
            origin: origin.map(|(p, n, _)| (p, n)),
            complete,
            home: rank_origin.is_some_and(|o| o.home),
            unknown_home,
        })
    }

    /// The other sites of the program of the service `id` (a hit's), nearest `origin` first: for the
    /// details of one row and for scripts. Searching does not list them (a page of
    /// programs at thirty sites each would cost more than the search).
    pub fn sites(&self, id: &str, origin: Option<Point>) -> Result<Vec<Site>, SearchError> {
        let searcher = self.reader.searcher();
        let term = tantivy::Term::from_field_text(self.fields.id, id);
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = found.first() else {
            return Ok(Vec::new());
        };
        let segment = searcher.segment_reader(address.segment_ord);
        let Some(group) = segment.fast_fields().u64("group")?.first(address.doc_id) else {
            return Ok(Vec::new());
        };
        Ok(crate::rows::program_sites(&searcher, &self.fields, group, id, origin)?)
    }

    /// The stemmers in effect: the configured ones, else the languages of the records.
    fn languages(&self, lexicon: &Lexicon) -> Vec<StemLanguage> {
        if let Some(configured) = self.settings().languages.clone().filter(|l| !l.is_empty()) {
            return configured;
        }
        let found: Vec<StemLanguage> = StemLanguage::ALL
            .into_iter()
            .filter(|l| lexicon.doc_freq(self.fields.text_language, l.code()) > 0)
            .collect();
        if found.is_empty() {
            vec![StemLanguage::English]
        } else {
            found
        }
    }

    /// How many records give each time zone for their hours ("" for none), most first.
    pub fn time_zones(&self) -> Vec<(String, u64)> {
        let searcher = self.reader.searcher();
        let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        for segment in searcher.segment_readers() {
            let Ok(Some(zones)) = segment.fast_fields().str("tz") else {
                continue;
            };
            let mut per_ord = vec![0u64; zones.num_terms()];
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if let Some(ord) = zones.ords().first(doc) {
                    per_ord[ord as usize] += 1;
                }
            }
            let mut name = String::new();
            for (ord, n) in per_ord.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                name.clear();
                if zones.ord_to_str(ord as u64, &mut name).is_ok() {
                    *counts.entry(name.clone()).or_default() += n;
                }
            }
        }
        let mut out: Vec<(String, u64)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// How many records are written in each language (for `index stats`).
    pub fn text_languages(&self) -> Vec<(StemLanguage, u64)> {
        let searcher = self.reader.searcher();
        StemLanguage::ALL
            .into_iter()
            .map(|l| {
                let term = tantivy::Term::from_field_text(self.fields.text_language, l.code());
                (l, searcher.doc_freq(&term).unwrap_or(0))
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Where a place is: a point as given, or the centre of a municipality or postal code.
fn resolve(near: &Near, places: &Places) -> Result<(Point, Option<String>), SearchError> {
    match near {
        Near::Point(p) => Ok((*p, None)),
        Near::Place(name) => {
            let place = places
                .get(name)
                .ok_or_else(|| SearchError::UnknownPlace(name.clone()))?;
            Ok((place.point, Some(place.name.clone())))
        }
    }
}

/// Services whose id is `text` as typed (or in upper or lower case), scored far above any
/// text match so the service asked for by id comes first. `None` for text that cannot be
/// an id (spaces, or too long).
fn id_lookup(field: tantivy::schema::Field, text: &str) -> Option<Box<dyn Query>> {
    let t = text.trim();
    if t.is_empty() || t.len() > 100 || t.chars().any(char::is_whitespace) {
        return None;
    }
    let mut variants = vec![t.to_string(), t.to_lowercase(), t.to_uppercase()];
    variants.dedup();
    Some(Box::new(tantivy::query::ConstScoreQuery::new(
        crate::query::any_term(field, &variants),
        1000.0,
    )))
}

/// The most records read to fill a page of rows (programs at hundreds of sites are rare).
const MAX_FETCH: usize = 5_000;

/// Matched services a search visits before it stops counting (see `collect`).
pub const COUNT_BUDGET: usize = crate::collect::BUDGET;

/// The facet roots the filter menu counts.
pub(crate) const FACET_ROOTS: [&str; 4] = ["/category", "/audience", "/municipality", "/language"];

/// Runs the query once for the best `fetch` documents, the total and what `counting`
/// asks for, within [`crate::collect::BUDGET`] matched documents.
fn run(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    counting: &crate::collect::Counting,
    fetch: usize,
    budget: usize,
    ranking: impl Fn(&SegmentReader) -> crate::ranking::SortKeyFn,
) -> Result<crate::collect::Pass, SearchError> {
    Ok(crate::collect::pass(
        searcher,
        query,
        fetch.max(1),
        budget,
        &ranking,
        counting,
    )?)
}
