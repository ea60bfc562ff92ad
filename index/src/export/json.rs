//! One [`Service`] as an HSDS 3.0 `service` object (the `service_full` shape the official
//! compiled `service.json` schema describes): its organization, locations through
//! `service_at_locations`, phones, schedules, languages, taxonomy attributes, areas and
//! documents. What HSDS has no field for goes in `navigator` attributes
//! ([`crate::hsds_extension`]).

use serde_json::{json, Map, Value};

use super::ids;
use super::Tally;
use crate::hours::format_time;
use crate::hsds_extension::{self as ext, Term};
use crate::model::{Address, Location, Organization, Phone, Service, TaxonomyTerm, WeeklyHours};

type Obj = Map<String, Value>;

fn put(o: &mut Obj, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        o.insert(key.into(), Value::String(v.into()));
    }
}

pub(crate) fn service(s: &Service, tally: &mut Tally) -> Value {
    let (id, id_is_uuid) = ids::record("service", &s.id);
    let organization = organization(&s.organization, &id, tally);
    let mut o = Obj::new();
    o.insert("id".into(), id.clone().into());
    o.insert("organization_id".into(), organization["id"].clone());
    o.insert("name".into(), s.name.clone().into());
    put(&mut o, "alternate_name", s.alternate_name.as_deref());
    put(&mut o, "description", s.description.as_deref());
    put(&mut o, "url", web_address(s.url.as_deref(), tally).as_deref());
    put(&mut o, "email", email(s.email.as_deref(), tally));
    o.insert("status".into(), status(s).into());
    put(&mut o, "interpretation_services", s.interpretation_services.as_deref());
    put(&mut o, "application_process", s.application_process.as_deref());
    put(&mut o, "fees_description", s.fees.as_deref());
    put(&mut o, "wait_time", s.wait_time.as_deref());
    put(&mut o, "eligibility_description", s.eligibility.as_deref());
    if let Some(a) = s.min_age {
        o.insert("minimum_age".into(), a.into());
    }
    if let Some(a) = s.max_age {
        o.insert("maximum_age".into(), a.into());
    }
    put(&mut o, "assured_date", s.last_verified.as_deref());
    o.insert("phones".into(), phones(&s.phones, "service_id", &id, tally).into());
    o.insert(
        "schedules".into(),
        schedules(&s.schedules, s.hours_note.as_deref(), "service_id", &id).into(),
    );
    let areas: Vec<Value> = s
        .service_areas
        .iter()
        .enumerate()
        .map(|(i, a)| json!({"id": ids::part("service_area", &id, i), "service_id": id, "name": a}))
        .collect();
    o.insert("service_areas".into(), areas.into());
    let documents: Vec<Value> = s
        .required_documents
        .iter()
        .enumerate()
        .map(|(i, d)| json!({"id": ids::part("required_document", &id, i), "service_id": id, "document": d}))
        .collect();
    o.insert("required_documents".into(), documents.into());
    let languages: Vec<Value> = s
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| json!({"id": ids::part("language", &id, i), "service_id": id, "name": l.name, "code": l.code}))
        .collect();
    o.insert("languages".into(), languages.into());
    let sals: Vec<Value> = s
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| {
            // The service's accessibility notes travel with its first location.
            let notes = if i == 0 { &s.accessibility[..] } else { &[][..] };
            let location = location(l, i, &id, notes);
            // Phones and hours of the service at this site, where they differ from the
            // service's own.
            let sal = ids::part("service_at_location", &id, i);
            json!({
                "id": sal,
                "service_id": id,
                "location_id": location["id"].clone(),
                "phones": phones(&l.phones, "service_at_location_id", &sal, tally),
                "schedules": schedules(&l.schedules, l.hours_note.as_deref(), "service_at_location_id", &sal),
                "location": location,
            })
        })
        .collect();
    o.insert("service_at_locations".into(), sals.into());
    o.insert("organization".into(), organization);
    o.insert("attributes".into(), service_attributes(s, &id, id_is_uuid).into());
    Value::Object(o)
}

