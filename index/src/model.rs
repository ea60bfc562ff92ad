//! The service record navigator works with, whatever format it was imported from.
//!
//! One `Service` is one searchable, referable unit: what a navigator reads out to a caller.
//! HSDS spreads it over a dozen tables; the importers join them into this shape, and the
//! catalogue stores it as JSON, so every field here is part of the stored format: add
//! fields with `#[serde(default)]`, never rename them.

use serde::{Deserialize, Serialize};

/// A service as navigator stores, indexes and shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    /// The source's service id; the key for upserts.
    pub id: String,
    pub name: String,
    pub alternate_name: Option<String>,
    pub description: Option<String>,
    pub organization: Organization,
    pub url: Option<String>,
    pub email: Option<String>,
    /// HSDS status (active, inactive, defunct, temporarily closed), as given.
    pub status: Option<String>,
    /// Where the service is delivered; the first location with coordinates is the one
    /// used for distance.
    pub locations: Vec<Location>,
    pub phones: Vec<Phone>,
    /// Regular weekly opening hours. Empty means the hours are unknown, not "closed".
    pub schedules: Vec<WeeklyHours>,
    /// Free-text hours as the source wrote them ("Mon-Fri 9-5, closed holidays").
    pub hours_note: Option<String>,
    /// IANA time zone the hours are in; `None` means the machine's zone.
    pub timezone: Option<String>,
    pub languages: Vec<Language>,
    pub fees: Option<String>,
    /// `Some(true)` when the service is known to be free of charge.
    pub free: Option<bool>,
    pub eligibility: Option<String>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    /// Accessibility notes (from service and location accessibility tables).
    pub accessibility: Vec<String>,
    /// `Some(true)` when a location is known to be wheelchair accessible.
    pub wheelchair_accessible: Option<bool>,
    pub application_process: Option<String>,
    pub required_documents: Vec<String>,
    pub interpretation_services: Option<String>,
    pub wait_time: Option<String>,
    pub service_areas: Vec<String>,
    /// Source taxonomy terms exactly as imported (AIRS/211 codes, Open Eligibility, ...).
    pub taxonomy: Vec<TaxonomyTerm>,
    /// Names of the broader terms above the service's own terms ("Homeless Shelter" is
    /// under "Emergency Shelter", under "Housing/Shelter"), where the data gives them: a
    /// search naming a broad term finds the services tagged with narrower ones.
    pub broader_terms: Vec<String>,
    /// navigator's own category slugs (see [`crate::categories::CATEGORIES`]).
    pub categories: Vec<String>,
    /// navigator's own audience slugs (see [`crate::categories::AUDIENCES`]).
    pub audiences: Vec<String>,
    /// True when categories/audiences were guessed from words, not from taxonomy codes.
    pub categories_inferred: bool,
    /// Date (YYYY-MM-DD) the record was last verified or modified at the source.
    pub last_verified: Option<String>,
    /// Language of the record's own text: "en", "fr" or "es" (chooses the stemmer).
    pub text_language: Option<String>,
    /// The source's program id, when it groups services into programs (HSDS `program_id`):
    /// services of one program at several sites are one search result.
    pub program_id: Option<String>,
    /// The legal or official name, when the source gives one besides the public name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_name: Option<String>,
    /// The source marks the service inactive (kept only with `import --include-inactive`).
    #[serde(skip_serializing_if = "is_false")]
    pub inactive: bool,
    /// The source says "do not refer" (iCarol "Active, but do not refer").
    #[serde(skip_serializing_if = "is_false")]
    pub do_not_refer: bool,
    /// The source keeps it out of its public website or directory (iCarol and AIRS
    /// `ExcludeFromWebsite` / `ExcludeFromDirectory`).
    #[serde(skip_serializing_if = "is_false")]
    pub excluded_from_directory: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organization {
    pub id: Option<String>,
    pub name: String,
    pub alternate_name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Location {
    pub id: Option<String>,
    pub name: Option<String>,
    pub address: Option<Address>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Public transport and bus access to the location.
    pub transportation: Option<String>,
    /// Where to send mail, when it differs from the street address (a PO box).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailing_address: Option<Address>,
    /// How to find the place ("next to the main library"), as the source words it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Phones of this site, when the service is offered at several sites with their own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    /// Hours of this site, when they differ from the service's (see [`Service::schedules`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<WeeklyHours>,
    /// Free-text hours of this site, as the source wrote them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    /// Street lines, in order (address_1, address_2, ...), blanks removed.
    pub lines: Vec<String>,
    /// City or town; navigator calls it the municipality.
    pub city: Option<String>,
    pub region: Option<String>,
    pub state_province: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    /// Who to address mail to ("Attn: Intake").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention: Option<String>,
    /// Marked confidential at the source (a shelter's street address): stored, shown only to
    /// confidential readers (see [`crate::confidential`]).
    #[serde(skip_serializing_if = "is_false")]
    pub confidential: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Phone {
    pub number: String,
    pub extension: Option<String>,
    /// What the line is for: `voice` (a main line), `fax`, `tty`, `text`, `cell`,
    /// `hotline`, `after-hours`, `business`, `out-of-area`, or what the source said.
    pub kind: Option<String>,
    pub description: Option<String>,
    /// A toll-free number (1-800, 1-888...).
    #[serde(skip_serializing_if = "is_false")]
    pub toll_free: bool,
    /// Marked confidential at the source: stored, shown only to confidential readers.
    #[serde(skip_serializing_if = "is_false")]
    pub confidential: bool,
}

/// One opening interval on one weekday. `closes` may be less than `opens` for an
/// overnight interval (22:00-06:00 is open from 22:00 into the next morning);
/// 00:00-24:00 is open all day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    pub weekday: Weekday,
    /// Minutes after midnight, 0..=1440.
    #[serde(with = "hhmm")]
    pub opens: u16,
    #[serde(with = "hhmm")]
    pub closes: u16,
}

/// ISO weekday order: Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday .. 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Weekday {
        Self::ALL[i % 7]
    }

    pub fn name(self) -> &'static str {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][self.index()]
    }

    /// Parses "Monday", "mon", "MO" (RRULE), "lundi", "lun", or ISO numbers 1-7 (1 = Monday).
    pub fn parse(text: &str) -> Option<Weekday> {
        let t = text.trim().to_lowercase();
        if let Ok(n) = t.parse::<usize>() {
            return (1..=7).contains(&n).then(|| Weekday::from_index(n - 1));
        }
        const NAMES: [&[&str]; 7] = [
            &["mo", "mon", "monday", "lun", "lundi"],
            &["tu", "tue", "tues", "tuesday", "mar", "mardi"],
            &["we", "wed", "wednesday", "mer", "mercredi"],
            &["th", "thu", "thur", "thurs", "thursday", "jeu", "jeudi"],
            &["fr", "fri", "friday", "ven", "vendredi"],
            &["sa", "sat", "saturday", "sam", "samedi"],
            &["su", "sun", "sunday", "dim", "dimanche"],
        ];
        NAMES
            .iter()
            .position(|names| names.contains(&t.as_str()))
            .map(Weekday::from_index)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Language {
    /// ISO 639-1 code when known ("en", "fr", "es"), else lowercased name.
    pub code: String,
    /// Display name in English ("French").
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxonomyTerm {
    /// e.g. "BD-1800.2000"; may be empty when the source only has names.
    pub code: String,
    pub name: String,
    /// The vocabulary or taxonomy it came from ("AIRS", "Open Eligibility"), when given.
    pub vocabulary: Option<String>,
}

impl Service {
    /// The municipality a navigator would say for this service: the first location's city.
    pub fn municipality(&self) -> Option<&str> {
        self.locations
            .iter()
            .filter_map(|l| l.address.as_ref()?.city.as_deref())
            .next()
    }

    /// Every distinct municipality among the service's locations, in order.
    pub fn municipalities(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for city in self
            .locations
            .iter()
            .filter_map(|l| l.address.as_ref()?.city.as_deref())
        {
            if !out.iter().any(|c| c.eq_ignore_ascii_case(city)) {
                out.push(city);
            }
        }
        out
    }

    /// The point distances are measured from: the first public location with
    /// coordinates; else a confidential one's, rounded to the centre of its
    /// [`crate::confidential::HIDDEN_CELL_DEGREES`] cell, so no distance or radius search
    /// locates a confidential address.
    pub fn coordinates(&self) -> Option<(f64, f64)> {
        let public = self
            .locations
            .iter()
            .filter(|l| !crate::confidential::location_is_hidden(l))
            .find_map(|l| Some((l.latitude?, l.longitude?)));
        public.or_else(|| {
            self.locations
                .iter()
                .find_map(|l| Some(crate::confidential::rounded_point(l.latitude?, l.longitude?)))
        })
    }

    /// The first address, on one line.
    pub fn address_line(&self) -> Option<String> {
        self.locations
            .iter()
            .find_map(|l| l.address.as_ref())
            .map(Address::one_line)
    }
}

impl Address {
    /// "123 Main St, Suite 4, Sudbury, ON P3A 1A1". A confidential address says so: "...
    /// (confidential)" to a reader who may see it, and
    /// [`crate::confidential::WITHHELD_ADDRESS`] once its street is withheld.
    pub fn one_line(&self) -> String {
        if crate::confidential::is_withheld(self) {
            return crate::confidential::WITHHELD_ADDRESS.to_string();
        }
        let line = self.plain_line();
        if self.confidential {
            format!("{line} (confidential)")
        } else {
            line
        }
    }

    fn plain_line(&self) -> String {
        let mut parts: Vec<String> = self.lines.clone();
        let place = [
            self.city.as_deref(),
            self.state_province.as_deref().or(self.region.as_deref()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let place = match self.postal_code.as_deref() {
            Some(pc) if !place.is_empty() => format!("{place} {pc}"),
            Some(pc) => pc.to_string(),
            None => place,
        };
        if !place.is_empty() {
            parts.push(place);
        }
        parts.join(", ")
    }
}

impl Phone {
    /// "705-555-0142 ext. 12"
    pub fn display(&self) -> String {
        match self.extension.as_deref() {
            Some(ext) if !ext.is_empty() => format!("{} ext. {ext}", self.number),
            _ => self.number.clone(),
        }
    }

    /// What a navigator says about the line besides its number: "toll-free", "TTY",
    /// "fax", "hotline, toll-free"; `None` for a plain voice line.
    pub fn kind_label(&self) -> Option<String> {
        let kind = match self.kind.as_deref() {
            None | Some("voice") | Some("") => None,
            Some("tty") => Some("TTY".to_string()),
            Some(k) => Some(k.replace('-', " ")),
        };
        let toll_free = self.toll_free.then(|| "toll-free".to_string());
        let confidential = self.confidential.then(|| "confidential".to_string());
        let parts: Vec<String> = kind.into_iter().chain(toll_free).chain(confidential).collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Serializes minutes after midnight as "HH:MM" so stored records stay readable.
mod hhmm {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(minutes: &u16, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:02}:{:02}", minutes / 60, minutes % 60))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
        let text = String::deserialize(d)?;
        crate::hours::parse_time(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("bad time {text:?}, expected HH:MM")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_parses_names_rrule_codes_french_and_numbers() {
        assert_eq!(Weekday::parse("Monday"), Some(Weekday::Monday));
        assert_eq!(Weekday::parse(" TH "), Some(Weekday::Thursday));
        assert_eq!(Weekday::parse("dimanche"), Some(Weekday::Sunday));
        assert_eq!(Weekday::parse("7"), Some(Weekday::Sunday));
        assert_eq!(Weekday::parse("0"), None);
        assert_eq!(Weekday::parse("someday"), None);
    }

    #[test]
    fn weekly_hours_round_trip_as_hhmm() {
        let h = WeeklyHours {
            weekday: Weekday::Friday,
            opens: 8 * 60 + 30,
            closes: 24 * 60,
        };
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, r#"{"weekday":"friday","opens":"08:30","closes":"24:00"}"#);
        assert_eq!(serde_json::from_str::<WeeklyHours>(&json).unwrap(), h);
    }

    #[test]
    fn phone_kind_labels_say_toll_free_and_tty() {
        let p = |kind: &str, toll_free| Phone {
            number: "1-800-555-0199".into(),
            kind: Some(kind.into()),
            toll_free,
            ..Default::default()
        };
        assert_eq!(p("voice", false).kind_label(), None);
        assert_eq!(p("voice", true).kind_label().as_deref(), Some("toll-free"));
        assert_eq!(p("tty", false).kind_label().as_deref(), Some("TTY"));
        assert_eq!(
            p("after-hours", true).kind_label().as_deref(),
            Some("after hours, toll-free")
        );
    }

    #[test]
    fn address_one_line_joins_what_is_there() {
        let a = Address {
            lines: vec!["12 Elm St".into()],
            city: Some("Sudbury".into()),
            state_province: Some("ON".into()),
            postal_code: Some("P3A 1A1".into()),
            ..Default::default()
        };
        assert_eq!(a.one_line(), "12 Elm St, Sudbury, ON P3A 1A1");
        assert_eq!(Address::default().one_line(), "");
    }
}
