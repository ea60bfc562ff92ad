//! navigator's own attributes in an HSDS CSV package (a navigator export, see
//! [`crate::hsds_extension`]), applied once the package is joined: the source's ids in
//! place of the export's UUIDs, the service marks, phone kinds and toll-free and
//! confidential marks, confidential addresses, and mailing addresses beside street ones.
//! A package without `navigator` terms is left as it is.

use std::collections::HashMap;

use super::csv_table::{Folder, Table};
use super::facts;
use super::schedule_rows;
use super::values::{self, Problems};
use super::ImportError;
use crate::hsds_extension as ext;
use crate::model::{Address, Service, WeeklyHours};

type Values = Vec<(String, String)>;

/// The package's navigator attributes by the id they are linked to.
fn attributes(folder: &Folder, problems: &mut Problems) -> Result<HashMap<String, Values>, ImportError> {
    let mut out: HashMap<String, Values> = HashMap::new();
    let (Some((terms_rel, terms_path)), Some((attrs_rel, attrs_path))) =
        (folder.find(&["taxonomy_terms.csv"]), folder.find(&["attributes.csv"]))
    else {
        return Ok(out);
    };
    let terms = Table::load(terms_path, terms_rel, None, problems)?;
    let (id, code, taxonomy) = (terms.col("id"), terms.col("code"), terms.col("taxonomy"));
    let mut codes: HashMap<String, String> = HashMap::new();
    terms.for_each_row(&mut Problems::default(), |row, _| {
        if row.get(taxonomy) == ext::TAXONOMY {
            codes.insert(row.get(id).to_string(), row.get(code).to_string());
        }
    });
    if codes.is_empty() {
        return Ok(out);
    }
    let attrs = Table::load(attrs_path, attrs_rel, None, problems)?;
    let (link, term, value) = (attrs.col("link_id"), attrs.col("taxonomy_term_id"), attrs.col("value"));
    attrs.for_each_row(&mut Problems::default(), |row, _| {
        if let Some(code) = codes.get(row.get(term)) {
            out.entry(row.get(link).to_string())
                .or_default()
                .push((code.clone(), row.get(value).to_string()));
        }
    });
    Ok(out)
}

fn get<'a>(v: &'a Values, term: &ext::Term) -> Option<&'a str> {
    v.iter().find(|(c, _)| c == term.code).map(|(_, x)| x.as_str())
}

fn yes(v: &Values, term: &ext::Term) -> bool {
    get(v, term) == Some("true")
}

/// Rows of a table as (id, the other columns asked for).
fn rows(
    folder: &Folder,
    names: &[&str],
    cols: &[&str],
    problems: &mut Problems,
) -> Result<Vec<Vec<String>>, ImportError> {
    let Some((rel, path)) = folder.find(names) else {
        return Ok(Vec::new());
    };
    let t = Table::load(path, rel, None, problems)?;
    let cols: Vec<_> = cols.iter().map(|c| t.col(c)).collect();
    let mut out = Vec::new();
    t.for_each_row(&mut Problems::default(), |row, _| {
        out.push(cols.iter().map(|&c| row.get(c).to_string()).collect());
    });
    Ok(out)
}

/// What a navigator export's attributes change, read once; applied service by service.
/// Held whole: only a package navigator wrote has them.
pub(crate) struct Extension {
    marks: HashMap<String, Values>,
    location_ids: HashMap<String, String>,
    postal_only: std::collections::HashSet<String>,
    descriptions: HashMap<String, String>,
    phone_marks: Vec<(String, String, Values)>,
    addresses: HashMap<String, Vec<(String, Address, bool)>>,
    per_site: PerSite,
}

