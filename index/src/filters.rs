//! The filters of a request as query clauses: raw terms for categories, audiences,
//! municipalities, languages and flags; grid cells for a radius; and one fast-field
//! predicate for age, open now and the exact radius. Filters never change the ranking.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::{DocId, SegmentReader};

use crate::document::municipality_key;
use crate::geo::{FastDistance, Point};
use crate::hours::{minute_of_week, packed_contains, MINUTES_PER_DAY};
use crate::places::Places;
use crate::query::any_term;
use crate::schema::Fields;
use crate::search::SearchRequest;

/// The clauses that keep only what `request`'s filters allow. `origin` is the resolved
/// place asked for (a radius needs one); `default_zone` is the zone of records that give
/// none, for "open now".
pub fn clauses(
    f: &Fields,
    request: &SearchRequest,
    origin: Option<Point>,
    places: &Places,
    default_zone: Option<&str>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
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
        let zone = default_zone.map(str::to_string);
        let predicate = predicate(filters.age.map(u64::from), open_now, zone, within);
        let query: Box<dyn Query> = Box::new(DocPredicateQuery::from(predicate));
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0))));
    }
    clauses
}

/// Per-segment test of one document against the fast-field filters.
type DocTest = Box<dyn Fn(DocId) -> bool + Send + Sync>;

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
    default_zone: Option<String>,
    within: Option<Within>,
) -> FunctionPredicate<impl Fn(&SegmentReader) -> tantivy::Result<DocTest> + Send + Sync> {
    FunctionPredicate::from(segment_test(age, open_now, default_zone, within))
}

/// "Open now at `now`" as a per-segment document test, for counting how many matches
/// are open without running the query again.
pub(crate) fn open_now_test(now: jiff::Timestamp, default_zone: Option<&str>) -> crate::collect::OpenTest {
    let test = segment_test(None, Some(now), default_zone.map(str::to_string), None);
    Box::new(move |segment: &SegmentReader| {
        let doc_test = test(segment)?;
        Ok(Box::new(move |doc: DocId| doc_test(doc)) as Box<dyn Fn(DocId) -> bool>)
    })
}

/// The per-segment test behind [`predicate`].
fn segment_test(
    age: Option<u64>,
    open_now: Option<jiff::Timestamp>,
    default_zone: Option<String>,
    within: Option<Within>,
) -> impl Fn(&SegmentReader) -> tantivy::Result<DocTest> + Send + Sync {
    let within = within.map(Arc::new);
    move |segment: &SegmentReader| {
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
                    let zone = if name.is_empty() {
                        default_zone.as_deref()
                    } else {
                        Some(name.as_str())
                    };
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
                // One zone in the segment (the usual directory): no lookup per document.
                let now = match minutes.len() {
                    0 => None,
                    1 => Some(minutes[0]),
                    _ => ords
                        .first(doc)
                        .map_or(minutes.first().copied(), |o| minutes.get(o as usize).copied()),
                };
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
    }
}
