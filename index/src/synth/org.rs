//! Generated organizations and their locations (sites with a street address).

use super::places::{Place, PLACES};
use super::rng::Rng;
use super::vocab::{ACCESSIBILITY, ORG_TYPES, SITES, STEMS, STREETS_EN, STREETS_FR, TRANSPORTATION, UNITS};

/// An organization: where it is, which language it works in, and its main site.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    /// Number of the organization's first service, which is also its own number.
    pub n: u64,
    pub id: String,
    pub fr: bool,
    pub place: usize,
    pub stem: usize,
    pub name: String,
    pub description: String,
    /// e.g. "tamarack-sudbury.example.org" (example.org is reserved for examples).
    pub domain: String,
    pub year: u16,
    /// The main site, written with the organization.
    pub main: Location,
}

/// One site. Coordinates are micro-degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// The id's number part: "000123" or "000123-2"; the tables prefix it (loc-, addr-, acc-).
    pub key: String,
    pub name: String,
    pub address_1: String,
    pub address_2: String,
    pub city: &'static str,
    pub postal_code: String,
    pub coordinates: Option<(i32, i32)>,
    pub transportation: Option<&'static str>,
    pub accessibility: Option<&'static str>,
}

impl Org {
    /// Generates organization `n` from its own random stream. `fr` and `place` are chosen
    /// by the caller (they depend on the showcase and on the place weights).
    pub fn generate(rng: &mut Rng, n: u64, fr: bool, place: usize) -> Org {
        let city = PLACES[place].name;
        let stem = rng.index(STEMS.len());
        let (stem_en, stem_fr, slug) = STEMS[stem];
        let (type_en, type_fr) = *rng.pick(ORG_TYPES);
        let year = rng.range(1965, 2019) as u16;
        let (name, description) = if fr {
            let name = format!("{type_fr} {stem_fr}");
            let description = format!(
                "{name} est un organisme sans but lucratif au service de {city} et des environs depuis {year}."
            );
            (name, description)
        } else {
            let name = format!("{stem_en} {type_en}");
            let description =
                format!("{name} is a non-profit organization serving {city} and the surrounding area since {year}.");
            (name, description)
        };
        let domain = format!("{slug}-{}.example.org", slugify(city));
        let key = format!("{n:06}");
        let main = Location::generate(rng, key, name.clone(), place, fr, false);
        Org {
            n,
            id: format!("org-{n:06}"),
            fr,
            place,
            stem,
            name,
            description,
            domain,
            year,
            main,
        }
    }
}

impl Location {
    /// A site in `place`. A confidential site has no street address and no coordinates.
    pub fn generate(rng: &mut Rng, key: String, name: String, place: usize, fr: bool, confidential: bool) -> Location {
        let p: &Place = &PLACES[place];
        let pick = |rng: &mut Rng, pair: &[(&'static str, &'static str)]| {
            let (en, f) = *rng.pick(pair);
            if fr {
                f
            } else {
                en
            }
        };
        if confidential {
            let address_1 = if fr {
                "Adresse confidentielle"
            } else {
                "Confidential address"
            };
            return Location {
                key,
                name,
                address_1: address_1.to_string(),
                address_2: String::new(),
                city: p.name,
                postal_code: String::new(),
                coordinates: None,
                transportation: None,
                accessibility: None,
            };
        }
        let number = rng.range(10, 2400);
        let address_1 = if fr {
            format!("{number}, {}", rng.pick(STREETS_FR))
        } else {
            format!("{number} {}", rng.pick(STREETS_EN))
        };
        let address_2 = if rng.chance(250) {
            let unit = pick(rng, UNITS);
            format!("{unit} {}", rng.range(1, 4) * 100 + rng.range(0, 20))
        } else {
            String::new()
        };
        let fsa = p.fsas[rng.index(p.fsas.len())];
        let postal_code = postal_code(rng, fsa);
        let lat = p.lat + rng.range(-i64::from(p.spread_lat), i64::from(p.spread_lat)) as i32;
        let lon = p.lon + rng.range(-i64::from(p.spread_lon), i64::from(p.spread_lon)) as i32;
        // About one site in twelve has no coordinates (never geocoded).
        let coordinates = (!rng.chance(85)).then_some((lat, lon));
        let transportation = rng.chance(300).then(|| pick(rng, TRANSPORTATION));
        let accessibility = rng.chance(600).then(|| pick(rng, ACCESSIBILITY));
        Location {
            key,
            name,
            address_1,
            address_2,
            city: p.name,
            postal_code,
            coordinates,
            transportation,
            accessibility,
        }
    }

    /// A second site of an organization, named after it.
    pub fn site_name(org_name: &str, rng: &mut Rng, fr: bool) -> String {
        let (en, f) = *rng.pick(SITES);
        format!("{org_name} – {}", if fr { f } else { en })
    }
}

/// A postal code in the FSA: "P3A 2K7". The letters D, F, I, O, Q and U are never used.
fn postal_code(rng: &mut Rng, fsa: &str) -> String {
    const LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXYZ";
    let digit = |rng: &mut Rng| char::from(b'0' + rng.below(10) as u8);
    let (d1, l, d2) = (digit(rng), char::from(*rng.pick(LETTERS)), digit(rng));
    format!("{fsa} {d1}{l}{d2}")
}

/// "Sault Ste. Marie" -> "sault-ste-marie"
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Micro-degrees as a decimal: -79383200 -> "-79.383200".
pub fn format_micro_degrees(value: i32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    format!("{sign}{}.{:06}", abs / 1_000_000, abs % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_coordinates_slugs_and_postal_codes() {
        assert_eq!(format_micro_degrees(-79_383_200), "-79.383200");
        assert_eq!(format_micro_degrees(46_000_001), "46.000001");
        assert_eq!(format_micro_degrees(-5), "-0.000005");
        assert_eq!(slugify("Sault Ste. Marie"), "sault-ste-marie");
        let mut rng = Rng::for_item(1, 1, 1);
        for _ in 0..100 {
            let pc = postal_code(&mut rng, "P3A");
            let b = pc.as_bytes();
            assert!(
                pc.starts_with("P3A ") && b[4].is_ascii_digit() && b[6].is_ascii_digit(),
                "{pc}"
            );
            assert!(!b"DFIOQU".contains(&b[5]) && b[5].is_ascii_uppercase(), "{pc}");
        }
    }
}
