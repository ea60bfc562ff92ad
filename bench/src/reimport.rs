//! The nightly case: re-importing a directory already imported, with 1% of its services
//! changed. The corpus is copied with every hundredth service's description edited (the
//! other tables linked, not copied), imported over the data directory the full import
//! wrote, and timed like it; the index files written by it are measured against the whole.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::import::Navigator;

/// The largest size the re-import runs at.
pub const LARGEST: u64 = 100_000;

/// One service in this many is changed.
pub const EVERY: usize = 100;

#[derive(Debug, Clone)]
pub struct ReimportFigures {
    pub services: u64,
    /// Services the corpus copy changed, and those the import found changed.
    pub edited: u64,
    pub updated: u64,
    pub wall: Duration,
    pub peak_rss_bytes: u64,
    /// The index's files before, and the bytes of files the re-import added or changed.
    pub index_bytes: u64,
    pub index_bytes_written: u64,
}

/// `corpus` with 1% of services.csv's descriptions changed, in `work`.
fn edited_corpus(corpus: &Path, work: &Path) -> anyhow::Result<(PathBuf, u64)> {
    let out = work.join(format!(
        "{}-1pct",
        corpus.file_name().and_then(|n| n.to_str()).unwrap_or("corpus")
    ));
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    for entry in std::fs::read_dir(corpus)? {
        let entry = entry?;
        if entry.file_name() != "services.csv" {
            std::os::unix::fs::symlink(entry.path(), out.join(entry.file_name()))?;
        }
    }
    let mut reader = csv::Reader::from_path(corpus.join("services.csv"))?;
    let headers = reader.headers()?.clone();
    let description = headers
        .iter()
        .position(|h| h == "description")
        .context("services.csv has no description column")?;
    let mut writer = csv::Writer::from_path(out.join("services.csv"))?;
    writer.write_record(&headers)?;
    let mut edited = 0;
    for (n, record) in reader.records().enumerate() {
        let record = record?;
        if n % EVERY == EVERY / 2 {
            let fields = record.iter().enumerate().map(|(i, f)| {
                if i == description {
                    format!("{f} Updated in the nightly export.")
                } else {
                    f.to_string()
                }
            });
            writer.write_record(fields)?;
            edited += 1;
        } else {
            writer.write_record(&record)?;
        }
    }
    writer.flush()?;
    Ok((out, edited))
}

/// Sizes of the files in the index folder, by name.
fn index_files(data_dir: &Path) -> anyhow::Result<HashMap<String, u64>> {
    let mut files = HashMap::new();
    for entry in std::fs::read_dir(data_dir.join("index"))? {
        let entry = entry?;
        files.insert(
            entry.file_name().to_string_lossy().into_owned(),
            entry.metadata()?.len(),
        );
    }
    Ok(files)
}

/// Re-imports `corpus` with 1% changed over `data_dir` (which holds its full import).
pub fn run(nav: &Navigator, corpus: &Path, data_dir: &Path, work: &Path) -> anyhow::Result<ReimportFigures> {
    let (edited_dir, edited) = edited_corpus(corpus, work)?;
    let before = index_files(data_dir)?;
    let (reaped, wall, report) = crate::import::timed_import(nav, data_dir, &edited_dir, "reimport")?;
    let after = index_files(data_dir)?;
    let written = after
        .iter()
        .filter(|(name, size)| before.get(*name) != Some(size) && name.as_str() != ".tantivy-meta.lock")
        .map(|(_, size)| size)
        .sum();
    let _ = std::fs::remove_dir_all(&edited_dir);
    let _ = std::fs::remove_dir_all(data_dir.with_extension("reimport"));
    let number = |name: &str| report.get(name).and_then(serde_json::Value::as_u64).unwrap_or(0);
    Ok(ReimportFigures {
        services: number("unchanged") + number("updated") + number("added"),
        edited,
        updated: number("updated"),
        wall,
        peak_rss_bytes: reaped.usage.ru_maxrss as u64 * 1024,
        index_bytes: before.values().sum(),
        index_bytes_written: written,
    })
}
