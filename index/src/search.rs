//! Running a search: text, filters, geo and facets in one pass over the index.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Score, SegmentReader, TantivyDocument};

use crate::document::municipality_key;
use crate::engine::{Engine, EngineError};
use crate::geo::{distance_km, FastDistance, Point};
use crate::hours::{minute_of_week, open_at, packed_contains, MINUTES_PER_DAY};
use crate::model::Service;
use crate::places::Places;
use crate::query::{any_term, QueryBuilder, TypedText};
use crate::synonyms::Synonyms;

/// Filters a navigator can set. Within one kind, any value matches; kinds combine with AND.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// A municipality in the catalogue; resolves to the centroid of its locations.
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

#[derive(Debug, Clone)]
pub struct Hit {
    pub service: Service,
    pub score: f32,
    pub distance_km: Option<f64>,
    /// `None` when the service's hours are unknown.
    pub open_now: Option<bool>,
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
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// All matching services, not just this page.
    pub total: usize,
    pub facets: Option<Facets>,
    /// The resolved origin when the request had `near`, with its name for a place.
    pub origin: Option<(Point, Option<String>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("unknown place {0:?}: no services with coordinates in a municipality of that name")]
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
        // Centroids are needed only to resolve a place or to keep ungeocoded services
        // inside a radius; computing them costs a pass over the index.
        let places = if request.near.is_some() {
            self.places(&searcher)
        } else {
            Default::default()
        };
        let origin = match &request.near {
            None => None,
            Some(Near::Point(p)) => Some((*p, None)),
            Some(Near::Place(name)) => {
                let place = places
                    .get(name)
                    .ok_or_else(|| SearchError::UnknownPlace(name.clone()))?;
                Some((place.point, Some(place.name.clone())))
            }
        };
        let query = self.build_query(request, synonyms, origin.as_ref().map(|o| o.0), &places);
        let limit = request.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(request.offset);
        let ranked = top.tweak_score(ranking(origin.as_ref().map(|o| o.0)));
        let (mut docs, total, facets) = run(&searcher, &*query, request.facets, ranked)?;
        // tantivy needs a limit of at least 1; a request for 0 hits gets none.
        docs.truncate(request.limit);
        let facets = match facets {
            Some(counts) => {
                let o = origin.as_ref().map(|o| o.0);
                Some(self.disjunctive_facets(&searcher, request, synonyms, o, &places, &counts)?)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(docs.len());
        for (score, address) in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(bytes) = doc.get_first(self.fields.record).and_then(|v| v.as_bytes()) else {
                continue;
            };
            let Ok(service) = serde_json::from_slice::<Service>(bytes) else {
                continue;
            };
            let distance_km = origin.as_ref().and_then(|(o, _)| {
                let (lat, lon) = service.coordinates()?;
                Some(distance_km(*o, Point { lat, lon }))
            });
            let (weekday, minute) = minute_of_week(request.now, service.timezone.as_deref());
            let open_now = open_at(&service.schedules, weekday, minute);
            hits.push(Hit {
                service,
                score,
                distance_km,
                open_now,
            });
        }
        Ok(SearchResults {
            hits,
            total,
            facets,
            origin,
        })
    }

