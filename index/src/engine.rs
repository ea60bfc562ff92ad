//! The on-disk search index: open, create, write, rebuild.
//!
//! Every commit carries a payload with the schema version and the catalogue generation it
//! reflects. The caller compares that generation with the catalogue's: when the index is
//! behind (an import died between the catalogue commit and the index commit), or its
//! schema is another version, or it is damaged, the caller rebuilds it from the catalogue.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::indexer::LogMergePolicy;
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyError, Term};

use crate::analysis;
use crate::document;
use crate::lexicon::LexiconCache;
use crate::mapped_pages::{MappedPages, Releaser};
use crate::model::Service;
use crate::places::Places;
use crate::schema::{self, Fields, StemLanguage, SCHEMA_VERSION};
use crate::search::Near;
use crate::shared_dir::SharedDirectory;

/// Memory the writer may buffer before flushing a segment, over all its threads: sized
/// for a small server (a million-service import stays within 500 MB in all). Half the
/// former 256 MiB, for twice the segments to merge: a 1M import was not slower for it.
const WRITER_MEMORY_BYTES: usize = 128 * 1024 * 1024;

/// An index's schema version as a sentence part ("version 5", or none recorded).
fn version_of(found: Option<u32>) -> String {
    match found {
        Some(v) => format!("version {v}"),
        None => "of an unknown version".to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("no search index in {0}")]
    Missing(PathBuf),
    #[error("the search index in {dir} is {}, this navigator needs version {SCHEMA_VERSION}", version_of(*.found))]
    OtherVersion { dir: PathBuf, found: Option<u32> },
    #[error("the search index in {dir} is damaged: {reason}")]
    Damaged { dir: PathBuf, reason: String },
    #[error("another process is writing the search index in {0}")]
    Locked(PathBuf),
    #[error("search index: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    /// A bug while searching (a panic caught at the search boundary). Not damage: the
    /// index is left alone.
    #[error("search failed: {0}")]
    Internal(String),
}

impl EngineError {
    /// True when rebuilding from the catalogue is the cure.
    pub fn needs_rebuild(&self) -> bool {
        matches!(
            self,
            EngineError::Missing(_) | EngineError::OtherVersion { .. } | EngineError::Damaged { .. }
        )
    }

    /// True when the file system refused (a full disk, a read-only one, an I/O error):
    /// a problem with the machine, not with navigator. A writer thread that died is one
    /// too: tantivy's indexing threads die of a failed write.
    pub fn is_io(&self) -> bool {
        match self {
            EngineError::Io(_) => true,
            EngineError::Tantivy(t) => matches!(
                t,
                TantivyError::IoError(_)
                    | TantivyError::OpenWriteError(_)
                    | TantivyError::OpenDirectoryError(_)
                    | TantivyError::ErrorInThread(_)
            ),
            _ => false,
        }
    }
}

/// What each commit records about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    pub schema_version: u32,
    /// The catalogue generation this index reflects.
    pub generation: u64,
}

/// How an office searches its directory, from the configuration: the same for every
/// search of a session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchSettings {
    /// The stemmers applied to queries; `None`: the languages the records are written in.
    pub languages: Option<Vec<StemLanguage>>,
    /// The navigator's home area, used when a request names no place: distance then leans
    /// the ranking local.
    pub home: Option<Near>,
    /// IANA zone of the hours of records that give none; `None`: the machine's zone.
    pub timezone: Option<String>,
    /// Matched services one search visits before its counts become lower bounds;
    /// `None`: [`crate::search::COUNT_BUDGET`].
    pub count_budget: Option<usize>,
}

/// A search index: a reader that follows commits, and the field handles.
pub struct Engine {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    dir: Option<PathBuf>,
    /// The index files mapped (`None` in memory), whose pages writers give back.
    pages: Option<MappedPages>,
    /// Municipality centroids for the searcher generation they were computed from.
    places: Mutex<Option<(u64, Arc<Places>)>>,
    /// The same with postal-code centres (see [`Engine::places_with_postal`]).
    postal_places: Mutex<Option<(u64, Arc<Places>)>>,
    /// Dictionary answers (word counts, typo corrections) reused between keystrokes.
    pub(crate) lexicon: Mutex<LexiconCache>,
    /// Whether the last search with these filters found one sideways pass worth it (see
    /// `facets::SidewaysHint`): the next keystroke of a query has the same filters and
    /// nearly the same matches.
    pub(crate) sideways_hint: Mutex<Option<crate::facets::SidewaysHint>>,
    settings: SearchSettings,
}

