//! Where things live and what the configuration says.
//!
//! Configuration comes in layers, each overriding the one before key by key (tables merge
//! recursively): built-in defaults, the system file `/etc/navigator/config.toml`
//! (`NAVIGATOR_SYSTEM_CONFIG` names another, for tests and packagers), the user's
//! `config.toml` in the config directory, then the environment and flags. Every reader goes
//! through one merged view, [`Config`], which also remembers where each value came from
//! (`navigator config show`).
//!
//! The data directory: `--data-dir`, then `NAVIGATOR_DATA_DIR`, then `data_dir` in a config
//! file, then the platform's data directory ([`resolve_data_dir`], called by `crate::run`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use serde::Serialize;

use crate::exit::Failure;

/// The system-wide config file.
pub const SYSTEM_CONFIG: &str = "/etc/navigator/config.toml";

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("ca", "211", "navigator")
}

/// The data directory to use when none was given anywhere.
pub fn default_data_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".navigator"))
}

/// The user's synonyms file (may not exist): `synonyms.txt` in the config directory.
pub fn synonyms_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NAVIGATOR_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("synonyms.txt"));
    }
    project_dirs().map(|d| d.config_dir().join("synonyms.txt"))
}

/// The user's everyday-terms file (may not exist): `everyday-terms.txt` in the config directory.
pub fn everyday_terms_path() -> Option<PathBuf> {
    synonyms_path().map(|p| p.with_file_name("everyday-terms.txt"))
}

/// The user's config file (may not exist): `config.toml` in the config directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NAVIGATOR_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("config.toml"));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The system config file (may not exist): `NAVIGATOR_SYSTEM_CONFIG`, else
/// `/etc/navigator/config.toml`.
pub fn system_config_path() -> PathBuf {
    match std::env::var_os("NAVIGATOR_SYSTEM_CONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(SYSTEM_CONFIG),
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    System(PathBuf),
    User(PathBuf),
    /// The environment variable's name.
    Environment(&'static str),
    /// The flag as written.
    Flag(&'static str),
}

impl Origin {
    /// "default", "system", "user", "environment" or "flag".
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::Default => "default",
            Origin::System(_) => "system",
            Origin::User(_) => "user",
            Origin::Environment(_) => "environment",
            Origin::Flag(_) => "flag",
        }
    }

    /// The file, variable or flag; "default" for defaults.
    pub fn detail(&self) -> String {
        match self {
            Origin::Default => "default".into(),
            Origin::System(p) | Origin::User(p) => p.display().to_string(),
            Origin::Environment(v) => v.to_string(),
            Origin::Flag(f) => f.to_string(),
        }
    }

    /// The file a value was read from, for error messages.
    fn file(&self) -> Option<&Path> {
        match self {
            Origin::System(p) | Origin::User(p) => Some(p),
            _ => None,
        }
    }
}

/// A `[keys]` value: one key or a list of keys.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

impl Keys {
    fn list(self) -> Vec<String> {
        match self {
            Keys::One(k) => vec![k],
            Keys::Many(ks) => ks,
        }
    }
}

/// Typing pauses this long before the detail pane follows the first result: above the gap
/// between keys of a practised typist (150-250 ms), short enough to feel immediate.
pub const DEFAULT_DETAILS_DELAY_MS: i64 = 300;

/// The parts of config.toml read so far. Unknown sections are left for other versions.
#[derive(Debug, Default, serde::Deserialize)]
struct ConfigFile {
    #[serde(default)]
    #[allow(dead_code)] // read through Config::data_dir, which resolves relative paths
    data_dir: Option<PathBuf>,
    #[serde(default)]
    keys: BTreeMap<String, Keys>,
    #[serde(default)]
    followups: Followups,
    #[serde(default)]
    retention: Retention,
    #[serde(default)]
    privacy: Privacy,
    #[serde(default)]
    tui: Tui,
    #[serde(default)]
    search: search::SearchSection,
    #[serde(default)]
    catalogue: search::CatalogueSection,
    #[serde(default)]
    import: Import,
    #[serde(default)]
    casework: Casework,
}

/// `[import]`: bounds on what one record of an export may hold.
#[derive(Debug, Default, serde::Deserialize)]
struct Import {
    max_field_bytes: Option<i64>,
    max_record_bytes: Option<i64>,
}

/// `[casework]`: how contacts are recorded at this office.
#[derive(Debug, Default, serde::Deserialize)]
struct Casework {
    /// "CA" (FSA postal areas, the default) or "US" (five-digit ZIP codes).
    country: Option<String>,
}

/// `[tui]`: how the full-screen app behaves.
#[derive(Debug, Default, serde::Deserialize)]
struct Tui {
    /// How long typing must pause before the detail pane follows the first result.
    details_delay_ms: Option<i64>,
    /// "default" (printable keys always type) or "modal" (vim-style letters in the results).
    keymap: Option<String>,
}

/// `[followups]`: the follow-up policy.
#[derive(Debug, Default, serde::Deserialize)]
struct Followups {
    default_days: Option<i64>,
    lease_minutes: Option<i64>,
    max_attempts: Option<i64>,
    /// "next-business-day" (the default), or a number of days (`3`, "3d", "3 days").
    retry: Option<toml::Value>,
}

/// `[retention]`: how long personal data is kept.
#[derive(Debug, Default, serde::Deserialize)]
struct Retention {
    personal_data_days: Option<i64>,
}

/// `[privacy]`: who may read personal data outside the app, and confidential records.
#[derive(Debug, Default, serde::Deserialize)]
struct Privacy {
    /// OS user names allowed `export contacts --with-personal-data`.
    personal_data_readers: Option<Vec<String>>,
    /// OS user names who see confidential addresses and phones (shelters' streets).
    confidential_readers: Option<Vec<String>>,
}

/// One config file's layer.
#[derive(Debug, Clone)]
struct Layer {
    origin: Origin,
    table: toml::Table,
}

/// The merged configuration: every layer's values, key by key, with their origins.
#[derive(Debug, Clone)]
pub struct Config {
    /// The system file's path and whether it exists.
    pub system_file: (PathBuf, bool),
    /// The user's file and whether it exists (`None` without a config directory).
    pub user_file: Option<(PathBuf, bool)>,
    layers: Vec<Layer>,
    table: toml::Table,
    /// Dotted key of every leaf value -> where it came from.
    origins: BTreeMap<String, Origin>,
}

fn read_layer(path: &Path, origin: Origin) -> Result<Option<Layer>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Failure::io(format!("{}: {e}", path.display()))),
    };
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| Failure::data(format!("{}: {}", path.display(), e.to_string().trim())))?;
    Ok(Some(Layer { origin, table }))
}

