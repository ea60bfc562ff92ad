//! `navigator index stats` and `navigator index rebuild`.

use std::io::Write;
use std::path::Path;

use navigator_index::schema::SCHEMA_VERSION;
use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::cli::IndexCommand;
use crate::exit::{Failure, OK};
use crate::store::ImportRecord;

/// `index stats --json`. Stable: fields are only added.
#[derive(Serialize)]
struct Stats {
    services: u64,
    organizations: u64,
    locations: u64,
    index_bytes: u64,
    database_bytes: u64,
    last_import: Option<ImportRecord>,
    schema_version: u32,
    generation: u64,
    source: Option<String>,
    data_dir: String,
    /// The zone hours are read in for records that give none.
    timezone: String,
    /// Where it comes from: "config" ([catalogue] timezone), "data" (every record gives
    /// one) or "machine" (the last resort).
    timezone_source: &'static str,
    /// Records that give their own zone.
    services_with_timezone: u64,
    /// Records by the language of their text ("en", "fr", "es").
    text_languages: std::collections::BTreeMap<&'static str, u64>,
    /// The stemmers queries use: `[search] languages`, else the text languages.
    search_languages: Vec<&'static str>,
}

pub fn run(command: &IndexCommand, data_dir: &Path) -> Result<u8, Failure> {
    match command {
        IndexCommand::Rebuild { wait } => {
            // An import and a rebuild must not write the index at once.
            let _lock = crate::import_lock::acquire_local(data_dir, std::time::Duration::from_secs(*wait))?;
            let _rebuilding = crate::index_follow::wait_rebuild_lock(data_dir)?;
            let store = crate::catalogue::open_store(data_dir)?;
            let engine = crate::catalogue::rebuild_index(&store, &data_dir.join("index"))?;
            crate::say!("Rebuilt the index: {} services", engine.num_docs());
        }
        IndexCommand::Stats { json } => {
            let catalogue = Catalogue::open(data_dir)?;
            if let Some(warning) = &catalogue.index_warning {
                crate::say!("navigator: warning: {warning}");
            }
            let c = catalogue.store.catalogue_stats().map_err(Failure::store)?;
            let db_bytes = catalogue.store.size_bytes().unwrap_or(0);
            let config = crate::config::Config::load()?;
            let configured = config.catalogue_timezone()?;
            let zones = catalogue.engine.time_zones();
            let zoned: u64 = zones.iter().filter(|(z, _)| !z.is_empty()).map(|(_, n)| n).sum();
            let commonest = zones.iter().find(|(z, _)| !z.is_empty()).map(|(z, _)| z.clone());
            let (timezone, timezone_source) = match (configured, commonest) {
                (Some(zone), _) => (zone, "config"),
                (None, Some(zone)) if zoned == c.services => (zone, "data"),
                (None, _) => (crate::config::machine_zone(), "machine"),
            };
            let text_languages: std::collections::BTreeMap<&'static str, u64> = catalogue
                .engine
                .text_languages()
                .into_iter()
                .map(|(l, n)| (l.code(), n))
                .collect();
            let search_languages = match config.search_settings()?.languages {
                Some(list) => list.iter().map(|l| l.code()).collect(),
                None if text_languages.is_empty() => vec!["en"],
                None => text_languages.keys().copied().collect(),
            };
            let stats = Stats {
                services: c.services,
                organizations: c.organizations,
                locations: c.locations,
                index_bytes: catalogue.engine.disk_bytes(),
                database_bytes: db_bytes,
                last_import: c.last_import,
                schema_version: SCHEMA_VERSION,
                generation: c.generation,
                source: catalogue.source()?,
                data_dir: data_dir.display().to_string(),
                timezone,
                timezone_source,
                services_with_timezone: zoned,
                text_languages,
                search_languages,
            };
            let mut out = std::io::stdout().lock();
            if *json {
                let _ = writeln!(out, "{}", serde_json::to_string(&stats).expect("stats serialize"));
            } else {
                let last = stats.last_import.as_ref().map_or("never".to_string(), |i| {
                    format!(
                        "{} from {} by {} ({} added, {} updated, {} removed)",
                        i.finished_at, i.source, i.user, i.added, i.updated, i.removed
                    )
                });
                for (label, value) in [
                    ("Services", stats.services.to_string()),
                    ("Organizations", stats.organizations.to_string()),
                    ("Locations", stats.locations.to_string()),
                    ("Index bytes", stats.index_bytes.to_string()),
                    ("Database bytes", stats.database_bytes.to_string()),
                    ("Last import", navigator_index::text::sanitize(&last)),
                    ("Source", stats.source.clone().unwrap_or_default()),
                    ("Schema version", stats.schema_version.to_string()),
                    ("Generation", stats.generation.to_string()),
                    ("Data directory", stats.data_dir.clone()),
                    ("Time zone", zone_text(&stats)),
                    ("Text languages", languages_text(&stats)),
                    ("Search stems", stats.search_languages.join(", ")),
                ] {
                    let _ = writeln!(out, "{label:<15} {value}");
                }
                if stats.timezone_source == "machine" {
                    let _ = writeln!(
                        out,
                        "\nNote: {} of {} services give no time zone, so \"open now\" reads their hours in this \
                         machine's zone ({}). Set [catalogue] timezone in config.toml to the directory's zone.",
                        stats.services - stats.services_with_timezone,
                        stats.services,
                        stats.timezone
                    );
                }
            }
        }
    }
    Ok(OK)
}

fn zone_text(stats: &Stats) -> String {
    let own = format!(
        "{} of {} services give their own",
        stats.services_with_timezone, stats.services
    );
    match stats.timezone_source {
        "config" => format!("{} ([catalogue] timezone); {own}", stats.timezone),
        "data" => format!("{} and others from the data: {own}", stats.timezone),
        _ => format!("{} (the machine's zone); {own}", stats.timezone),
    }
}

fn languages_text(stats: &Stats) -> String {
    let parts: Vec<String> = stats.text_languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}
