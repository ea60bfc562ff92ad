//! AIRS XML 3.0 and 3.1, the I&R exchange format: `Source` > `Agency` (agencies nest) >
//! `Site` (and the agency's `AgencyLocation`) > `SiteService`. Agency -> organization,
//! Site -> location, SiteService -> the service at that site; the same service at
//! several sites is one service with several locations.
//!
//! The file is streamed: one site (with its services) or one of an agency's own fields is
//! held as a small tree at a time, and an agency's services until the agency ends, so
//! memory follows the largest agency, not the file. Elements the schema does not define
//! are skipped without failing (and named in the report's notes); text is decoded from
//! HTML, escaped once or twice.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::Path;

use super::csv_table::io_error;
use super::status::Status;
use super::values::Problems;
use super::{ImportError, ImportReport, Options};
use crate::model::Service;

mod agency;
mod events;
mod node;
mod parts;
mod records;

use events::{Events, Xml};
use node::{Builder, Node};

/// Where problems are reported: the file, with each element's line and path.
pub(crate) struct At<'a> {
    pub file: &'a str,
    pub problems: &'a mut Problems,
}

impl At<'_> {
    pub fn repaired(&mut self, line: u64, field: &str, reason: String) {
        self.problems.repaired(self.file, Some(line), Some(field), reason);
    }

    pub fn skipped(&mut self, line: u64, field: &str, reason: String) {
        self.problems.skipped(self.file, Some(line), Some(field), reason);
    }
}

/// What the reader did, for the report.
#[derive(Default)]
pub(crate) struct Tally {
    pub several_sites: usize,
    pub site_services: usize,
    pub agency_services: usize,
    pub nested_agencies: usize,
    pub excluded: BTreeMap<String, usize>,
    /// "Parent/Element" -> how many times an element the schema does not define appeared.
    pub unknown: BTreeMap<String, usize>,
}

/// Children the AIRS 3.0 and 3.1 schemas allow in an Agency, a Site and a SiteService,
/// and `URL` and `Email` in a SiteService, which iCarol writes and which are read. Others
/// are skipped (and listed in the report).
const AGENCY_CHILDREN: &[&str] = &[
    "Key",
    "Name",
    "AgencyDescription",
    "AKA",
    "AgencyLocation",
    "Phone",
    "URL",
    "SocialMedia",
    "Email",
    "Contact",
    "LicenseAccreditation",
    "IRSStatus",
    "SourceOfFunds",
    "ServiceGroup",
    "Site",
    "ResourceInfo",
    "Agency",
];
const SITE_CHILDREN: &[&str] = &[
    "Key",
    "AgencyKey",
    "Name",
    "SiteDescription",
    "AKA",
    "PhysicalAddress",
    "MailingAddress",
    "NoPhysicalAddress",
    "OtherAddress",
    "CrossStreet",
    "Phone",
    "URL",
    "Email",
    "Contact",
    "TimeOpen",
    "Languages",
    "DisabilitiesAccess",
    "PhysicalLocationDescription",
    "BusServiceAccess",
    "SiteService",
    "SpatialLocation",
];
const SERVICE_CHILDREN: &[&str] = &[
    "Name",
    "Key",
    "Description",
    "Phone",
    "TimeOpen",
    "Seasonal",
    "Taxonomy",
    "Languages",
    "GeographicAreaServed",
    "ResourceInfo",
    "DocumentsRequired",
    "ApplicationProcess",
    "FeeStructure",
    "PaymentMethodAccepted",
    "GeneralEligibility",
    "OtherRequirements",
    "AidRequirements",
    "AgeRequirements",
    "GenderRequirements",
    "FamilyRequirements",
    "IncomeRequirements",
    "ResidencyRequirements",
    "URL",
    "Email",
];

