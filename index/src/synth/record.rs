//! One generated service and the generator that makes it from (seed, number) alone.
//!
//! Services are numbered from 1. The first few are a showcase: one service of every kind
//! in English and the key kinds in French, each its own organization, spread over every
//! municipality, so any corpus of a few hundred services covers the whole vocabulary.
//! After the showcase, services come in blocks of [`BLOCK`]; a block's own random stream
//! decides where each organization starts, so a service's organization is found without
//! looking at any other service.

use super::dates::{format_date, format_datetime, reference_day};
use super::kinds_care;
use super::kinds_needs;
use super::org::{Location, Org};
use super::places::PLACES;
use super::rng::{Rng, Weighted, STREAM_BLOCK, STREAM_ORG, STREAM_SERVICE};
use super::taxonomy::term_index;
use super::vocab::*;

/// Kinds that the showcase also lists in French (the French search vocabulary).
const SHOWCASE_FR: &[&str] = &[
    "food-bank",
    "community-health-centre",
    "hospital-clinic",
    "emergency-shelter",
    "rent-assistance",
    "settlement",
    "counselling",
    "crisis-line",
    "legal-clinic",
    "youth-shelter",
    "employment-services",
    "child-care",
    "harm-reduction",
    "walk-in-clinic",
];
const SHOWCASE_FR_PLACES: &[&str] = &[
    "Ottawa",
    "Sudbury",
    "Timmins",
    "Hawkesbury",
    "Cornwall",
    "Rockland",
    "Kapuskasing",
    "Hearst",
    "North Bay",
];

/// Services per block after the showcase, and the chance that a service starts a new
/// organization (about 2.5 services per organization).
pub const BLOCK: u64 = 16;
const NEW_ORG_PER_MILLE: u64 = 380;
/// No organization has more services than this in a row.
const MAX_ORG_SERVICES: u64 = 6;
/// Share of organizations working in French, after the showcase.
const FRENCH_PER_MILLE: u64 = 200;

/// Everything the generator needs that does not depend on the service: built once.
pub struct Generator {
    seed: u64,
    kinds: Vec<&'static Kind>,
    kind_weights: Weighted,
    kind_terms: Vec<Vec<usize>>,
    en_places: Weighted,
    fr_places: Weighted,
    other_languages: Weighted,
    /// (kind, French, place) of each showcase service, in order.
    showcase: Vec<(usize, bool, usize)>,
}

