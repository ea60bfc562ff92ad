//! From ranked records to result rows: one row per program (see `grouping`), showing its
//! nearest site when there is a place and its best match otherwise, with the number of
//! distinct locations and the other sites for the details.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::geo::{distance_km, Point};
use crate::hours::{minute_of_week, open_at};
use crate::model::Service;
use crate::ranking::{ranking, Origin, SortKey};
use crate::schema::Fields;
use crate::search::{Hit, SearchError, Site};
use crate::text::fold;

/// The most records of one program read for its row (a program at more sites is rare,
/// and its count is still exact).
const MAX_SITES: usize = 50;

/// What building rows needs from the search that found the records.
pub struct RowContext<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    /// The whole query (text and filters): a program's other records must match it too.
    pub query: &'a dyn Query,
    pub origin: Option<Origin>,
    pub relaxed: bool,
    pub units: usize,
    pub now: jiff::Timestamp,
    /// Zone of hours for records that give none (`None`: the machine's).
    pub zone: Option<&'a str>,
}

type Ranked = Vec<(SortKey, DocAddress)>;

/// Rows `offset..offset + limit` from records in rank order.
pub fn rows(ctx: &RowContext, docs: Ranked, offset: usize, limit: usize) -> Result<Vec<Hit>, SearchError> {
    let mut columns: HashMap<u32, Option<tantivy::columnar::Column<u64>>> = HashMap::new();
    let mut group_of = |address: DocAddress| -> Option<u64> {
        let column = columns.entry(address.segment_ord).or_insert_with(|| {
            let segment = ctx.searcher.segment_reader(address.segment_ord);
            segment.fast_fields().u64("group").ok()
        });
        column.as_ref()?.first(address.doc_id)
    };
    let mut groups: Vec<(Option<u64>, Ranked)> = Vec::new();
    let mut index: HashMap<u64, usize> = HashMap::new();
    for (key, address) in docs {
        let group = group_of(address);
        match group.and_then(|g| index.get(&g)) {
            Some(&i) => groups[i].1.push((key, address)),
            None if groups.len() < offset + limit => {
                if let Some(g) = group {
                    index.insert(g, groups.len());
                }
                groups.push((group, vec![(key, address)]));
            }
            None => {}
        }
    }
    let mut hits = Vec::with_capacity(limit);
    for (group, mut members) in groups.into_iter().skip(offset) {
        if let Some(g) = group {
            let in_index = ctx.searcher.doc_freq(&Term::from_field_u64(ctx.fields.group, g))? as usize;
            if in_index > members.len() {
                let all = all_members(ctx, g)?;
                if !all.is_empty() {
                    members = all;
                }
            }
        }
        if let Some(hit) = row(ctx, members)? {
            hits.push(hit);
        }
    }
    Ok(hits)
}

/// Every record of program `group` that matches the query, in rank order.
fn all_members(ctx: &RowContext, group: u64) -> Result<Ranked, SearchError> {
    let program = TermQuery::new(Term::from_field_u64(ctx.fields.group, group), IndexRecordOption::Basic);
    let query = BooleanQuery::new(vec![
        (Occur::Must, ctx.query.box_clone()),
        (Occur::Must, Box::new(program)),
    ]);
    let top = TopDocs::with_limit(MAX_SITES).tweak_score(ranking(ctx.origin, ctx.relaxed));
    Ok(ctx.searcher.search(&query, &top)?)
}

fn decode(ctx: &RowContext, address: DocAddress) -> Result<Option<Service>, SearchError> {
    let doc: TantivyDocument = ctx.searcher.doc(address)?;
    let Some(bytes) = doc.get_first(ctx.fields.record).and_then(|v| v.as_bytes()) else {
        return Ok(None);
    };
    Ok(serde_json::from_slice::<Service>(bytes).ok())
}