/// Reads an AIRS XML file, handing each service to `emit` as its agency ends.
pub(crate) fn read(path: &Path, options: Options, emit: &mut dyn FnMut(Service)) -> Result<ImportReport, ImportError> {
    let file = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let input = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let unusable = |reason: String| ImportError::Unusable {
        path: path.display().to_string(),
        reason,
    };
    let mut problems = Problems::default();
    let mut tally = Tally::default();
    let mut events = Events::new(BufReader::with_capacity(64 * 1024, input));
    let mut version: Option<String> = None;
    let mut depth = 0usize;
    // Open agencies, innermost last, with the depth each opened at.
    let mut agencies: Vec<(agency::Agency, usize)> = Vec::new();
    // The record being captured, and the depth its element opened at.
    let mut capture: Option<(Builder, usize)> = None;
    let mut read = 0usize;
    let mut deliver = |found: Vec<(Service, Status)>, tally: &mut Tally| {
        for (mut s, status) in found {
            if status.is_out() {
                *tally.excluded.entry(status.reason().to_string()).or_default() += 1;
                if !options.include_inactive {
                    continue;
                }
                status.mark(&mut s);
            }
            emit(s);
        }
    };
    loop {
        let event = events
            .next()
            .map_err(|e| unusable(format!("line {}: not well-formed XML: {e}", events.line())))?;
        let mut at = At {
            file: &file,
            problems: &mut problems,
        };
        match event {
            Xml::Start {
                name,
                attrs,
                namespace,
                line,
            } => {
                depth += 1;
                if let Some((builder, _)) = capture.as_mut() {
                    builder.open(name, attrs, line);
                    continue;
                }
                if depth == 1 {
                    if name != "Source" {
                        return Err(unusable(format!(
                            "not AIRS XML: the root element is <{name}>, not <Source>"
                        )));
                    }
                    version = Some(schema_version(&attrs, namespace.as_deref()));
                    continue;
                }
                let in_agency = agencies.last().is_some_and(|(_, d)| *d + 1 == depth);
                if name == "Agency" && (depth == 2 || in_agency) {
                    let path = match agencies.last_mut() {
                        Some((parent, _)) => {
                            // A nested agency: its parent's services so far go first.
                            tally.nested_agencies += 1;
                            let found = parent.finish(false, &mut at, &mut tally);
                            deliver(found, &mut tally);
                            format!("{}/Agency", parent.path)
                        }
                        None => "Source/Agency".to_string(),
                    };
                    agencies.push((agency::Agency::new(Node::new(name, attrs, line), path), depth));
                } else if in_agency {
                    if !AGENCY_CHILDREN.contains(&name.as_str()) {
                        *tally.unknown.entry(format!("Agency/{name}")).or_default() += 1;
                    }
                    capture = Some((Builder::start(name, attrs, line), depth));
                } else {
                    *tally.unknown.entry(format!("Source/{name}")).or_default() += 1;
                }
            }
            Xml::Text(text) => {
                if let Some((builder, _)) = capture.as_mut() {
                    builder.text(&text);
                }
            }
            Xml::End => {
                let closing = depth;
                depth = depth.saturating_sub(1);
                if let Some((builder, opened)) = capture.as_mut() {
                    let done = builder.close();
                    if closing == *opened {
                        capture = None;
                        if let (Some(node), Some((a, _))) = (done, agencies.last_mut()) {
                            note_unknown(&node, &mut tally);
                            if matches!(node.name.as_str(), "Site" | "AgencyLocation") {
                                read += node.all("SiteService").count();
                            }
                            a.take(node, &mut at);
                        }
                    }
                    continue;
                }
                if agencies.last().is_some_and(|(_, d)| *d == closing) {
                    if let Some((mut a, _)) = agencies.pop() {
                        let found = a.finish(true, &mut at, &mut tally);
                        deliver(found, &mut tally);
                    }
                }
            }
            Xml::Eof if depth > 0 => {
                // A cut-off file: what was read so far is not the whole directory.
                return Err(unusable(format!(
                    "line {}: the XML ends with {depth} element(s) still open (is the file cut short?)",
                    events.line()
                )));
            }
            Xml::Eof => break,
        }
    }
    let Some(version) = version else {
        return Err(unusable("not AIRS XML: no <Source> element".into()));
    };
    let notes = notes(&tally, options);
    Ok(ImportReport {
        format: format!("airs-xml {version}"),
        files: vec![file],
        services_read: read,
        problems: problems.list,
        excluded: tally.excluded,
        notes,
        ..Default::default()
    })
}

/// "3.0" or "3.1": from `SchemaVersion` ("3.0", "AIRS3.0"), else the namespace
/// (`http://www.airs.org/schema/3_1/AIRS.xsd`), else 3.0.
fn schema_version(attrs: &[(String, String)], namespace: Option<&str>) -> String {
    let declared = attrs
        .iter()
        .find(|(k, _)| k == "SchemaVersion")
        .map(|(_, v)| {
            v.trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .trim()
                .to_string()
        })
        .filter(|v| !v.is_empty());
    let from_namespace = namespace.and_then(|ns| {
        let i = ns.find("schema/")? + "schema/".len();
        let v = ns[i..].split('/').next()?.replace('_', ".");
        (!v.is_empty()).then_some(v)
    });
    declared.or(from_namespace).unwrap_or_else(|| "3.0".into())
}

/// Counts children of sites and services that the schema does not define.
fn note_unknown(node: &Node, tally: &mut Tally) {
    let mut check = |parent: &Node, allowed: &[&str], label: &str| {
        for c in &parent.children {
            if !allowed.contains(&c.name.as_str()) {
                *tally.unknown.entry(format!("{label}/{}", c.name)).or_default() += 1;
            }
        }
    };
    if matches!(node.name.as_str(), "Site" | "AgencyLocation") {
        check(node, SITE_CHILDREN, &node.name);
        for ss in node.all("SiteService") {
            check(ss, SERVICE_CHILDREN, "SiteService");
        }
    }
}

fn notes(tally: &Tally, options: Options) -> Vec<String> {
    let mut notes = Vec::new();
    let count = |n: usize, one: &str, many: &str| if n == 1 { one.to_string() } else { format!("{n} {many}") };
    if tally.several_sites > 0 {
        notes.push(count(
            tally.several_sites,
            "1 service is offered at several sites: one service with several locations",
            "services are offered at several sites: one service each, with several locations",
        ));
    }
    if tally.site_services > 0 {
        notes.push(count(
            tally.site_services,
            "1 site has no SiteService: read as a service of its own",
            "sites have no SiteService: read as services of their own",
        ));
    }
    if tally.agency_services > 0 {
        notes.push(count(
            tally.agency_services,
            "1 agency has no sites with services: read as a service of its own",
            "agencies have no sites with services: read as services of their own",
        ));
    }
    if tally.nested_agencies > 0 {
        notes.push(count(
            tally.nested_agencies,
            "1 agency is nested in another: its own organization",
            "agencies are nested in others: each its own organization",
        ));
    }
    let excluded: usize = tally.excluded.values().sum();
    if excluded > 0 && !options.include_inactive {
        notes.push(format!(
            "{excluded} not imported by their status (see excluded); --include-inactive keeps them, marked"
        ));
    }
    if !tally.unknown.is_empty() {
        let list: Vec<String> = tally.unknown.iter().map(|(k, n)| format!("{k} ({n})")).collect();
        notes.push(format!(
            "elements the AIRS schema does not define were skipped: {}",
            list.join(", ")
        ));
    }
    notes
}