impl Engine {
    /// Opens the index in `dir`, checking that it is this schema version and readable.
    pub fn open(dir: &Path) -> Result<Engine, EngineError> {
        if !dir.join("meta.json").exists() {
            return Err(EngineError::Missing(dir.to_path_buf()));
        }
        let damaged = |e: TantivyError| EngineError::Damaged {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        };
        let directory = SharedDirectory::open(dir).map_err(|e| EngineError::Damaged {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let pages = directory.pages();
        let index = Index::open(directory).map_err(damaged)?;
        let info = commit_info(&index);
        if info.map(|i| i.schema_version) != Some(SCHEMA_VERSION) {
            return Err(EngineError::OtherVersion {
                dir: dir.to_path_buf(),
                found: info.map(|i| i.schema_version),
            });
        }
        let (expected, fields) = schema::build();
        if index.schema() != expected {
            return Err(EngineError::OtherVersion {
                dir: dir.to_path_buf(),
                found: Some(SCHEMA_VERSION),
            });
        }
        Self::finish(index, fields, Some(dir.to_path_buf()), Some(pages)).map_err(|e| match e {
            EngineError::Tantivy(t) => damaged(t),
            other => other,
        })
    }

    /// Creates an empty index in `dir` (created if missing), committed at generation 0.
    pub fn create(dir: &Path) -> Result<Engine, EngineError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let directory = SharedDirectory::open(dir).map_err(|e| EngineError::Damaged {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let pages = directory.pages();
        let index = Index::create(directory, schema, index_settings())?;
        analysis::register(&index);
        let engine = Self::finish(index, fields, Some(dir.to_path_buf()), Some(pages))?;
        engine.writer()?.commit(0)?;
        engine.reader.reload()?;
        Ok(engine)
    }

    /// An index in memory, for tests and one-off tools.
    pub fn in_memory() -> Result<Engine, EngineError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        analysis::register(&index);
        let engine = Self::finish(index, fields, None, None)?;
        engine.writer()?.commit(0)?;
        engine.reader.reload()?;
        Ok(engine)
    }

    fn finish(
        index: Index,
        fields: Fields,
        dir: Option<PathBuf>,
        pages: Option<MappedPages>,
    ) -> Result<Engine, EngineError> {
        analysis::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Engine {
            index,
            reader,
            fields,
            dir,
            pages,
            places: Mutex::new(None),
            postal_places: Mutex::new(None),
            lexicon: Mutex::new(LexiconCache::default()),
            sideways_hint: Mutex::new(None),
            settings: SearchSettings::default(),
        })
    }

    /// Sets how searches run (languages, home area, default time zone).
    /// Dictionary reads made while building queries so far (see [`LexiconCache::reads`]).
    pub fn lexicon_reads(&self) -> u64 {
        self.lexicon.lock().unwrap_or_else(|e| e.into_inner()).reads()
    }

    pub fn set_settings(&mut self, settings: SearchSettings) {
        self.settings = settings;
    }

    pub fn settings(&self) -> &SearchSettings {
        &self.settings
    }

    /// Municipality centroids of what `searcher` sees, computed once per commit.
    pub(crate) fn places(&self, searcher: &Searcher) -> Arc<Places> {
        cached_places(&self.places, searcher, false)
    }

    /// The same with postal-code centres, for resolving a postal code (its own cache:
    /// a national directory's postal codes cost as much memory as its municipalities
    /// cost little).
    pub(crate) fn places_with_postal(&self, searcher: &Searcher) -> Arc<Places> {
        cached_places(&self.postal_places, searcher, true)
    }

    /// The municipalities the index knows, with their centres.
    pub fn known_places(&self) -> Arc<Places> {
        self.places(&self.reader.searcher())
    }

    /// The last commit's record, `None` for an index that was never committed by navigator.
    pub fn commit_info(&self) -> Option<CommitInfo> {
        commit_info(&self.index)
    }

    /// The folder the index lives in (`None` in memory).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Number of services searchable right now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes the index occupies on disk (0 in memory).
    pub fn disk_bytes(&self) -> u64 {
        let Some(dir) = &self.dir else { return 0 };
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Makes the latest commit visible now (readers also follow commits on their own).
    pub fn reload(&self) -> Result<(), EngineError> {
        Ok(self.reader.reload()?)
    }

    /// The single writer. Fails with [`EngineError::Locked`] when another process holds it.
    pub fn writer(&self) -> Result<EngineWriter, EngineError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let writer: IndexWriter = match self.index.writer_with_num_threads(threads, WRITER_MEMORY_BYTES) {
            Ok(w) => w,
            Err(TantivyError::LockFailure(..)) => {
                return Err(EngineError::Locked(self.dir.clone().unwrap_or_default()));
            }
            Err(e) => return Err(e.into()),
        };
        // Deleted documents do not trigger merges by default; updates delete, so do.
        let mut policy = LogMergePolicy::default();
        policy.set_del_docs_ratio_before_merge(0.3);
        writer.set_merge_policy(Box::new(policy));
        Ok(EngineWriter {
            writer,
            fields: self.fields.clone(),
            _releaser: self.pages.as_ref().map(MappedPages::releaser),
        })
    }

    /// Builds a fresh index of `services` in `dir`, replacing what is there only once the new
    /// one is complete: a crash mid-way, or an error among `services`, leaves the old index
    /// in place (and the error is returned). One rebuild at a time per folder (navigator
    /// holds its import lock): staging folders that a killed rebuild left beside `dir` are
    /// removed first.
    pub fn rebuild(
        dir: &Path,
        services: impl IntoIterator<Item = Result<Service, EngineError>>,
        generation: u64,
        mut progress: impl FnMut(u64),
    ) -> Result<Engine, EngineError> {
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        remove_stale_staging(parent);
        let staging = tempfile::Builder::new().prefix(".index-rebuild-").tempdir_in(parent)?;
        // tempfile makes the staging folder 0700; in a shared install it becomes `index/`,
        // so give it the shared folder's mode (group read/write, setgid).
        share_like_parent(staging.path(), parent)?;
        {
            let engine = Engine::create(staging.path())?;
            let mut writer = engine.writer()?;
            for (n, service) in services.into_iter().enumerate() {
                writer.add(&service?)?;
                if n % 10_000 == 9_999 {
                    progress(n as u64 + 1);
                }
            }
            writer.commit(generation)?;
        }
        let staged = staging.keep();
        let old = parent.join(format!(".index-old-{}", std::process::id()));
        if dir.exists() {
            std::fs::rename(dir, &old)?;
        }
        std::fs::rename(&staged, dir)?;
        let _ = std::fs::remove_dir_all(&old);
        Engine::open(dir)
    }
}

/// Removes `.index-rebuild-*` and `.index-old-*` folders a killed rebuild left in
/// `parent`. Best effort: one that cannot be removed is in the way of nothing.
fn remove_stale_staging(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".index-rebuild-") || name.starts_with(".index-old-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Records are stored in blocks of 4 KB instead of tantivy's 16 KB: a keystroke shows about
/// twenty records scattered over the whole store, and each costs reading and decompressing
/// its block. Typing thirty queries at 1M touched 113 MB of the store with 16 KB blocks.
const DOCSTORE_BLOCK_BYTES: usize = 4096;

fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

/// Gives `dir` the group permissions of `parent` when `parent` is group-shared.
fn share_like_parent(dir: &Path, parent: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(parent)?.permissions().mode() & 0o7777;
    if crate::shared_dir::is_group_shared(mode) {
        let wanted = 0o700 | (mode & 0o2070);
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(wanted))?;
    }
    Ok(())
}

fn commit_info(index: &Index) -> Option<CommitInfo> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// Adds, replaces and deletes services; nothing is visible until [`EngineWriter::commit`].
pub struct EngineWriter {
    writer: IndexWriter,
    fields: Fields,
    /// Gives back the index pages the writer's merges read, while it lives (last: it
    /// outlives the writer's threads).
    _releaser: Option<Releaser>,
}

impl EngineWriter {
    /// Adds a service that is not in the index yet.
    pub fn add(&mut self, service: &Service) -> Result<(), EngineError> {
        self.writer.add_document(document::build(&self.fields, service))?;
        Ok(())
    }

