//! Joining iCarol's rows into services. Agency -> organization, Program -> service, Site
//! -> location, ProgramAtSite -> the program offered at that site (one service with a
//! location per site). Exports differ in shape, so what becomes a service is decided from
//! the rows present, and the report says what was done:
//! - a program with no ProgramAtSite rows is at its own address (DC 211 exports only
//!   Agency and Program rows, each program with its address), else at its agency's;
//! - a site no program is linked to is a service of its own (site-level exports describe
//!   their services on the sites);
//! - an agency with neither programs nor sites is a service of its own (agency-level
//!   exports).

use std::collections::BTreeMap;

use super::resource::{Level, Resource};
use crate::fast_map::FastMap;
use crate::import::facts;
use crate::import::sites;
use crate::import::status::Status;
use crate::import::values::Problems;
use crate::model::{Location, Organization, Service};

/// What the assembly did, for the report.
#[derive(Default)]
pub(crate) struct Tally {
    pub own_address: usize,
    pub agency_address: usize,
    pub no_address: usize,
    pub at_sites: usize,
    pub several_sites: usize,
    pub site_services: usize,
    pub agency_services: usize,
    /// Left out by status, by reason ("inactive", "do not refer", ...).
    pub excluded: BTreeMap<String, usize>,
}

impl Tally {
    /// What was decided, in words for the import report.
    pub fn notes(&self) -> Vec<String> {
        // (count, said of one, said of several)
        let said = [
            (
                self.at_sites,
                "1 program is linked to sites by ProgramAtSite rows: a location per site",
                "programs are linked to sites by ProgramAtSite rows: a location per site",
            ),
            (
                self.several_sites,
                "1 program is offered at several sites: one service with several locations",
                "programs are offered at several sites: one service each, with several locations",
            ),
            (
                self.own_address,
                "1 program has no ProgramAtSite rows and an address of its own: a service at that address",
                "programs have no ProgramAtSite rows and an address of their own: a service at that address",
            ),
            (
                self.agency_address,
                "1 program has no address of its own: placed at its agency's address",
                "programs have no address of their own: placed at their agency's address",
            ),
            (
                self.no_address,
                "1 service has no address, nor has its agency: imported without a location",
                "services have no address, nor have their agencies: imported without a location",
            ),
            (
                self.site_services,
                "1 site is not linked to any program: read as a service of its own",
                "sites are not linked to any program: read as services of their own",
            ),
            (
                self.agency_services,
                "1 agency has no programs or sites: read as a service of its own",
                "agencies have no programs or sites: read as services of their own",
            ),
        ];
        said.iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|&(n, one, many)| if n == 1 { one.to_string() } else { format!("{n} {many}") })
            .collect()
    }
}

/// The rows of one export, keyed for the joins.
pub(crate) struct Rows<'a> {
    pub file: &'a str,
    pub resources: Vec<Resource>,
    by_id: FastMap<String, usize>,
    /// Program id -> its ProgramAtSite rows, in file order.
    pas_of: FastMap<String, Vec<usize>>,
    /// Agency id -> how many programs and linked sites it has.
    programs_of: FastMap<String, usize>,
    sites_of: FastMap<String, ()>,
    linked_sites: FastMap<String, ()>,
}

