//! Places known to the catalogue: each municipality's and each postal code's centre is the
//! mean of its services' coordinates. Lets a navigator say "near Sudbury", "near 33125" or
//! "near P3A" without a gazetteer.

use std::collections::{HashMap, HashSet};

use tantivy::{DocId, Searcher};

use crate::document::municipality_key;
use crate::geo::{distance_km, Point};

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The name as the catalogue writes it (the most common spelling).
    pub name: String,
    pub point: Point,
    /// How many services with coordinates it was computed from.
    pub services: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Places {
    by_key: HashMap<String, Place>,
    /// By postal term ("zip:33125", "fsa:P3A", "ca:P3A1A1").
    by_postal: HashMap<String, Place>,
}

/// Why a place is unknown, in words, naming it.
pub fn unknown_place_message(name: &str) -> String {
    match crate::postal::parse(name) {
        Some(code) => format!(
            "unknown place {name:?}: no services with coordinates in {} in this directory",
            code.describe()
        ),
        None => format!(
            "unknown place {name:?}: no services with coordinates in a municipality of that name \
             (use a municipality or postal code in the directory, or LAT,LON)"
        ),
    }
}

impl Places {
    /// Computes the centroids from the `place`, `lat` and `lon` fast fields.
    /// Centres of every municipality, and of every postal code when `postal` is true
    /// (a directory can hold as many postal codes as services: computed only when a
    /// postal code is asked for, not for the form's municipality list).
    pub fn compute(searcher: &Searcher, with_postal: bool) -> tantivy::Result<Places> {
        // key -> (spellings with counts, sum lat, sum lon, n)
        let mut sums: HashMap<String, (HashMap<String, u64>, f64, f64, u64)> = HashMap::new();
        let mut postal: HashMap<String, (f64, f64, u64)> = HashMap::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (lat, lon) = (fast.f64("lat")?, fast.f64("lon")?);
            if let Some(codes) = fast.str("postal")?.filter(|_| with_postal) {
                postal_sums(&codes, &lat, &lon, segment, &mut postal)?;
            }
            let Some(names) = fast.str("place")? else {
                continue;
            };
            // Sum per municipality ordinal first, fold names once per ordinal.
            // A service's municipality is its first place.
            let per_ord = sums_per_ord(&names, &lat, &lon, segment, Values::First);
            for_each_term(&names, &per_ord, |name, (la, lo, n)| {
                let entry = sums.entry(municipality_key(name)).or_default();
                *entry.0.entry(name.to_string()).or_default() += n;
                entry.1 += la;
                entry.2 += lo;
                entry.3 += n;
            })?;
        }
        let by_key = sums
            .into_iter()
            .map(|(key, (spellings, lat, lon, n))| {
                let name = spellings
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(s, _)| s)
                    .unwrap_or_default();
                let point = Point {
                    lat: lat / n as f64,
                    lon: lon / n as f64,
                };
                (
                    key,
                    Place {
                        name,
                        point,
                        services: n,
                    },
                )
            })
            .collect();
        let by_postal = postal
            .into_iter()
            .filter_map(|(term, (lat, lon, n))| {
                let code = term.split_once(':').map_or(term.as_str(), |(_, c)| c);
                let name = crate::postal::parse(code)?.describe();
                let point = Point {
                    lat: lat / n as f64,
                    lon: lon / n as f64,
                };
                Some((
                    term,
                    Place {
                        name,
                        point,
                        services: n,
                    },
                ))
            })
            .collect();
        Ok(Places { by_key, by_postal })
    }

    /// The place with this name (case and accents ignored), or this postal code.
    pub fn get(&self, name: &str) -> Option<&Place> {
        if let Some(code) = crate::postal::parse(name) {
            if let Some(place) = self.by_postal.get(&code.term()) {
                return Some(place);
            }
        }
        self.by_key.get(&municipality_key(name))
    }

    /// Keys of the places whose centre is within `km` of `point`.
    pub fn keys_within(&self, point: Point, km: f64) -> HashSet<String> {
        self.by_key
            .iter()
            .filter(|(_, p)| distance_km(point, p.point) <= km)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// All municipalities, by name.
    pub fn all(&self) -> Vec<&Place> {
        let mut v: Vec<&Place> = self.by_key.values().collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }
}

/// Adds one segment's located services to the sums of each of their postal terms.
fn postal_sums(
    codes: &tantivy::columnar::StrColumn,
    lat: &tantivy::columnar::Column<f64>,
    lon: &tantivy::columnar::Column<f64>,
    segment: &tantivy::SegmentReader,
    sums: &mut HashMap<String, (f64, f64, u64)>,
) -> tantivy::Result<()> {
    // A service counts toward every postal term it carries.
    let per_ord = sums_per_ord(codes, lat, lon, segment, Values::All);
    for_each_term(codes, &per_ord, |term, (la, lo, n)| {
        let entry = sums.entry(term.to_string()).or_default();
        entry.0 += la;
        entry.1 += lo;
        entry.2 += n;
    })
}

/// Calls `f` with the term and sums of every ordinal that has located services, walking
/// the column's dictionary once in order: a lookup per ordinal scans a dictionary block
/// each time, which at a million services and as many postal codes took seconds.
fn for_each_term(
    column: &tantivy::columnar::StrColumn,
    per_ord: &[(f64, f64, u64)],
    mut f: impl FnMut(&str, (f64, f64, u64)),
) -> tantivy::Result<()> {
    let mut terms = column.dictionary().stream()?;
    while terms.advance() {
        let Some(&sums) = per_ord.get(terms.term_ord() as usize) else {
            continue;
        };
        if sums.2 == 0 {
            continue;
        }
        if let Ok(term) = std::str::from_utf8(terms.key()) {
            f(term, sums);
        }
    }
    Ok(())
}

/// Which of a document's values in a string column count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Values {
    First,
    All,
}

/// Sums of latitude, longitude and count of one segment's located, live documents, per
/// term ordinal of `column`.
fn sums_per_ord(
    column: &tantivy::columnar::StrColumn,
    lat: &tantivy::columnar::Column<f64>,
    lon: &tantivy::columnar::Column<f64>,
    segment: &tantivy::SegmentReader,
    values: Values,
) -> Vec<(f64, f64, u64)> {
    let mut per_ord: Vec<(f64, f64, u64)> = vec![(0.0, 0.0, 0); column.num_terms()];
    let alive = segment.alive_bitset();
    for doc in 0..segment.max_doc() as DocId {
        if alive.is_some_and(|a| !a.is_alive(doc)) {
            continue;
        }
        let (Some(la), Some(lo)) = (lat.first(doc), lon.first(doc)) else {
            continue;
        };
        let ords = column.ords().values_for_doc(doc);
        let take = if values == Values::First { 1 } else { usize::MAX };
        for ord in ords.take(take) {
            let entry = &mut per_ord[ord as usize];
            entry.0 += la;
            entry.1 += lo;
            entry.2 += 1;
        }
    }
    per_ord
}
