//! AIRS sites and their services: a `Site` (or an agency's `AgencyLocation`) is a
//! location, and each `SiteService` in it the service offered there.

use super::node::Node;
use super::parts::{self, status};
use super::At;
use crate::import::status::Status;
use crate::import::{html_text, values};
use crate::model::{Language, Location, Phone, Service, WeeklyHours};

/// A site as read: the location and what its services fall back on.
pub(crate) struct Site {
    pub line: u64,
    pub key: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub location: Location,
    pub phones: Vec<Phone>,
    pub schedules: Vec<WeeklyHours>,
    pub hours_note: Option<String>,
    pub languages: Vec<Language>,
    pub language_notes: Vec<String>,
    pub accessibility: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub status: Status,
}

/// One service at one site, before services at several sites are merged.
pub(crate) struct Draft {
    pub service: Service,
    pub key: String,
    /// Services with the same group are the same service at another site: the
    /// `ServiceGroupKey` (when given) and the name.
    pub group: String,
    pub status: Status,
}

/// The first `URL/Address` that is a web address (Notes and junk are skipped).
pub(crate) fn first_url(record: &Node) -> Option<String> {
    record
        .all("URL")
        .filter_map(|u| u.text_of("Address"))
        .find_map(|u| values::website(u).ok().flatten())
}

pub(crate) fn first_email(record: &Node) -> Option<String> {
    record
        .all("Email")
        .filter_map(|e| e.text_of("Address"))
        .find_map(|e| values::email(e).ok().flatten())
}

pub(crate) fn site(node: &Node, path: &str, at: &mut At) -> Site {
    let physical = node.child("PhysicalAddress").and_then(parts::address);
    let mailing = node.child("MailingAddress").and_then(parts::address);
    let (latitude, longitude) = parts::coordinates(node, path, at);
    let (schedules, hours_note) = parts::time_open(node, path, at);
    let (languages, language_notes) = parts::languages_of(node);
    let mut finding: Vec<String> = node
        .texts("PhysicalLocationDescription")
        .filter_map(html_text::to_text)
        .collect();
    let cross: Vec<&str> = node.texts("CrossStreet").collect();
    if !cross.is_empty() {
        finding.push(format!("Cross streets: {}", cross.join(" and ")));
    }
    let same_place = physical
        .as_ref()
        .zip(mailing.as_ref())
        .is_some_and(|(p, m)| p.lines == m.lines && p.city == m.city && !p.confidential);
    let name = node.text_of("Name").and_then(html_text::to_line);
    let location = Location {
        id: node.text_of("Key").and_then(values::id).map(str::to_string),
        name: name.clone(),
        address: physical,
        latitude,
        longitude,
        transportation: node.text_of("BusServiceAccess").and_then(html_text::to_text),
        mailing_address: mailing.filter(|_| !same_place),
        description: (!finding.is_empty()).then(|| finding.join("\n")),
        phones: parts::phones(node),
        schedules: schedules.clone(),
        hours_note: hours_note.clone(),
    };
    Site {
        line: node.line,
        key: location.id.clone(),
        name,
        description: node.text_of("SiteDescription").and_then(html_text::to_text),
        phones: location.phones.clone(),
        location,
        schedules,
        hours_note,
        languages,
        language_notes,
        accessibility: node.text_of("DisabilitiesAccess").and_then(html_text::to_text),
        url: first_url(node),
        email: first_email(node),
        status: status(node),
    }
}