impl<'a> Rows<'a> {
    /// Keys the rows; a repeated resource number keeps the first row (reported).
    pub fn new(file: &'a str, rows: Vec<Resource>, problems: &mut Problems) -> Rows<'a> {
        let mut resources = Vec::with_capacity(rows.len());
        let mut by_id: FastMap<String, usize> = FastMap::default();
        for r in rows {
            if let Some(&first) = by_id.get(&r.id) {
                let first_line: u64 = resources.get(first).map_or(0, |f: &Resource| f.line);
                problems.skipped(
                    file,
                    Some(r.line),
                    Some("ResourceAgencyNum"),
                    format!("duplicate resource number {} (first at line {first_line})", r.id),
                );
                continue;
            }
            by_id.insert(r.id.clone(), resources.len());
            resources.push(r);
        }
        let mut rows = Rows {
            file,
            resources,
            by_id,
            pas_of: FastMap::default(),
            programs_of: FastMap::default(),
            sites_of: FastMap::default(),
            linked_sites: FastMap::default(),
        };
        rows.link(problems);
        rows
    }

    fn get(&self, id: &str) -> Option<&Resource> {
        self.by_id.get(id).map(|&i| &self.resources[i])
    }

    fn link(&mut self, problems: &mut Problems) {
        for (i, r) in self.resources.iter().enumerate() {
            match r.level {
                Level::Program => {
                    if let Some(p) = &r.parent {
                        *self.programs_of.entry(p.clone()).or_default() += 1;
                    }
                }
                Level::Site => {
                    if let Some(p) = &r.parent {
                        self.sites_of.insert(p.clone(), ());
                    }
                }
                Level::ProgramAtSite => {
                    let is = |id: Option<&str>, level: Level| {
                        id.and_then(|id| self.by_id.get(id))
                            .is_some_and(|&j| self.resources[j].level == level)
                    };
                    let (program, site) = (r.program_link.as_deref(), r.site_link.as_deref());
                    let (field, what, id) = if !is(program, Level::Program) {
                        ("ConnectsToProgramNum", "program", program)
                    } else if !is(site, Level::Site) {
                        ("ConnectsToSiteNum", "site", site)
                    } else {
                        self.pas_of
                            .entry(program.unwrap_or_default().to_string())
                            .or_default()
                            .push(i);
                        self.linked_sites.insert(site.unwrap_or_default().to_string(), ());
                        continue;
                    };
                    let kind = if what == "program" { "Program" } else { "Site" };
                    problems.skipped(
                        self.file,
                        Some(r.line),
                        Some(field),
                        format!("{what} {} is not a {kind} row in this file", id.unwrap_or("(none)")),
                    );
                }
                Level::Agency => {}
            }
        }
    }

    /// Every service, in file order, to `emit`. Services left out by status are counted
    /// (or kept and marked with `include_inactive`).
    pub fn assemble(&self, include_inactive: bool, problems: &mut Problems, emit: &mut dyn FnMut(Service)) -> Tally {
        let mut tally = Tally::default();
        for r in &self.resources {
            let service = match r.level {
                Level::Program => Some(self.program(r, &mut tally, problems)),
                Level::Site if !self.linked_sites.contains_key(&r.id) => {
                    tally.site_services += 1;
                    Some(self.standalone(r, &mut tally, problems))
                }
                Level::Agency if !self.programs_of.contains_key(&r.id) && !self.sites_of.contains_key(&r.id) => {
                    tally.agency_services += 1;
                    Some(self.standalone(r, &mut tally, problems))
                }
                _ => None,
            };
            let Some((mut service, status)) = service else {
                continue;
            };
            if status.is_out() {
                *tally.excluded.entry(status.reason().to_string()).or_default() += 1;
                if !include_inactive {
                    continue;
                }
                status.mark(&mut service);
            }
            facts::finish(&mut service);
            emit(service);
        }
        tally
    }

    /// The organization a row belongs to, and the agency's row when the file has it.
    fn organization<'r>(&'r self, r: &'r Resource, problems: &mut Problems) -> (Organization, Option<&'r Resource>) {
        if r.level == Level::Agency {
            return (organization_of(r), Some(r));
        }
        let Some(parent) = r.parent.as_deref() else {
            return (Organization::default(), None);
        };
        match self.get(parent).filter(|a| a.level == Level::Agency) {
            Some(agency) => (organization_of(agency), Some(agency)),
            None => {
                problems.repaired(
                    self.file,
                    Some(r.line),
                    Some("ParentAgencyNum"),
                    format!("agency {parent} is not an Agency row in this file; its name is taken from ParentAgency"),
                );
                let org = Organization {
                    id: Some(parent.to_string()),
                    name: r.parent_name.clone().unwrap_or_default(),
                    ..Default::default()
                };
                (org, None)
            }
        }
    }

