//! Joining HSDS tables into services: the id maps every table is linked through, where a
//! row that names a service, a service-at-location, a location or an organization
//! belongs, and the final assembly of locations, phones, hours and languages per service.

use super::csv_table::{Col, Row, Table};
use super::facts;
use super::fast_map::FastMap;
use super::values::{self, Problems};
use crate::model::{Language, Location, Organization, Phone, Service, WeeklyHours};

/// Everything read so far, keyed for joins. Services are kept in services.csv order.
#[derive(Default)]
pub(crate) struct Build {
    pub problems: Problems,
    /// Rows read from services.csv, kept or not.
    pub services_read: usize,
    pub services: Vec<Service>,
    pub svc: Vec<SvcExtra>,
    pub service_index: FastMap<Box<str>, u32>,
    /// Whether organizations.csv was there (a dangling organization id is only news then).
    pub has_organizations: bool,
    pub orgs: FastMap<Box<str>, Organization>,
    pub org_phones: FastMap<Box<str>, Vec<Phone>>,
    pub locations: Vec<Loc>,
    pub location_index: FastMap<Box<str>, u32>,
    /// service_at_location id -> (service, location)
    pub sal: FastMap<Box<str>, (u32, u32)>,
    /// Whether the package links services to locations itself (service_at_location rows).
    pub has_sal: bool,
}

/// Per-service data that is not part of the record itself.
#[derive(Default)]
pub(crate) struct SvcExtra {
    pub line: u64,
    pub org: Option<Box<str>>,
    /// Locations the data links the service to, in the order found.
    pub links: Vec<u32>,
    /// services.csv `taxonomy_ids` (HSDS 1.1), resolved once the taxonomy is read.
    pub taxonomy_ids: Option<Box<str>>,
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

impl Build {
    pub fn service(&self, id: &str) -> Option<u32> {
        self.service_index.get(id).copied()
    }

    pub fn location(&self, id: &str) -> Option<u32> {
        self.location_index.get(id).copied()
    }

    /// Links a service to a location (once).
    pub fn link(&mut self, service: u32, location: u32) {
        values::push_unique(&mut self.svc[service as usize].links, location);
    }

