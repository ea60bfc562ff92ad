//! Turns a [`Service`] into the tantivy document that indexes it.

use tantivy::schema::Facet;
use tantivy::TantivyDocument;

use crate::analysis::{edge_ngrams, tokens, words_analyzer};
use crate::categories;
use crate::hours::{pack_interval, week_intervals};
use crate::model::Service;
use crate::schema::{Fields, StemLanguage, AGE_MAX_DEFAULT, AGE_MIN_DEFAULT};
use crate::synonyms::key_of;
use crate::text::fold;

/// Folded municipality key used for filtering and place lookup ("Grand Sudbury" -> "grand sudbury").
pub fn municipality_key(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn build(fields: &Fields, service: &Service) -> TantivyDocument {
    build_with_record(
        fields,
        service,
        &serde_json::to_string(service).expect("a Service always serializes"),
    )
}

/// [`build`] with the service's JSON record already made (an import serializes each
/// record once, for the catalogue and the index).
pub fn build_with_record(fields: &Fields, service: &Service, record: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &service.id);
    doc.add_text(fields.record, record);

    let title = title_text(service);
    let terms = terms_text(service);
    let keywords = keyword_texts(service);
    let body = body_text(service, &title, &keywords);
    let language = service
        .text_language
        .as_deref()
        .and_then(StemLanguage::from_code)
        .unwrap_or(StemLanguage::English);
    // Names and term names are short and often mixed ("Centre de santé - Health Centre"),
    // so they go through every stemmer; the rest goes through its own language's.
    for l in StemLanguage::ALL {
        doc.add_text(fields.title[l.index()], &title);
        doc.add_text(fields.terms[l.index()], &terms);
    }
    doc.add_text(fields.body[language.index()], &body);
    doc.add_text(fields.text_language, language.code());
    for name in service
        .taxonomy
        .iter()
        .map(|t| t.name.as_str())
        .chain(service.broader_terms.iter().map(String::as_str))
    {
        for key in term_keys(name) {
            doc.add_text(fields.term_key, key);
        }
    }
    doc.add_text(fields.labels, labels_text(service));

    doc.add_text(
        fields.prefix,
        edge_ngrams(std::iter::once(title.as_str()).chain(keywords.iter().map(String::as_str))),
    );

    for slug in &service.categories {
        doc.add_text(fields.category, slug);
        doc.add_facet(fields.facets, Facet::from_path(["category", slug.as_str()]));
    }
    for slug in &service.audiences {
        doc.add_text(fields.audience, slug);
        doc.add_facet(fields.facets, Facet::from_path(["audience", slug.as_str()]));
    }
    for city in service.municipalities() {
        doc.add_text(fields.municipality, municipality_key(city));
        doc.add_text(fields.place, city);
        doc.add_facet(fields.facets, Facet::from_path(["municipality", city]));
    }
    // Languages are a facet and a filter, never words of the record: every service offered
    // in English would otherwise match "english classes".
    for language in &service.languages {
        doc.add_text(fields.language, &language.code);
        doc.add_facet(fields.facets, Facet::from_path(["language", language.code.as_str()]));
    }
    let mut flags = 0;
    if service.free == Some(true) {
        doc.add_text(fields.flag, "free");
        flags |= crate::collect::FLAG_FREE;
    }
    if service.wheelchair_accessible == Some(true) {
        doc.add_text(fields.flag, "accessible");
        flags |= crate::collect::FLAG_ACCESSIBLE;
    }
    doc.add_u64(fields.flags, flags);
    doc.add_u64(fields.min_age, service.min_age.map_or(AGE_MIN_DEFAULT, u64::from));
    doc.add_u64(fields.max_age, service.max_age.map_or(AGE_MAX_DEFAULT, u64::from));
    if let Some((lat, lon)) = service.coordinates() {
        doc.add_text(fields.flag, "coords");
        for cell in crate::geo::cells_of(lat, lon) {
            doc.add_text(fields.cell, cell);
        }
        doc.add_f64(fields.lat, lat);
        doc.add_f64(fields.lon, lon);
        // The postal code of the public location the coordinates belong to: a place
        // centre. A confidential address's code is never a place (it would locate it).
        let located = service
            .locations
            .iter()
            .find(|l| l.latitude.is_some() && l.longitude.is_some());
        let code = located
            .filter(|l| !crate::confidential::location_is_hidden(l))
            .and_then(|l| l.address.as_ref()?.postal_code.as_deref());
        for term in code.map(crate::postal::terms).unwrap_or_default() {
            doc.add_text(fields.postal, term);
        }
    }
    if !service.schedules.is_empty() {
        doc.add_text(fields.flag, "hours");
    }
    for (start, end) in week_intervals(&service.schedules) {
        doc.add_u64(fields.hours, pack_interval(start, end));
    }
    doc.add_text(fields.tz, service.timezone.as_deref().unwrap_or(""));
    doc.add_u64(fields.tiebreak, tiebreak(&service.id));
    doc.add_u64(fields.group, crate::grouping::group_key(service));
    // The address of the location the coordinates are from (else the first): a program's
    // other sites are listed from fast fields, without reading their records. Only the
    // hash of a confidential address is kept (to count places), never its text.
    let located = service
        .locations
        .iter()
        .find(|l| l.latitude.is_some() && l.longitude.is_some() && l.address.is_some())
        .or_else(|| service.locations.iter().find(|l| l.address.is_some()));
    let address = located
        .and_then(|l| l.address.as_ref())
        .map(crate::model::Address::one_line);
    let place = match (&address, service.coordinates()) {
        (Some(line), _) => fold(line),
        (None, Some((lat, lon))) => format!("{lat:.4},{lon:.4}"),
        (None, None) => String::new(),
    };
    doc.add_u64(fields.site, tiebreak(&place));
    let public = located.is_some_and(|l| !crate::confidential::location_is_hidden(l));
    if let Some(line) = address.filter(|_| public) {
        doc.add_text(fields.address, line);
    }
    doc
}

