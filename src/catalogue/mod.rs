//! The service catalogue as commands see it: the SQLite services table (source of truth)
//! and the tantivy index derived from it, kept in step.
//!
//! Import order is catalogue first (one transaction, which also records where the services
//! came from and the new generation), index second (one commit). If the index commit fails
//! (a full disk) or the process dies between the two, the index's recorded generation is
//! behind the catalogue's. The office keeps working all the same:
//!
//! - casework, reports and `show` never need the index ([`open_store`]);
//! - a search finds the index behind and rebuilds it, but only when it can take the
//!   import lock at once: while an import holds it, the previous index (consistent with
//!   the previous generation) is searched; when a rebuild fails, the last good index is
//!   searched with a warning until one succeeds ([`index`]).

mod apply;
pub mod index;
mod searchable;

use std::path::{Path, PathBuf};

use navigator_index::{Engine, EngineError, Synonyms};

use crate::exit::Failure;
use crate::import_lock::ImportLock;
use crate::store::Store;

pub use apply::ApplyFailure;
pub use index::rebuild_index;
pub use searchable::Searchable;

/// Where the catalogue's services came from.
pub const SOURCE_DEMO: &str = "demo";
pub const SOURCE_IMPORT: &str = "import";

pub struct Catalogue {
    pub store: Store,
    pub engine: Engine,
    pub data_dir: PathBuf,
    /// Set when the index searched is not the catalogue's current generation: say it
    /// where a navigator will see it (stderr, the app's status line).
    pub index_warning: Option<String>,
    /// The rebuild lock, held for an import's whole life (see [`Catalogue::open_locked`]).
    rebuilding: Option<crate::index_follow::RebuildLock>,
}

/// Opens the store of `data_dir` for commands that never search: casework, follow-ups,
/// reports, exports, `show`, the audit trail. Nothing here touches the index, so a full
/// disk or a running import never stops them.
///
/// In a shared (setgid) data directory, files created from here on are group read/write
/// whatever the user's umask, and the database files are made 0660. With `[retention]
/// personal_data_days` set, old personal data is purged (at most once a day). An empty
/// catalogue gets the built-in demo directory (its index follows at the first search).
pub fn open_store(data_dir: &Path) -> Result<Store, Failure> {
    open_store_patient(data_dir, crate::store::patience_from_env())
}

/// [`open_store`], trying an unreachable database for `patience` only.
pub fn open_store_patient(data_dir: &Path, patience: std::time::Duration) -> Result<Store, Failure> {
    open_store_with(data_dir, patience, true)
}

/// [`open_store`]; `demo` says whether an empty catalogue gets the demo directory (not for
/// an import, which fills it: unpacking and indexing the demo first only to replace it
/// cost time and told the administrator the demo was in use).
fn open_store_with(data_dir: &Path, patience: std::time::Duration, demo: bool) -> Result<Store, Failure> {
    crate::shared::prepare(data_dir);
    crate::access::check_data_dir(data_dir)?;
    let location = crate::config::store_location(data_dir)?;
    let mut store = Store::open_patient(&location, patience).map_err(Failure::store)?;
    crate::shared::share_db_files(data_dir);
    if store.is_read_only() {
        return Ok(store);
    }
    if let Some(days) = crate::config::retention_days()? {
        retention_purge(&mut store, days);
    }
    if demo && source(&store)?.is_none() {
        crate::demo::install(&mut store)?;
    }
    Ok(store)
}

/// "demo", "import", or `None` for a catalogue nothing was ever put into.
fn source(store: &Store) -> Result<Option<String>, Failure> {
    store.catalogue_meta("source").map_err(Failure::store)
}

impl Catalogue {
    /// Opens the catalogue and its index for searching (see the module docs): the index
    /// is rebuilt when it is missing, damaged, another version or behind, unless an import
    /// or another rebuild holds the lock, in which case the previous index is searched.
    pub fn open(data_dir: &Path) -> Result<Catalogue, Failure> {
        Catalogue::open_patient(data_dir, crate::store::patience_from_env())
    }

    /// [`Catalogue::open`], trying an unreachable database for `patience` only.
    pub fn open_patient(data_dir: &Path, patience: std::time::Duration) -> Result<Catalogue, Failure> {
        let store = open_store_patient(data_dir, patience)?;
        let (engine, index_warning) = index::open(&store, data_dir, None)?;
        Ok(Catalogue {
            store,
            engine,
            data_dir: data_dir.to_path_buf(),
            index_warning,
            rebuilding: None,
        })
    }