/// HSDS's four statuses; anything else a source wrote reads as active unless marked inactive.
fn status(s: &Service) -> &'static str {
    let given = s.status.as_deref().map(str::to_ascii_lowercase).unwrap_or_default();
    match given.as_str() {
        "inactive" => "inactive",
        "defunct" => "defunct",
        "temporarily closed" => "temporarily closed",
        _ if s.inactive => "inactive",
        _ => "active",
    }
}

fn organization(org: &Organization, service_id: &str, tally: &mut Tally) -> Value {
    let key = org.id.clone().unwrap_or_else(|| format!("{}#{}", org.name, service_id));
    let (id, id_is_uuid) = ids::record("organization", &key);
    let mut o = Obj::new();
    o.insert("id".into(), id.clone().into());
    o.insert("name".into(), org.name.clone().into());
    put(&mut o, "alternate_name", org.alternate_name.as_deref());
    o.insert("description".into(), org.description.clone().unwrap_or_default().into());
    put(&mut o, "website", web_address(org.url.as_deref(), tally).as_deref());
    put(&mut o, "email", email(org.email.as_deref(), tally));
    let mut attrs = Vec::new();
    if let (Some(source), false) = (&org.id, id_is_uuid) {
        attrs.push(extension(&ext::SOURCE_ID, source, "organization", &id, 0));
    }
    o.insert("attributes".into(), attrs.into());
    Value::Object(o)
}

fn location(l: &Location, i: usize, service_id: &str, notes: &[String]) -> Value {
    let (id, id_is_uuid) = match &l.id {
        Some(source) => ids::record("location", source),
        None => (ids::part("location", service_id, i), true),
    };
    let kind = if l.address.is_some() || l.latitude.is_some() {
        "physical"
    } else if l.mailing_address.is_some() {
        "postal"
    } else {
        "virtual"
    };
    let mut o = Obj::new();
    o.insert("id".into(), id.clone().into());
    o.insert("location_type".into(), kind.into());
    put(&mut o, "name", l.name.as_deref());
    put(&mut o, "description", l.description.as_deref());
    put(&mut o, "transportation", l.transportation.as_deref());
    if let (Some(lat), Some(lon)) = (l.latitude, l.longitude) {
        o.insert("latitude".into(), lat.into());
        o.insert("longitude".into(), lon.into());
    }
    if let (Some(source), false) = (&l.id, id_is_uuid) {
        o.insert("external_identifier".into(), source.clone().into());
        o.insert("external_identifier_type".into(), ext::LOCATION_ID_TYPE.into());
    }
    let mut addresses = Vec::new();
    for (a, kind) in [(&l.address, "physical"), (&l.mailing_address, "postal")] {
        if let Some(a) = a {
            addresses.push(address(a, kind, &id, addresses.len()));
        }
    }
    o.insert("addresses".into(), addresses.into());
    let accessibility: Vec<Value> = notes
        .iter()
        .enumerate()
        .map(|(j, n)| json!({"id": ids::part("accessibility", &id, j), "location_id": id, "description": n}))
        .collect();
    o.insert("accessibility".into(), accessibility.into());
    Value::Object(o)
}

/// An address: HSDS has two street lines, so a third goes on the second.
fn address(a: &Address, kind: &str, location_id: &str, i: usize) -> Value {
    let id = ids::part("address", location_id, i);
    let mut o = Obj::new();
    o.insert("id".into(), id.clone().into());
    o.insert("location_id".into(), location_id.into());
    put(&mut o, "attention", a.attention.as_deref());
    o.insert("address_1".into(), a.lines.first().cloned().unwrap_or_default().into());
    if a.lines.len() > 1 {
        o.insert("address_2".into(), a.lines[1..].join(", ").into());
    }
    o.insert("city".into(), a.city.clone().unwrap_or_default().into());
    put(&mut o, "region", a.region.as_deref());
    o.insert(
        "state_province".into(),
        a.state_province.clone().unwrap_or_default().into(),
    );
    o.insert("postal_code".into(), a.postal_code.clone().unwrap_or_default().into());
    o.insert("country".into(), a.country.clone().unwrap_or_default().into());
    o.insert("address_type".into(), kind.into());
    let mut attrs = Vec::new();
    if a.confidential {
        attrs.push(extension(&ext::CONFIDENTIAL, "true", "address", &id, 0));
    }
    o.insert("attributes".into(), attrs.into());
    Value::Object(o)
}