    /// The facet counts of `request`: those of the query itself for kinds without a filter,
    /// and for a kind with a filter, the counts with that filter left out; plus how many
    /// would match with each of open now, free and accessible turned on.
    fn disjunctive_facets(
        &self,
        searcher: &tantivy::Searcher,
        request: &SearchRequest,
        synonyms: &Synonyms,
        origin: Option<Point>,
        places: &Places,
        counts: &FacetCounts,
    ) -> Result<Facets, SearchError> {
        let mut facets = facets_from(counts);
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
            let query = self.build_query(&wider, synonyms, origin, places);
            let mut collector = FacetCollector::for_field("facets");
            collector.add_facet(root);
            let counts = searcher.search(&*query, &collector)?;
            let list = facets_from(&counts);
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
            let query = self.build_query(&with, synonyms, origin, places);
            flag_counts[n] = searcher.search(&*query, &Count)? as u64;
        }
        [facets.open_now, facets.free, facets.accessible] = flag_counts;
        Ok(facets)
    }

    fn build_query(
        &self,
        request: &SearchRequest,
        synonyms: &Synonyms,
        origin: Option<Point>,
        places: &Places,
    ) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // A service id typed as the query ("svc-000123", a source's own id) finds that
        // service, first, as well as whatever its words match.
        let text = QueryBuilder::new(f, synonyms).text(&TypedText::parse(&request.text));
        match (text, id_lookup(f.id, &request.text)) {
            (Some(text), Some(id)) => clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![(Occur::Should, text), (Occur::Should, id)])),
            )),
            (Some(query), None) | (None, Some(query)) => clauses.push((Occur::Must, query)),
            (None, None) => {}
        }
        let filters = &request.filters;
        let keys = |values: &[String], key: fn(&str) -> String| values.iter().map(|v| key(v)).collect::<Vec<_>>();
        for (field, values) in [
            (f.category, keys(&filters.categories, |v| v.trim().to_lowercase())),
            (f.audience, keys(&filters.audiences, |v| v.trim().to_lowercase())),
            (f.municipality, keys(&filters.municipalities, municipality_key)),
            (f.language, keys(&filters.languages, |v| v.trim().to_lowercase())),
        ] {
            if !values.is_empty() {
                clauses.push((Occur::Must, any_term(field, &values)));
            }
        }
        for (on, flag) in [(filters.free, "free"), (filters.accessible, "accessible")] {
            if on {
                clauses.push((Occur::Must, any_term(f.flag, &[flag.to_string()])));
            }
        }
        let within = origin.zip(request.within_km).map(|(point, km)| Within {
            fast: FastDistance::new(point),
            km,
            // Services without coordinates count as inside when their municipality's
            // centre is: a navigator asking "within 10 km of Sudbury" wants Sudbury's
            // services even when their address was never geocoded.
            places: places.keys_within(point, km),
        });
        if let (Some(point), Some(km)) = (origin, request.within_km) {
            // Candidates from the index: services in the cells the circle covers, or in a
            // municipality whose centre is inside it. The predicate below checks exactly.
            if let Some(cells) = crate::geo::cells_covering(point, km) {
                let mut near: Vec<String> = places.keys_within(point, km).into_iter().collect();
                near.sort();
                let candidates: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, any_term(f.cell, &cells)),
                    (Occur::Should, any_term(f.municipality, &near)),
                ]));
                clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(candidates, 0.0))));
            }
        }
        let open_now = filters.open_now.then_some(request.now);
        if filters.age.is_some() || open_now.is_some() || within.is_some() {
            let predicate = predicate(filters.age.map(u64::from), open_now, within);
            let query: Box<dyn Query> = Box::new(DocPredicateQuery::from(predicate));
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0))));
        }
        if clauses.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(clauses))
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
    Some(Box::new(ConstScoreQuery::new(any_term(field, &variants), 1000.0)))
}

/// Clears one kind of filter (for counting that kind without it).
type ClearFilter = fn(&mut Filters);

/// Per-segment test of one document against the fast-field filters.
type DocTest = Box<dyn Fn(DocId) -> bool + Send + Sync>;

/// Per-segment sort key of one document: (tier, relevance, tiebreak).
type SortKeyFn = Box<dyn Fn(DocId, Score) -> (u8, Score, u64)>;

struct Within {
    fast: FastDistance,
    km: f64,
    places: HashSet<String>,
}

