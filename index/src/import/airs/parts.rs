//! The parts AIRS records share: phones, addresses, opening hours, languages, taxonomy
//! codes, coordinates and status attributes.

use super::node::Node;
use super::At;
use crate::hours::parse_time;
use crate::import::status::Status;
use crate::import::{hours_text, html_text, phone_lines, values};
use crate::languages;
use crate::model::{Address, Language, Phone, TaxonomyTerm, Weekday, WeeklyHours};

/// Phones of a record. A placeholder with no number (iCarol writes one per unused line)
/// is dropped; `TollFree` and `Confidential` are kept.
pub(crate) fn phones(record: &Node) -> Vec<Phone> {
    let mut out: Vec<Phone> = Vec::new();
    for p in record.all("Phone") {
        let kind_text = p.text_of("Type").unwrap_or("");
        let kind = phone_lines::kind_from_label(kind_text);
        // "Phone1".."Phone5" and "Voice" are not names worth reading out.
        let generic = kind_text.is_empty()
            || kind.is_some()
            || kind_text.eq_ignore_ascii_case("voice")
            || (kind_text.len() <= 7 && kind_text.to_ascii_lowercase().starts_with("phone"));
        let label = p
            .text_of("Description")
            .or_else(|| p.text_of("Function"))
            .or((!generic).then_some(kind_text))
            .unwrap_or("");
        let Some(mut phone) = phone_lines::phone(
            p.text_of("PhoneNumber").unwrap_or(""),
            p.text_of("Extension").unwrap_or(""),
            label,
            kind,
        ) else {
            continue;
        };
        phone.toll_free |= p.flag("TollFree").unwrap_or(false);
        phone.confidential = p.flag("Confidential").unwrap_or(false);
        let digits = values::phone_digits(&phone.number);
        if !out
            .iter()
            .any(|q| values::phone_digits(&q.number) == digits && q.extension == phone.extension)
        {
            out.push(phone);
        }
    }
    out
}

/// An address element (`PhysicalAddress`, `MailingAddress`); `None` when it has no lines,
/// city or postal code (only a `ReasonWithheld`, say).
pub(crate) fn address(a: &Node) -> Option<Address> {
    let line = |name: &str| a.text_of(name).and_then(values::clean_line);
    let lines: Vec<String> = ["PreAddressLine", "Line1", "Line2"]
        .iter()
        .filter_map(|n| line(n))
        .collect();
    let city = line("City");
    let postal_code = line("ZipCode");
    if lines.is_empty() && city.is_none() && postal_code.is_none() {
        return None;
    }
    Some(Address {
        lines,
        city,
        region: line("County"),
        state_province: line("State"),
        postal_code,
        country: line("Country"),
        attention: None,
        confidential: a.flag("Confidential").unwrap_or(false),
    })
}

