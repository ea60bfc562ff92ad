//! `navigator config show`: the effective configuration and where each value came from.

use super::*;

/// A value shown by `config show`: key, value as JSON, and origin.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    pub key: String,
    pub value: serde_json::Value,
    /// "default", "system", "user", "environment" or "flag".
    pub source: &'static str,
    /// The file, variable or flag it came from ("default" for defaults).
    pub origin: String,
}

fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

impl Config {
    /// The effective configuration, defaults included, for `config show`: the data directory,
    /// every value a file set, and the defaults of the keys navigator knows.
    pub fn effective(&self, data_dir: &(PathBuf, Origin)) -> Vec<Shown> {
        let mut shown: BTreeMap<String, Shown> = BTreeMap::new();
        let default = |key: &str, value: serde_json::Value| Shown {
            key: key.to_string(),
            value,
            source: "default",
            origin: "default".into(),
        };
        shown.insert(
            "followups.default_days".into(),
            default("followups.default_days", 7.into()),
        );
        let policy = crate::followups::Policy::default();
        for (key, value) in [
            (
                "followups.lease_minutes",
                serde_json::Value::from(policy.lease.as_secs() / 60),
            ),
            ("followups.max_attempts", policy.max_attempts.into()),
            ("followups.retry", "next-business-day".into()),
        ] {
            shown.insert(key.into(), default(key, value));
        }
        shown.insert(
            "retention.personal_data_days".into(),
            default("retention.personal_data_days", serde_json::Value::Null),
        );
        for key in ["privacy.personal_data_readers", "privacy.confidential_readers"] {
            shown.insert(key.into(), default(key, serde_json::json!([])));
        }
        shown.insert("tui.keymap".into(), default("tui.keymap", "default".into()));
        shown.insert("casework.country".into(), default("casework.country", "CA".into()));
        shown.insert(
            "tui.details_delay_ms".into(),
            default("tui.details_delay_ms", DEFAULT_DETAILS_DELAY_MS.into()),
        );
        // Unset: no home area; the stemmers of the languages the records are written in.
        for key in ["search.home", "search.languages"] {
            shown.insert(key.into(), default(key, serde_json::Value::Null));
        }
        // Unset: hours of records without a zone are read in the machine's zone.
        shown.insert(
            "catalogue.timezone".into(),
            Shown {
                origin: "default (the machine's time zone)".into(),
                ..default("catalogue.timezone", super::machine_zone().into())
            },
        );
        use navigator_index::import::limits::{DEFAULT_MAX_FIELD_BYTES, DEFAULT_MAX_RECORD_BYTES};
        shown.insert(
            "import.max_field_bytes".into(),
            default("import.max_field_bytes", DEFAULT_MAX_FIELD_BYTES.into()),
        );
        shown.insert(
            "import.max_record_bytes".into(),
            default("import.max_record_bytes", DEFAULT_MAX_RECORD_BYTES.into()),
        );
        let keymap = crate::tui::keymap::Keymap::default();
        for action in crate::tui::keymap::Action::ALL {
            let key = format!("keys.{}", action.name());
            let keys: Vec<String> = keymap.keys_for(*action).iter().map(|k| k.to_string()).collect();
            shown.insert(key.clone(), default(&key, keys.into()));
        }
        for (key, value, origin) in self.values() {
            shown.insert(
                key.clone(),
                Shown {
                    key,
                    value: toml_to_json(&value),
                    source: origin.kind(),
                    origin: origin.detail(),
                },
            );
        }
        // The database URL is shown without its password, wherever it came from.
        match self.database() {
            Ok(Some((url, origin))) => {
                shown.insert(
                    "database".into(),
                    Shown {
                        key: "database".into(),
                        value: crate::store::redact(&url).into(),
                        source: origin.kind(),
                        origin: origin.detail(),
                    },
                );
            }
            _ => {
                shown.insert("database".into(), default("database", serde_json::Value::Null));
            }
        }
        if !shown.contains_key("office") {
            shown.insert("office".into(), default("office", serde_json::Value::Null));
        }
        shown.insert(
            "data_dir".into(),
            Shown {
                key: "data_dir".into(),
                value: data_dir.0.display().to_string().into(),
                source: data_dir.1.kind(),
                origin: data_dir.1.detail(),
            },
        );
        shown.into_values().collect()
    }
}