/// The package's navigator attributes, or `None` for a package without them.
pub(crate) fn prepare(folder: &Folder, problems: &mut Problems) -> Result<Option<Extension>, ImportError> {
    let marks = attributes(folder, problems)?;
    if marks.is_empty() {
        return Ok(None);
    }
    // Location ids the export wrote as external identifiers.
    // Locations that are only postal: their one address is where to write, not a door.
    let mut location_ids: HashMap<String, String> = HashMap::new();
    let mut postal_only: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut descriptions: HashMap<String, String> = HashMap::new();
    let cols = [
        "id",
        "external_identifier",
        "external_identifier_type",
        "location_type",
        "description",
    ];
    for r in rows(folder, &["locations.csv"], &cols, problems)? {
        if r[2] == ext::LOCATION_ID_TYPE {
            location_ids.insert(r[0].clone(), r[1].clone());
        }
        if let Some(d) = values::clean(&r[4]) {
            descriptions.insert(r[0].clone(), d);
        }
        if r[3].eq_ignore_ascii_case("postal") {
            postal_only.insert(r[0].clone());
        }
    }
    // Marked phones: (the service they belong to, number digits, marks).
    let sal_service: HashMap<String, String> =
        rows(folder, &["service_at_location.csv"], &["id", "service_id"], problems)?
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
    let mut phone_marks: Vec<(String, String, Values)> = Vec::new();
    let cols = ["id", "number", "service_id", "service_at_location_id"];
    for r in rows(folder, &["phones.csv"], &cols, problems)? {
        if let Some(v) = marks.get(&r[0]) {
            let service = if r[2].is_empty() {
                sal_service.get(&r[3]).cloned().unwrap_or_default()
            } else {
                r[2].clone()
            };
            phone_marks.push((service, values::phone_digits(&r[1]), v.clone()));
        }
    }
    // Addresses by location: (type, the address, its marks).
    let mut addresses: HashMap<String, Vec<(String, Address, bool)>> = HashMap::new();
    let cols = [
        "id",
        "location_id",
        "address_type",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "attention",
    ];
    for r in rows(folder, &["addresses.csv"], &cols, problems)? {
        let line = |i: usize| values::clean_line(&r[i]);
        let address = Address {
            lines: [3, 4].iter().filter_map(|&i| line(i)).collect(),
            city: line(5),
            region: line(6),
            state_province: line(7),
            postal_code: line(8),
            country: line(9),
            attention: line(10),
            confidential: marks.get(&r[0]).is_some_and(|v| yes(v, &ext::CONFIDENTIAL)),
        };
        let confidential = address.confidential;
        addresses
            .entry(r[1].clone())
            .or_default()
            .push((r[2].to_ascii_lowercase(), address, confidential));
    }
    let per_site = PerSite::read(folder, problems)?;
    Ok(Some(Extension {
        marks,
        location_ids,
        postal_only,
        descriptions,
        phone_marks,
        addresses,
        per_site,
    }))
}

impl Extension {
    pub fn apply(&self, s: &mut Service) {
        let Extension {
            marks,
            location_ids,
            postal_only,
            descriptions,
            phone_marks,
            addresses,
            per_site,
        } = self;
        let uuid = s.id.clone();
        per_site.apply(s);
        if let Some(v) = marks.get(&s.id) {
            if let Some(id) = get(v, &ext::SOURCE_ID) {
                s.id = id.to_string();
            }
            if let Some(n) = get(v, &ext::OFFICIAL_NAME) {
                s.official_name = Some(n.to_string());
            }
            s.inactive |= yes(v, &ext::INACTIVE);
            s.do_not_refer |= yes(v, &ext::DO_NOT_REFER);
            s.excluded_from_directory |= yes(v, &ext::EXCLUDED);
            if yes(v, &ext::FREE) {
                s.free = Some(true);
            }
            if let Some(z) = get(v, &ext::TIMEZONE) {
                s.timezone = Some(z.to_string());
            }
            for (_, note) in v.iter().filter(|(c, _)| c == ext::ACCESSIBILITY.code) {
                values::push_unique(&mut s.accessibility, note.clone());
            }
            for (_, name) in v.iter().filter(|(c, _)| c == ext::BROADER_TERM.code) {
                values::push_unique(&mut s.broader_terms, name.clone());
            }
        }
        // navigator's terms were read as taxonomy with the rest: out, and what was derived
        // from the taxonomy derived again.
        let before = s.taxonomy.len();
        s.taxonomy.retain(|t| t.vocabulary.as_deref() != Some(ext::TAXONOMY));
        if s.taxonomy.len() != before {
            facts::derive_text(&s.name, s.description.as_deref(), &s.taxonomy).apply(s);
        }
        if let Some(org) = s.organization.id.as_ref().and_then(|id| marks.get(id)) {
            if let Some(id) = get(org, &ext::SOURCE_ID) {
                s.organization.id = Some(id.to_string());
            }
        }
        for l in &mut s.locations {
            let Some(uuid) = l.id.clone() else { continue };
            for (kind, a, confidential) in addresses.get(&uuid).into_iter().flatten() {
                let same = |p: &Address| p.lines == a.lines && p.city == a.city && p.postal_code == a.postal_code;
                if kind == "postal" {
                    if l.address.as_ref().is_some_and(|p| !same(p)) {
                        l.mailing_address = Some(a.clone());
                    }
                } else if let Some(p) = l.address.as_mut().filter(|p| same(p)) {
                    p.confidential |= confidential;
                    p.attention = p.attention.take().or_else(|| a.attention.clone());
                }
            }
            if l.description.is_none() {
                l.description = descriptions.get(&uuid).cloned();
            }
            if postal_only.contains(&uuid) && l.mailing_address.is_none() {
                l.mailing_address = l.address.take();
            }
            if let Some(id) = location_ids.get(&uuid) {
                l.id = Some(id.clone());
            }
        }
        let phones = s
            .phones
            .iter_mut()
            .chain(s.locations.iter_mut().flat_map(|l| l.phones.iter_mut()));
        for p in phones {
            let digits = values::phone_digits(&p.number);
            for (_, _, v) in phone_marks
                .iter()
                .filter(|(owner, d, _)| *owner == uuid && *d == digits)
            {
                if let Some(kind) = get(v, &ext::PHONE_KIND) {
                    p.kind = Some(kind.to_string());
                }
                p.toll_free |= yes(v, &ext::TOLL_FREE);
                p.confidential |= yes(v, &ext::CONFIDENTIAL);
            }
        }
    }
}

