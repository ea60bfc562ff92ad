//! Joining HSDS tables into services without holding them: what the first pass keeps
//! ([`Join`]: compact id maps, an offset per service, location and organization, and
//! the detail rows spilled to disk by owner), where a detail row belongs, and the
//! assembly of one service from its row, its spilled rows and its locations.

use csv::ByteRecord;

use super::csv_table::{Col, Row, Table};
use super::facts;
use super::hsds_digest::Digest;
use super::hsds_keys::Ids;
use super::hsds_spill::{Buckets, Sorted, Spilled};
use super::values::{self, Problems};
use super::ImportError;
use crate::fast_map::FastMap;
use crate::model::{Language, Location, Phone, Service, WeeklyHours};

/// What the first pass keeps, keyed for the second. Per service, location and
/// organization a few bytes; their details wait in the scratch files.
pub(crate) struct Join {
    pub problems: Problems,
    /// Rows read from services.csv, kept or not.
    pub services_read: usize,
    /// Kept services by id -> ordinal (their order in services.csv).
    pub service_ids: Ids<u32>,
    /// Per service ordinal: where its row starts in services.csv, and its line.
    pub service_offsets: Vec<(u64, u64)>,
    /// Per service ordinal: whether the data links it to a location itself.
    pub linked: Vec<bool>,
    /// Whether organizations.csv was there (a dangling organization id is only news then).
    pub has_organizations: bool,
    /// Organization id -> where its row starts in organizations.csv, and its line.
    pub org_ids: Ids<(u64, u64)>,
    /// Phones rows give to an organization (few: they are its main numbers).
    pub org_phones: FastMap<Box<str>, Vec<Phone>>,
    pub location_ids: Ids<u32>,
    /// Per location ordinal: where its row starts in locations.csv, and its line.
    pub location_offsets: Vec<(u64, u64)>,
    /// service_at_location id -> (service, location)
    pub sal: Ids<(u32, u32)>,
    /// Whether the package links services to locations itself (a service_at_location table).
    pub has_sal: bool,
    /// Detail rows of services and of locations, by owner.
    pub service_spill: Option<Buckets>,
    pub location_spill: Option<Buckets>,
    /// What each spilled row's `kind` is.
    pub handlers: Vec<Handler>,
    /// Only for a package without service_at_location (see [`super::hsds_infer`]).
    pub infer: Option<super::hsds_infer::Clues>,
}

impl Join {
    pub fn new(problems: Problems) -> Join {
        Join {
            problems,
            services_read: 0,
            service_ids: Ids::default(),
            service_offsets: Vec::new(),
            linked: Vec::new(),
            has_organizations: false,
            org_ids: Ids::default(),
            org_phones: FastMap::default(),
            location_ids: Ids::default(),
            location_offsets: Vec::new(),
            sal: Ids::default(),
            has_sal: false,
            service_spill: None,
            location_spill: None,
            handlers: Vec::new(),
            infer: None,
        }
    }

    /// Forgets the maps only the first pass needs (every detail row has found its owner):
    /// a million services' ids, locations' ids and links are some 90 MB that the second
    /// pass, while the index writer fills its buffers, does not need.
    pub fn end_first_pass(&mut self) {
        self.service_ids = Ids::default();
        self.location_ids = Ids::default();
        self.sal = Ids::default();
    }

    pub fn service(&self, id: &str) -> Option<u32> {
        self.service_ids.get(id)
    }

    pub fn location(&self, id: &str) -> Option<u32> {
        self.location_ids.get(id)
    }

    /// A new kind of spilled row.
    pub fn handler(&mut self, h: Handler) -> u8 {
        self.handlers.push(h);
        u8::try_from(self.handlers.len() - 1).expect("fewer than 256 detail tables")
    }

