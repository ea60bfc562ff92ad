//! From ranked records to result rows: one row per program (see `grouping`), showing its
//! nearest matching site when there is a place and its best match otherwise, with the
//! number of distinct locations and the other sites for the details.
//!
//! Only the record shown is read from the document store; a program's other sites come
//! from fast fields (id, municipality, address, coordinates), so a program at thirty
//! sites costs a row what a single service does.

use std::collections::{HashMap, HashSet};

use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TantivyDocument, Term, TERMINATED};

use crate::geo::{distance_km, FastDistance, Point};
use crate::hours::{minute_of_week, open_at};
use crate::model::Service;
use crate::ranking::{Origin, SortKey};
use crate::schema::Fields;
use crate::search::{Hit, SearchError, Site};

/// The most sites listed for one program (its count stays exact).
const MAX_SITES: usize = 100;

/// What building rows needs from the search that found the records.
pub struct RowContext<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub origin: Option<Origin>,
    pub relaxed: bool,
    pub units: usize,
    pub now: jiff::Timestamp,
    /// Zone of hours for records that give none (`None`: the machine's).
    pub zone: Option<&'a str>,
}

pub type Ranked = Vec<(SortKey, DocAddress)>;

/// Records grouped by program in rank order: at most `rows` groups, each with the records
/// of it that were ranked. `None` groups are records without a group value (each its own).
pub fn group(searcher: &Searcher, docs: Ranked, rows: usize) -> Vec<(Option<u64>, Ranked)> {
    let mut columns: HashMap<u32, Option<Column<u64>>> = HashMap::new();
    let mut groups: Vec<(Option<u64>, Ranked)> = Vec::new();
    let mut index: HashMap<u64, usize> = HashMap::new();
    for (key, address) in docs {
        let column = columns.entry(address.segment_ord).or_insert_with(|| {
            let segment = searcher.segment_reader(address.segment_ord);
            segment.fast_fields().u64("group").ok()
        });
        let group = column.as_ref().and_then(|c| c.first(address.doc_id));
        match group.and_then(|g| index.get(&g)) {
            Some(&i) => groups[i].1.push((key, address)),
            None if groups.len() < rows => {
                if let Some(g) = group {
                    index.insert(g, groups.len());
                }
                groups.push((group, vec![(key, address)]));
            }
            None => {}
        }
    }
    groups
}

/// One row per group.
pub fn rows(ctx: &RowContext, groups: Vec<(Option<u64>, Ranked)>) -> Result<Vec<Hit>, SearchError> {
    let mut hits = Vec::with_capacity(groups.len());
    for (group, members) in groups {
        if let Some(hit) = row(ctx, group, members)? {
            hits.push(hit);
        }
    }
    Ok(hits)
}

fn decode(ctx: &RowContext, address: DocAddress) -> Result<Option<Service>, SearchError> {
    let doc: TantivyDocument = ctx.searcher.doc(address)?;
    let Some(json) = doc.get_first(ctx.fields.record).and_then(|v| v.as_str()) else {
        return Ok(None);
    };
    Ok(serde_json::from_str::<Service>(json).ok())
}

/// The fast fields a site is read from, for one segment.
struct SiteColumns {
    id: Option<StrColumn>,
    place: Option<StrColumn>,
    address: Option<StrColumn>,
    lat: Column<f64>,
    lon: Column<f64>,
}

impl SiteColumns {
    fn of(segment: &SegmentReader) -> tantivy::Result<SiteColumns> {
        let fast = segment.fast_fields();
        Ok(SiteColumns {
            id: fast.str("id")?,
            place: fast.str("place")?,
            address: fast.str("address")?,
            lat: fast.f64("lat")?,
            lon: fast.f64("lon")?,
        })
    }

    fn text(column: &Option<StrColumn>, doc: DocId) -> Option<String> {
        let c = column.as_ref()?;
        let ord = c.ords().first(doc)?;
        let mut out = String::new();
        c.ord_to_str(ord, &mut out).ok()?;
        (!out.is_empty()).then_some(out)
    }

    fn point(&self, doc: DocId) -> Option<(f64, f64)> {
        Some((self.lat.first(doc)?, self.lon.first(doc)?))
    }
}

/// Kilometres from the origin to a record's located point, from fast fields.
fn fast_km(ctx: &RowContext, address: DocAddress) -> Option<f64> {
    let origin = ctx.origin?;
    let segment = ctx.searcher.segment_reader(address.segment_ord);
    let fast = segment.fast_fields();
    let (lat, lon) = (fast.f64("lat").ok()?, fast.f64("lon").ok()?);
    let (la, lo) = (lat.first(address.doc_id)?, lon.first(address.doc_id)?);
    Some(FastDistance::new(origin.point).km(la, lo))
}

/// Calls `f(segment, doc)` for every live record of program `group` in the index.
fn for_each_member(
    searcher: &Searcher,
    fields: &Fields,
    group: u64,
    mut f: impl FnMut(u32, &SegmentReader, DocId) -> tantivy::Result<()>,
) -> tantivy::Result<()> {
    let term = Term::from_field_u64(fields.group, group);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(fields.group)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                f(ord as u32, segment, doc)?;
            }
            doc = postings.advance();
        }
    }
    Ok(())
}

