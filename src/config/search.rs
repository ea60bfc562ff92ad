//! `[search]` and `[catalogue]`: the navigator's home area, the stemmers for queries, and
//! the directory's time zone.

use navigator_index::geo::parse_lat_lon;
use navigator_index::{Near, SearchSettings, StemLanguage};

use super::*;

/// `[search]`: how searches run for this office or navigator.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct SearchSection {
    /// The home area: a municipality or postal code in the directory, or "LAT,LON".
    home: Option<String>,
    /// Stemmers for queries ("en", "fr", "es"); unset: the languages of the records.
    languages: Option<Vec<String>>,
}

/// `[catalogue]`: facts about the directory the data does not always give.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct CatalogueSection {
    /// IANA time zone of the directory's hours, for records that give none.
    timezone: Option<String>,
}

/// The machine's IANA time zone name ("UTC" when it has none it can name).
pub fn machine_zone() -> String {
    jiff::tz::TimeZone::system().iana_name().unwrap_or("UTC").to_string()
}

impl Config {
    /// `[search] home`, `[search] languages` and `[catalogue] timezone`, checked.
    pub fn search_settings(&self) -> Result<SearchSettings, Failure> {
        let file = self.typed()?;
        let home = match file.search.home.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                return Err(Failure::data(format!(
                    "{}[search] home: expected a municipality, a postal code or \"LAT,LON\"",
                    self.blame("search.home")
                )))
            }
            Some(text) => Some(match parse_lat_lon(text) {
                Some(point) => Near::Point(point),
                None => Near::Place(text.to_string()),
            }),
        };
        let languages = match file.search.languages {
            None => None,
            Some(list) => {
                let mut out: Vec<StemLanguage> = Vec::new();
                for l in &list {
                    let Some(language) = StemLanguage::from_code(l) else {
                        return Err(Failure::data(format!(
                            "{}[search] languages: {l:?} is not a language navigator can stem: expected \"en\", \"fr\" or \"es\"",
                            self.blame("search.languages")
                        )));
                    };
                    if !out.contains(&language) {
                        out.push(language);
                    }
                }
                (!out.is_empty()).then_some(out)
            }
        };
        Ok(SearchSettings {
            languages,
            home,
            timezone: self.catalogue_timezone()?,
        })
    }

    /// `[catalogue] timezone`, an IANA name ("America/Toronto"), checked.
    pub fn catalogue_timezone(&self) -> Result<Option<String>, Failure> {
        let Some(zone) = self.typed()?.catalogue.timezone else {
            return Ok(None);
        };
        let zone = zone.trim().to_string();
        if jiff::tz::TimeZone::get(&zone).is_err() {
            return Err(Failure::data(format!(
                "{}[catalogue] timezone = {zone:?}: not a time zone name; expected an IANA name such as \"America/Toronto\"",
                self.blame("catalogue.timezone")
            )));
        }
        Ok(Some(zone))
    }

    /// Where `[search] home` came from, for messages about it.
    pub fn home_origin(&self) -> Origin {
        self.origin("search.home")
    }
}