/// Kilometres from `origin` to each located location, in the order of `s.locations`.
fn distances(origin: Point, s: &Service) -> Vec<Option<f64>> {
    s.locations
        .iter()
        .map(|l| Some(distance_km(origin, Point::new(l.latitude?, l.longitude?)?)))
        .collect()
}

fn nearest(d: &[Option<f64>]) -> Option<f64> {
    d.iter().flatten().copied().min_by(f64::total_cmp)
}

/// One row from a program's records (best first).
fn row(ctx: &RowContext, members: Ranked) -> Result<Option<Hit>, SearchError> {
    let mut records: Vec<(SortKey, Service, Option<f64>)> = Vec::with_capacity(members.len());
    for (key, address) in members {
        if let Some(s) = decode(ctx, address)? {
            let km = ctx.origin.and_then(|o| nearest(&distances(o.point, &s)));
            records.push((key, s, km));
        }
    }
    if records.is_empty() {
        return Ok(None);
    }
    let shown = match ctx.origin {
        // The nearest site; among equals (or without coordinates), the best match.
        Some(_) => (0..records.len())
            .min_by(|&a, &b| {
                let (da, db) = (
                    records[a].2.unwrap_or(f64::INFINITY),
                    records[b].2.unwrap_or(f64::INFINITY),
                );
                da.total_cmp(&db).then(a.cmp(&b))
            })
            .unwrap_or(0),
        None => 0,
    };
    let locations = distinct_locations(records.iter().map(|r| &r.1));
    let (key, mut service, km) = records.remove(shown);
    if let Some(origin) = ctx.origin {
        nearest_first(&mut service, origin.point);
        records.sort_by(|a, b| a.2.unwrap_or(f64::INFINITY).total_cmp(&b.2.unwrap_or(f64::INFINITY)));
    }
    let sites = records
        .iter()
        .map(|(_, s, km)| Site {
            id: s.id.clone(),
            address: s.address_line(),
            municipality: s.municipality().map(str::to_string),
            distance_km: *km,
        })
        .collect();
    let zone = service.timezone.clone().or_else(|| ctx.zone.map(str::to_string));
    let (weekday, minute) = minute_of_week(ctx.now, zone.as_deref());
    let open_now = open_at(&service.schedules, weekday, minute);
    Ok(Some(Hit {
        partial: ctx.relaxed && (key.0 as usize) < ctx.units,
        score: key.2,
        distance_km: km,
        open_now,
        locations,
        sites,
        zone,
        service,
    }))
}

/// Sorts a service's locations nearest first (unlocated ones last), so what is shown of
/// it (municipality, address) is its nearest site.
fn nearest_first(service: &mut Service, origin: Point) {
    let d = distances(origin, service);
    let mut order: Vec<usize> = (0..service.locations.len()).collect();
    order.sort_by(|&a, &b| d[a].unwrap_or(f64::INFINITY).total_cmp(&d[b].unwrap_or(f64::INFINITY)));
    let mut old: Vec<Option<crate::model::Location>> =
        std::mem::take(&mut service.locations).into_iter().map(Some).collect();
    service.locations = order.into_iter().filter_map(|i| old[i].take()).collect();
}

/// Distinct places among the records' locations: same address, or same coordinates, or
/// same location name is one place. Records without locations count as one between them.
fn distinct_locations<'a>(records: impl Iterator<Item = &'a Service>) -> usize {
    let mut seen: HashSet<String> = HashSet::new();
    for s in records {
        if s.locations.is_empty() {
            seen.insert(String::new());
        }
        for l in &s.locations {
            let address = l
                .address
                .as_ref()
                .map(|a| fold(&a.one_line()))
                .filter(|a| !a.is_empty());
            let point = l.latitude.zip(l.longitude).map(|(a, b)| format!("{a:.4},{b:.4}"));
            let name = l.name.as_deref().map(fold);
            seen.insert(address.or(point).or(name).unwrap_or_default());
        }
    }
    seen.len().max(1)
}