    /// Links a service to a location (spilled in the order found; the assembly keeps each once).
    pub fn link(&mut self, service: u32, location: u32) -> Result<(), ImportError> {
        self.linked[service as usize] = true;
        let mut record = ByteRecord::new();
        record.push_field(&location.to_le_bytes());
        let spill = self.service_spill.as_mut().expect("spill made before details");
        spill.push(service, LINK, 0, &record)
    }

    /// Keeps a detail row for its owner.
    pub fn spill(&mut self, target: &Target, kind: u8, row: &Row) -> Result<(), ImportError> {
        match target {
            Target::Service(i) => {
                let spill = self.service_spill.as_mut().expect("spill made before details");
                spill.push(*i, kind, row.line, row.record())
            }
            Target::Location(j) => {
                let spill = self.location_spill.as_mut().expect("spill made before details");
                spill.push(*j, kind, row.line, row.record())
            }
            Target::Organization(_) => Ok(()),
        }
    }

    /// Where a detail row belongs: its service (directly or through service_at_location),
    /// else its location, else its organization. A row naming both a service and a
    /// location also links the two. Dangling keys are reported; a row that belongs
    /// nowhere is skipped and reported.
    pub fn target(
        &mut self,
        problems: &mut Problems,
        file: &str,
        row: &Row,
        links: &Links,
    ) -> Result<Option<Target>, ImportError> {
        let (s, a, l, o) = (
            values::id(row.get(links.service)),
            values::id(row.get(links.sal)),
            values::id(row.get(links.location)),
            values::id(row.get(links.organization)),
        );
        let location = l.and_then(|l| self.location(l));
        let mut dangling: Option<(&str, String)> = None;
        if let Some(s) = s {
            match self.service(s) {
                Some(i) => {
                    if let Some(loc) = location {
                        self.link(i, loc)?;
                    }
                    return Ok(Some(Target::Service(i)));
                }
                None => dangling = Some(("service_id", format!("service {s} not in services.csv"))),
            }
        }
        if let Some(a) = a {
            match self.sal.get(a) {
                Some((i, loc)) => {
                    self.link(i, loc)?;
                    return Ok(Some(Target::Service(i)));
                }
                None if dangling.is_none() => {
                    dangling = Some((
                        "service_at_location_id",
                        format!("service_at_location {a} is not in the package"),
                    ))
                }
                None => {}
            }
        }
        if let Some(l) = l {
            match location {
                Some(loc) => return Ok(resolved(problems, file, row, dangling, Target::Location(loc))),
                None if dangling.is_none() => {
                    dangling = Some(("location_id", format!("location {l} not in locations.csv")))
                }
                None => {}
            }
        }
        if let Some(o) = o {
            return Ok(resolved(problems, file, row, dangling, Target::Organization(o.into())));
        }
        match dangling {
            Some((field, reason)) => problems.skipped(file, Some(row.line), Some(field), reason),
            None => problems.skipped(
                file,
                Some(row.line),
                None,
                "row is not linked to a service or location".into(),
            ),
        }
        Ok(None)
    }
}

/// The kind of a spilled link row (service -> location ordinal); handlers start at 1.
pub(crate) const LINK: u8 = u8::MAX;

/// How a spilled row is applied, with the columns of the table it came from.
#[derive(Clone, Copy)]
pub(crate) enum Handler {
    Phone(super::hsds_details::PhoneCols),
    Schedule(super::hsds_details::ScheduleCols),
    Language(super::hsds_details::LanguageCols),
    Taxonomy(super::hsds_details::TaxonomyCols),
    PerService(super::hsds_details::PerService, super::hsds_details::PerServiceCols),
    Address(super::hsds_tables::AddressCols),
    Accessibility(super::hsds_tables::AccessibilityCols),
}

/// A location and what hangs off it until services take their share.
#[derive(Default)]
pub(crate) struct Loc {
    pub location: Location,
    pub org: Option<Box<str>>,
    /// 0 no address yet, 1 postal, 2 physical: a physical address wins.
    pub address_rank: u8,
    pub phones: Vec<Phone>,
    pub schedules: Vec<WeeklyHours>,
    pub hours_note: Option<String>,
    pub timezone: Option<String>,
    pub languages: Vec<Language>,
    pub accessibility: Vec<String>,
}

