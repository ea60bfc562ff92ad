//! Writes generated records as HSDS 3.0 tabular data: one CSV per table, each through
//! its own buffered writer in a single pass, and a datapackage.json describing them.

use std::fmt::Write as _;
use std::fs::File;
use std::io;
use std::path::Path;

use csv::{Terminator, Writer, WriterBuilder};

use super::org::{format_micro_degrees, Location, Org};
use super::record::Record;
use super::taxonomy::{term_id, TERMS};

/// (resource name, file, columns): the HSDS 3.0 tables written, with their standard columns.
#[rustfmt::skip]
pub const TABLES: &[(&str, &str, &[&str])] = &[
    ("organization", "organizations.csv", &[
        "id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
        "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
    ]),
    ("service", "services.csv", &[
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email", "status",
        "interpretation_services", "application_process", "fees_description", "wait_time", "fees", "accreditations",
        "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses", "alert",
        "last_modified",
    ]),
    ("location", "locations.csv", &[
        "id", "location_type", "url", "organization_id", "name", "alternate_name", "description", "transportation",
        "latitude", "longitude", "external_identifier", "external_identifier_type",
    ]),
    ("service_at_location", "service_at_location.csv", &["id", "service_id", "location_id", "description"]),
    ("address", "addresses.csv", &[
        "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province", "postal_code",
        "country", "address_type",
    ]),
    ("phone", "phones.csv", &[
        "id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id", "number",
        "extension", "type", "description",
    ]),
    ("schedule", "schedules.csv", &[
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart", "timezone",
        "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "description",
        "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
    ]),
    ("language", "languages.csv", &["id", "service_id", "location_id", "phone_id", "name", "code", "note"]),
    ("taxonomy", "taxonomies.csv", &["id", "name", "description", "uri", "version"]),
    ("taxonomy_term", "taxonomy_terms.csv", &[
        "id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri",
    ]),
    ("attribute", "attributes.csv", &["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"]),
    ("cost_option", "cost_options.csv", &[
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description",
    ]),
    ("required_document", "required_documents.csv", &["id", "service_id", "document", "uri"]),
    ("accessibility", "accessibility.csv", &["id", "location_id", "description", "details", "url"]),
];

const TAXONOMY_ID: &str = "airs";

/// One writer per table, in [`TABLES`] order.
pub struct Tables {
    organizations: Writer<File>,
    services: Writer<File>,
    locations: Writer<File>,
    service_at_location: Writer<File>,
    addresses: Writer<File>,
    phones: Writer<File>,
    schedules: Writer<File>,
    languages: Writer<File>,
    attributes: Writer<File>,
    cost_options: Writer<File>,
    required_documents: Writer<File>,
    accessibility: Writer<File>,
    /// taxonomy_terms.csv ids, by index into TERMS.
    term_ids: Vec<String>,
    /// Reused buffers for the ids of the row being written (no allocation per row).
    id: String,
    link: String,
}

/// Writes "prefix000123" or "prefix000123-k" (`k` > 0) into `buf`.
fn make_id<'a>(buf: &'a mut String, prefix: &str, n: u64, k: usize) -> &'a str {
    buf.clear();
    buf.push_str(prefix);
    let _ = write!(buf, "{n:06}");
    if k > 0 {
        let _ = write!(buf, "-{k}");
    }
    buf
}

/// Writes `prefix` and `key` into `buf`.
fn key_id<'a>(buf: &'a mut String, prefix: &str, key: &str) -> &'a str {
    buf.clear();
    buf.push_str(prefix);
    buf.push_str(key);
    buf
}

fn open(dir: &Path, file: &str) -> io::Result<Writer<File>> {
    let (_, _, columns) = TABLES.iter().find(|t| t.1 == file).expect("table is listed");
    let mut w = WriterBuilder::new()
        .terminator(Terminator::Any(b'\n'))
        .buffer_capacity(64 * 1024)
        .from_writer(File::create(dir.join(file))?);
    w.write_record(*columns)?;
    Ok(w)
}