/// One service and what comes with it. Locations in `new_locations` are written with the
/// service; `location_keys` lists every location the service is offered at, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub n: u64,
    pub id: String,
    pub kind: &'static Kind,
    pub fr: bool,
    pub name: String,
    pub alternate_name: Option<String>,
    pub description: String,
    pub url: String,
    pub email: Option<String>,
    pub status: &'static str,
    pub interpretation: Option<&'static str>,
    pub application: &'static str,
    pub fees: String,
    pub wait_time: Option<&'static str>,
    pub eligibility: String,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub assured_date: String,
    pub last_modified: String,
    pub alert: Option<&'static str>,
    pub location_keys: Vec<String>,
    pub new_locations: Vec<Location>,
    pub phones: Vec<Phone>,
    /// Weekly hours and a note; `None` when the hours are unknown.
    pub schedule: Option<(Schedule, Option<&'static str>)>,
    pub languages: Vec<(&'static str, &'static str)>,
    /// Indexes into [`super::taxonomy::TERMS`]; empty for uncoded services.
    pub terms: Vec<usize>,
    pub cost: Option<Cost>,
    pub documents: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phone {
    pub number: String,
    pub extension: Option<u16>,
    /// HSDS 3.0 phone type: voice, fax, text, textphone.
    pub kind: &'static str,
    pub description: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    pub option: &'static str,
    pub amount: u32,
    pub description: &'static str,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        let kinds: Vec<&'static Kind> = kinds_needs::KINDS.iter().chain(kinds_care::KINDS).collect();
        let kind_terms = kinds
            .iter()
            .map(|k| {
                k.codes
                    .iter()
                    .map(|c| term_index(c).unwrap_or_else(|| panic!("{c} is not in TERMS")))
                    .collect()
            })
            .collect();
        let place_index = |name: &str| {
            PLACES
                .iter()
                .position(|p| p.name == name)
                .expect("showcase place exists")
        };
        let mut showcase: Vec<(usize, bool, usize)> = (0..kinds.len()).map(|k| (k, false, k % PLACES.len())).collect();
        for (j, key) in SHOWCASE_FR.iter().enumerate() {
            let kind = kinds.iter().position(|k| k.key == *key).expect("showcase kind exists");
            showcase.push((
                kind,
                true,
                place_index(SHOWCASE_FR_PLACES[j % SHOWCASE_FR_PLACES.len()]),
            ));
        }
        Generator {
            seed,
            kind_weights: Weighted::new(kinds.iter().map(|k| u64::from(k.weight))),
            kinds,
            kind_terms,
            en_places: Weighted::new(PLACES.iter().map(|p| u64::from(p.en))),
            fr_places: Weighted::new(PLACES.iter().map(|p| u64::from(p.fr))),
            other_languages: Weighted::new(OTHER_LANGUAGES.iter().map(|l| l.2)),
            showcase,
        }
    }

    pub fn kinds(&self) -> &[&'static Kind] {
        &self.kinds
    }

    /// Number of showcase services (each its own organization).
    pub fn showcase_len(&self) -> u64 {
        self.showcase.len() as u64
    }

    /// The organization number (its first service's number) of service `n`.
    pub fn org_of(&self, n: u64) -> u64 {
        let s = self.showcase_len();
        if n <= s {
            return n;
        }
        let block = (n - s - 1) / BLOCK;
        let start = s + 1 + block * BLOCK;
        let mut rng = Rng::for_item(self.seed, STREAM_BLOCK, block);
        let mut first = start;
        for offset in 1..=(n - start) {
            let new = rng.chance(NEW_ORG_PER_MILLE);
            if new || start + offset - first >= MAX_ORG_SERVICES {
                first = start + offset;
            }
        }
        first
    }

    /// Organization `n` (a number returned by [`Generator::org_of`]).
    pub fn org(&self, n: u64) -> Org {
        let mut rng = Rng::for_item(self.seed, STREAM_ORG, n);
        let (fr, place) = match self.showcase.get((n as usize).wrapping_sub(1)) {
            Some(&(_, fr, place)) => (fr, place),
            None => {
                let fr = rng.chance(FRENCH_PER_MILLE);
                let place = if fr {
                    self.fr_places.sample(&mut rng)
                } else {
                    self.en_places.sample(&mut rng)
                };
                (fr, place)
            }
        };
        Org::generate(&mut rng, n, fr, place)
    }

    /// Service `n` of organization `org` (which must be `self.org(self.org_of(n))`).
    pub fn service(&self, n: u64, org: &Org) -> Record {
        let mut rng = Rng::for_item(self.seed, STREAM_SERVICE, n);
        let kind_index = match self.showcase.get((n as usize).wrapping_sub(1)) {
            Some(&(kind, _, _)) => kind,
            None => self.kind_weights.sample(&mut rng),
        };
        let kind = self.kinds[kind_index];
        let fr = org.fr;
        let lang = |pair: (&'static str, &'static str)| if fr { pair.1 } else { pair.0 };
        let text = kind.text(fr);
        let place = &PLACES[org.place];
        let city = place.name;

        let mut name = text.name.to_string();
        if rng.chance(100) {
            name.push_str(" – ");
            name.push_str(lang(*rng.pick(QUALIFIERS)));
        }
        let alternate_name = rng.chance(150).then(|| {
            let (stem_en, stem_fr, _) = STEMS[org.stem];
            if fr {
                format!("{} {stem_fr}", text.name)
            } else {
                format!("{stem_en} {}", text.name)
            }
        });
        let mut description = fill(text.desc[rng.index(2)], city);
        if rng.chance(400) {
            description.push(' ');
            description.push_str(lang(*rng.pick(EXTRA_SENTENCES)));
        }
        let eligibility = fill(text.eligibility, city);
        let url = format!("https://{}/{}", org.domain, kind.key);
        let email = rng.chance(400).then(|| format!("{}@{}", kind.key, org.domain));

        let (status, mut alert) = if rng.chance(15) {
            ("temporarily closed", Some(lang(ALERT_CLOSED)))
        } else {
            ("active", None)
        };
        if alert.is_none() && rng.chance(30) {
            alert = Some(lang(ALERT_HOLIDAYS));
        }
        let interpretation = rng.chance(if fr { 100 } else { 200 }).then(|| lang(INTERPRETATION));
        let application = lang(APPLY[kind.apply as usize][rng.index(2)]);
        let slow = matches!(kind.fees, Fees::Sliding) || matches!(kind.apply, Apply::Intake | Apply::Referral);
        let wait_time = if slow && rng.chance(400) {
            Some(lang(*rng.pick(WAIT_TIMES)))
        } else {
            rng.chance(80).then(|| lang(WAIT_TIMES[0]))
        };
        let (fees, cost) = fees(&mut rng, kind.fees, fr);
        let age = |a: u8| (a > 0).then_some(a);

        // Verified mostly within the last year, some up to three years ago.
        let back = match rng.below(100) {
            0..=54 => rng.range(0, 364),
            55..=84 => rng.range(365, 729),
            _ => rng.range(730, 1094),
        };
        let assured = reference_day() - back;
        let modified = (assured + rng.range(0, 20)).min(reference_day());
        let last_modified = format_datetime(modified, rng.below(86_400) as u32);

        // Where: a confidential site, the organization's main site, or a site of its own;
        // now and then a second site.
        let mut location_keys = Vec::with_capacity(2);
        let mut new_locations = Vec::new();
        if kind.confidential {
            let loc = Location::generate(&mut rng, format!("{n:06}-1"), org.name.clone(), org.place, fr, true);
            location_keys.push(loc.key.clone());
            new_locations.push(loc);
        } else {
            if n == org.n || rng.chance(550) {
                location_keys.push(org.main.key.clone());
            } else {
                let name = Location::site_name(&org.name, &mut rng, fr);
                let loc = Location::generate(&mut rng, format!("{n:06}-1"), name, org.place, fr, false);
                location_keys.push(loc.key.clone());
                new_locations.push(loc);
            }
            if rng.chance(30) {
                let name = Location::site_name(&org.name, &mut rng, fr);
                let loc = Location::generate(&mut rng, format!("{n:06}-2"), name, org.place, fr, false);
                location_keys.push(loc.key.clone());
                new_locations.push(loc);
            }
        }

        let phones = phones(&mut rng, kind, place.area_codes, fr);
        let schedule = (!rng.chance(100)).then(|| {
            let variants = HOURS[kind.hours as usize];
            let rows = variants[rng.index(variants.len())];
            let note = if rows[0].1 == "00:00" && rows[0].2 == "24:00" {
                Some(lang(ALWAYS_NOTE))
            } else {
                rng.chance(300).then(|| lang(HOLIDAY_NOTE))
            };
            (rows, note)
        });
        let languages = self.languages(&mut rng, kind, fr, place.north);
        let terms = if rng.chance(50) {
            Vec::new()
        } else {
            self.kind_terms[kind_index].clone()
        };
        let documents = kind
            .docs
            .iter()
            .filter(|_| rng.chance(800))
            .map(|d| lang(DOCS[*d as usize]))
            .collect();

        Record {
            n,
            id: format!("svc-{n:06}"),
            kind,
            fr,
            name,
            alternate_name,
            description,
            url,
            email,
            status,
            interpretation,
            application,
            fees,
            wait_time,
            eligibility,
            min_age: age(kind.ages.0),
            max_age: age(kind.ages.1),
            assured_date: format_date(assured),
            last_modified,
            alert,
            location_keys,
            new_locations,
            phones,
            schedule,
            languages,
            terms,
            cost,
            documents,
        }
    }

    /// The service's own language first, then others people may ask for.
    fn languages(&self, rng: &mut Rng, kind: &Kind, fr: bool, north: bool) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::with_capacity(3);
        if fr {
            out.push(FRENCH);
            if rng.chance(700) {
                out.push(ENGLISH);
            }
        } else {
            out.push(ENGLISH);
        }
        let indigenous = kind.key.starts_with("indigenous");
        if (indigenous && rng.chance(700)) || (north && rng.chance(120)) {
            out.push(*rng.pick(INDIGENOUS_LANGUAGES));
        }
        let extra = if rng.chance(if fr { 100 } else { 350 }) {
            1 + rng.below(2)
        } else {
            0
        };
        for _ in 0..extra {
            let (code, name, _) = OTHER_LANGUAGES[self.other_languages.sample(rng)];
            if !out.iter().any(|(c, _)| *c == code) {
                out.push((code, name));
            }
        }
        out
    }
}