/// The term-name keys of a taxonomy term name: the whole name, and each part of a name
/// written "Food Stamps/SNAP" or "Shelters (Emergency)", as folded, stemmed content words
/// joined by spaces ("food stamp snap", "food stamp", "snap").
pub fn term_keys(name: &str) -> Vec<String> {
    let mut words = words_analyzer();
    let mut out: Vec<String> = Vec::new();
    let parts = std::iter::once(name).chain(name.split(['/', '(', ')', ',', ';', '&']));
    for part in parts {
        let key = key_of(&tokens(&mut words, part)).join(" ");
        if !key.is_empty() && !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// FNV-1a of the id: stable across Rust versions and machines.
pub fn tiebreak(id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in id.as_bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Name, alternate name and organization.
fn title_text(service: &Service) -> String {
    let mut parts = vec![service.name.as_str()];
    parts.extend(service.alternate_name.as_deref());
    parts.push(service.organization.name.as_str());
    parts.extend(service.organization.alternate_name.as_deref());
    parts.join(" \n ")
}

/// Short texts whose words should match while still being typed: taxonomy names, audience
/// labels (both languages), municipalities.
fn keyword_texts(service: &Service) -> Vec<String> {
    let mut out: Vec<String> = service.taxonomy.iter().map(|t| t.name.clone()).collect();
    for slug in &service.audiences {
        if let Some(a) = categories::audience(slug) {
            out.extend([a.en.to_string(), a.fr.to_string()]);
        }
    }
    out.extend(service.municipalities().into_iter().map(String::from));
    out
}

/// The taxonomy term names the record carries.
fn terms_text(service: &Service) -> String {
    let names: Vec<&str> = service.taxonomy.iter().map(|t| t.name.as_str()).collect();
    names.join(" \n ")
}

/// navigator's category and audience labels and the broader terms: coarse, so weak.
fn labels_text(service: &Service) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in service.categories.iter().filter_map(|s| categories::category(s)) {
        parts.extend([c.en, c.fr]);
    }
    for a in service.audiences.iter().filter_map(|s| categories::audience(s)) {
        parts.extend([a.en, a.fr]);
    }
    parts.extend(service.broader_terms.iter().map(String::as_str));
    parts.join(" \n ")
}

/// Everything searchable, title included so one field answers a whole query.
fn body_text(service: &Service, title: &str, keywords: &[String]) -> String {
    let mut parts: Vec<&str> = vec![title];
    parts.extend(service.description.as_deref());
    parts.extend(service.eligibility.as_deref());
    parts.extend(service.fees.as_deref());
    parts.extend(service.application_process.as_deref());
    parts.extend(service.interpretation_services.as_deref());
    parts.extend(service.service_areas.iter().map(String::as_str));
    parts.extend(service.taxonomy.iter().map(|t| t.code.as_str()));
    let mut text = parts.join(" \n ");
    for k in keywords {
        text.push_str(" \n ");
        text.push_str(k);
    }
    text
}
