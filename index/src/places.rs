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
    pub fn compute(searcher: &Searcher) -> tantivy::Result<Places> {
        // key -> (spellings with counts, sum lat, sum lon, n)
        let mut sums: HashMap<String, (HashMap<String, u64>, f64, f64, u64)> = HashMap::new();
        let mut postal: HashMap<String, (f64, f64, u64)> = HashMap::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (lat, lon) = (fast.f64("lat")?, fast.f64("lon")?);
            if let Some(codes) = fast.str("postal")? {
                postal_sums(&codes, &lat, &lon, segment, &mut postal)?;
            }
            let Some(names) = fast.str("place")? else {
                continue;
            };
            let mut spelled: Vec<String> = Vec::with_capacity(names.num_terms());
            let mut buf = String::new();
            for ord in 0..names.num_terms() as u64 {
                buf.clear();
                names.ord_to_str(ord, &mut buf)?;
                spelled.push(buf.clone());
            }
            // Sum per municipality ordinal first (a few dozen), fold names once per ordinal.
            // A service's municipality is its first place.
            let per_ord = sums_per_ord(&names, &lat, &lon, segment, Values::First);
            for (ord, (la, lo, n)) in per_ord.into_iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let name = &spelled[ord];
                let entry = sums.entry(municipality_key(name)).or_default();
                *entry.0.entry(name.clone()).or_default() += n;
                entry.1 += la;
                entry.2 += lo;
                entry.3 += n;
            }
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
    let mut term = String::new();
    for (ord, (la, lo, n)) in per_ord.into_iter().enumerate() {
        if n == 0 {
            continue;
        }
        term.clear();
        codes.ord_to_str(ord as u64, &mut term)?;
        let entry = sums.entry(term.clone()).or_default();
        entry.0 += la;
        entry.1 += lo;
        entry.2 += n;
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
