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
                ] {
                    let _ = writeln!(out, "{label:<15} {value}");
                }
            }
        }
    }
    Ok(OK)
}
