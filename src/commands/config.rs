//! `navigator config show`: the effective configuration and where each value came from.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::config::{Config, Origin, Shown};
use crate::exit::{Failure, OK};

/// A config file considered, and whether it exists.
#[derive(Serialize)]
struct FileJson {
    /// "system" or "user".
    scope: &'static str,
    path: String,
    exists: bool,
}

/// `config show --json`. Stable: fields are only ever added.
#[derive(Serialize)]
struct ShowJson<'a> {
    files: Vec<FileJson>,
    values: &'a [Shown],
    /// What the app would refuse to start with (empty when all is well).
    problems: &'a [String],
}

pub fn show(json: bool, data_dir: &(PathBuf, Origin)) -> Result<u8, Failure> {
    let config = Config::load()?;
    let values = config.effective(data_dir);
    let mut files = vec![FileJson {
        scope: "system",
        path: config.system_file.0.display().to_string(),
        exists: config.system_file.1,
    }];
    if let Some((path, exists)) = &config.user_file {
        files.push(FileJson {
            scope: "user",
            path: path.display().to_string(),
            exists: *exists,
        });
    }
    let problems = config.problems();
    let mut out = std::io::stdout().lock();
    if json {
        let json = ShowJson {
            files,
            values: &values,
            problems: &problems,
        };
        let _ = writeln!(out, "{}", serde_json::to_string(&json).expect("config serializes"));
        return verdict(&problems);
    }
    let _ = writeln!(
        out,
        "Configuration files (later ones override earlier ones, key by key):"
    );
    for f in &files {
        let state = if f.exists { "" } else { " (not found)" };
        let _ = writeln!(
            out,
            "  {:<7} {}{state}",
            f.scope,
            navigator_index::text::sanitize(&f.path)
        );
    }
    let _ = writeln!(out, "\nEffective values:");
    let key_width = values.iter().map(|v| v.key.len()).max().unwrap_or(0);
    let texts: Vec<String> = values.iter().map(|v| value_text(&v.value)).collect();
    let value_width = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0).min(40);
    for (v, text) in values.iter().zip(&texts) {
        let from = if v.source == "default" {
            v.origin.clone()
        } else {
            format!("{}: {}", v.source, v.origin)
        };
        let _ = writeln!(
            out,
            "  {:<key_width$} = {:<value_width$}  ({})",
            v.key,
            navigator_index::text::sanitize(text),
            navigator_index::text::sanitize(&from)
        );
    }
    verdict(&problems)
}

/// The values are shown either way; problems (what the app would refuse to start with)
/// make the exit status 65, the first one as the error and any others on stderr first.
fn verdict(problems: &[String]) -> Result<u8, Failure> {
    let Some((last, others)) = problems.split_last() else {
        return Ok(OK);
    };
    for p in others {
        eprintln!("navigator: {}", navigator_index::text::sanitize(p));
    }
    Err(Failure::data(last.clone()))
}

/// A value as TOML would show it: strings quoted, lists in brackets, "(not set)" for none.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(not set)".into(),
        other => other.to_string(),
    }
}
