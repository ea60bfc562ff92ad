//! The service catalogue as commands see it: the SQLite services table (source of truth)
//! and the tantivy index derived from it, kept in step.
//!
//! Import order is catalogue first (one transaction), index second (one commit). If the
//! process dies between the two, the index's recorded generation is behind the catalogue's
//! and the next open rebuilds it, so a search never shows a half-applied import.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use navigator_index::import::{Import, ImportReport};
use navigator_index::{Engine, EngineError, Service, Synonyms};

use crate::exit::Failure;
use crate::progress::Progress;
use crate::store::{ApplyStats, ImportRecord, Store};

/// Where the catalogue's services came from.
pub const SOURCE_DEMO: &str = "demo";
pub const SOURCE_IMPORT: &str = "import";

pub struct Catalogue {
    pub store: Store,
    pub engine: Engine,
    pub data_dir: PathBuf,
}

impl Catalogue {
    /// Opens the catalogue in `data_dir`, importing the demo directory when it is empty and
    /// rebuilding the index when it is missing, damaged, another version, or behind.
    ///
    /// In a shared (setgid) data directory, files created from here on are group read/write
    /// whatever the user's umask, and the database files are made 0660. With `[retention]
    /// personal_data_days` set, old personal data is purged (at most once a day).
    pub fn open(data_dir: &Path) -> Result<Catalogue, Failure> {
        Catalogue::open_patient(data_dir, crate::store::patience_from_env())
    }

    /// [`Catalogue::open`], trying an unreachable database for `patience` only.
    pub fn open_patient(data_dir: &Path, patience: std::time::Duration) -> Result<Catalogue, Failure> {
        crate::shared::prepare(data_dir);
        std::fs::create_dir_all(data_dir)
            .map_err(|e| Failure::io(format!("cannot create data directory {}: {e}", data_dir.display())))?;
        let location = crate::config::store_location(data_dir)?;
        let mut store = Store::open_patient(&location, patience).map_err(Failure::store)?;
        crate::shared::share_db_files(data_dir);
        if let Some(days) = crate::config::retention_days()? {
            retention_purge(&mut store, days);
        }
        let engine = open_index(&store, data_dir)?;
        let mut catalogue = Catalogue {
            store,
            engine,
            data_dir: data_dir.to_path_buf(),
        };
        if catalogue.source()?.is_none() {
            crate::demo::install(&mut catalogue)?;
        }
        Ok(catalogue)
    }

    /// "demo", "import", or `None` for a catalogue nothing was ever put into.
    pub fn source(&self) -> Result<Option<String>, Failure> {
        self.store.catalogue_meta("source").map_err(Failure::store)
    }

    pub fn is_demo(&self) -> bool {
        self.source().ok().flatten().as_deref() == Some(SOURCE_DEMO)
    }

    /// Applies an import: catalogue transaction, then index commit. Importing over the demo
    /// directory replaces it, so fictional services never mix with real ones.
    pub fn apply(&mut self, import: &Import, replace: bool, source: &str, origin: &str) -> Result<ApplyStats, Failure> {
        // Take the index writer first: a second import fails here, before touching anything.
        let mut writer = self.engine.writer().map_err(index_failure)?;
        let replace = replace || self.is_demo();
        let record = ImportRecord {
            finished_at: String::new(),
            source: origin.to_string(),
            format: import.report.format.clone(),
            user: crate::user::name(),
            added: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: skipped(&import.report),
        };
        let stats = self
            .store
            .apply_import(&import.services, replace, record)
            .map_err(Failure::store)?;
        self.store
            .set_catalogue_meta("source", source)
            .map_err(Failure::store)?;
        if stats.changed.is_empty() && stats.removed_ids.is_empty() {
            return Ok(stats);
        }
        let by_id: HashMap<&str, &Service> = import.services.iter().map(|s| (s.id.as_str(), s)).collect();
        let fresh = self.engine.num_docs() == 0;
        for id in &stats.changed {
            if let Some(service) = by_id.get(id.as_str()) {
                if fresh {
                    writer.add(service).map_err(index_failure)?;
                } else {
                    writer.upsert(service).map_err(index_failure)?;
                }
            }
        }
        for id in &stats.removed_ids {
            writer.delete(id);
        }
        writer.commit(stats.generation).map_err(index_failure)?;
        self.engine.reload().map_err(index_failure)?;
        Ok(stats)
    }

    /// Rebuilds the index from the catalogue, swapping it in only when complete.
    pub fn rebuild(&mut self) -> Result<(), Failure> {
        let index_dir = self.data_dir.join("index");
        self.engine = rebuild_index(&self.store, &index_dir)?;
        Ok(())
    }

