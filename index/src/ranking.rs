//! The order of results: a sort key per document, computed from its text score and fast
//! fields while the index is searched.
//!
//! Key: (units matched, distance tier, relevance, tiebreak). A relaxed match that answers
//! more of the query's units always ranks first (see `query::WORD_BONUS`); then, with an
//! explicit place, services with coordinates before those without; then relevance, which
//! distance discounts; then a hash of the id, never indexing order.

use tantivy::{DocId, Score, SegmentReader};

use crate::geo::{FastDistance, Point};
use crate::query::WORD_BONUS;

/// Where distance comes from and how hard it pulls.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub point: Point,
    /// True for the navigator's home area (a soft pull, used when no place was asked for);
    /// false for a place the navigator asked for.
    pub home: bool,
}

/// Relevance halves at this distance from a place asked for...
const NEAR_HALF_KM: f64 = 10.0;
/// ...and at this distance from the home area, which only leans the ranking local.
const HOME_HALF_KM: f64 = 25.0;

pub type SortKey = (u8, u8, Score, u64);

/// Per-segment sort key of one document.
pub type SortKeyFn = Box<dyn Fn(DocId, Score) -> SortKey>;

/// Splits a relaxed score into (units matched, relevance).
pub fn split_score(score: Score, relaxed: bool) -> (u8, Score) {
    if !relaxed {
        return (0, score);
    }
    let units = (score / WORD_BONUS).floor().clamp(0.0, u8::MAX as f32);
    (units as u8, score - units * WORD_BONUS)
}

/// How much relevance is left after distance.
pub fn discount(origin: Origin, km: Option<f64>) -> f32 {
    let half = if origin.home { HOME_HALF_KM } else { NEAR_HALF_KM };
    // Without coordinates a home-area ranking treats a service as a middling distance away
    // (a hotline has no address and must not sink); an asked-for place ranks it last.
    let km = km.unwrap_or(half);
    1.0 / (1.0 + (km / half) as f32)
}

/// The sort key function for `tweak_score`.
pub fn ranking(origin: Option<Origin>, relaxed: bool) -> impl Fn(&SegmentReader) -> SortKeyFn + Send + Sync + 'static {
    let fast_distance = origin.map(|o| (o, FastDistance::new(o.point)));
    move |segment: &SegmentReader| {
        let fast = segment.fast_fields();
        let (lat, lon) = (fast.f64("lat").ok(), fast.f64("lon").ok());
        let tiebreak = fast.u64("tiebreak").ok();
        Box::new(move |doc: DocId, score: Score| {
            let tie = tiebreak.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
            let (units, relevance) = split_score(score, relaxed);
            let Some((origin, fast)) = fast_distance else {
                return (units, 1, relevance, tie);
            };
            let point = lat
                .as_ref()
                .and_then(|c| c.first(doc))
                .zip(lon.as_ref().and_then(|c| c.first(doc)));
            let km = point.map(|(la, lo)| fast.km(la, lo));
            let tier = u8::from(origin.home || km.is_some());
            (units, tier, relevance * discount(origin, km), tie)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_scores_split_into_units_and_relevance() {
        assert_eq!(split_score(2012.5, true), (2, 12.5));
        assert_eq!(split_score(12.5, false), (0, 12.5));
    }

    #[test]
    fn distance_pulls_hard_near_a_place_and_gently_from_home() {
        let p = Point { lat: 0.0, lon: 0.0 };
        let near = Origin { point: p, home: false };
        let home = Origin { point: p, home: true };
        assert_eq!(discount(near, Some(10.0)), 0.5);
        assert_eq!(discount(home, Some(25.0)), 0.5);
        assert!(discount(home, Some(100.0)) < 0.25, "100 km away sinks");
        assert_eq!(discount(home, None), 0.5);
    }
}
