//! One row of an iCarol export: an Agency, Site, Program or ProgramAtSite, read into the
//! parts a service is made of. Rows are joined in [`super::assemble`].

use super::columns::{AddressCols, Cols};
use super::taxonomy;
use crate::import::csv_table::Row;
use crate::import::status::Status;
use crate::import::values::{self, Problems};
use crate::import::{hours_text, html_text, phone_lines};
use crate::languages;
use crate::model::{Address, Language, Location, Phone, Service, TaxonomyTerm};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Agency,
    Site,
    Program,
    ProgramAtSite,
}

/// One row, read.
pub(crate) struct Resource {
    pub line: u64,
    pub level: Level,
    pub id: String,
    /// The owning agency (`ParentAgencyNum`), `None` at the top level.
    pub parent: Option<String>,
    pub parent_name: Option<String>,
    /// ProgramAtSite rows: the program and the site they join.
    pub program_link: Option<String>,
    pub site_link: Option<String>,
    pub status: Status,
    /// The row's own fields as a service: names, description, phones, hours, eligibility,
    /// taxonomy... (no locations: see `location`).
    pub service: Service,
    /// Where the row says it is, when it gives an address or coordinates.
    pub location: Option<Location>,
}

/// Where problems in one row are reported.
pub(crate) struct At<'a> {
    pub file: &'a str,
    pub line: u64,
    pub problems: &'a mut Problems,
}

impl At<'_> {
    pub fn repaired(&mut self, field: &str, reason: String) {
        self.problems.repaired(self.file, Some(self.line), Some(field), reason);
    }

    pub fn skipped(&mut self, field: &str, reason: String) {
        self.problems.skipped(self.file, Some(self.line), Some(field), reason);
    }
}

/// Reads one row; `None` (reported) for a row with no resource number or no name.
pub(crate) fn read(row: &Row, c: &Cols, at: &mut At) -> Option<Resource> {
    let Some(id) = values::id(row.get(c.id)).map(str::to_string) else {
        at.skipped("ResourceAgencyNum", "row has no resource number".into());
        return None;
    };
    let parent = values::id(row.get(c.parent)).filter(|p| *p != "0").map(str::to_string);
    let program_link = values::id(row.get(c.program_link))
        .filter(|p| *p != "0")
        .map(str::to_string);
    let site_link = values::id(row.get(c.site_link))
        .filter(|p| *p != "0")
        .map(str::to_string);
    let level = level(
        row.get(c.level),
        parent.is_some(),
        program_link.is_some() && site_link.is_some(),
        at,
    );

    let alternate_name = html_text::to_line(row.get(c.alternate_name));
    let official_name = html_text::to_line(row.get(c.official_name));
    let Some(name) = html_text::to_line(row.get(c.name))
        .or_else(|| official_name.clone())
        .or_else(|| alternate_name.clone())
    else {
        // A ProgramAtSite row needs no name: it only joins a program and a site.
        if level != Level::ProgramAtSite {
            at.skipped("PublicName", format!("resource {id} has no name"));
            return None;
        }
        return Some(Resource {
            line: at.line,
            level,
            id,
            parent,
            parent_name: None,
            program_link,
            site_link,
            status: status(row, c),
            service: fields(row, c, String::new(), at),
            location: location(row, c, at),
        });
    };
    let mut service = fields(row, c, name, at);
    service.alternate_name = alternate_name.filter(|a| *a != service.name);
    service.official_name = official_name.filter(|o| *o != service.name);
    Some(Resource {
        line: at.line,
        level,
        id,
        parent,
        parent_name: html_text::to_line(row.get(c.parent_name)),
        program_link,
        site_link,
        status: status(row, c),
        service,
        location: location(row, c, at),
    })
}

fn level(raw: &str, has_parent: bool, joins: bool, at: &mut At) -> Level {
    let key: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    match key.as_str() {
        "agency" | "organization" => Level::Agency,
        "site" | "location" => Level::Site,
        "program" | "service" => Level::Program,
        "programatsite" | "serviceatsite" | "siteservice" => Level::ProgramAtSite,
        _ => {
            let guess = if joins {
                Level::ProgramAtSite
            } else if has_parent {
                Level::Program
            } else {
                Level::Agency
            };
            at.repaired(
                "TaxonomyLevelName",
                format!("unknown level {raw:?}; read as {guess:?} from its links"),
            );
            guess
        }
    }
}