impl Tables {
    /// Creates every file with its header, and writes the fixed taxonomy tables.
    pub fn create(dir: &Path) -> io::Result<Tables> {
        let mut taxonomies = open(dir, "taxonomies.csv")?;
        taxonomies.write_record([
            TAXONOMY_ID,
            "AIRS",
            "AIRS/211-style codes with plain-language names written for this fictional directory.",
            "",
            "",
        ])?;
        taxonomies.flush()?;
        let mut terms = open(dir, "taxonomy_terms.csv")?;
        for (code, name, description) in TERMS {
            terms.write_record([
                &term_id(code),
                *code,
                name,
                description,
                "",
                "AIRS",
                "en",
                TAXONOMY_ID,
                "",
            ])?;
        }
        terms.flush()?;
        Ok(Tables {
            organizations: open(dir, "organizations.csv")?,
            services: open(dir, "services.csv")?,
            locations: open(dir, "locations.csv")?,
            service_at_location: open(dir, "service_at_location.csv")?,
            addresses: open(dir, "addresses.csv")?,
            phones: open(dir, "phones.csv")?,
            schedules: open(dir, "schedules.csv")?,
            languages: open(dir, "languages.csv")?,
            attributes: open(dir, "attributes.csv")?,
            cost_options: open(dir, "cost_options.csv")?,
            required_documents: open(dir, "required_documents.csv")?,
            accessibility: open(dir, "accessibility.csv")?,
            term_ids: TERMS.iter().map(|t| term_id(t.0)).collect(),
            id: String::new(),
            link: String::new(),
        })
    }

    /// An organization and its main site.
    pub fn write_org(&mut self, org: &Org) -> io::Result<()> {
        let email = format!("info@{}", org.domain);
        let website = format!("https://{}", org.domain);
        let legal = if org.fr {
            "Organisme sans but lucratif"
        } else {
            "Non-profit corporation"
        };
        let year = org.year.to_string();
        self.organizations.write_record([
            &org.id,
            &org.name,
            "",
            &org.description,
            &email,
            &website,
            "",
            "",
            &year,
            legal,
            "",
            "",
            "",
        ])?;
        self.write_location(&org.id, &org.main)
    }

    fn write_location(&mut self, org_id: &str, loc: &Location) -> io::Result<()> {
        let id = key_id(&mut self.id, "loc-", &loc.key);
        let (lat, lon) = match loc.coordinates {
            Some((lat, lon)) => (format_micro_degrees(lat), format_micro_degrees(lon)),
            None => (String::new(), String::new()),
        };
        self.locations.write_record([
            id,
            "physical",
            "",
            org_id,
            &loc.name,
            "",
            "",
            loc.transportation.unwrap_or(""),
            &lat,
            &lon,
            "",
            "",
        ])?;
        self.addresses.write_record([
            key_id(&mut self.link, "addr-", &loc.key),
            id,
            "",
            &loc.address_1,
            &loc.address_2,
            loc.city,
            "",
            "ON",
            &loc.postal_code,
            "CA",
            "physical",
        ])?;
        if let Some(text) = loc.accessibility {
            self.accessibility
                .write_record([key_id(&mut self.link, "acc-", &loc.key), id, text, "", ""])?;
        }
        Ok(())
    }

    /// A service and everything that hangs off it.
    pub fn write_service(&mut self, org: &Org, r: &Record) -> io::Result<()> {
        let opt = |v: Option<u8>| v.map(|a| a.to_string()).unwrap_or_default();
        self.services.write_record([
            r.id.as_str(),
            &org.id,
            "",
            &r.name,
            r.alternate_name.as_deref().unwrap_or(""),
            &r.description,
            &r.url,
            r.email.as_deref().unwrap_or(""),
            r.status,
            r.interpretation.unwrap_or(""),
            r.application,
            &r.fees,
            r.wait_time.unwrap_or(""),
            "",
            "",
            &r.eligibility,
            &opt(r.min_age),
            &opt(r.max_age),
            &r.assured_date,
            "",
            "",
            r.alert.unwrap_or(""),
            &r.last_modified,
        ])?;
        for loc in &r.new_locations {
            self.write_location(&org.id, loc)?;
        }
        let n = r.n;
        for (k, key) in r.location_keys.iter().enumerate() {
            self.service_at_location.write_record([
                make_id(&mut self.id, "sal-", n, k + 1),
                &r.id,
                key_id(&mut self.link, "loc-", key),
                "",
            ])?;
        }
        for (k, p) in r.phones.iter().enumerate() {
            let ext = p.extension.map(|e| e.to_string()).unwrap_or_default();
            self.phones.write_record([
                make_id(&mut self.id, "ph-", n, k + 1),
                "",
                &r.id,
                "",
                "",
                "",
                &p.number,
                &ext,
                p.kind,
                p.description.unwrap_or(""),
            ])?;
        }
        if let Some((rows, note)) = r.schedule {
            for (k, (byday, opens, closes)) in rows.iter().enumerate() {
                let note = if k == 0 { note.unwrap_or("") } else { "" };
                self.schedules.write_record([
                    make_id(&mut self.id, "sch-", n, k + 1),
                    &r.id,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "WEEKLY",
                    "",
                    byday,
                    "",
                    "",
                    "",
                    note,
                    opens,
                    closes,
                    "",
                    "",
                    "",
                ])?;
            }
        }
        for (k, (code, name)) in r.languages.iter().enumerate() {
            self.languages
                .write_record([make_id(&mut self.id, "lang-", n, k + 1), &r.id, "", "", name, code, ""])?;
        }
        for (k, term) in r.terms.iter().enumerate() {
            self.attributes.write_record([
                make_id(&mut self.id, "attr-", n, k + 1),
                &r.id,
                &self.term_ids[*term],
                "service",
                "service",
                "",
            ])?;
        }
        if let Some(cost) = &r.cost {
            self.cost_options.write_record([
                make_id(&mut self.id, "cost-", n, 1),
                &r.id,
                "",
                "",
                cost.option,
                "CAD",
                &cost.amount.to_string(),
                cost.description,
            ])?;
        }
        for (k, doc) in r.documents.iter().enumerate() {
            self.required_documents
                .write_record([make_id(&mut self.id, "doc-", n, k + 1), &r.id, doc, ""])?;
        }
        Ok(())
    }

