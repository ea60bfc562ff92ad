//! One HSDS 3.0 `service` object (as in service_full.json) to a [`Service`]: the nested
//! organization, service_at_locations with their locations, phones, schedules, languages,
//! attributes with taxonomy terms, cost options, documents and service areas.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::hsds_join::append_note;
use super::json_extension as ext;
use super::schedule_rows;
use super::values::{self, Problems};
use crate::languages;
use crate::model::{Address, Language, Location, Organization, Phone, Service, TaxonomyTerm, WeeklyHours};

type Obj = Map<String, Value>;

/// Where problems found in one service object are reported.
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    /// JSON Lines: the line the object is on.
    pub line: Option<u64>,
    pub problems: &'a mut Problems,
}

impl Ctx<'_> {
    fn skipped(&mut self, field: &str, reason: String) {
        self.problems.skipped(self.file, self.line, Some(field), reason);
    }

    fn repaired(&mut self, field: &str, reason: String) {
        self.problems.repaired(self.file, self.line, Some(field), reason);
    }
}

/// `path.key`, or `key` at the top.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A scalar as text: strings as they are, numbers and booleans written out.
fn scalar(v: Option<&Value>) -> Option<Cow<'_, str>> {
    match v? {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        _ => None,
    }
}

fn raw<'a>(o: &'a Obj, key: &str) -> Cow<'a, str> {
    scalar(o.get(key)).unwrap_or(Cow::Borrowed(""))
}

fn text(o: &Obj, key: &str) -> Option<String> {
    values::clean(&raw(o, key))
}

fn line(o: &Obj, key: &str) -> Option<String> {
    values::clean_line(&raw(o, key))
}

/// The elements of an array with their indexes; a lone object counts as one element.
fn items<'a>(o: &'a Obj, key: &str) -> Vec<(usize, &'a Obj)> {
    match o.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i, v.as_object()?)))
            .collect(),
        Some(Value::Object(m)) => vec![(0, m)],
        _ => Vec::new(),
    }
}

/// Keys only a service object has (one of them must be there), and keys that mark an
/// organization, location, taxonomy term or list wrapper instead.
const SERVICE_KEYS: &[&str] = &[
    "organization",
    "organization_id",
    "service_at_locations",
    "status",
    "fees",
    "fees_description",
    "eligibility_description",
    "application_process",
    "interpretation_services",
    "program",
    "cost_options",
    "service_areas",
    "required_documents",
    "wait_time",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "alert",
    "attributes",
    "schedules",
    "phones",
    "languages",
    "url",
    "email",
    "description",
];
const NOT_SERVICE_KEYS: &[&str] = &[
    "services",
    "service",
    "location",
    "location_type",
    "latitude",
    "website",
    "tax_status",
    "year_incorporated",
    "legal_status",
    "code",
    "term_uri",
    "taxonomy_detail",
    "contents",
    "addresses",
    "parent_organization_id",
    "uri",
    "version",
    "identifier_scheme",
];

pub(crate) fn is_service(o: &Obj) -> bool {
    (o.contains_key("name") || o.contains_key("id"))
        && SERVICE_KEYS.iter().any(|k| o.contains_key(*k))
        && !NOT_SERVICE_KEYS.iter().any(|k| o.contains_key(*k))
}

/// Context a service object inherits from what wraps it: an organization_full's
/// organization, or a service_at_location_full's location, phones and schedules.
#[derive(Default, Clone)]
pub(crate) struct Wrapper<'a> {
    pub organization: Option<&'a Obj>,
    /// The wrapping service_at_location and its path.
    pub service_at_location: Option<(&'a Obj, String)>,
}