/// What a detail row (phone, schedule, language) belongs to.
pub(crate) enum Target {
    Service(u32),
    Location(u32),
    Organization(Box<str>),
}

/// The foreign-key columns a detail table may carry.
pub(crate) struct Links {
    pub service: Col,
    pub sal: Col,
    pub location: Col,
    pub organization: Col,
}

impl Links {
    pub fn of(table: &Table, organization: bool) -> Links {
        Links {
            service: table.col("service_id"),
            sal: table.col("service_at_location_id"),
            location: table.col("location_id"),
            organization: if organization {
                table.col("organization_id")
            } else {
                None
            },
        }
    }
}

/// A row that fell back to a less specific owner: the dangling key is a repair.
fn resolved(
    problems: &mut Problems,
    file: &str,
    row: &Row,
    dangling: Option<(&str, String)>,
    target: Target,
) -> Option<Target> {
    if let Some((field, reason)) = dangling {
        let owner = match target {
            Target::Location(_) => "location",
            _ => "organization",
        };
        problems.repaired(
            file,
            Some(row.line),
            Some(field),
            format!("{reason}; kept for its {owner}"),
        );
    }
    Some(target)
}

/// Reads locations back: each one's row and its spilled details, applied.
pub(crate) struct Locations<'a> {
    pub table: Option<super::csv_table::ReaderAt<'a>>,
    pub offsets: &'a [(u64, u64)],
    pub details: Option<Sorted>,
    pub handlers: &'a [Handler],
    pub cols: Option<super::hsds_tables::LocationCols>,
    pub buf: Vec<u8>,
}

/// A location as read back, before anything is made of it: its row and its detail rows.
pub(crate) struct RawLoc {
    record: Option<ByteRecord>,
    details: Vec<Spilled>,
}

impl Locations<'_> {
    /// Location `j`'s row and detail rows, read back.
    pub fn raw(&mut self, j: u32) -> Result<RawLoc, ImportError> {
        let Some(table) = self.table.as_mut().filter(|_| self.cols.is_some()) else {
            return Ok(RawLoc {
                record: None,
                details: Vec::new(),
            });
        };
        let record = self.offsets.get(j as usize).and_then(|&(o, _)| table.record_at(o));
        let details = match &self.details {
            Some(details) => details.get(j, &mut self.buf)?,
            None => Vec::new(),
        };
        Ok(RawLoc { record, details })
    }

    /// The location made of what was read back, its details applied.
    pub fn build(&self, raw: &RawLoc) -> Loc {
        let Some(cols) = self.cols else {
            return Loc::default();
        };
        let mut loc = match &raw.record {
            Some(record) => cols.build(&Row::new(record, 0), &mut Problems::default()),
            None => Loc::default(),
        };
        for row in &raw.details {
            apply_to_location(&mut loc, row, self.handlers);
        }
        loc
    }

    /// Adds what the location is made of to a service's digest.
    pub fn digest(raw: &RawLoc, d: &mut Digest) {
        match &raw.record {
            Some(record) => d.record(record),
            None => d.u64(0),
        }
        d.spilled(&raw.details);
    }

    /// The key the import's count of distinct locations knows the location by.
    pub fn count_key(&self, raw: &RawLoc) -> u64 {
        let id = self
            .cols
            .zip(raw.record.as_ref())
            .and_then(|(cols, record)| cols.id_of(&Row::new(record, 0)).map(str::to_string));
        match id {
            Some(id) => super::unique::location_id_key(&id),
            None => super::unique::location_key(&self.build(raw).location),
        }
    }
}