    /// Flushes every file.
    pub fn finish(mut self) -> io::Result<()> {
        for w in [
            &mut self.organizations,
            &mut self.services,
            &mut self.locations,
            &mut self.service_at_location,
            &mut self.addresses,
            &mut self.phones,
            &mut self.schedules,
            &mut self.languages,
            &mut self.attributes,
            &mut self.cost_options,
            &mut self.required_documents,
            &mut self.accessibility,
        ] {
            w.flush()?;
        }
        Ok(())
    }
}

/// The Frictionless type of a column, as in the HSDS 3.0 datapackage.
fn column_type(column: &str) -> &'static str {
    match column {
        "minimum_age" | "maximum_age" | "year_incorporated" | "latitude" | "longitude" | "extension" | "amount"
        | "timezone" | "count" | "interval" => "number",
        "assured_date" | "valid_from" | "valid_to" | "dtstart" | "until" => "date",
        "last_modified" => "datetime",
        "opens_at" | "closes_at" => "time",
        _ => "string",
    }
}

/// datapackage.json, written by hand so its bytes never depend on a serializer's settings.
pub fn write_datapackage_json(dir: &Path, services: u64, seed: u64) -> io::Result<()> {
    let mut out = String::new();
    out.push_str("{\n");
    out.push_str("  \"name\": \"navigator-synthetic-directory\",\n");
    out.push_str("  \"title\": \"Fictional Ontario community services directory\",\n");
    out.push_str(&format!(
        "  \"description\": \"Generated by navigator synth ({services} services, seed {seed}). Every organization, service, \
         address and phone number is fictional; phone numbers use the 555-01xx fictional range.\",\n"
    ));
    out.push_str("  \"profile\": \"tabular-data-package\",\n");
    out.push_str("  \"version\": \"3.0.0\",\n");
    out.push_str("  \"resources\": [\n");
    for (i, (name, path, columns)) in TABLES.iter().enumerate() {
        out.push_str("    {\n");
        out.push_str(&format!("      \"name\": \"{name}\",\n      \"path\": \"{path}\",\n"));
        out.push_str(
            "      \"format\": \"csv\",\n      \"mediatype\": \"text/csv\",\n      \"encoding\": \"utf-8\",\n",
        );
        out.push_str("      \"profile\": \"tabular-data-resource\",\n");
        out.push_str("      \"schema\": {\n        \"primaryKey\": \"id\",\n        \"fields\": [\n");
        for (j, column) in columns.iter().enumerate() {
            let comma = if j + 1 < columns.len() { "," } else { "" };
            out.push_str(&format!(
                "          {{ \"name\": \"{column}\", \"type\": \"{}\" }}{comma}\n",
                column_type(column)
            ));
        }
        out.push_str("        ]\n      }\n");
        out.push_str(if i + 1 < TABLES.len() { "    },\n" } else { "    }\n" });
    }
    out.push_str("  ]\n}\n");
    std::fs::write(dir.join("datapackage.json"), out)
}
