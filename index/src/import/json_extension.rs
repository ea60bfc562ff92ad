//! Reading navigator's own attributes back from HSDS JSON (see
//! [`crate::hsds_extension`]): the source ids, confidential and toll-free marks, phone
//! kinds and statuses a navigator export carries, so that importing it restores the
//! catalogue it came from.

use serde_json::{Map, Value};

use crate::hsds_extension as ext;
use crate::model::{Address, Phone, Service};

type Obj = Map<String, Value>;

/// Whether an attribute object is one of navigator's.
pub(crate) fn is_extension(attr: &Obj) -> bool {
    term_of(attr)
        .and_then(|t| t.get("taxonomy"))
        .and_then(Value::as_str)
        .is_some_and(|t| t == ext::TAXONOMY)
}

fn term_of(attr: &Obj) -> Option<&Obj> {
    attr.get("taxonomy_term").and_then(Value::as_object)
}

/// navigator's (code, value) attributes of an object, in order.
pub(crate) fn values(o: &Obj) -> Vec<(String, String)> {
    let Some(Value::Array(attrs)) = o.get("attributes") else {
        return Vec::new();
    };
    attrs
        .iter()
        .filter_map(Value::as_object)
        .filter(|a| is_extension(a))
        .filter_map(|a| {
            let code = term_of(a)?.get("code")?.as_str()?.to_string();
            let value = a.get("value").and_then(Value::as_str).unwrap_or("").to_string();
            Some((code, value))
        })
        .collect()
}

fn get<'a>(values: &'a [(String, String)], term: &ext::Term) -> Option<&'a str> {
    values.iter().find(|(c, _)| c == term.code).map(|(_, v)| v.as_str())
}

fn yes(values: &[(String, String)], term: &ext::Term) -> bool {
    get(values, term) == Some("true")
}

/// The source's id of a record exported with a UUID in its place.
pub(crate) fn source_id(o: &Obj) -> Option<String> {
    get(&values(o), &ext::SOURCE_ID).map(str::to_string)
}

/// A location's own id, when the export wrote it as its external identifier.
pub(crate) fn location_id(o: &Obj) -> Option<String> {
    let kind = o.get("external_identifier_type").and_then(Value::as_str);
    let id = o.get("external_identifier").and_then(Value::as_str);
    (kind == Some(ext::LOCATION_ID_TYPE))
        .then(|| id.map(str::to_string))
        .flatten()
}

pub(crate) fn apply_to_service(s: &mut Service, o: &Obj) {
    let v = values(o);
    if let Some(id) = get(&v, &ext::SOURCE_ID) {
        s.id = id.to_string();
    }
    if let Some(name) = get(&v, &ext::OFFICIAL_NAME) {
        s.official_name = Some(name.to_string());
    }
    s.inactive |= yes(&v, &ext::INACTIVE);
    s.do_not_refer |= yes(&v, &ext::DO_NOT_REFER);
    s.excluded_from_directory |= yes(&v, &ext::EXCLUDED);
    if yes(&v, &ext::FREE) {
        s.free = Some(true);
    }
    if let Some(zone) = get(&v, &ext::TIMEZONE) {
        s.timezone = Some(zone.to_string());
    }
    for (code, note) in &v {
        if code == ext::ACCESSIBILITY.code && !s.accessibility.contains(note) {
            s.accessibility.push(note.clone());
        }
        if code == ext::BROADER_TERM.code && !s.broader_terms.contains(note) {
            s.broader_terms.push(note.clone());
        }
    }
}

pub(crate) fn apply_to_phone(p: &mut Phone, o: &Obj) {
    let v = values(o);
    if let Some(kind) = get(&v, &ext::PHONE_KIND) {
        p.kind = Some(kind.to_string());
    }
    p.toll_free |= yes(&v, &ext::TOLL_FREE);
    p.confidential |= yes(&v, &ext::CONFIDENTIAL);
}

pub(crate) fn apply_to_address(a: &mut Address, o: &Obj) {
    a.confidential |= yes(&values(o), &ext::CONFIDENTIAL);
}