/// A `SiteService` at `site`; `None` (reported) without a `Key`.
pub(crate) fn service(node: &Node, site: &Site, path: &str, at: &mut At) -> Option<Draft> {
    let Some(key) = node.text_of("Key").and_then(values::id).map(str::to_string) else {
        at.skipped(node.line, &format!("{path}/Key"), "SiteService has no Key".into());
        return None;
    };
    let Some(name) = node
        .text_of("Name")
        .and_then(html_text::to_line)
        .or_else(|| site.name.clone())
    else {
        at.skipped(
            node.line,
            &format!("{path}/Name"),
            format!("SiteService {key} has no name"),
        );
        return None;
    };
    let (schedules, hours_note) = parts::time_open(node, path, at);
    let (mut languages, mut language_notes) = parts::languages_of(node);
    if languages.is_empty() {
        languages = site.languages.clone();
    }
    if language_notes.is_empty() {
        language_notes = site.language_notes.clone();
    }
    let mut s = Service {
        id: key.clone(),
        name,
        description: node
            .text_of("Description")
            .and_then(html_text::to_text)
            .or_else(|| site.description.clone()),
        url: first_url(node).or_else(|| site.url.clone()),
        email: first_email(node).or_else(|| site.email.clone()),
        phones: parts::phones(node),
        schedules,
        hours_note,
        languages,
        interpretation_services: (!language_notes.is_empty()).then(|| language_notes.join("; ")),
        taxonomy: parts::taxonomy(node),
        fees: fees(node),
        eligibility: eligibility(node),
        application_process: application(node),
        required_documents: documents(node),
        service_areas: areas(node),
        accessibility: site.accessibility.clone().into_iter().collect(),
        locations: vec![site.location.clone()],
        ..Default::default()
    };
    ages(node, &mut s, path, at);
    if let Some(info) = node.child("ResourceInfo") {
        match values::date(info.attr("DateLastVerified").unwrap_or("")) {
            Ok(d) => s.last_verified = d,
            Err(reason) => at.repaired(
                info.line,
                &format!("{path}/ResourceInfo/@DateLastVerified"),
                format!("{reason}; dropped"),
            ),
        }
    }
    let state = status(node).with(site.status);
    s.status = Some(if state.inactive { "inactive" } else { "active" }.into());
    let group = format!(
        "{}\u{1f}{}",
        node.attr("ServiceGroupKey").unwrap_or(""),
        crate::text::fold(&s.name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    Some(Draft {
        service: s,
        key,
        group,
        status: state,
    })
}

fn fees(node: &Node) -> Option<String> {
    let mut lines: Vec<String> = node.texts("FeeStructure").filter_map(html_text::to_text).collect();
    if let Some(p) = node.text_of("PaymentMethodAccepted").and_then(html_text::to_line) {
        lines.push(format!("Payment: {p}"));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Every requirement element, labelled: the 3.1 `GeneralEligibility`, the 3.0
/// `OtherRequirements` and `AidRequirements`, and the gender, family, income and
/// residency requirements.
fn eligibility(node: &Node) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for (element, label) in [
        ("GeneralEligibility", ""),
        ("OtherRequirements", ""),
        ("AidRequirements", "Aid"),
        ("AgeRequirements", "Age"),
        ("GenderRequirements", "Gender"),
        ("FamilyRequirements", "Family"),
        ("IncomeRequirements", "Income"),
        ("ResidencyRequirements", "Residency"),
    ] {
        for text in node.texts(element).filter_map(html_text::to_text) {
            // "None" says there is no such requirement.
            if text.eq_ignore_ascii_case("none") || text.eq_ignore_ascii_case("n/a") {
                continue;
            }
            let line = if label.is_empty() {
                text
            } else {
                format!("{label}: {text}")
            };
            values::push_unique(&mut lines, line);
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// `AgeRequirements` attributes: the lowest minimum and highest maximum over all of them
/// (one per gender, say). 120 and over means no upper limit.
fn ages(node: &Node, s: &mut Service, path: &str, at: &mut At) {
    let (mut min, mut max): (Option<u8>, Option<u8>) = (None, None);
    let mut unbounded = false;
    for req in node.all("AgeRequirements") {
        for (attr, slot) in [("MinimumAge", &mut min), ("MaximumAge", &mut max)] {
            let Some(raw) = req.attr(attr) else { continue };
            match values::age(raw) {
                Ok(Some(a)) => {
                    *slot = Some(match (*slot, attr) {
                        (Some(b), "MinimumAge") => a.min(b),
                        (Some(b), _) => a.max(b),
                        (None, _) => a,
                    })
                }
                Ok(None) if attr == "MaximumAge" => unbounded = true,
                Ok(None) => {}
                Err(reason) => at.repaired(
                    req.line,
                    &format!("{path}/AgeRequirements/@{attr}"),
                    format!("{reason}; dropped"),
                ),
            }
        }
    }
    s.min_age = min;
    s.max_age = if unbounded { None } else { max };
}

fn application(node: &Node) -> Option<String> {
    let lines: Vec<String> = node
        .all("ApplicationProcess")
        .filter_map(|a| {
            let step = a.text_of("Step").and_then(html_text::to_line);
            let description = a.text_of("Description").and_then(html_text::to_text);
            match (step, description) {
                (Some(s), Some(d)) if s.eq_ignore_ascii_case("all steps") => Some(d),
                (Some(s), Some(d)) => Some(format!("{s}: {d}")),
                (s, d) => s.or(d),
            }
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn documents(node: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in node.all("DocumentsRequired") {
        let doc = d.text_of("DocumentsRequired").and_then(html_text::to_line);
        let description = d.text_of("Description").and_then(html_text::to_line);
        let line = match (doc, description) {
            (Some(doc), _) if doc.eq_ignore_ascii_case("none") => continue,
            (Some(doc), Some(d)) => format!("{doc} ({d})"),
            (Some(doc), None) => doc,
            (None, Some(d)) => d,
            (None, None) => continue,
        };
        values::push_unique(&mut out, line);
    }
    out
}

/// `GeographicAreaServed`: its description, else its cities, counties, states and postal
/// codes as places ("Richmond, BC").
fn areas(node: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for area in node.all("GeographicAreaServed") {
        if let Some(d) = area.text_of("Description").and_then(html_text::to_line) {
            values::push_unique(&mut out, d);
            continue;
        }
        let states: Vec<&str> = area.texts("State").collect();
        let suffix = if states.len() == 1 {
            format!(", {}", states[0])
        } else {
            String::new()
        };
        for city in area.texts("City") {
            values::push_unique(&mut out, format!("{city}{suffix}"));
        }
        for county in area.texts("County") {
            values::push_unique(&mut out, format!("{county} County{suffix}"));
        }
        let zips: Vec<&str> = area.texts("ZipCode").collect();
        if !zips.is_empty() {
            values::push_unique(&mut out, format!("Postal codes {}", zips.join(", ")));
        }
        if area.texts("City").next().is_none() && area.texts("County").next().is_none() {
            for state in &states {
                values::push_unique(&mut out, state.to_string());
            }
        }
    }
    out
}