/// HSDS phone types; navigator's finer kinds (hotline, after-hours, TTY) travel as a
/// `phone-kind` attribute beside the nearest HSDS type.
fn hsds_phone_type(kind: &str) -> &'static str {
    match kind {
        "fax" => "fax",
        "tty" => "textphone",
        "text" => "text",
        "cell" => "cell",
        _ => "voice",
    }
}

fn phones(list: &[Phone], owner_key: &str, owner: &str, tally: &mut Tally) -> Vec<Value> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let id = ids::part("phone", owner, i);
            let kind = p.kind.as_deref().unwrap_or("voice");
            let mut o = Obj::new();
            o.insert("id".into(), id.clone().into());
            o.insert(owner_key.into(), owner.into());
            o.insert("number".into(), p.number.clone().into());
            let mut description = p.description.clone();
            if let Some(ext) = p.extension.as_deref().filter(|e| !e.is_empty()) {
                match ext.parse::<u64>() {
                    Ok(n) => {
                        o.insert("extension".into(), n.into());
                    }
                    Err(_) => {
                        // HSDS extensions are numbers: "press 2" goes with the description.
                        *tally
                            .changed
                            .entry("phone extensions that are not numbers, put in the description".into())
                            .or_default() += 1;
                        description = Some(match description {
                            Some(d) => format!("{d} (ext. {ext})"),
                            None => format!("ext. {ext}"),
                        });
                    }
                }
            }
            o.insert("type".into(), hsds_phone_type(kind).into());
            put(&mut o, "description", description.as_deref());
            let mut attrs = Vec::new();
            if kind != hsds_phone_type(kind) {
                attrs.push(extension(&ext::PHONE_KIND, kind, "phone", &id, attrs.len()));
            }
            if p.toll_free {
                attrs.push(extension(&ext::TOLL_FREE, "true", "phone", &id, attrs.len()));
            }
            if p.confidential {
                attrs.push(extension(&ext::CONFIDENTIAL, "true", "phone", &id, attrs.len()));
            }
            o.insert("attributes".into(), attrs.into());
            Value::Object(o)
        })
        .collect()
}

const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Weekly hours as HSDS schedules, one per opening time with the days it applies to
/// (`byday` "MO,TU,WE"), and the free-text hours as a schedule of its own.
fn schedules(hours: &[WeeklyHours], note: Option<&str>, owner_key: &str, owner: &str) -> Vec<Value> {
    let mut groups: Vec<((u16, u16), Vec<&str>)> = Vec::new();
    for h in hours {
        let day = BYDAY[h.weekday.index()];
        match groups.iter_mut().find(|(times, _)| *times == (h.opens, h.closes)) {
            Some((_, days)) => days.push(day),
            None => groups.push(((h.opens, h.closes), vec![day])),
        }
    }
    let hhmm = |m: u16| {
        let t = format_time(m);
        if t.len() == 4 {
            format!("0{t}")
        } else {
            t
        }
    };
    let mut out: Vec<Value> = groups
        .iter()
        .enumerate()
        .map(|(i, ((opens, closes), days))| {
            json!({
                "id": ids::part("schedule", owner, i),
                owner_key: owner,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": days.join(","),
                "opens_at": hhmm(*opens),
                "closes_at": hhmm(*closes),
            })
        })
        .collect();
    if let Some(note) = note {
        out.push(json!({"id": ids::part("schedule", owner, out.len()), owner_key: owner, "description": note}));
    }
    out
}