fn yes(raw: &str) -> bool {
    matches!(raw.trim().to_ascii_lowercase().as_str(), "yes" | "y" | "true" | "1")
}

fn status(row: &Row, c: &Cols) -> Status {
    let text = row.get(c.status).to_ascii_lowercase();
    Status {
        inactive: text.contains("inactive") || text.contains("closed") || text.contains("defunct"),
        do_not_refer: text.contains("not refer"),
        excluded: yes(row.get(c.exclude_website)) || yes(row.get(c.exclude_directory)),
    }
}

/// Everything in the row that describes the service itself.
fn fields(row: &Row, c: &Cols, name: String, at: &mut At) -> Service {
    let text = |col| html_text::to_text(row.get(col));
    let mut s = Service {
        name,
        description: text(c.description),
        url: None,
        email: None,
        eligibility: text(c.eligibility),
        fees: text(c.fees),
        application_process: text(c.application),
        wait_time: text(c.wait_time),
        ..Default::default()
    };
    s.status = Some(if status(row, c).inactive { "inactive" } else { "active" }.into());
    contact_addresses(row, c, &mut s, at);
    s.phones = phones(row, c);
    hours(row, c, &mut s);
    if let Some(docs) = text(c.documents) {
        s.required_documents.push(docs);
    }
    for col in &c.coverage {
        for area in row.get(*col).split(';').filter_map(values::clean_line) {
            values::push_unique(&mut s.service_areas, area);
        }
    }
    if let Some(note) = values::clean(row.get(c.disabilities)).filter(|n| !is_compass(n)) {
        s.accessibility.push(note);
    }
    let (langs, notes) = languages::offered(row.get(c.languages));
    s.languages = langs.into_iter().map(|(code, name)| Language { code, name }).collect();
    if !notes.is_empty() {
        s.interpretation_services = Some(notes.join("; "));
    }
    s.taxonomy = taxonomy::terms(row.get(c.codes), row.get(c.term_leaves), row.get(c.term_paths));
    s.broader_terms = taxonomy::broader(row.get(c.term_paths));
    for name in taxonomy::category_names(row.get(c.categories)) {
        let term = TaxonomyTerm {
            code: String::new(),
            name,
            vocabulary: Some("iCarol categories".into()),
        };
        if !s.taxonomy.contains(&term) {
            s.taxonomy.push(term);
        }
    }
    for (col, field) in [(c.last_verified, "LastVerifiedOn"), (c.updated, "UpdatedOn")] {
        match values::date(row.get(col)) {
            Ok(Some(d)) if s.last_verified.is_none() => s.last_verified = Some(d),
            Ok(_) => {}
            Err(reason) => at.repaired(field, format!("{reason}; dropped")),
        }
    }
    s
}

/// The website and email, repaired as real exports need: an email typed as the website
/// becomes the email when there is none; "no website" and the like are dropped (reported).
fn contact_addresses(row: &Row, c: &Cols, s: &mut Service, at: &mut At) {
    match values::email(row.get(c.email)) {
        Ok(e) => s.email = e,
        Err(reason) => at.repaired("EmailAddressMain", format!("{reason}; dropped")),
    }
    match values::website(row.get(c.website)) {
        Ok(u) => s.url = u,
        Err(reason) => match values::email(row.get(c.website)) {
            Ok(Some(e)) if s.email.is_none() => {
                at.repaired(
                    "WebsiteAddress",
                    format!("{e:?} is an email address; read as the email"),
                );
                s.email = Some(e);
            }
            _ => at.repaired("WebsiteAddress", format!("{reason}; dropped")),
        },
    }
}

/// Some exports fill `DisabilitiesAccess` with the city quadrant ("NW"): not a note
/// about access.
fn is_compass(note: &str) -> bool {
    matches!(
        note.to_ascii_uppercase().as_str(),
        "N" | "S" | "E" | "W" | "NE" | "NW" | "SE" | "SW"
    )
}