impl Layer {
    /// "FILE: " for messages about this layer.
    fn blame(&self) -> String {
        self.origin
            .file()
            .map(|p| format!("{}: ", p.display()))
            .unwrap_or_default()
    }

    /// This layer alone, typed: each file must make sense on its own, so an error names
    /// the file at fault.
    fn typed(&self) -> Result<ConfigFile, Failure> {
        toml::Value::Table(self.table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| Failure::data(format!("{}{}", self.blame(), e.to_string().trim())))
    }
}

/// Merges `over` into `base`: tables recursively, anything else replaced.
fn merge(
    base: &mut toml::Table,
    over: &toml::Table,
    origin: &Origin,
    prefix: &str,
    origins: &mut BTreeMap<String, Origin>,
) {
    for (key, value) in over {
        let dotted = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o, origin, &dotted, origins),
            _ => {
                // Whatever was under this key before is gone.
                let below = format!("{dotted}.");
                origins.retain(|k, _| k != &dotted && !k.starts_with(&below));
                base.insert(key.clone(), value.clone());
                record_origins(value, origin, &dotted, origins);
            }
        }
    }
}

fn record_origins(value: &toml::Value, origin: &Origin, dotted: &str, origins: &mut BTreeMap<String, Origin>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                record_origins(v, origin, &format!("{dotted}.{k}"), origins);
            }
        }
        _ => {
            origins.insert(dotted.to_string(), origin.clone());
        }
    }
}

impl Config {
    /// Reads the system file, then the user's file. Missing files are fine; a file that
    /// cannot be read or parsed is an error naming it.
    pub fn load() -> Result<Config, Failure> {
        let system = system_config_path();
        let user = config_path();
        let mut layers = Vec::new();
        let system_layer = read_layer(&system, Origin::System(system.clone()))?;
        let system_file = (system.clone(), system_layer.is_some());
        layers.extend(system_layer);
        let user_file = match &user {
            Some(path) => {
                let layer = read_layer(path, Origin::User(path.clone()))?;
                let exists = layer.is_some();
                layers.extend(layer);
                Some((path.clone(), exists))
            }
            None => None,
        };
        Ok(Config::from_layers(system_file, user_file, layers))
    }