/// Weekly hours from `TimeOpen` blocks: each weekday element holds one or more From/To
/// pairs (a split shift is two pairs, or the day repeated). The first block with hours
/// gives the schedule; `Notes` are kept as the hours note, and read as free-text hours
/// when no block gives any ("Mon-Fri 9 am-5 pm").
pub(crate) fn time_open(record: &Node, path: &str, at: &mut At) -> (Vec<WeeklyHours>, Option<String>) {
    let mut notes: Vec<String> = Vec::new();
    let mut hours: Vec<WeeklyHours> = Vec::new();
    for block in record.all("TimeOpen") {
        if let Some(n) = block.text_of("Notes").and_then(html_text::to_text) {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        if !hours.is_empty() {
            continue;
        }
        for day in &block.children {
            let Some(weekday) = Weekday::parse(&day.name) else {
                continue;
            };
            let mut from: Option<u16> = None;
            for part in &day.children {
                let time = part.text.trim();
                if time.is_empty() {
                    continue;
                }
                let Some(minutes) = parse_time(time) else {
                    at.repaired(
                        part.line,
                        &format!("{path}/TimeOpen/{}/{}", day.name, part.name),
                        format!("{time:?} is not a time; that opening is dropped"),
                    );
                    continue;
                };
                match (part.name.as_str(), from) {
                    ("From", _) => from = Some(minutes),
                    ("To", Some(opens)) => {
                        if opens != minutes {
                            hours.push(WeeklyHours {
                                weekday,
                                opens,
                                closes: minutes,
                            });
                        }
                        from = None;
                    }
                    _ => {}
                }
            }
        }
    }
    let note = (!notes.is_empty()).then(|| notes.join("\n"));
    if hours.is_empty() {
        if let Some(parsed) = note.as_deref().and_then(hours_text::parse) {
            hours = parsed;
        }
    }
    hours.sort_by_key(|h| (h.weekday, h.opens, h.closes));
    hours.dedup();
    (hours, note)
}

/// Languages from `Languages` blocks (each `Name`, with qualifiers dropped), and the
/// notes and names that are not languages, for the interpretation note.
pub(crate) fn languages_of(record: &Node) -> (Vec<Language>, Vec<String>) {
    let mut langs: Vec<Language> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for block in record.all("Languages") {
        for name in block.texts("Name") {
            let (found, other) = languages::offered(name);
            for (code, name) in found {
                if !langs.iter().any(|l| l.code == code) {
                    langs.push(Language { code, name });
                }
            }
            notes.extend(other);
        }
        notes.extend(block.texts("Notes").filter_map(html_text::to_line));
    }
    notes.dedup();
    (langs, notes)
}

/// Taxonomy terms from `Taxonomy` blocks: AIRS codes as codes; anything else (BC 211's
/// `{what:'CAMPS',who:'Children'}`) kept as a tag, its values as the term's name, so its
/// words are searchable.
pub(crate) fn taxonomy(record: &Node) -> Vec<TaxonomyTerm> {
    let mut out: Vec<TaxonomyTerm> = Vec::new();
    for block in record.all("Taxonomy") {
        for code in block.texts("Code") {
            let term = if crate::categories::is_airs_code(code) {
                TaxonomyTerm {
                    code: code.to_string(),
                    name: String::new(),
                    vocabulary: Some(crate::import::icarol::taxonomy::AIRS.into()),
                }
            } else {
                TaxonomyTerm {
                    code: String::new(),
                    name: custom_code_words(code),
                    vocabulary: Some("custom".into()),
                }
            };
            if !term.name.is_empty() || !term.code.is_empty() {
                values::push_unique(&mut out, term);
            }
        }
    }
    out
}

/// `{what:'RESIDENTIAL CARE',why:'disability',who:'Seniors'}` -> "RESIDENTIAL CARE - disability - Seniors".
fn custom_code_words(code: &str) -> String {
    let inner = code.trim().trim_start_matches('{').trim_end_matches('}');
    if !inner.contains(':') {
        return values::clean_line(code).unwrap_or_default();
    }
    inner
        .split(',')
        .filter_map(|pair| pair.split_once(':'))
        .map(|(_, v)| v.trim().trim_matches(['\'', '"']).trim().to_string())
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" - ")
}

/// Coordinates from `SpatialLocation`: `Latitude`/`Longitude`, or `"lat, long"` written
/// in `Datum` (iCarol's exports). The first usable block wins.
pub(crate) fn coordinates(site: &Node, path: &str, at: &mut At) -> (Option<f64>, Option<f64>) {
    for block in site.all("SpatialLocation") {
        let (mut lat, mut lon) = (block.text_of("Latitude"), block.text_of("Longitude"));
        let datum = block.text_of("Datum").and_then(|d| d.split_once(','));
        if lat.is_none() && lon.is_none() {
            if let Some((a, b)) = datum {
                (lat, lon) = (Some(a.trim()), Some(b.trim()));
            }
        }
        let lat = lat.map(|l| l.trim_start_matches('+'));
        let lon = lon.map(|l| l.trim_start_matches('+'));
        let found = values::coordinates(lat, lon, |field, reason| {
            let name = if field == "latitude" { "Latitude" } else { "Longitude" };
            at.repaired(block.line, &format!("{path}/SpatialLocation/{name}"), reason)
        });
        if found.0.is_some() {
            return found;
        }
    }
    (None, None)
}

/// What a record's status attributes say: `Status` (3.1), `delete`, `ExcludeFromWebsite`,
/// `ExcludeFromDirectory`, and its `ResourceInfo`'s `AvailableForReferral` and
/// `AvailableForDirectory`.
pub(crate) fn status(record: &Node) -> Status {
    let status = record.attr("Status").map(str::to_ascii_lowercase).unwrap_or_default();
    let info = record.child("ResourceInfo");
    Status {
        inactive: status.contains("inactive")
            || status.contains("defunct")
            || status.contains("closed")
            || record.flag("delete") == Some(true),
        do_not_refer: info.and_then(|i| i.flag("AvailableForReferral")) == Some(false),
        excluded: record.flag("ExcludeFromWebsite") == Some(true)
            || record.flag("ExcludeFromDirectory") == Some(true)
            || info.and_then(|i| i.flag("AvailableForDirectory")) == Some(false),
    }
}