/// Maps one service object. `None` (reported) when it has no id or no name.
pub(crate) fn service(o: &Obj, path: &str, wrapper: Wrapper, ctx: &mut Ctx) -> Option<Service> {
    let Some(id) = values::id(&raw(o, "id")).map(str::to_string) else {
        ctx.skipped(&join(path, "id"), "service has no id".into());
        return None;
    };
    let alternate_name = line(o, "alternate_name");
    let Some(name) = line(o, "name").or_else(|| alternate_name.clone()) else {
        ctx.skipped(&join(path, "name"), format!("service {id} has no name"));
        return None;
    };
    let organization = match o
        .get("organization")
        .and_then(Value::as_object)
        .or(wrapper.organization)
    {
        Some(org) => organization(org),
        None => Organization {
            id: values::id(&raw(o, "organization_id")).map(str::to_string),
            ..Default::default()
        },
    };
    let mut s = Service {
        id,
        name,
        alternate_name,
        description: text(o, "description"),
        organization,
        url: line(o, "url"),
        email: line(o, "email"),
        status: line(o, "status"),
        interpretation_services: text(o, "interpretation_services"),
        application_process: text(o, "application_process"),
        wait_time: text(o, "wait_time"),
        fees: text(o, "fees_description").or_else(|| text(o, "fees")),
        eligibility: text(o, "eligibility_description").or_else(|| text(o, "eligibility")),
        program_id: values::id(&raw(o, "program_id")).map(str::to_string).or_else(|| {
            let program = o.get("program").and_then(Value::as_object)?;
            values::id(&raw(program, "id")).map(str::to_string)
        }),
        ..Default::default()
    };
    for (key, slot) in [("minimum_age", &mut s.min_age), ("maximum_age", &mut s.max_age)] {
        match values::age(&raw(o, key)) {
            Ok(a) => *slot = a,
            Err(reason) => ctx.repaired(&join(path, key), format!("{reason}; dropped")),
        }
    }
    for key in ["assured_date", "last_modified"] {
        match values::date(&raw(o, key)) {
            Ok(Some(d)) if s.last_verified.is_none() => s.last_verified = Some(d),
            Ok(_) => {}
            Err(reason) => ctx.repaired(&join(path, key), format!("{reason}; dropped")),
        }
    }
    s.phones = phones(o);
    schedules(o, path, &mut s.schedules, &mut s.hours_note, &mut s.timezone, ctx);
    languages_of(o, &mut s.languages);

    let mut sals: Vec<(&Obj, String)> = items(o, "service_at_locations")
        .into_iter()
        .map(|(i, sal)| (sal, join(path, &format!("service_at_locations[{i}]"))))
        .collect();
    if let Some((sal, sal_path)) = &wrapper.service_at_location {
        sals.insert(0, (sal, sal_path.clone()));
    }
    let mut located = Located::default();
    for (sal, sal_path) in &sals {
        let here = phones(sal);
        located.sal_phones.extend(here.iter().cloned());
        let (mut hours, mut note, mut zone) = (Vec::new(), None, None);
        schedules(sal, sal_path, &mut hours, &mut note, &mut zone, ctx);
        located.schedules.extend(hours.iter().copied());
        if let Some(n) = &note {
            append_note(&mut located.hours_note, n.clone());
        }
        if located.timezone.is_none() {
            located.timezone = zone;
        }
        if let Some(loc) = sal.get("location").and_then(Value::as_object) {
            location(loc, &join(sal_path, "location"), &mut s, &mut located, ctx);
            // What the service has at this location: the service_at_location's phones
            // and hours, else the location's own.
            if let Some(l) = s.locations.last_mut() {
                if !here.is_empty() {
                    l.phones = here;
                }
                if !hours.is_empty() || note.is_some() {
                    (l.schedules, l.hours_note) = (hours, note);
                }
            }
        }
    }
    located.apply(
        &mut s,
        o.get("organization")
            .and_then(Value::as_object)
            .or(wrapper.organization),
    );

    ext::apply_to_service(&mut s, o);
    for (_, attr) in items(o, "attributes")
        .into_iter()
        .filter(|(_, a)| !ext::is_extension(a))
    {
        let term = attr.get("taxonomy_term").and_then(Value::as_object).unwrap_or(attr);
        if let Some(t) = taxonomy_term(term) {
            values::push_unique(&mut s.taxonomy, t);
        }
    }
    for (_, cost) in items(o, "cost_options") {
        let amount = raw(cost, "amount");
        if values::amount_is_zero(&amount) {
            s.free = Some(true);
        }
        if let Some(l) = values::cost_option_text(
            &raw(cost, "option"),
            &amount,
            &raw(cost, "currency"),
            &raw(cost, "amount_description"),
        ) {
            append_note(&mut s.fees, l);
        }
    }
    for doc in list(o, "required_documents", &["document"]) {
        values::push_unique(&mut s.required_documents, doc);
    }
    for area in list(o, "service_areas", &["name", "service_area", "description"]) {
        values::push_unique(&mut s.service_areas, area.replace('\n', " "));
    }
    super::sites::settle(&mut s);
    Some(s)
}