    /// Opens the catalogue for an import, whose caller holds `lock`: this also takes the
    /// rebuild lock (waiting for a rebuild another process started before the import), so
    /// nothing else writes the index until the import is done; an index that is behind is
    /// rebuilt now, and a rebuild that fails is an error.
    pub fn open_locked(data_dir: &Path, lock: &ImportLock) -> Result<Catalogue, Failure> {
        let store = open_store_with(data_dir, crate::store::patience_from_env(), false)?;
        let rebuilding = crate::index_follow::wait_rebuild_lock(data_dir)?;
        let (engine, index_warning) = index::open(&store, data_dir, Some(lock))?;
        Ok(Catalogue {
            store,
            engine,
            data_dir: data_dir.to_path_buf(),
            index_warning,
            rebuilding: Some(rebuilding),
        })
    }

    /// "demo", "import", or `None` for a catalogue nothing was ever put into.
    pub fn source(&self) -> Result<Option<String>, Failure> {
        source(&self.store)
    }

    pub fn is_demo(&self) -> bool {
        self.source().ok().flatten().as_deref() == Some(SOURCE_DEMO)
    }

    /// Rebuilds the index from the catalogue, swapping it in only when complete. The
    /// caller holds the import lock; this takes the rebuild lock too.
    pub fn rebuild(&mut self, _lock: &ImportLock) -> Result<(), Failure> {
        let _rebuilding = match self.rebuilding {
            Some(_) => None,
            None => Some(crate::index_follow::wait_rebuild_lock(&self.data_dir)?),
        };
        let settings = self.engine.settings().clone();
        self.engine = rebuild_index(&self.store, &self.data_dir.join("index"))?;
        self.engine.set_settings(settings);
        self.index_warning = None;
        Ok(())
    }

    /// The synonyms and everyday terms in effect: the user's files (`synonyms.txt`,
    /// `everyday-terms.txt` in the config directory) where there are some, else the
    /// defaults, each file on its own.
    pub fn synonyms() -> Result<Synonyms, Failure> {
        let read = |path: Option<std::path::PathBuf>| -> Result<Option<(std::path::PathBuf, String)>, Failure> {
            let Some(path) = path.filter(|p| p.exists()) else {
                return Ok(None);
            };
            let text = std::fs::read_to_string(&path).map_err(|e| Failure::io(format!("{}: {e}", path.display())))?;
            Ok(Some((path, text)))
        };
        let bad =
            |path: &Path, e: navigator_index::synonyms::SynonymError| Failure::data(format!("{}: {e}", path.display()));
        let mut synonyms = match read(crate::config::synonyms_path())? {
            Some((path, text)) => Synonyms::parse(&text).map_err(|e| bad(&path, e))?,
            None => Synonyms::parse(navigator_index::synonyms::DEFAULT_SYNONYMS).expect("the bundled synonyms parse"),
        };
        match read(crate::config::everyday_terms_path())? {
            Some((path, text)) => synonyms.add_everyday(&text).map_err(|e| bad(&path, e))?,
            None => synonyms
                .add_everyday(navigator_index::synonyms::DEFAULT_EVERYDAY_TERMS)
                .expect("the bundled everyday terms parse"),
        }
        Ok(synonyms)
    }
}

/// The automatic retention purge. A failure is reported, not fatal: a navigator on a call
/// still needs to search.
fn retention_purge(store: &mut Store, days: u32) {
    match store.retention_purge(days, crate::clock::now(), &crate::user::name()) {
        Ok(Some(purged)) => {
            let counts = purged.counts;
            tracing::info!(
                days,
                personal_data = counts.personal_data,
                followup_notes = counts.followup_notes,
                drafts = counts.drafts,
                "retention purge"
            );
            if purged.erased == crate::store::Erased::WalBusy {
                crate::say!("navigator: {}", crate::privacy::WAL_BUSY);
            }
        }
        Ok(None) => {}
        Err(e) => {
            crate::say!("navigator: the retention purge did not run: {e}");
            tracing::warn!(error = %e, "retention purge failed");
        }
    }
}

/// The exit status of an index error: 75 while another process writes it, 74 when the
/// disk said no (full, read-only, an I/O error), 70 for anything else.
pub fn index_failure(e: EngineError) -> Failure {
    match e {
        EngineError::Locked(_) => Failure::temporary("an import is already running on this data directory".into()),
        e if e.is_io() => Failure::io(e.to_string()),
        other => Failure::software(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