fn apply_to_location(loc: &mut Loc, s: &Spilled, handlers: &[Handler]) {
    let row = Row::new(&s.record, s.line);
    match handlers.get(s.kind as usize) {
        Some(Handler::Address(c)) => c.apply(loc, &row),
        Some(Handler::Accessibility(c)) => c.apply(&mut loc.accessibility, &row),
        Some(Handler::Phone(c)) => values::push_small(&mut loc.phones, c.phone(&row)),
        Some(Handler::Schedule(c)) => c.apply(&row, &mut loc.schedules, &mut loc.hours_note, &mut loc.timezone),
        Some(Handler::Language(c)) => c.apply(&row, &mut loc.languages),
        _ => {}
    }
}

/// The locations a service's spilled rows link it to, each once, in order.
pub(crate) fn links_of(rows: &[Spilled]) -> Vec<u32> {
    let mut links = Vec::new();
    for spilled in rows.iter().filter(|s| s.kind == LINK) {
        let j = spilled
            .record
            .get(0)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes);
        if let Some(j) = j {
            values::push_unique(&mut links, j);
        }
    }
    links
}

/// A service's spilled rows applied to it (its location links are [`links_of`]).
pub(crate) fn apply_to_service(
    s: &mut Service,
    rows: &[Spilled],
    handlers: &[Handler],
    terms: &super::hsds_details::Terms,
) {
    for spilled in rows.iter().filter(|s| s.kind != LINK) {
        let row = Row::new(&spilled.record, spilled.line);
        match handlers.get(spilled.kind as usize) {
            Some(Handler::Phone(c)) => values::push_small(&mut s.phones, c.phone(&row)),
            Some(Handler::Schedule(c)) => c.apply(&row, &mut s.schedules, &mut s.hours_note, &mut s.timezone),
            Some(Handler::Language(c)) => c.apply(&row, &mut s.languages),
            Some(Handler::Taxonomy(c)) => c.apply(&row, s, terms),
            Some(Handler::PerService(kind, c)) => c.apply(*kind, &row, s),
            _ => {}
        }
    }
}

/// Gives a service its locations, and the phones, hours, languages and accessibility of
/// those locations (or its organization's phones) where the service has none of its own;
/// then applies [`facts::finish_record`].
pub(crate) fn assemble(s: &mut Service, org: Option<&str>, linked: &[Loc], org_phones: &FastMap<Box<str>, Vec<Phone>>) {
    s.locations.reserve_exact(linked.len());
    s.locations.extend(linked.iter().map(|l| l.location.clone()));
    if s.phones.is_empty() {
        for l in linked {
            values::extend_exact(&mut s.phones, &l.phones);
        }
    }
    if s.phones.is_empty() {
        if let Some(phones) = org.and_then(|o| org_phones.get(o)) {
            values::extend_exact(&mut s.phones, phones);
        }
    }
    if s.schedules.is_empty() {
        if let Some(l) = linked.iter().find(|l| !l.schedules.is_empty()) {
            s.schedules.clone_from(&l.schedules);
            if s.timezone.is_none() {
                s.timezone.clone_from(&l.timezone);
            }
        }
    }
    if s.hours_note.is_none() {
        s.hours_note = linked.iter().find_map(|l| l.hours_note.clone());
    }
    if s.timezone.is_none() {
        s.timezone = linked.iter().find_map(|l| l.timezone.clone());
    }
    if s.languages.is_empty() {
        for lang in linked.iter().flat_map(|l| &l.languages) {
            if !s.languages.iter().any(|x| x.code == lang.code) {
                values::push_small(&mut s.languages, lang.clone());
            }
        }
    }
    for l in linked {
        for note in &l.accessibility {
            values::push_unique(&mut s.accessibility, note.clone());
        }
    }
    facts::finish_record(s);
}

/// Appends a line to an optional note unless it is already there.
pub(crate) fn append_note(note: &mut Option<String>, line: String) {
    match note {
        Some(n) if n.split('\n').any(|l| l == line) => {}
        Some(n) => {
            n.push('\n');
            n.push_str(&line);
        }
        None => *note = Some(line),
    }
}
