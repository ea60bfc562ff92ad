//! Where the store lives: the SQLite file in the data directory, or a PostgreSQL URL
//! (`database = "postgres://..."` in config.toml or `NAVIGATOR_DATABASE_URL`). A URL may
//! carry a password; it is never printed: `Debug` and `Display` show `***` in its place,
//! as `config show` and every error message do.

use std::fmt;
use std::path::{Path, PathBuf};

use super::StoreError;

#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(PgUrl),
}

impl Location {
    /// `url` when given (a `postgres://` or `postgresql://` URL), else the SQLite file in
    /// `data_dir`.
    pub fn resolve(url: Option<&str>, data_dir: &Path) -> Result<Location, StoreError> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(Location::Sqlite(data_dir.join("navigator.db"))),
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                Ok(Location::Postgres(PgUrl::new(u)))
            }
            Some(u) if u.starts_with("sqlite:") => {
                let path = u.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
                Ok(Location::Sqlite(PathBuf::from(path)))
            }
            Some(u) => Err(StoreError::Config(format!(
                "database = {:?}: expected a postgres:// URL (or none, for the SQLite file in the data directory)",
                redact(u)
            ))),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Location::Postgres(_))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(u) => write!(f, "{u}"),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "Sqlite({})", p.display()),
            Location::Postgres(u) => write!(f, "Postgres({u})"),
        }
    }
}

/// A PostgreSQL URL. The text with its password is only handed to the driver.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl(String);

impl PgUrl {
    pub fn new(url: &str) -> PgUrl {
        PgUrl(url.trim().to_string())
    }

    /// The URL as given, password included: for the driver only.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({})", redact(&self.0))
    }
}

/// `scheme://user:secret@host/db?password=secret` -> `scheme://user:***@host/db?password=***`.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = out[rest_start..].find(['/', '?']).map_or(out.len(), |i| rest_start + i);
        if let Some(at) = out[rest_start..authority_end].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                let from = rest_start + colon + 1;
                out.replace_range(from..rest_start + at, "***");
            }
        }
    }
    // A password given as a query parameter.
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out = format!("{head}{}", redacted.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let u = PgUrl::new("postgres://nav:s3cret@db.example:5433/navigator?sslmode=require&password=two");
        for shown in [
            u.to_string(),
            format!("{u:?}"),
            format!("{:?}", Location::Postgres(u.clone())),
        ] {
            assert!(!shown.contains("s3cret") && !shown.contains("two"), "{shown}");
            assert!(shown.contains("nav:***@db.example:5433/navigator"), "{shown}");
            assert!(shown.contains("sslmode=require"), "{shown}");
        }
        assert_eq!(redact("postgres://nav@db/x"), "postgres://nav@db/x");
        assert_eq!(redact("postgres://db/x"), "postgres://db/x");
    }

    #[test]
    fn absent_means_the_sqlite_file_and_other_schemes_are_refused() {
        let dir = Path::new("/srv/nav");
        assert_eq!(
            Location::resolve(None, dir).unwrap(),
            Location::Sqlite(dir.join("navigator.db"))
        );
        assert!(Location::resolve(Some("postgresql://h/db"), dir).unwrap().is_postgres());
        let e = Location::resolve(Some("mysql://u:pw@h/db"), dir)
            .unwrap_err()
            .to_string();
        assert!(e.contains("mysql://u:***@h/db") && !e.contains("pw@"), "{e}");
    }
}