/// Distinct places among the program's records (the same address or coordinates is one
/// place, so identical records count once), from a fast field.
fn distinct_places(searcher: &Searcher, fields: &Fields, group: u64) -> tantivy::Result<usize> {
    let mut places: HashSet<u64> = HashSet::new();
    let mut column: Option<(u32, Column<u64>)> = None;
    for_each_member(searcher, fields, group, |ord, segment, doc| {
        if column.as_ref().is_none_or(|(at, _)| *at != ord) {
            column = Some((ord, segment.fast_fields().u64("site")?));
        }
        places.extend(column.as_ref().and_then(|(_, c)| c.first(doc)));
        Ok(())
    })?;
    Ok(places.len().max(1))
}

/// The program's other records as sites, nearest first when there is an origin: read from
/// fast fields (id, municipality, address, coordinates), at most MAX_SITES.
pub fn program_sites(
    searcher: &Searcher,
    fields: &Fields,
    group: u64,
    except: &str,
    origin: Option<Point>,
) -> tantivy::Result<Vec<Site>> {
    let mut sites = Vec::new();
    let mut columns: Option<(u32, SiteColumns)> = None;
    for_each_member(searcher, fields, group, |ord, segment, doc| {
        if columns.as_ref().is_none_or(|(at, _)| *at != ord) {
            columns = Some((ord, SiteColumns::of(segment)?));
        }
        let c = &columns.as_ref().expect("set above").1;
        let id = SiteColumns::text(&c.id, doc).unwrap_or_default();
        if id != except && sites.len() < MAX_SITES {
            let point = c.point(doc);
            sites.push(Site {
                id,
                address: SiteColumns::text(&c.address, doc),
                municipality: SiteColumns::text(&c.place, doc),
                distance_km: origin
                    .zip(point)
                    .map(|(o, (la, lo))| distance_km(o, Point { lat: la, lon: lo })),
            });
        }
        Ok(())
    })?;
    sites.sort_by(|a, b| {
        a.distance_km
            .unwrap_or(f64::INFINITY)
            .total_cmp(&b.distance_km.unwrap_or(f64::INFINITY))
    });
    Ok(sites)
}

/// One row from a program's ranked records (best first).
fn row(ctx: &RowContext, group: Option<u64>, members: Ranked) -> Result<Option<Hit>, SearchError> {
    // The nearest ranked site; among equals (or without coordinates), the best match.
    let shown = match ctx.origin {
        Some(_) => (0..members.len())
            .min_by(|&a, &b| {
                let (da, db) = (fast_km(ctx, members[a].1), fast_km(ctx, members[b].1));
                da.unwrap_or(f64::INFINITY)
                    .total_cmp(&db.unwrap_or(f64::INFINITY))
                    .then(a.cmp(&b))
            })
            .unwrap_or(0),
        None => 0,
    };
    let (key, address) = members[shown];
    let Some(mut service) = decode(ctx, address)? else {
        return Ok(None);
    };
    let mut distance = None;
    if let Some(origin) = ctx.origin {
        nearest_first(&mut service, origin.point);
        distance = service
            .locations
            .first()
            .and_then(location_point)
            .map(|p| distance_km(origin.point, p));
    }
    let in_index = match group {
        Some(g) => ctx.searcher.doc_freq(&Term::from_field_u64(ctx.fields.group, g))?,
        None => 1,
    };
    let mut locations = service.locations.len().max(1);
    if let (Some(g), true) = (group, in_index > 1) {
        locations = locations.max(distinct_places(ctx.searcher, ctx.fields, g)?);
    }
    let zone = service.timezone.clone().or_else(|| ctx.zone.map(str::to_string));
    // What shows the hours later (details, the table's Open column, a referral) reads them
    // in the zone this search judged them in: the record's, else the catalogue's.
    if service.timezone.is_none() {
        service.timezone = zone.clone();
    }
    let (weekday, minute) = minute_of_week(ctx.now, zone.as_deref());
    let open_now = open_at(&service.schedules, weekday, minute);
    let opens_next = crate::hours::next_opening(&service.schedules, weekday, minute);
    Ok(Some(Hit {
        partial: ctx.relaxed && (key.0 as usize) < ctx.units,
        score: key.2,
        distance_km: distance,
        open_now,
        opens_next,
        locations,
        sites: Vec::new(),
        zone,
        service,
    }))
}

/// Where distance to a location is measured: its coordinates, or for a confidential
/// address the centre of its cell (see `confidential`), so no distance locates it.
fn location_point(l: &crate::model::Location) -> Option<Point> {
    let (lat, lon) = (l.latitude?, l.longitude?);
    let (lat, lon) = if crate::confidential::location_is_hidden(l) {
        crate::confidential::rounded_point(lat, lon)
    } else {
        (lat, lon)
    };
    Point::new(lat, lon)
}

/// Sorts a service's locations nearest first (unlocated ones last), so what is shown of
/// it (municipality, address, distance) is its nearest site.
fn nearest_first(service: &mut Service, origin: Point) {
    let km = |l: &crate::model::Location| location_point(l).map_or(f64::INFINITY, |p| distance_km(origin, p));
    service.locations.sort_by(|a, b| km(a).total_cmp(&km(b)));
}
