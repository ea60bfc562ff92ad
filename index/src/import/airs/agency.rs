//! One `Agency` while it is read: its own fields, and the services of its sites until the
//! agency ends. Then the same service at several sites (the same `Key`, or the same name
//! and `ServiceGroupKey` under the agency) is merged into one service with a location per
//! site, the agency's details fill what the services lack, and they are handed on. Only
//! one agency's services are held at a time (nested agencies are finished in turn).

use super::node::Node;
use super::records::{self, Draft, Site};
use super::{At, Tally};
use crate::import::status::Status;
use crate::import::{facts, html_text, sites, values};
use crate::model::{Organization, Service};

pub(crate) struct Agency {
    /// The `Agency` element with its own fields as children (no sites).
    pub header: Node,
    pub path: String,
    drafts: Vec<Draft>,
    /// Sites with no services: services of their own if the agency has no other.
    bare_sites: Vec<Site>,
    agency_location: Option<Site>,
    /// Services already handed on (before a nested agency, say).
    emitted: usize,
}

impl Agency {
    pub fn new(header: Node, path: String) -> Agency {
        Agency {
            header,
            path,
            drafts: Vec::new(),
            bare_sites: Vec::new(),
            agency_location: None,
            emitted: 0,
        }
    }

    /// Takes one complete child of the agency: a site, its AgencyLocation, or one of its
    /// own fields.
    pub fn take(&mut self, node: Node, at: &mut At) {
        match node.name.as_str() {
            "Site" | "AgencyLocation" => {
                let path = format!("{}/{}", self.path, node.name);
                let site = records::site(&node, &path, at);
                let before = self.drafts.len();
                for ss in node.all("SiteService") {
                    if let Some(d) = records::service(ss, &site, &format!("{path}/SiteService"), at) {
                        self.drafts.push(d);
                    }
                }
                let bare = self.drafts.len() == before;
                if node.name == "AgencyLocation" {
                    self.agency_location = Some(site);
                } else if bare {
                    self.bare_sites.push(site);
                }
            }
            _ => self.header.children.push(node),
        }
    }

    /// Hands on every service read so far. `last` when the agency has ended: then an
    /// agency with no services at all becomes one, from its sites or its own fields.
    pub fn finish(&mut self, last: bool, at: &mut At, tally: &mut Tally) -> Vec<(Service, Status)> {
        let org = self.organization();
        let agency_status = super::parts::status(&self.header);
        let mut merged: Vec<Draft> = Vec::new();
        for mut d in std::mem::take(&mut self.drafts) {
            // The service's own phones and hours are what it has at this site.
            if let Some(l) = d.service.locations.first_mut() {
                if !d.service.phones.is_empty() {
                    l.phones = d.service.phones.clone();
                }
                if !d.service.schedules.is_empty() || d.service.hours_note.is_some() {
                    l.schedules = d.service.schedules.clone();
                    l.hours_note = d.service.hours_note.clone();
                }
            }
            match merged.iter_mut().find(|m| m.key == d.key || m.group == d.group) {
                Some(m) => merge(m, d),
                None => merged.push(d),
            }
        }
        merged.extend(self.bare_sites(tally, at));
        if last && merged.is_empty() && self.emitted == 0 {
            merged.extend(self.as_agency_service(tally));
        }
        let mut out = Vec::with_capacity(merged.len());
        for mut d in merged {
            if d.service.locations.len() > 1 {
                tally.several_sites += 1;
            }
            d.service.organization = org.clone();
            self.fill(&mut d.service);
            sites::settle(&mut d.service);
            facts::finish(&mut d.service);
            self.emitted += 1;
            out.push((d.service, d.status.with(agency_status)));
        }
        out
    }

    /// Sites with no services become services of their own: site-level exports describe
    /// the service on the site. Without a description of its own, a site gets its agency's.
    fn bare_sites(&mut self, tally: &mut Tally, at: &mut At) -> Vec<Draft> {
        let description = self.header.text_of("AgencyDescription").and_then(html_text::to_text);
        let mut out = Vec::new();
        for site in std::mem::take(&mut self.bare_sites) {
            let Some(key) = site.key.clone() else {
                at.skipped(site.line, &format!("{}/Site/Key", self.path), "Site has no Key".into());
                continue;
            };
            tally.site_services += 1;
            let about = site.description.clone().or_else(|| description.clone());
            out.push(self.as_service(key, site.name.clone(), about, Some(site)));
        }
        out
    }