/// Replaces `{city}` in a template.
fn fill(template: &str, city: &str) -> String {
    template.replace("{city}", city)
}

/// The fees text and, for services that charge, a cost option.
fn fees(rng: &mut Rng, fees: Fees, fr: bool) -> (String, Option<Cost>) {
    let lang = |pair: (&'static str, &'static str)| if fr { pair.1 } else { pair.0 };
    let sliding = |rng: &mut Rng| {
        let amount = 40 + 5 * rng.below(17) as u32;
        let cost = Cost {
            option: lang(SLIDING_OPTION),
            amount,
            description: lang(SLIDING_NOTE),
        };
        (lang(SLIDING).to_string(), Some(cost))
    };
    match fees {
        Fees::Free => (lang(FREE).to_string(), None),
        Fees::Mostly if rng.chance(850) => (lang(FREE).to_string(), None),
        Fees::Mostly | Fees::Sliding => sliding(rng),
        Fees::Fee(unit, lo, hi) => {
            let amount = rng.range(i64::from(lo), i64::from(hi)) as u32;
            let unit = lang(FEE_UNITS[unit]);
            let text = if fr {
                format!("{amount} $ {unit}; renseignez-vous sur les subventions.")
            } else {
                format!("${amount} {unit}; ask about subsidies.")
            };
            (
                text,
                Some(Cost {
                    option: lang(FEE_OPTION),
                    amount,
                    description: unit,
                }),
            )
        }
    }
}

