//! Where the store is and which office this server is: `database` (a PostgreSQL URL;
//! absent, the SQLite file in the data directory) and `office` in config.toml, with
//! `NAVIGATOR_DATABASE_URL` and `NAVIGATOR_OFFICE` overriding them.

use super::*;
use crate::store::{Location, StoreError};

/// The variable that names the database, overriding `database` in a config file.
pub const DATABASE_VAR: &str = "NAVIGATOR_DATABASE_URL";
pub const OFFICE_VAR: &str = "NAVIGATOR_OFFICE";

impl Config {
    /// The configured database URL and where it came from, or None for the SQLite file.
    pub fn database(&self) -> Result<Option<(String, Origin)>, Failure> {
        if let Some(url) = std::env::var(DATABASE_VAR).ok().filter(|u| !u.trim().is_empty()) {
            return Ok(Some((url, Origin::Environment(DATABASE_VAR))));
        }
        let Some(value) = self.get("database") else {
            return Ok(None);
        };
        let url = value.as_str().ok_or_else(|| {
            Failure::data(format!(
                "{}database: expected a postgres:// URL",
                self.blame("database")
            ))
        })?;
        Ok(Some((url.to_string(), self.origin("database"))).filter(|(u, _)| !u.trim().is_empty()))
    }

    /// The office this server's contacts are recorded at, if set.
    pub fn office(&self) -> Result<Option<String>, Failure> {
        if let Some(office) = std::env::var(OFFICE_VAR).ok().filter(|o| !o.trim().is_empty()) {
            return Ok(Some(office.trim().to_string()));
        }
        match self.get("office") {
            None => Ok(None),
            Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            Some(_) => Err(Failure::data(format!(
                "{}office: expected the office's name",
                self.blame("office")
            ))),
        }
    }
}

/// The store for `data_dir`: the configured database, else the SQLite file there.
pub fn store_location(data_dir: &Path) -> Result<Location, Failure> {
    let url = Config::load()?.database()?.map(|(u, _)| u);
    Location::resolve(url.as_deref(), data_dir).map_err(|e: StoreError| Failure::data(e.to_string()))
}

/// `office` from the configuration (see [`Config::office`]).
pub fn office() -> Result<Option<String>, Failure> {
    Config::load()?.office()
}