    /// Where a detail row belongs: its service (directly or through service_at_location),
    /// else its location, else its organization. A row naming both a service and a
    /// location also links the two. Dangling keys are reported; a row that belongs
    /// nowhere is skipped and reported.
    pub fn target(&mut self, problems: &mut Problems, file: &str, row: &Row, links: &Links) -> Option<Target> {
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
                        self.link(i, loc);
                    }
                    return Some(Target::Service(i));
                }
                None => dangling = Some(("service_id", format!("service {s} not in services.csv"))),
            }
        }
        if let Some(a) = a {
            match self.sal.get(a).copied() {
                Some((i, loc)) => {
                    self.link(i, loc);
                    return Some(Target::Service(i));
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
                Some(loc) => return resolved(problems, file, row, dangling, Target::Location(loc)),
                None if dangling.is_none() => {
                    dangling = Some(("location_id", format!("location {l} not in locations.csv")))
                }
                None => {}
            }
        }
        if let Some(o) = o {
            return resolved(problems, file, row, dangling, Target::Organization(o.into()));
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
        None
    }

    /// Links services the data does not place anywhere, when the package has no
    /// service_at_location table: to the only location of their organization, or to the
    /// one location of their organization that shares a phone number with the service
    /// and with no other service or location of that organization.
    pub fn infer_links(&mut self) {
        if self.has_sal {
            return;
        }
        let mut org_locations: FastMap<&str, Vec<u32>> = FastMap::default();
        for (j, loc) in self.locations.iter().enumerate() {
            if let Some(org) = loc.org.as_deref() {
                org_locations.entry(org).or_default().push(j as u32);
            }
        }
        // (organization, digits) -> (services with it, last service, locations with it, last location)
        let mut numbers: FastMap<(&str, String), (u32, u32, u32, u32)> = FastMap::default();
        for (i, (s, extra)) in self.services.iter().zip(&self.svc).enumerate() {
            let Some(org) = extra.org.as_deref() else {
                continue;
            };
            let mut seen = Vec::new();
            for digits in s
                .phones
                .iter()
                .map(|p| values::phone_digits(&p.number))
                .filter(|d| d.len() >= 7)
            {
                if !seen.contains(&digits) {
                    seen.push(digits.clone());
                    let e = numbers.entry((org, digits)).or_default();
                    (e.0, e.1) = (e.0 + 1, i as u32);
                }
            }
        }
        for (j, loc) in self.locations.iter().enumerate() {
            let Some(org) = loc.org.as_deref() else {
                continue;
            };
            let mut seen = Vec::new();
            for digits in loc
                .phones
                .iter()
                .map(|p| values::phone_digits(&p.number))
                .filter(|d| d.len() >= 7)
            {
                if !seen.contains(&digits) {
                    seen.push(digits.clone());
                    if let Some(e) = numbers.get_mut(&(org, digits)) {
                        (e.2, e.3) = (e.2 + 1, j as u32);
                    }
                }
            }
        }
        let mut inferred: Vec<(usize, u32)> = Vec::new();
        for (i, extra) in self.svc.iter().enumerate() {
            let Some(org) = extra.org.as_deref() else {
                continue;
            };
            if !extra.links.is_empty() {
                continue;
            }
            match org_locations.get(org).map(Vec::as_slice) {
                Some([only]) => inferred.push((i, *only)),
                Some([_, _, ..]) => {
                    let mut found: Option<u32> = None;
                    let mut ambiguous = false;
                    for p in &self.services[i].phones {
                        let digits = values::phone_digits(&p.number);
                        if let Some(&(1, _, 1, loc)) = numbers.get(&(org, digits)) {
                            ambiguous |= found.is_some_and(|f| f != loc);
                            found = Some(loc);
                        }
                    }
                    if let (Some(loc), false) = (found, ambiguous) {
                        inferred.push((i, loc));
                    }
                }
                _ => {}
            }
        }
        for (i, loc) in inferred {
            self.svc[i].links.push(loc);
        }
    }

    /// Gives every service its locations, and the phones, hours, languages and
    /// accessibility of those locations (or its organization's phones) where the service
    /// has none of its own; then applies [`facts::finish_record`].
    /// Runs on as many threads as the machine offers.
    pub fn assemble(&mut self) {
        let Build {
            services,
            svc,
            locations,
            org_phones,
            ..
        } = self;
        let (locations, org_phones) = (&*locations, &*org_phones);
        let work = |services: &mut [Service], svc: &[SvcExtra]| {
            for (s, extra) in services.iter_mut().zip(svc) {
                assemble_one(s, extra, locations, org_phones);
                facts::finish_record(s);
            }
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if threads <= 1 || services.len() < 4096 {
            work(services, svc);
            return;
        }
        let chunk = services.len().div_ceil(threads);
        std::thread::scope(|scope| {
            for (part, extras) in services.chunks_mut(chunk).zip(svc.chunks(chunk)) {
                scope.spawn(move || work(part, extras));
            }
        });
    }
}

fn assemble_one(s: &mut Service, extra: &SvcExtra, locations: &[Loc], org_phones: &FastMap<Box<str>, Vec<Phone>>) {
    let linked = || extra.links.iter().map(|&j| &locations[j as usize]);
    s.locations.reserve_exact(extra.links.len());
    s.locations.extend(linked().map(|l| l.location.clone()));
    if s.phones.is_empty() {
        for l in linked() {
            values::extend_exact(&mut s.phones, &l.phones);
        }
    }
    if s.phones.is_empty() {
        if let Some(phones) = extra.org.as_deref().and_then(|o| org_phones.get(o)) {
            values::extend_exact(&mut s.phones, phones);
        }
    }
    if s.schedules.is_empty() {
        if let Some(l) = linked().find(|l| !l.schedules.is_empty()) {
            s.schedules.clone_from(&l.schedules);
            if s.timezone.is_none() {
                s.timezone.clone_from(&l.timezone);
            }
        }
    }
    if s.hours_note.is_none() {
        s.hours_note = linked().find_map(|l| l.hours_note.clone());
    }
    if s.timezone.is_none() {
        s.timezone = linked().find_map(|l| l.timezone.clone());
    }
    if s.languages.is_empty() {
        for lang in linked().flat_map(|l| &l.languages) {
            if !s.languages.iter().any(|x| x.code == lang.code) {
                values::push_small(&mut s.languages, lang.clone());
            }
        }
    }
    for l in linked() {
        for note in &l.accessibility {
            values::push_unique(&mut s.accessibility, note.clone());
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