/// What a service has at one of its sites (phones and schedules linked to a
/// service_at_location), which the HSDS CSV join gives to the service itself.
struct PerSite {
    /// service_at_location id -> (service id, location id)
    sal: HashMap<String, (String, String)>,
    /// service id -> (location id, phone number digits)
    phones: HashMap<String, Vec<(String, String)>>,
    /// service id -> its schedule rows
    schedules: HashMap<String, Vec<ScheduleRow>>,
}

/// (service_at_location id, or "" for the service's own; weekly hours; description)
type ScheduleRow = (String, Vec<WeeklyHours>, Option<String>);

impl PerSite {
    fn read(folder: &Folder, problems: &mut Problems) -> Result<PerSite, ImportError> {
        let mut sal = HashMap::new();
        for r in rows(
            folder,
            &["service_at_location.csv"],
            &["id", "service_id", "location_id"],
            problems,
        )? {
            sal.insert(r[0].clone(), (r[1].clone(), r[2].clone()));
        }
        let mut phones: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for r in rows(folder, &["phones.csv"], &["service_at_location_id", "number"], problems)? {
            if let Some((service, location)) = sal.get(&r[0]) {
                phones
                    .entry(service.clone())
                    .or_default()
                    .push((location.clone(), values::phone_digits(&r[1])));
            }
        }
        let mut schedules: HashMap<String, Vec<ScheduleRow>> = HashMap::new();
        let cols = [
            "service_id",
            "service_at_location_id",
            "byday",
            "freq",
            "opens_at",
            "closes_at",
            "description",
        ];
        for r in rows(folder, &["schedules.csv"], &cols, problems)? {
            let (service, site) = match sal.get(&r[1]) {
                Some((service, _)) => (service.clone(), r[1].clone()),
                None => (r[0].clone(), String::new()),
            };
            let hours = schedule_rows::weekly_hours(&r[2], &r[3], &r[4], &r[5]).unwrap_or_default();
            schedules
                .entry(service)
                .or_default()
                .push((site, hours, values::clean(&r[6])));
        }
        Ok(PerSite { sal, phones, schedules })
    }

    fn apply(&self, s: &mut Service) {
        for (location, digits) in self.phones.get(&s.id).into_iter().flatten() {
            let Some(i) = s.phones.iter().position(|p| values::phone_digits(&p.number) == *digits) else {
                continue;
            };
            let phone = s.phones.remove(i);
            if let Some(l) = s
                .locations
                .iter_mut()
                .find(|l| l.id.as_deref() == Some(location.as_str()))
            {
                l.phones.push(phone);
            }
        }
        let Some(rows) = self
            .schedules
            .get(&s.id)
            .filter(|r| r.iter().any(|(site, _, _)| !site.is_empty()))
        else {
            return;
        };
        // The service's own rows give its hours and note; each site's rows its location's.
        let (mut hours, mut note) = (Vec::new(), None);
        for (site, h, d) in rows {
            let (into_hours, into_note) = if site.is_empty() {
                (&mut hours, &mut note)
            } else {
                let Some(l) = self
                    .sal
                    .get(site)
                    .and_then(|(_, loc)| s.locations.iter_mut().find(|l| l.id.as_deref() == Some(loc.as_str())))
                else {
                    continue;
                };
                (&mut l.schedules, &mut l.hours_note)
            };
            into_hours.extend(h.iter().copied());
            if let Some(d) = d {
                super::hsds_join::append_note(into_note, d.clone());
            }
        }
        hours.sort_by_key(|h| (h.weekday, h.opens, h.closes));
        hours.dedup();
        (s.schedules, s.hours_note) = (hours, note);
        for l in &mut s.locations {
            l.schedules.sort_by_key(|h| (h.weekday, h.opens, h.closes));
            l.schedules.dedup();
        }
    }
}