    /// A configuration from TOML texts, for tests: (origin, text) from lowest to highest.
    pub fn from_texts(layers: &[(Origin, &str)]) -> Result<Config, Failure> {
        let layers = layers
            .iter()
            .map(|(origin, text)| {
                let table: toml::Table = toml::from_str(text).map_err(|e| Failure::data(e.to_string()))?;
                Ok(Layer {
                    origin: origin.clone(),
                    table,
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        Ok(Config::from_layers((PathBuf::from(SYSTEM_CONFIG), false), None, layers))
    }

    fn from_layers(system_file: (PathBuf, bool), user_file: Option<(PathBuf, bool)>, layers: Vec<Layer>) -> Config {
        let mut table = toml::Table::new();
        let mut origins = BTreeMap::new();
        for layer in &layers {
            merge(&mut table, &layer.table, &layer.origin, "", &mut origins);
        }
        Config {
            system_file,
            user_file,
            layers,
            table,
            origins,
        }
    }

    /// The merged value at a dotted key ("followups.default_days").
    pub fn get(&self, dotted: &str) -> Option<&toml::Value> {
        let mut parts = dotted.split('.');
        let mut value = self.table.get(parts.next()?)?;
        for part in parts {
            value = value.as_table()?.get(part)?;
        }
        Some(value)
    }

    /// Where the value at `dotted` came from; [`Origin::Default`] when no file set it.
    pub fn origin(&self, dotted: &str) -> Origin {
        self.origins.get(dotted).cloned().unwrap_or(Origin::Default)
    }

    /// Every value set in a file: (dotted key, value, origin), sorted by key.
    pub fn values(&self) -> Vec<(String, toml::Value, Origin)> {
        self.origins
            .iter()
            .filter_map(|(k, o)| Some((k.clone(), self.get(k)?.clone(), o.clone())))
            .collect()
    }

    /// "FILE: " for messages about the value at `dotted`.
    fn blame(&self, dotted: &str) -> String {
        match self.origin(dotted).file() {
            Some(p) => format!("{}: ", p.display()),
            None => String::new(),
        }
    }

    /// The most specific file that exists, for messages that cannot name a key.
    fn most_specific_file(&self) -> Option<PathBuf> {
        match &self.user_file {
            Some((p, true)) => Some(p.clone()),
            _ if self.system_file.1 => Some(self.system_file.0.clone()),
            _ => None,
        }
    }

    fn typed(&self) -> Result<ConfigFile, Failure> {
        for layer in &self.layers {
            layer.typed()?;
        }
        toml::Value::Table(self.table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                let file = self
                    .most_specific_file()
                    .map(|p| format!("{}: ", p.display()))
                    .unwrap_or_default();
                Failure::data(format!("{file}{}", e.to_string().trim()))
            })
    }
}

/// The merged configuration, and the most specific file it came from (for messages).
#[allow(dead_code)] // for readers of a whole section; most use a `Config` method
fn read_config() -> Result<(Option<PathBuf>, ConfigFile), Failure> {
    let config = Config::load()?;
    let file = config.typed()?;
    Ok((config.most_specific_file(), file))
}

/// The follow-up policy from `[followups]` (see [`Config::followup_policy`]).
pub fn followup_policy() -> Result<crate::followups::Policy, Failure> {
    Config::load()?.followup_policy()
}

/// `[retention] personal_data_days`, if set.
pub fn retention_days() -> Result<Option<u32>, Failure> {
    Config::load()?.retention_days()
}

/// `[privacy] personal_data_readers`: who may export personal data (none by default).
pub fn personal_data_readers() -> Result<Vec<String>, Failure> {
    Config::load()?.personal_data_readers()
}

/// The data directory and where it came from: `--data-dir` (`flag`), `NAVIGATOR_DATA_DIR`,
/// `data_dir` in a config file, the platform default.
pub fn resolve_data_dir(flag: Option<PathBuf>) -> Result<(PathBuf, Origin), Failure> {
    if let Some(dir) = flag {
        return Ok((dir, Origin::Flag("--data-dir")));
    }
    if let Some(dir) = std::env::var_os("NAVIGATOR_DATA_DIR").filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(dir), Origin::Environment("NAVIGATOR_DATA_DIR")));
    }
    if let Some(found) = Config::load()?.data_dir()? {
        return Ok(found);
    }
    Ok((default_data_dir(), Origin::Default))
}

mod database;
mod search;
mod show;
mod values;
pub use database::{office, store_location, DATABASE_VAR, OFFICE_VAR};
pub use search::machine_zone;
pub use show::Shown;

#[cfg(test)]
mod tests;