    fn program(&self, r: &Resource, tally: &mut Tally, problems: &mut Problems) -> (Service, Status) {
        let (organization, agency) = self.organization(r, problems);
        let mut s = r.service.clone();
        s.id = r.id.clone();
        s.organization = organization;
        let status = agency.map_or(r.status, |a| r.status.with(a.status));
        let joins = self.pas_of.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
        for &j in joins {
            let pas = &self.resources[j];
            let Some(site) = pas.site_link.as_deref().and_then(|id| self.get(id)) else {
                continue;
            };
            let mut location = site_location(site);
            // What the ProgramAtSite row says about this program here comes before the site's.
            if !pas.service.phones.is_empty() {
                location.phones = pas.service.phones.clone();
            }
            if !pas.service.schedules.is_empty() || pas.service.hours_note.is_some() {
                location.schedules = pas.service.schedules.clone();
                location.hours_note = pas.service.hours_note.clone();
            }
            if let Some(l) = &pas.location {
                if location.address.is_none() {
                    location.address = l.address.clone();
                    (location.latitude, location.longitude) = (l.latitude, l.longitude);
                }
            }
            s.locations.push(location);
        }
        if !joins.is_empty() {
            tally.at_sites += 1;
            if s.locations.len() > 1 {
                tally.several_sites += 1;
            }
        } else if let Some(own) = &r.location {
            tally.own_address += 1;
            s.locations.push(Location {
                id: Some(r.id.clone()),
                ..own.clone()
            });
        } else if let Some(place) = agency.and_then(|a| a.location.as_ref()) {
            tally.agency_address += 1;
            s.locations.push(Location {
                id: agency.map(|a| a.id.clone()),
                ..place.clone()
            });
        } else {
            tally.no_address += 1;
        }
        fill_from_places(&mut s, agency);
        (s, status)
    }

    /// A site or agency that is a service of its own.
    fn standalone(&self, r: &Resource, tally: &mut Tally, problems: &mut Problems) -> (Service, Status) {
        let (organization, agency) = self.organization(r, problems);
        let mut s = r.service.clone();
        s.id = r.id.clone();
        s.organization = organization;
        let status = match agency {
            Some(a) if a.id != r.id => r.status.with(a.status),
            _ => r.status,
        };
        if r.level == Level::Site {
            s.locations.push(site_location(r));
            if s.description.is_none() {
                s.description = agency.and_then(|a| a.service.description.clone());
            }
            if s.taxonomy.is_empty() {
                s.taxonomy = agency.map(|a| a.service.taxonomy.clone()).unwrap_or_default();
            }
        } else {
            match &r.location {
                Some(own) => s.locations.push(Location {
                    id: Some(r.id.clone()),
                    ..own.clone()
                }),
                None => tally.no_address += 1,
            }
        }
        fill_from_places(&mut s, agency.filter(|a| a.id != r.id));
        (s, status)
    }
}

fn organization_of(agency: &Resource) -> Organization {
    Organization {
        id: Some(agency.id.clone()),
        name: agency.service.name.clone(),
        alternate_name: agency.service.alternate_name.clone(),
        description: agency.service.description.clone(),
        url: agency.service.url.clone(),
        email: agency.service.email.clone(),
    }
}

/// A site as a location: its address, coordinates, phones and hours.
fn site_location(site: &Resource) -> Location {
    let mut location = site.location.clone().unwrap_or_default();
    location.id = Some(site.id.clone());
    location.name = Some(site.service.name.clone()).filter(|n| !n.is_empty());
    location.phones = site.service.phones.clone();
    location.schedules = site.service.schedules.clone();
    location.hours_note = site.service.hours_note.clone();
    location
}

/// Where the service has no phones, hours, website or email of its own, the first site's,
/// then the agency's (see [`sites::settle`]).
fn fill_from_places(s: &mut Service, agency: Option<&Resource>) {
    sites::settle(s);
    if let Some(a) = agency {
        if s.phones.is_empty() {
            s.phones = a.service.phones.clone();
        }
        if s.url.is_none() {
            s.url = a.service.url.clone();
        }
        if s.email.is_none() {
            s.email = a.service.email.clone();
        }
    }
}
