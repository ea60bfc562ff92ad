//! Where things live. The data directory comes from --data-dir, then NAVIGATOR_DATA_DIR
//! (both handled by clap), then the platform's data directory.

use std::path::PathBuf;

use directories::ProjectDirs;

use crate::exit::Failure;

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("ca", "211", "navigator")
}

/// The data directory to use when none was given.
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

/// The user's config file (may not exist): `config.toml` in the config directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NAVIGATOR_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("config.toml"));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// A `[keys]` value: one key or a list of keys.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

/// The parts of config.toml read so far. Unknown sections are left for other versions.
#[derive(Debug, Default, serde::Deserialize)]
struct ConfigFile {
    #[serde(default)]
    keys: std::collections::BTreeMap<String, Keys>,
    #[serde(default)]
    followups: Followups,
}

/// `[followups]`: the follow-up policy.
#[derive(Debug, Default, serde::Deserialize)]
struct Followups {
    default_days: Option<i64>,
}

fn read_config() -> Result<(Option<PathBuf>, ConfigFile), Failure> {
    let Some(path) = config_path().filter(|p| p.exists()) else {
        return Ok((None, ConfigFile::default()));
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::io(format!("{}: {e}", path.display())))?;
    let file: ConfigFile = toml::from_str(&text)
        .map_err(|e| Failure::data(format!("{}: {}", path.display(), e.to_string().trim())))?;
    Ok((Some(path), file))
}

/// The keymap: defaults with the config file's `[keys]` applied.
pub fn keymap() -> Result<crate::tui::keymap::Keymap, Failure> {
    let (path, file) = read_config()?;
    let overrides = file
        .keys
        .into_iter()
        .map(|(action, keys)| match keys {
            Keys::One(k) => (action, vec![k]),
            Keys::Many(ks) => (action, ks),
        })
        .collect();
    crate::tui::keymap::Keymap::with_overrides(&overrides).map_err(|e| {
        let file = path.map(|p| p.display().to_string()).unwrap_or_default();
        Failure::data(format!("{file}: {e}"))
    })
}

/// Days from the call to its follow-up by default: `[followups] default_days` (7).
pub fn followup_default_days() -> Result<i64, Failure> {
    let (path, file) = read_config()?;
    let days = file.followups.default_days.unwrap_or(7);
    if !(0..=365).contains(&days) {
        let file = path.map(|p| p.display().to_string()).unwrap_or_default();
        return Err(Failure::data(format!(
            "{file}: [followups] default_days = {days}: expected 0 to 365"
        )));
    }
    Ok(days)
}