/// Strings in an array of strings or of objects (the first of `keys` that has text).
fn list(o: &Obj, key: &str, keys: &[&str]) -> Vec<String> {
    match o.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| match v {
                Value::Object(m) => keys.iter().find_map(|k| text(m, k)),
                other => scalar(Some(other)).and_then(|t| values::clean(&t)),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn organization(o: &Obj) -> Organization {
    Organization {
        id: ext::source_id(o).or_else(|| values::id(&raw(o, "id")).map(str::to_string)),
        name: line(o, "name").unwrap_or_default(),
        alternate_name: line(o, "alternate_name"),
        description: text(o, "description"),
        url: line(o, "website").or_else(|| line(o, "url")),
        email: line(o, "email"),
    }
}

fn phones(o: &Obj) -> Vec<Phone> {
    items(o, "phones")
        .into_iter()
        .filter_map(|(_, p)| {
            let mut phone = Phone {
                number: values::phone_number(&raw(p, "number"))?,
                extension: line(p, "extension"),
                kind: line(p, "type").map(|k| k.to_lowercase()),
                description: text(p, "description"),
                ..Default::default()
            };
            ext::apply_to_phone(&mut phone, p);
            Some(phone)
        })
        .collect()
}

fn schedules(
    o: &Obj,
    path: &str,
    out: &mut Vec<WeeklyHours>,
    note: &mut Option<String>,
    zone: &mut Option<String>,
    ctx: &mut Ctx,
) {
    for (i, sch) in items(o, "schedules") {
        let days = Some(raw(sch, "byday"))
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| raw(sch, "weekday"));
        match schedule_rows::weekly_hours(&days, &raw(sch, "freq"), &raw(sch, "opens_at"), &raw(sch, "closes_at")) {
            Ok(hours) => out.extend(hours),
            Err((field, reason)) => ctx.skipped(
                &join(path, &format!("schedules[{i}].{field}")),
                format!("{reason}; hours not imported"),
            ),
        }
        if let Some(n) = text(sch, "description").or_else(|| text(sch, "notes")) {
            append_note(note, n);
        }
        if zone.is_none() {
            *zone = values::timezone(&raw(sch, "timezone"));
        }
    }
}

fn languages_of(o: &Obj, out: &mut Vec<Language>) {
    for (_, lang) in items(o, "languages") {
        let found = match languages::resolve(&raw(lang, "code")) {
            // A code navigator does not know keeps the name the source gave it.
            Some((code, name)) if languages::known(&code).is_none() => {
                vec![(code, line(lang, "name").unwrap_or(name))]
            }
            Some(l) => vec![l],
            None => languages::split_list(&raw(lang, "name")),
        };
        for (code, name) in found {
            if !out.iter().any(|l| l.code == code) {
                out.push(Language { code, name });
            }
        }
    }
}

fn taxonomy_term(o: &Obj) -> Option<TaxonomyTerm> {
    let code = line(o, "code").unwrap_or_default();
    let name = line(o, "name").or_else(|| line(o, "term")).unwrap_or_default();
    if code.is_empty() && name.is_empty() {
        return None;
    }
    let vocabulary = line(o, "taxonomy").or_else(|| {
        o.get("taxonomy_detail")
            .and_then(Value::as_object)
            .and_then(|d| line(d, "name"))
    });
    Some(TaxonomyTerm { code, name, vocabulary })
}

/// What the service's locations bring, applied where the service has nothing of its own.
#[derive(Default)]
struct Located {
    sal_phones: Vec<Phone>,
    location_phones: Vec<Phone>,
    schedules: Vec<WeeklyHours>,
    location_schedules: Vec<WeeklyHours>,
    hours_note: Option<String>,
    timezone: Option<String>,
    languages: Vec<Language>,
}

impl Located {
    fn apply(self, s: &mut Service, organization: Option<&Obj>) {
        if s.phones.is_empty() {
            s.phones = if !self.sal_phones.is_empty() {
                self.sal_phones
            } else {
                self.location_phones
            };
        }
        if s.phones.is_empty() {
            s.phones = organization.map(phones).unwrap_or_default();
        }
        // A site's free-text hours describe the service only when the service gives no
        // weekly hours of its own.
        if s.schedules.is_empty() && s.hours_note.is_none() {
            s.hours_note = self.hours_note;
        }
        if s.schedules.is_empty() {
            s.schedules = if !self.schedules.is_empty() {
                self.schedules
            } else {
                self.location_schedules
            };
        }
        if s.timezone.is_none() {
            s.timezone = self.timezone;
        }
        if s.languages.is_empty() {
            s.languages = self.languages;
        }
    }
}

fn location(o: &Obj, path: &str, s: &mut Service, located: &mut Located, ctx: &mut Ctx) {
    let (lat, lon) = (raw(o, "latitude"), raw(o, "longitude"));
    let (latitude, longitude) = values::coordinates(Some(&lat), Some(&lon), |field, reason| {
        ctx.repaired(&join(path, field), reason)
    });
    // The street address, and a postal one beside it as the mailing address.
    let (mut physical, mut postal): (Option<Address>, Option<Address>) = (None, None);
    for (_, a) in items(o, "addresses")
        .into_iter()
        .chain(items(o, "physical_address"))
        .chain(items(o, "postal_address"))
    {
        let slot = match raw(a, "address_type").to_ascii_lowercase().as_str() {
            "" | "physical" => &mut physical,
            "postal" | "mailing" => &mut postal,
            _ => continue,
        };
        if slot.is_some() {
            continue;
        }
        let lines = ["address_1", "address_2", "address_3", "address_4"]
            .iter()
            .filter_map(|k| line(a, k))
            .collect();
        let mut found = Address {
            lines,
            city: line(a, "city"),
            region: line(a, "region"),
            state_province: line(a, "state_province"),
            postal_code: line(a, "postal_code"),
            country: line(a, "country"),
            attention: line(a, "attention"),
            ..Default::default()
        };
        ext::apply_to_address(&mut found, a);
        *slot = Some(found);
    }
    // A postal address alone is the place's address, unless the location says it is
    // only a postal one (a PO box to write to, not a door).
    let postal_only = raw(o, "location_type").eq_ignore_ascii_case("postal");
    let (address, mailing_address) = match physical {
        Some(p) => (Some(p), postal),
        None if postal_only => (None, postal),
        None => (postal, None),
    };
    let own_phones = phones(o);
    let (mut hours, mut note, mut zone) = (Vec::new(), None, None);
    schedules(o, path, &mut hours, &mut note, &mut zone, ctx);
    s.locations.push(Location {
        id: ext::location_id(o).or_else(|| values::id(&raw(o, "id")).map(str::to_string)),
        name: line(o, "name").or_else(|| line(o, "alternate_name")),
        address,
        latitude,
        longitude,
        transportation: text(o, "transportation"),
        mailing_address,
        description: text(o, "description"),
        phones: own_phones.clone(),
        schedules: hours.clone(),
        hours_note: note.clone(),
    });
    located.location_phones.extend(own_phones);
    if let Some(n) = note {
        append_note(&mut located.hours_note, n);
    }

    // Hours of the first location that has any.
    if located.location_schedules.is_empty() && !hours.is_empty() {
        located.location_schedules = hours;
    }
    if located.timezone.is_none() {
        located.timezone = zone;
    }
    let mut langs = Vec::new();
    languages_of(o, &mut langs);
    for lang in langs {
        if !located.languages.iter().any(|l| l.code == lang.code) {
            located.languages.push(lang);
        }
    }
    for (_, acc) in items(o, "accessibility") {
        for note in [
            text(acc, "description"),
            text(acc, "accessibility"),
            text(acc, "details"),
        ]
        .into_iter()
        .flatten()
        {
            values::push_unique(&mut s.accessibility, note);
        }
    }
}