/// A main line in the 555-01xx fictional range of the city's area code, and sometimes an
/// extension, a TTY line, a fax or a text line.
fn phones(rng: &mut Rng, kind: &Kind, area_codes: &[&str], fr: bool) -> Vec<Phone> {
    let lang = |pair: (&'static str, &'static str)| if fr { pair.1 } else { pair.0 };
    let area = if area_codes.len() == 1 || rng.chance(750) {
        area_codes[0]
    } else {
        area_codes[rng.index(area_codes.len())]
    };
    let number = |rng: &mut Rng| format!("{area}-555-01{:02}", rng.below(100));
    let line = kind.apply == Apply::Line;
    let mut out = Vec::with_capacity(2);
    let description = if line {
        Some(lang(("24-hour line", "Ligne 24 heures")))
    } else {
        rng.chance(400).then(|| lang(("Main line", "Ligne principale")))
    };
    let extension = (!line && rng.chance(150)).then(|| rng.range(100, 399) as u16);
    out.push(Phone {
        number: number(rng),
        extension,
        kind: "voice",
        description,
    });
    if kind.key == "deaf-services" || rng.chance(60) {
        out.push(Phone {
            number: number(rng),
            extension: None,
            kind: "textphone",
            description: Some(lang(("TTY", "ATS"))),
        });
    }
    if line && rng.chance(300) {
        out.push(Phone {
            number: number(rng),
            extension: None,
            kind: "text",
            description: Some(lang(("Text line", "Ligne texto"))),
        });
    }
    if !line && rng.chance(200) {
        out.push(Phone {
            number: number(rng),
            extension: None,
            kind: "fax",
            description: None,
        });
    }
    out
}