fn phones(row: &Row, c: &Cols) -> Vec<Phone> {
    let mut out: Vec<Phone> = Vec::new();
    for p in &c.phones {
        let label = row.get(p.name);
        let kind_col = row.get(p.kind);
        let kind = p.fixed_kind.or_else(|| phone_lines::kind_from_label(kind_col));
        let Some(mut phone) = phone_lines::phone(row.get(p.number), "", label, kind) else {
            continue;
        };
        phone.toll_free |= p.toll_free;
        phone.confidential = yes(row.get(p.private));
        if phone.description.is_none() {
            phone.description = values::clean_line(kind_col).filter(|k| !k.eq_ignore_ascii_case(&p.field));
        }
        let digits = values::phone_digits(&phone.number);
        match out
            .iter_mut()
            .find(|q| values::phone_digits(&q.number) == digits && q.extension == phone.extension)
        {
            // The same number twice (Phone1 and PhoneTollFree): one line, the more telling kind.
            Some(q) => {
                q.toll_free |= phone.toll_free;
                q.confidential |= phone.confidential;
                if q.kind.as_deref() == Some("voice") {
                    q.kind = phone.kind;
                }
            }
            None => out.push(phone),
        }
    }
    out
}

/// `HoursOfOperation` is what specialists type; `Hours` is iCarol's day-by-day rendering.
/// The first that reads as weekly hours gives the schedule; the typed text is kept.
fn hours(row: &Row, c: &Cols, s: &mut Service) {
    let typed = values::clean(row.get(c.hours));
    let by_day = values::clean(row.get(c.hours_by_day));
    for text in [typed.as_deref(), by_day.as_deref()].into_iter().flatten() {
        if let Some(hours) = hours_text::parse(text) {
            s.schedules = hours;
            break;
        }
    }
    // "Mon; Tue; Wed;" with no times says nothing; a day-by-day text with times does.
    let by_day = by_day.filter(|t| t.chars().any(|c| c.is_ascii_digit()));
    s.hours_note = typed.or(by_day);
}

/// The row's own place: its physical address and coordinates, and a mailing address that
/// differs.
fn location(row: &Row, c: &Cols, at: &mut At) -> Option<Location> {
    let physical = address(row, &c.physical);
    let mailing = address(row, &c.mailing);
    let (latitude, longitude) = values::coordinates(
        Some(row.get(c.latitude)),
        Some(row.get(c.longitude)),
        |field, reason| at.repaired(if field == "latitude" { "Latitude" } else { "Longitude" }, reason),
    );
    if physical.is_none() && mailing.is_none() && latitude.is_none() {
        return None;
    }
    let mut transport: Vec<String> = Vec::new();
    for col in [c.bus, c.transport] {
        let Some(t) = values::clean(row.get(col)).filter(|t| !matches!(t.to_ascii_lowercase().as_str(), "yes" | "no"))
        else {
            continue;
        };
        if !transport
            .iter()
            .any(|known| known.contains(&t) || t.contains(known.as_str()))
        {
            transport.push(t);
        }
    }
    let same = physical
        .as_ref()
        .zip(mailing.as_ref())
        .is_some_and(|(p, m)| same_place(p, m));
    let physical_confidential = physical.as_ref().is_some_and(|a| a.confidential);
    Some(Location {
        address: physical,
        // A confidential street address has confidential coordinates too.
        latitude,
        longitude,
        transportation: (!transport.is_empty()).then(|| transport.join("; ")),
        // The same place twice is once; a public PO box beside a confidential street is
        // how a navigator gives it out.
        mailing_address: mailing.filter(|m| !same || (physical_confidential && !m.confidential)),
        description: values::clean(row.get(c.location_description)),
        ..Default::default()
    })
}

fn address(row: &Row, c: &AddressCols) -> Option<Address> {
    let line = |col| values::clean_line(row.get(col));
    let lines: Vec<String> = [c.line1, c.line2].into_iter().filter_map(line).collect();
    let city = line(c.city);
    let postal_code = line(c.postal);
    if lines.is_empty() && city.is_none() && postal_code.is_none() {
        return None;
    }
    // "Confidential" typed as the street is how many directories hide a shelter.
    let says_confidential = lines.iter().any(|l| l.to_ascii_lowercase().contains("confidential"));
    Some(Address {
        lines,
        city,
        region: line(c.county),
        state_province: line(c.state),
        postal_code,
        country: line(c.country),
        attention: line(c.attention),
        confidential: yes(row.get(c.private)) || says_confidential,
    })
}

fn same_place(a: &Address, b: &Address) -> bool {
    let key = |a: &Address| {
        let mut k = a.lines.join(" ").to_ascii_lowercase();
        k.retain(|c| c.is_ascii_alphanumeric());
        (k, a.city.as_deref().map(str::to_ascii_lowercase))
    };
    key(a) == key(b)
}
