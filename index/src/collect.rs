//! One pass over the documents a query matches: the best `fetch` by sort key, how many
//! matched, facet counts and the counts of the three flags (open now, free, accessible),
//! stopping after a budget of matched documents.
//!
//! Why one hand-written loop instead of tantivy's collectors: the flags used to cost three
//! more runs of the whole query per keystroke, and a collector cannot stop early. A query
//! as broad as one typed letter matches most of a million records; visiting all of them to
//! rank and count costs tens of milliseconds, while the navigator only reads the first
//! page and the order of magnitude of the count. So after [`BUDGET`] matched documents
//! the pass stops: the page comes from those documents and every count is a lower bound
//! (shown "1,000+"). Queries under the budget get exact counts and the exact best page.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, SegmentReader, TERMINATED};

use crate::ranking::{SortKey, SortKeyFn};

/// Matched documents visited before a pass stops and its counts become lower bounds.
/// At 1M services a pass over this many costs 5-10 ms of one core; a navigator reads
/// "10,000+" as "too broad" as well as any exact figure.
pub const BUDGET: usize = 10_000;

/// Bits of the `flags` fast field.
pub const FLAG_FREE: u64 = 1;
pub const FLAG_ACCESSIBLE: u64 = 2;

/// Per-segment test of "open now" (see `filters::segment_test`).
pub(crate) type OpenTest = Box<dyn Fn(&SegmentReader) -> tantivy::Result<Box<dyn Fn(DocId) -> bool>>>;

/// What a pass counts besides the best documents.
pub(crate) struct Counting {
    /// Facet roots to count ("/category", ...); empty for none.
    pub roots: Vec<&'static str>,
    /// Count the flags too; `open` tests "open now" for one segment.
    pub flags: Option<OpenTest>,
    /// Filters of facet kinds left out of the query and tested here instead.
    pub sideways: Option<Sideways>,
}