fn taxonomy_term(t: &TaxonomyTerm) -> Value {
    let key = format!("{}|{}|{}", t.vocabulary.as_deref().unwrap_or(""), t.code, t.name);
    let id = ids::record("taxonomy_term", &key).0;
    let mut o = Obj::new();
    o.insert("id".into(), id.into());
    put(&mut o, "code", Some(t.code.as_str()));
    o.insert("name".into(), t.name.clone().into());
    o.insert("description".into(), "".into());
    put(&mut o, "taxonomy", t.vocabulary.as_deref());
    Value::Object(o)
}

fn attribute(term: Value, value: Option<&str>, entity: &str, owner: &str, i: usize) -> Value {
    let mut o = Obj::new();
    o.insert("id".into(), ids::part(&format!("attribute:{entity}"), owner, i).into());
    o.insert("link_id".into(), owner.into());
    o.insert("link_entity".into(), entity.into());
    o.insert("taxonomy_term_id".into(), term["id"].clone());
    o.insert("taxonomy_term".into(), term);
    put(&mut o, "value", value);
    Value::Object(o)
}

/// A `navigator` extension attribute saying `value`.
fn extension(t: &Term, value: &str, entity: &str, owner: &str, i: usize) -> Value {
    let term = json!({
        "id": ids::record("taxonomy_term", &format!("{}|{}", ext::TAXONOMY, t.code)).0,
        "code": t.code,
        "name": t.name,
        "description": t.description,
        "taxonomy": ext::TAXONOMY,
    });
    attribute(term, Some(value), entity, owner, i)
}

fn service_attributes(s: &Service, id: &str, id_is_uuid: bool) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for t in &s.taxonomy {
        let i = out.len();
        out.push(attribute(taxonomy_term(t), None, "service", id, i));
    }
    let mut add = |t: &Term, value: &str| {
        let i = out.len();
        out.push(extension(t, value, "service", id, i));
    };
    if !id_is_uuid {
        add(&ext::SOURCE_ID, &s.id);
    }
    if let Some(o) = &s.official_name {
        add(&ext::OFFICIAL_NAME, o);
    }
    for (on, t) in [
        (s.inactive, &ext::INACTIVE),
        (s.do_not_refer, &ext::DO_NOT_REFER),
        (s.excluded_from_directory, &ext::EXCLUDED),
    ] {
        if on {
            add(t, "true");
        }
    }
    if s.free == Some(true) {
        add(&ext::FREE, "true");
    }
    if let Some(z) = &s.timezone {
        add(&ext::TIMEZONE, z);
    }
    if s.locations.is_empty() {
        for note in &s.accessibility {
            add(&ext::ACCESSIBILITY, note);
        }
    }
    for name in &s.broader_terms {
        add(&ext::BROADER_TERM, name);
    }
    out
}

/// A website as HSDS's `uri` format wants it, or `None` (counted) when it is not one.
fn web_address(url: Option<&str>, tally: &mut Tally) -> Option<String> {
    let url = url?.trim();
    let with_scheme = crate::import::web_address(url);
    let ok = (with_scheme.starts_with("http://") || with_scheme.starts_with("https://"))
        && !with_scheme.contains(char::is_whitespace)
        && with_scheme
            .split("://")
            .nth(1)
            .is_some_and(|rest| rest.split('/').next().is_some_and(|h| h.contains('.')));
    if ok {
        Some(with_scheme)
    } else {
        *tally
            .changed
            .entry("websites that are not web addresses, left out".into())
            .or_default() += 1;
        None
    }
}

fn email<'a>(email: Option<&'a str>, tally: &mut Tally) -> Option<&'a str> {
    let e = email?.trim();
    let ok = e.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    }) && !e.contains(char::is_whitespace)
        && e.matches('@').count() == 1;
    if ok {
        Some(e)
    } else {
        *tally
            .changed
            .entry("emails that are not addresses, left out".into())
            .or_default() += 1;
        None
    }
}