    /// An agency with no sites becomes a service (an agency-level export), at its
    /// AgencyLocation when it has one.
    fn as_agency_service(&mut self, tally: &mut Tally) -> Option<Draft> {
        let key = self.header.text_of("Key").and_then(values::id).map(str::to_string)?;
        tally.agency_services += 1;
        let description = self.header.text_of("AgencyDescription").and_then(html_text::to_text);
        let site = self.agency_location.take();
        let name = self.header.text_of("Name").and_then(html_text::to_line);
        Some(self.as_service(key, name, description, site))
    }

    fn as_service(&self, key: String, name: Option<String>, description: Option<String>, site: Option<Site>) -> Draft {
        let mut s = Service {
            id: key.clone(),
            name: name.unwrap_or_else(|| self.header.text_of("Name").unwrap_or("").to_string()),
            description,
            ..Default::default()
        };
        let mut status = Status::default();
        if let Some(site) = site {
            s.phones = site.phones.clone();
            s.schedules = site.schedules.clone();
            s.hours_note = site.hours_note.clone();
            s.languages = site.languages.clone();
            s.url = site.url.clone();
            s.email = site.email.clone();
            s.accessibility = site.accessibility.clone().into_iter().collect();
            s.locations.push(site.location);
            status = site.status;
        }
        s.status = Some("active".into());
        Draft {
            service: s,
            key,
            group: String::new(),
            status,
        }
    }

    fn organization(&self) -> Organization {
        let h = &self.header;
        Organization {
            id: h.text_of("Key").and_then(values::id).map(str::to_string),
            name: h.text_of("Name").and_then(html_text::to_line).unwrap_or_default(),
            // An AKA marked confidential is not for the public.
            alternate_name: h
                .all("AKA")
                .filter(|a| {
                    !a.text_of("Confidential")
                        .is_some_and(|c| c.eq_ignore_ascii_case("true") || c == "1")
                })
                .find_map(|a| a.text_of("Name"))
                .and_then(html_text::to_line),
            description: h.text_of("AgencyDescription").and_then(html_text::to_text),
            url: records::first_url(h),
            email: records::first_email(h),
        }
    }

    /// What a service lacks and the agency has: phones, website, email, verified date,
    /// and the agency's location when the service has none.
    fn fill(&self, s: &mut Service) {
        if s.phones.is_empty() && s.locations.iter().all(|l| l.phones.is_empty()) {
            s.phones = super::parts::phones(&self.header);
        }
        if s.url.is_none() {
            s.url = records::first_url(&self.header);
        }
        if s.email.is_none() {
            s.email = records::first_email(&self.header);
        }
        if s.last_verified.is_none() {
            s.last_verified = self
                .header
                .child("ResourceInfo")
                .and_then(|i| values::date(i.attr("DateLastVerified").unwrap_or("")).ok().flatten());
        }
        if s.locations.is_empty() {
            if let Some(site) = &self.agency_location {
                s.locations.push(site.location.clone());
            }
        }
    }
}

/// `other` is the same service at another site: its location joins, with its own phones
/// and hours; its terms, languages and areas are added.
fn merge(into: &mut Draft, other: Draft) {
    let s = &mut into.service;
    let mut o = other.service;
    for l in std::mem::take(&mut o.locations) {
        if !s.locations.iter().any(|k| k.id.is_some() && k.id == l.id) {
            s.locations.push(l);
        }
    }
    for t in o.taxonomy {
        values::push_unique(&mut s.taxonomy, t);
    }
    for l in o.languages {
        if !s.languages.iter().any(|k| k.code == l.code) {
            s.languages.push(l);
        }
    }
    for a in o.service_areas {
        values::push_unique(&mut s.service_areas, a);
    }
    if s.description.is_none() {
        s.description = o.description;
    }
    into.status = Status {
        // One active site keeps the service: it is out only where every site is.
        inactive: into.status.inactive && other.status.inactive,
        do_not_refer: into.status.do_not_refer && other.status.do_not_refer,
        excluded: into.status.excluded && other.status.excluded,
    };
}