/// Filters of facet kinds (category, audience, municipality, language) tested from each
/// document's facet ordinals instead of in the query ("drill sideways"). The pass then
/// runs the wider query once: documents passing every kind are the results, and a
/// document failing one kind only still counts for that kind's facets, which the filter
/// menu shows with the kind's own filter left out (its values are any-of). One pass
/// instead of the results' pass plus one more per filtered kind.
pub(crate) struct Sideways {
    /// Per filtered kind (at most eight): its root ("/category") and whether a facet
    /// value of that root passes the kind's filter.
    pub kinds: Vec<(&'static str, ValueTest)>,
}

/// Whether a facet value passes one kind's filter.
pub(crate) type ValueTest = Box<dyn Fn(&str) -> bool>;

/// No filtered kind holds this facet ordinal.
const OTHER_KIND: u8 = u8::MAX;
/// Set on an ordinal's kind when its value passes the kind's filter.
const PASSES: u8 = 0x80;

impl Sideways {
    /// Per facet ordinal of `reader`: the kind it belongs to (an index into `kinds`, with
    /// [`PASSES`] when its value passes), or [`OTHER_KIND`]. Only the filtered roots'
    /// ranges of the dictionary are read.
    fn ordinals(&self, reader: &tantivy::fastfield::FacetReader) -> tantivy::Result<Vec<u8>> {
        let mut out = vec![OTHER_KIND; reader.num_facets()];
        for (k, (root, passes)) in self.kinds.iter().enumerate() {
            let prefix = [root.trim_start_matches('/').as_bytes(), &[0u8]].concat();
            let mut stream = reader.facet_dict().prefix_range(&prefix).into_stream()?;
            while stream.advance() {
                let value = std::str::from_utf8(&stream.key()[prefix.len()..]).unwrap_or("");
                if let Some(slot) = out.get_mut(stream.term_ord() as usize) {
                    *slot = k as u8 | if passes(value) { PASSES } else { 0 };
                }
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Pass {
    /// Best first.
    pub docs: Vec<(SortKey, DocAddress)>,
    /// Matched documents visited (all of them unless `lower_bound`).
    pub total: usize,
    /// True when the budget stopped the pass: `total` and every count are at least so.
    pub lower_bound: bool,
    /// Counts per facet root, then value (the facet's last part).
    pub facets: HashMap<String, HashMap<String, u64>>,
    /// Matched documents open now, free, accessible.
    pub flags: [u64; 3],
    /// With [`Counting::sideways`]: whether every document of the wider query was
    /// visited. When the budget stopped it the results and counts of the documents
    /// passing every filter are not known, but each filtered kind's counts are lower
    /// bounds all the same.
    pub sideways_complete: bool,
}

/// Runs `query` once over `searcher` (see the module's comment).
pub(crate) fn pass(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    fetch: usize,
    budget: usize,
    ranking: &dyn Fn(&SegmentReader) -> SortKeyFn,
    counting: &Counting,
) -> tantivy::Result<Pass> {
    // Counting alone (no results wanted) needs no scores: tantivy then skips BM25 and the
    // score combining of every union.
    let scoring = match fetch {
        0 => EnableScoring::disabled_from_searcher(searcher),
        _ => EnableScoring::enabled_from_searcher(searcher),
    };
    let weight = query.weight(scoring)?;
    let mut out = Pass::default();
    let mut best: BinaryHeap<Ranked> = BinaryHeap::with_capacity(fetch + 1);
    let sideways = counting.sideways.as_ref();
    let all_kinds: u32 = sideways.map_or(0, |s| (1u32 << s.kinds.len()) - 1);
    // Documents of the wider query visited (the budget's measure with sideways filters).
    let mut visited = 0usize;
    let mut ords: Vec<u64> = Vec::new();
    'segments: for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let key = ranking(segment);
        let alive = segment.alive_bitset();
        let facets = match counting.roots.is_empty() && sideways.is_none() {
            true => None,
            false => Some(segment.facet_reader("facets")?),
        };
        let kind_of = match (sideways, &facets) {
            (Some(s), Some(reader)) => s.ordinals(reader)?,
            _ => Vec::new(),
        };
        let mut per_ord = vec![0u64; facets.as_ref().map_or(0, |f| f.num_facets())];
        let flags = match &counting.flags {
            Some(open) => Some((segment.fast_fields().u64("flags")?, open(segment)?)),
            None => None,
        };
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        let mut stop = false;
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                visited += 1;
                // With sideways filters: the filtered kinds this document fails.
                let failing = match (sideways, &facets) {
                    (Some(_), Some(reader)) => {
                        ords.clear();
                        ords.extend(reader.facet_ords(doc));
                        failing_kinds(&ords, &kind_of, all_kinds)
                    }
                    _ => 0,
                };
                if failing != 0 {
                    if failing.count_ones() == 1 {
                        // Counts for the one kind it fails, as if that filter were off.
                        let k = failing.trailing_zeros() as u8;
                        count_ords(&ords, &mut per_ord, |o| {
                            kind_of
                                .get(o as usize)
                                .is_some_and(|&kind| kind != OTHER_KIND && kind & !PASSES == k)
                        });
                    }
                } else {
                    out.total += 1;
                    if fetch > 0 {
                        let ranked = Ranked {
                            key: key(doc, scorer.score()),
                            address: DocAddress::new(ord as u32, doc),
                        };
                        if best.len() < fetch {
                            best.push(ranked);
                        } else if best.peek().is_some_and(|worst| ranked < *worst) {
                            best.pop();
                            best.push(ranked);
                        }
                    }
                    if let Some(reader) = &facets {
                        if sideways.is_none() {
                            ords.clear();
                            ords.extend(reader.facet_ords(doc));
                        }
                        count_ords(&ords, &mut per_ord, |_| true);
                    }
                    if let Some((bits, open)) = &flags {
                        let bits = bits.first(doc).unwrap_or(0);
                        out.flags[0] += u64::from(open(doc));
                        out.flags[1] += u64::from(bits & FLAG_FREE != 0);
                        out.flags[2] += u64::from(bits & FLAG_ACCESSIBLE != 0);
                    }
                }
                if visited >= budget {
                    stop = scorer.advance() != TERMINATED || later_segments_match(searcher, &*weight, ord)?;
                    break;
                }
            }
            doc = scorer.advance();
        }
        if let Some(reader) = &facets {
            tally(reader, &per_ord, &counting.roots, &mut out.facets)?;
        }
        if stop {
            out.lower_bound = true;
            break 'segments;
        }
    }
    out.sideways_complete = sideways.is_some() && !out.lower_bound;
    let mut docs: Vec<Ranked> = best.into_vec();
    docs.sort();
    out.docs = docs.into_iter().map(|r| (r.key, r.address)).collect();
    Ok(out)
}

/// The bits of the filtered kinds (see [`Sideways::ordinals`]) none of whose values is
/// among a document's facet ordinals `ords`.
fn failing_kinds(ords: &[u64], kind_of: &[u8], all_kinds: u32) -> u32 {
    let mut passed = 0u32;
    for &o in ords {
        let kind = kind_of.get(o as usize).copied().unwrap_or(OTHER_KIND);
        if kind != OTHER_KIND && kind & PASSES != 0 {
            passed |= 1 << (kind & !PASSES);
        }
    }
    all_kinds & !passed
}

/// Adds one document's facet ordinals that `wanted` keeps to `per_ord`, each once (a
/// document's ordinals come sorted, repeated when a value is given twice).
fn count_ords(ords: &[u64], per_ord: &mut [u64], wanted: impl Fn(u64) -> bool) {
    let mut previous = u64::MAX;
    for &o in ords {
        if o != previous && wanted(o) {
            if let Some(count) = per_ord.get_mut(o as usize) {
                *count += 1;
            }
        }
        previous = o;
    }
}

/// Whether the query matches anything in the segments after `ord` (a budget reached on
/// the very last match is no lower bound).
fn later_segments_match(
    searcher: &tantivy::Searcher,
    weight: &dyn tantivy::query::Weight,
    ord: usize,
) -> tantivy::Result<bool> {
    for segment in &searcher.segment_readers()[ord + 1..] {
        if weight.scorer(segment, 1.0)?.doc() != TERMINATED {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Adds one segment's per-ordinal facet counts to `out` under their roots. The terms are
/// read in one ordered walk of the dictionary (a lookup per ordinal would scan a block
/// each time).
fn tally(
    reader: &tantivy::fastfield::FacetReader,
    per_ord: &[u64],
    roots: &[&str],
    out: &mut HashMap<String, HashMap<String, u64>>,
) -> tantivy::Result<()> {
    let (ords, counts): (Vec<u64>, Vec<u64>) = per_ord
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(ord, &c)| (ord as u64, c))
        .unzip();
    let mut counts = counts.into_iter();
    reader.facet_dict().sorted_ords_to_term_cb(&ords, |encoded| {
        let count = counts.next().unwrap_or(0);
        // An encoded facet is its parts joined by NUL: "category\0food".
        let mut parts = encoded.split(|b| *b == 0);
        let (Some(root), Some(value)) = (parts.next(), parts.next()) else {
            return;
        };
        let (Ok(root), Ok(value)) = (std::str::from_utf8(root), std::str::from_utf8(value)) else {
            return;
        };
        let Some(root) = roots.iter().find(|r| r.strip_prefix('/') == Some(root)) else {
            return;
        };
        *out.entry(root.to_string())
            .or_default()
            .entry(value.to_string())
            .or_default() += count;
    })?;
    Ok(())
}

/// A document in the running best list. Ordered best first: higher key, then the earlier
/// document (as tantivy's top-docs collector breaks ties), so the heap's top is the worst.
struct Ranked {
    key: SortKey,
    address: DocAddress,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .key
            .partial_cmp(&self.key)
            .unwrap_or(Ordering::Equal)
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}