    /// Replaces the service with the same id, or adds it.
    pub fn upsert(&mut self, service: &Service) -> Result<(), EngineError> {
        self.delete(&service.id);
        self.add(service)
    }

    /// [`EngineWriter::add`] (or, with `replace`, [`EngineWriter::upsert`]) of a service
    /// whose JSON record (`serde_json` of `service`) the caller already made.
    pub fn put_encoded(&mut self, service: &Service, record: &str, replace: bool) -> Result<(), EngineError> {
        if replace {
            self.delete(&service.id);
        }
        self.writer
            .add_document(document::build_with_record(&self.fields, service, record))?;
        Ok(())
    }

    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Removes every service (for an import that replaces the catalogue).
    pub fn clear(&mut self) -> Result<(), EngineError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes everything written visible at once, recording the catalogue generation, and
    /// waits for merges so the next open finds a compact index.
    pub fn commit(mut self, generation: u64) -> Result<(), EngineError> {
        let info = CommitInfo {
            schema_version: SCHEMA_VERSION,
            generation,
        };
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&info).expect("CommitInfo serializes"));
        prepared.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// Place centres for `searcher`'s generation from `cache`, computed when it is of another.
fn cached_places(cache: &Mutex<Option<(u64, Arc<Places>)>>, searcher: &Searcher, with_postal: bool) -> Arc<Places> {
    let generation = crate::lexicon::contents_key(searcher);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((g, places)) = cache.as_ref() {
        if *g == generation {
            return places.clone();
        }
    }
    let places = Arc::new(Places::compute(searcher, with_postal).unwrap_or_default());
    *cache = Some((generation, places.clone()));
    places
}
