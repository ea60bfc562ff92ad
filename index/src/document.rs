//! Turns a [`Service`] into the tantivy document that indexes it.

use tantivy::schema::Facet;
use tantivy::TantivyDocument;

use crate::analysis::edge_ngrams;
use crate::categories;
use crate::hours::{pack_interval, week_intervals};
use crate::model::Service;
use crate::schema::{Fields, AGE_MAX_DEFAULT, AGE_MIN_DEFAULT};
use crate::text::fold;

/// Folded municipality key used for filtering and place lookup ("Grand Sudbury" -> "grand sudbury").
pub fn municipality_key(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn build(fields: &Fields, service: &Service) -> TantivyDocument {
    build_with_record(
        fields,
        service,
        &serde_json::to_vec(service).expect("a Service always serializes"),
    )
}

/// [`build`] with the service's JSON record already made (an import serializes each
/// record once, for the catalogue and the index).
pub fn build_with_record(fields: &Fields, service: &Service, record: &[u8]) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &service.id);
    doc.add_bytes(fields.record, record);

    let title = title_text(service);
    let keywords = keyword_texts(service);
    let body = body_text(service, &title, &keywords);
    let french = service.text_language.as_deref() == Some("fr");
    // Index each text with its own language's stemmer. Titles are short and often mixed
    // ("Centre de santé - Health Centre"), so they go through both.
    doc.add_text(fields.title_en, &title);
    doc.add_text(fields.title_fr, &title);
    doc.add_text(if french { fields.body_fr } else { fields.body_en }, &body);

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
    for language in &service.languages {
        doc.add_text(fields.language, &language.code);
        doc.add_facet(fields.facets, Facet::from_path(["language", language.code.as_str()]));
    }
    if service.free == Some(true) {
        doc.add_text(fields.flag, "free");
    }
    if service.wheelchair_accessible == Some(true) {
        doc.add_text(fields.flag, "accessible");
    }
    doc.add_u64(fields.min_age, service.min_age.map_or(AGE_MIN_DEFAULT, u64::from));
    doc.add_u64(fields.max_age, service.max_age.map_or(AGE_MAX_DEFAULT, u64::from));
    if let Some((lat, lon)) = service.coordinates() {
        doc.add_text(fields.flag, "coords");
        for cell in crate::geo::cells_of(lat, lon) {
            doc.add_text(fields.cell, cell);
        }
        doc.add_f64(fields.lat, lat);
        doc.add_f64(fields.lon, lon);
    }
    if !service.schedules.is_empty() {
        doc.add_text(fields.flag, "hours");
    }
    for (start, end) in week_intervals(&service.schedules) {
        doc.add_u64(fields.hours, pack_interval(start, end));
    }
    doc.add_text(fields.tz, service.timezone.as_deref().unwrap_or(""));
    doc.add_u64(fields.tiebreak, tiebreak(&service.id));
    doc
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

/// Short texts whose words should match while still being typed: taxonomy names,
/// category and audience labels (both languages), municipalities, language names.
fn keyword_texts(service: &Service) -> Vec<String> {
    let mut out: Vec<String> = service.taxonomy.iter().map(|t| t.name.clone()).collect();
    for slug in &service.categories {
        if let Some(c) = categories::category(slug) {
            out.extend([c.en.to_string(), c.fr.to_string()]);
        }
    }
    for slug in &service.audiences {
        if let Some(a) = categories::audience(slug) {
            out.extend([a.en.to_string(), a.fr.to_string()]);
        }
    }
    out.extend(service.municipalities().into_iter().map(String::from));
    out.extend(service.languages.iter().map(|l| l.name.clone()));
    out
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
