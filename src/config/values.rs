//! The typed values of the merged configuration, each checked with a message naming the
//! file and key at fault.

use std::path::{Path, PathBuf};

use super::{Config, Origin, DEFAULT_DETAILS_DELAY_MS};
use crate::exit::Failure;

impl Config {
    /// `data_dir` from a config file, relative paths taken from that file's folder.
    pub fn data_dir(&self) -> Result<Option<(PathBuf, Origin)>, Failure> {
        let Some(value) = self.get("data_dir") else {
            return Ok(None);
        };
        let origin = self.origin("data_dir");
        let text = value
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Failure::data(format!("{}data_dir: expected a folder path", self.blame("data_dir"))))?;
        let path = PathBuf::from(text.trim());
        let path = match origin.file().and_then(Path::parent) {
            Some(base) if path.is_relative() => base.join(path),
            _ => path,
        };
        Ok(Some((path, origin)))
    }

    /// `[casework] country`: "CA" (the default: postal areas are FSAs) or "US" (ZIP codes).
    pub fn casework_country(&self) -> Result<crate::casework::Country, Failure> {
        let Some(text) = self.typed()?.casework.country else {
            return Ok(Default::default());
        };
        crate::casework::Country::parse(&text).ok_or_else(|| {
            Failure::data(format!(
                "{}[casework] country = {text:?}: expected \"CA\" or \"US\"",
                self.blame("casework.country")
            ))
        })
    }

    /// `[tui] keymap`: "default" (printable keys always type on the search screen) or
    /// "modal" (vim-style letters while the results or details have focus).
    pub fn keymap_style(&self) -> Result<crate::tui::keymap::Style, Failure> {
        let Some(text) = self.typed()?.tui.keymap else {
            return Ok(Default::default());
        };
        crate::tui::keymap::Style::parse(&text).ok_or_else(|| {
            Failure::data(format!(
                "{}[tui] keymap = {text:?}: expected \"default\" or \"modal\"",
                self.blame("tui.keymap")
            ))
        })
    }

    /// The keymap: the style's defaults with `[keys]` applied, action by action. A key bound
    /// to two actions in one context is an error naming both, and the file at fault.
    pub fn keymap(&self) -> Result<crate::tui::keymap::Keymap, Failure> {
        use crate::tui::keymap::Keymap;
        let style = self.keymap_style()?;
        for layer in &self.layers {
            let overrides = layer.typed()?.keys.into_iter().map(|(a, k)| (a, k.list())).collect();
            Keymap::with_overrides(style, &overrides).map_err(|e| Failure::data(format!("{}{e}", layer.blame())))?;
        }
        let file = self.typed()?;
        let overrides = file.keys.into_iter().map(|(a, k)| (a, k.list())).collect();
        Keymap::with_overrides(style, &overrides).map_err(|e| {
            let file = self
                .most_specific_file()
                .map(|p| format!("{}: ", p.display()))
                .unwrap_or_default();
            Failure::data(format!("{file}{e}"))
        })
    }

    /// `[followups] default_days` (7), checked to be 0 to 365.
    pub fn followup_default_days(&self) -> Result<i64, Failure> {
        let days = self.typed()?.followups.default_days.unwrap_or(7);
        if !(0..=365).contains(&days) {
            return Err(Failure::data(format!(
                "{}[followups] default_days = {days}: expected 0 to 365",
                self.blame("followups.default_days")
            )));
        }
        Ok(days)
    }

    /// The follow-up policy: `[followups] lease_minutes` (15, 1 to 480), `max_attempts`
    /// (3, 1 to 20) and `retry` ("next-business-day", or a number of days from 1 to 60).
    pub fn followup_policy(&self) -> Result<crate::followups::Policy, Failure> {
        use crate::followups::policy::{Policy, Retry, DEFAULT_LEASE_MINUTES, DEFAULT_MAX_ATTEMPTS};
        let f = self.typed()?.followups;
        let bad = |key: &str, value: &dyn std::fmt::Display, expected: &str| {
            Failure::data(format!(
                "{}[followups] {key} = {value}: expected {expected}",
                self.blame(&format!("followups.{key}"))
            ))
        };
        let lease_minutes = f.lease_minutes.unwrap_or(DEFAULT_LEASE_MINUTES.into());
        if !(1..=480).contains(&lease_minutes) {
            return Err(bad("lease_minutes", &lease_minutes, "1 to 480"));
        }
        let max_attempts = f.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS.into());
        if !(1..=20).contains(&max_attempts) {
            return Err(bad("max_attempts", &max_attempts, "1 to 20"));
        }
        let expected = "\"next-business-day\" or a number of days from 1 to 60";
        let days = |n: i64| u32::try_from(n).ok().filter(|n| (1..=60).contains(n)).map(Retry::Days);
        let retry = match &f.retry {
            None => Retry::NextBusinessDay,
            Some(toml::Value::Integer(n)) => days(*n).ok_or_else(|| bad("retry", n, expected))?,
            Some(toml::Value::String(text)) => {
                let t = text.trim().to_ascii_lowercase();
                if t == "next-business-day" {
                    Retry::NextBusinessDay
                } else {
                    let number = t
                        .trim_end_matches("days")
                        .trim_end_matches("day")
                        .trim_end_matches('d')
                        .trim();
                    number
                        .parse::<i64>()
                        .ok()
                        .and_then(days)
                        .ok_or_else(|| bad("retry", &format!("{text:?}"), expected))?
                }
            }
            Some(other) => return Err(bad("retry", other, expected)),
        };
        Ok(Policy {
            lease: std::time::Duration::from_secs(60 * lease_minutes as u64),
            max_attempts: max_attempts as u32,
            retry,
        })
    }

    /// `[tui] details_delay_ms` (300, 0 to 5000): while typing, the detail pane keeps what it
    /// shows until typing pauses this long (0: it follows every keystroke).
    pub fn details_delay(&self) -> Result<std::time::Duration, Failure> {
        let ms = self.typed()?.tui.details_delay_ms.unwrap_or(DEFAULT_DETAILS_DELAY_MS);
        match u64::try_from(ms) {
            Ok(ms) if ms <= 5000 => Ok(std::time::Duration::from_millis(ms)),
            _ => Err(Failure::data(format!(
                "{}[tui] details_delay_ms = {ms}: expected 0 to 5000",
                self.blame("tui.details_delay_ms")
            ))),
        }
    }

    /// `[retention] personal_data_days`: `None` when personal data is kept until purged by hand.
    pub fn retention_days(&self) -> Result<Option<u32>, Failure> {
        let Some(days) = self.typed()?.retention.personal_data_days else {
            return Ok(None);
        };
        u32::try_from(days).map(Some).map_err(|_| {
            Failure::data(format!(
                "{}[retention] personal_data_days = {days}: expected a number of days, 0 or more",
                self.blame("retention.personal_data_days")
            ))
        })
    }

    /// `[import] max_field_bytes` (65536) and `max_record_bytes` (1048576), each from 1024
    /// to 1 GiB, the record limit at least the field limit.
    pub fn import_limits(&self) -> Result<navigator_index::import::Limits, Failure> {
        use navigator_index::import::limits::{DEFAULT_MAX_FIELD_BYTES, DEFAULT_MAX_RECORD_BYTES};
        let i = self.typed()?.import;
        let bytes = |value: Option<i64>, default: usize, key: &str| -> Result<usize, Failure> {
            let v = value.unwrap_or(default as i64);
            usize::try_from(v)
                .ok()
                .filter(|v| (1024..=1 << 30).contains(v))
                .ok_or_else(|| {
                    Failure::data(format!(
                        "{}[import] {key} = {v}: expected 1024 to 1073741824 bytes",
                        self.blame(&format!("import.{key}"))
                    ))
                })
        };
        let field = bytes(i.max_field_bytes, DEFAULT_MAX_FIELD_BYTES, "max_field_bytes")?;
        let record = bytes(i.max_record_bytes, DEFAULT_MAX_RECORD_BYTES, "max_record_bytes")?;
        if record < field {
            return Err(Failure::data(format!(
                "{}[import] max_record_bytes = {record}: expected at least max_field_bytes ({field})",
                self.blame("import.max_record_bytes")
            )));
        }
        Ok(navigator_index::import::Limits {
            max_field_bytes: field,
            max_record_bytes: record,
        })
    }

    /// Every problem the app or a command would stop on, checked the way they check it
    /// (`config show` reports them all, not just the first).
    pub fn problems(&self) -> Vec<String> {
        let checks: [Result<(), Failure>; 9] = [
            self.typed().map(drop),
            self.casework_country().map(drop),
            self.keymap().map(drop),
            self.followup_default_days().map(drop),
            self.followup_policy().map(drop),
            self.details_delay().map(drop),
            self.retention_days().map(drop),
            self.personal_data_readers().map(drop),
            self.import_limits().map(drop),
        ];
        let mut out: Vec<String> = Vec::new();
        for message in checks.into_iter().filter_map(Result::err).map(|e| e.message) {
            if !out.contains(&message) {
                out.push(message);
            }
        }
        out
    }

    /// `[privacy] personal_data_readers`: the OS users who may export personal data
    /// (none by default). Names are trimmed; blank ones are an error.
    pub fn personal_data_readers(&self) -> Result<Vec<String>, Failure> {
        let readers = self.typed()?.privacy.personal_data_readers;
        self.user_names("personal_data_readers", readers)
    }

    /// `[privacy] confidential_readers`: the OS users who see confidential addresses and
    /// phones (none by default). Only the system file counts: a user's own file could
    /// otherwise name its owner.
    pub fn confidential_readers(&self) -> Result<Vec<String>, Failure> {
        let mut readers = None;
        for layer in self.layers.iter().filter(|l| matches!(l.origin, Origin::System(_))) {
            readers = layer.typed()?.privacy.confidential_readers.or(readers);
        }
        self.user_names("confidential_readers", readers)
    }

    fn user_names(&self, key: &str, readers: Option<Vec<String>>) -> Result<Vec<String>, Failure> {
        let readers = readers.unwrap_or_default();
        if readers.iter().any(|r| r.trim().is_empty()) {
            return Err(Failure::data(format!(
                "{}[privacy] {key}: expected user names, found a blank one",
                self.blame(&format!("privacy.{key}"))
            )));
        }
        Ok(readers.into_iter().map(|r| r.trim().to_string()).collect())
    }
}