    /// The synonyms in effect: the user's file when there is one, else the defaults.
    pub fn synonyms() -> Result<Synonyms, Failure> {
        let Some(path) = crate::config::synonyms_path().filter(|p| p.exists()) else {
            return Ok(Synonyms::defaults());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Failure::io(format!("{}: {e}", path.display())))?;
        Synonyms::parse(&text).map_err(|e| Failure::data(format!("{}: {e}", path.display())))
    }
}

/// What searching opens: the catalogue, or this server's index alone when the database
/// cannot be reached. Search never needs the database.
pub enum Searchable {
    Catalogue(Catalogue),
    /// The database is unreachable; the index is as the last import or rebuild left it.
    IndexOnly {
        engine: Engine,
        location: crate::store::Location,
    },
}

impl Searchable {
    /// Opens the catalogue with one try of its database (a second of patience would be a
    /// second added to every search during an outage) and falls back to the index here.
    pub fn open(data_dir: &Path) -> Result<Searchable, Failure> {
        let location = crate::config::store_location(data_dir)?;
        if !location.is_postgres() {
            return Catalogue::open(data_dir).map(Searchable::Catalogue);
        }
        match Catalogue::open_patient(data_dir, std::time::Duration::ZERO) {
            Ok(catalogue) => Ok(Searchable::Catalogue(catalogue)),
            Err(f) if f.code == crate::exit::TEMP_FAIL => match Engine::open(&data_dir.join("index")) {
                Ok(engine) => {
                    tracing::warn!("database unreachable; searching this server's index");
                    Ok(Searchable::IndexOnly { engine, location })
                }
                Err(_) => Err(f),
            },
            Err(f) => Err(f),
        }
    }

    pub fn engine(&self) -> &Engine {
        match self {
            Searchable::Catalogue(c) => &c.engine,
            Searchable::IndexOnly { engine, .. } => engine,
        }
    }
}

fn skipped(report: &ImportReport) -> usize {
    report
        .problems
        .iter()
        .filter(|p| p.kind == navigator_index::import::ProblemKind::Skipped)
        .count()
}

fn open_index(store: &Store, data_dir: &Path) -> Result<Engine, Failure> {
    let dir = &data_dir.join("index");
    let generation = store.generation().map_err(Failure::store)?;
    match Engine::open(dir) {
        Ok(engine) if engine.commit_info().map(|c| c.generation) == Some(generation) => Ok(engine),
        Ok(engine) => {
            let behind = engine.commit_info().map_or(0, |c| c.generation);
            // Another process here is rebuilding it, or an import here is writing it:
            // search the previous index meanwhile (see `index_follow`).
            match crate::index_follow::rebuild_behind(store, data_dir, generation)? {
                Some(fresh) => {
                    eprintln!("navigator: the search index (generation {behind}) was behind the catalogue ({generation}); rebuilt it");
                    tracing::warn!(behind, generation, "search index behind the catalogue; rebuilt");
                    Ok(fresh)
                }
                None => Ok(engine),
            }
        }
        Err(EngineError::Missing(_)) if generation == 0 => Engine::create(dir).map_err(index_failure),
        Err(e) if e.needs_rebuild() => {
            eprintln!("navigator: {e}; rebuilding it from the catalogue");
            tracing::warn!(error = %e, "rebuilding the search index from the catalogue");
            crate::index_follow::rebuild_missing(store, data_dir)
        }
        Err(e) => Err(index_failure(e)),
    }
}

/// The automatic retention purge. A failure is reported, not fatal: a navigator on a call
/// still needs to search.
fn retention_purge(store: &mut Store, days: u32) {
    match store.retention_purge(days, crate::clock::now(), &crate::user::name()) {
        Ok(Some(counts)) => tracing::info!(
            days,
            personal_data = counts.personal_data,
            followup_notes = counts.followup_notes,
            drafts = counts.drafts,
            "retention purge"
        ),
        Ok(None) => {}
        Err(e) => {
            eprintln!("navigator: the retention purge did not run: {e}");
            tracing::warn!(error = %e, "retention purge failed");
        }
    }
}

/// Rebuilds the index in `dir` from the catalogue, swapping it in when complete.
pub fn rebuild_index(store: &Store, dir: &Path) -> Result<Engine, Failure> {
    let stats = store.catalogue_stats().map_err(Failure::store)?;
    let progress = Progress::new("indexing", stats.services);
    let mut services = Vec::with_capacity(stats.services as usize);
    store.for_each_service(|s| services.push(s)).map_err(Failure::store)?;
    let engine = Engine::rebuild(dir, services, stats.generation, |n| progress.set(n)).map_err(index_failure)?;
    progress.finish();
    Ok(engine)
}

pub fn index_failure(e: EngineError) -> Failure {
    match e {
        EngineError::Locked(_) => Failure::temporary("an import is already running on this data directory".into()),
        other => Failure::software(other.to_string()),
    }
}