/// One predicate for age, open-now and radius: each document is checked against fast
/// fields only, so it costs nanoseconds and composes with counts and facets.
fn predicate(
    age: Option<u64>,
    open_now: Option<jiff::Timestamp>,
    within: Option<Within>,
) -> FunctionPredicate<impl Fn(&SegmentReader) -> tantivy::Result<DocTest> + Send + Sync> {
    let within = within.map(Arc::new);
    FunctionPredicate::from(move |segment: &SegmentReader| {
        let fast = segment.fast_fields();
        let (min_age, max_age) = (fast.u64("min_age")?, fast.u64("max_age")?);
        let hours = fast.u64("hours")?;
        let (lat, lon) = (fast.f64("lat")?, fast.f64("lon")?);
        // Minute of the week per time zone in this segment's dictionary.
        let tz_now: Option<(tantivy::columnar::Column<u64>, Vec<u32>)> = match (open_now, fast.str("tz")?) {
            (Some(now), Some(tz)) => {
                let mut minutes = Vec::new();
                let mut name = String::new();
                for ord in 0..tz.num_terms() as u64 {
                    name.clear();
                    tz.ord_to_str(ord, &mut name)?;
                    let zone = (!name.is_empty()).then_some(name.as_str());
                    let (day, minute) = minute_of_week(now, zone);
                    minutes.push(day.index() as u32 * MINUTES_PER_DAY as u32 + minute as u32);
                }
                Some((tz.ords().clone(), minutes))
            }
            _ => None,
        };
        let places: Option<(tantivy::columnar::Column<u64>, HashSet<u64>)> = match (&within, fast.str("place")?) {
            (Some(w), Some(column)) => {
                let mut allowed = HashSet::new();
                let mut name = String::new();
                for ord in 0..column.num_terms() as u64 {
                    name.clear();
                    column.ord_to_str(ord, &mut name)?;
                    if w.places.contains(&municipality_key(&name)) {
                        allowed.insert(ord);
                    }
                }
                Some((column.ords().clone(), allowed))
            }
            _ => None,
        };
        let within = within.clone();
        Ok(Box::new(move |doc: DocId| {
            if let Some(age) = age {
                if min_age.first(doc).is_some_and(|m| age < m) || max_age.first(doc).is_some_and(|m| age > m) {
                    return false;
                }
            }
            if let Some((ords, minutes)) = &tz_now {
                let now = ords
                    .first(doc)
                    .map_or(minutes.first().copied(), |o| minutes.get(o as usize).copied());
                if !now.is_some_and(|now| packed_contains(hours.values_for_doc(doc), now)) {
                    return false;
                }
            }
            if let Some(w) = &within {
                match (lat.first(doc), lon.first(doc)) {
                    (Some(la), Some(lo)) => return w.fast.within(la, lo, w.km),
                    _ => {
                        let Some((ords, allowed)) = &places else {
                            return false;
                        };
                        return ords.values_for_doc(doc).any(|o| allowed.contains(&o));
                    }
                }
            }
            true
        }) as DocTest)
    })
}

/// The sort key: (tier, relevance, tiebreak). With an origin, services with coordinates
/// come first (tier 1), each by relevance discounted by distance (halved at 10 km, a third
/// at 20 km ...). Equal keys fall back to a hash of the id, never to indexing order.
fn ranking(origin: Option<Point>) -> impl Fn(&SegmentReader) -> SortKeyFn + Send + Sync + 'static {
    let fast_distance = origin.map(FastDistance::new);
    move |segment: &SegmentReader| {
        let fast = segment.fast_fields();
        let (lat, lon) = (fast.f64("lat").ok(), fast.f64("lon").ok());
        let tiebreak = fast.u64("tiebreak").ok();
        Box::new(move |doc: DocId, score: Score| {
            let tie = tiebreak.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
            let Some(fast) = fast_distance else {
                return (1, score, tie);
            };
            let point = lat
                .as_ref()
                .and_then(|c| c.first(doc))
                .zip(lon.as_ref().and_then(|c| c.first(doc)));
            match point {
                Some((la, lo)) => {
                    let d = fast.km(la, lo);
                    (1, score / (1.0 + (d / 10.0) as f32), tie)
                }
                None => (0, score, tie),
            }
        })
    }
}

type Docs = Vec<(f32, DocAddress)>;

/// Runs the query once for the page, the total and (optionally) the facet counts.
fn run<C, K>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    with_facets: bool,
    top: C,
) -> Result<(Docs, usize, Option<FacetCounts>), SearchError>
where
    C: Collector<Fruit = Vec<(K, DocAddress)>>,
    K: SortScore,
{
    let docs = |v: Vec<(K, DocAddress)>| v.into_iter().map(|(k, a)| (k.score(), a)).collect();
    if with_facets {
        let mut facets = FacetCollector::for_field("facets");
        for root in ["/category", "/audience", "/municipality", "/language"] {
            facets.add_facet(root);
        }
        let (top, total, facets) = searcher.search(query, &(top, Count, facets))?;
        Ok((docs(top), total, Some(facets)))
    } else {
        let (top, total) = searcher.search(query, &(top, Count))?;
        Ok((docs(top), total, None))
    }
}

/// The relevance part of a sort key, reported as the hit's score.
trait SortScore {
    fn score(&self) -> f32;
}

impl SortScore for (u8, f32, u64) {
    fn score(&self) -> f32 {
        self.1
    }
}

fn facets_from(counts: &FacetCounts) -> Facets {
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
