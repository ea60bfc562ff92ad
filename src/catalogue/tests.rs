//! The streamed import pipeline, tested once for every importer (they all feed it through
//! `import::stream_path`): chunks reach the catalogue and the index, and a read that fails
//! half-way leaves both as they were.

use navigator_index::{SearchRequest, Service, Synonyms};

use std::path::Path;
use std::time::Duration;

use navigator_index::import::{ImportReport, Streamed, Unchanged};

use super::*;
use crate::import_lock::ImportLock;
use crate::store::{ApplyStats, CHUNK};

fn services(n: usize, tag: &str) -> Vec<Service> {
    (0..n)
        .map(|i| Service {
            id: format!("s{i:05}"),
            name: format!("Service {i}"),
            description: Some(format!("Food bank number {i} {tag}")),
            ..Default::default()
        })
        .collect()
}

/// The catalogue in `dir` opened for an import, with the import lock it needs.
fn open(dir: &Path) -> (Catalogue, ImportLock) {
    let lock = crate::import_lock::acquire(dir, Duration::ZERO).unwrap();
    (Catalogue::open_locked(dir, &lock).unwrap(), lock)
}

/// [`open`] once the demo directory is in the catalogue, as it is after a first search
/// (an import into an empty catalogue never installs it).
fn open_over_demo(dir: &Path) -> (Catalogue, ImportLock) {
    drop(open_store(dir).unwrap());
    open(dir)
}

fn feed(catalogue: &mut Catalogue, lock: &ImportLock, list: Vec<Service>) -> ApplyStats {
    feed_with(catalogue, lock, |sink| list.into_iter().for_each(sink))
}

#[test]
fn a_streamed_import_reaches_the_catalogue_and_the_index_in_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut catalogue, lock) = open_over_demo(dir.path());
    let n = CHUNK * 2 + CHUNK / 2;
    let stats = feed(&mut catalogue, &lock, services(n, "first"));
    // Over the demo directory: it is replaced.
    assert_eq!((stats.added, stats.removed), (n, 500));
    assert_eq!(catalogue.source().unwrap().as_deref(), Some(SOURCE_IMPORT));
    assert_eq!(catalogue.engine.num_docs(), n as u64);
    assert_eq!(catalogue.engine.commit_info().unwrap().generation, stats.generation);
    // The index's stored records are the catalogue's.
    let mut request = SearchRequest::new("food bank");
    request.limit = 50;
    let found = catalogue.engine.search(&request, &Synonyms::defaults()).unwrap();
    assert_eq!(found.hits.len(), 50);
    for hit in &found.hits {
        assert_eq!(
            Some(&hit.service),
            catalogue.store.service(&hit.service.id).unwrap().as_ref()
        );
    }

    // Again with every tenth changed: only those are rewritten.
    let mut next = services(n, "first");
    for s in next.iter_mut().step_by(10) {
        s.description = Some("changed".into());
    }
    let again = feed(&mut catalogue, &lock, next);
    assert_eq!((again.added, again.updated, again.unchanged), (0, n / 10, n - n / 10));
    assert_eq!(catalogue.engine.num_docs(), n as u64, "updates replace, never add");
    drop((catalogue, lock));
    let (reopened, _lock) = open(dir.path());
    assert_eq!(reopened.engine.num_docs(), n as u64);
    assert_eq!(
        reopened
            .store
            .service("s00010")
            .unwrap()
            .unwrap()
            .description
            .as_deref(),
        Some("changed")
    );
}

#[test]
fn a_read_that_fails_half_way_leaves_catalogue_and_index_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let (mut catalogue, lock) = open_over_demo(dir.path());
    let generation = catalogue.store.generation().unwrap();
    let failed = catalogue.import(
        |_, sink| {
            // Two chunks are already in the catalogue's transaction and the index writer.
            services(CHUNK * 2 + 10, "lost")
                .into_iter()
                .map(Into::into)
                .for_each(sink);
            Err(Failure::data("services.csv:2011: cut short".into()))
        },
        true,
        SOURCE_IMPORT,
        "test",
        &lock,
    );
    assert!(matches!(failed, Err(ApplyFailure::Nothing(f)) if f.message.contains("cut short")));
    assert!(catalogue.is_demo());
    assert_eq!(catalogue.store.generation().unwrap(), generation);
    assert_eq!(catalogue.store.catalogue_stats().unwrap().services, 500);
    assert!(catalogue.store.service("s00001").unwrap().is_none());
    drop((catalogue, lock));
    let (mut reopened, lock) = open(dir.path());
    assert_eq!(reopened.engine.num_docs(), 500);
    assert_eq!(reopened.engine.commit_info().unwrap().generation, generation);
    // And the writer was let go: the next import runs.
    assert_eq!(feed(&mut reopened, &lock, services(3, "ok")).added, 3);
}

#[test]
fn a_read_that_pushes_nothing_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut catalogue, lock) = open_over_demo(dir.path());
    let generation = catalogue.store.generation().unwrap();
    let outcome = catalogue
        .import(|_, _| Ok(ImportReport::default()), true, SOURCE_IMPORT, "test", &lock)
        .unwrap();
    assert!(outcome.is_none());
    assert!(catalogue.is_demo());
    assert_eq!(catalogue.store.generation().unwrap(), generation);
    assert_eq!(
        catalogue.store.catalogue_stats().unwrap().last_import.unwrap().source,
        "built-in demo directory"
    );
}

#[test]
fn casework_writes_go_through_before_the_first_chunk_and_while_the_import_is_held_mid_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (mut catalogue, lock) = open(dir.path());
    let db = dir.path().join("navigator.db");
    let demo = catalogue.store.catalogue_stats().unwrap();
    let stats = feed_with(&mut catalogue, &lock, |sink| {
        // As an HSDS reader joining tables: nothing pushed yet. A draft checkpoint fails
        // (busy) rather than wait forever if anything holds the write lock.
        let mut other = crate::store::Store::open(&db).unwrap();
        other.save_draft("nav1", "contact", "{\"before\":true}").unwrap();
        services(CHUNK * 3, "held").into_iter().for_each(&mut *sink);
        // Held mid-stream, once the catalogue thread has staged a chunk (the index
        // thread and the queues hold the rest): casework saves still go through, and
        // readers see the catalogue as it was.
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while other.sql_int(
            "SELECT count(*) FROM service_versions WHERE generation > ?1",
            crate::args![demo.generation as i64],
        ) < CHUNK as i64
        {
            assert!(std::time::Instant::now() < deadline, "no chunk was staged");
            std::thread::sleep(Duration::from_millis(20));
        }
        other.save_draft("nav1", "contact", "{\"during\":true}").unwrap();
        assert_eq!(other.catalogue_stats().unwrap(), demo);
        assert!(other.service("s00001").unwrap().is_none());
        services(CHUNK * 4, "held").into_iter().skip(CHUNK * 3).for_each(sink);
    });
    assert_eq!(stats.added, CHUNK * 4);
    assert_eq!(stats.generation, demo.generation + 1);
    // Over the demo directory: replaced.
    assert_eq!(stats.removed as u64, demo.services);
    assert_eq!(catalogue.engine.num_docs(), CHUNK as u64 * 4);
    let draft = catalogue
        .store
        .load_draft("nav1", "contact")
        .unwrap()
        .map(|(body, _)| body);
    assert_eq!(draft.as_deref(), Some("{\"during\":true}"));
}

fn feed_with(catalogue: &mut Catalogue, lock: &ImportLock, read: impl FnOnce(&mut dyn FnMut(Service))) -> ApplyStats {
    let (_, stats) = catalogue
        .import(
            |_, sink| {
                read(&mut |s| sink(s.into()));
                Ok(ImportReport::default())
            },
            false,
            SOURCE_IMPORT,
            "test",
            lock,
        )
        .unwrap()
        .expect("services were pushed");
    stats
}

#[test]
fn a_service_said_unchanged_whose_record_moved_on_stops_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let (mut catalogue, lock) = open_over_demo(dir.path());
    feed(&mut catalogue, &lock, services(3, "first"));
    let generation = catalogue.store.generation().unwrap();
    // A reader that says s00001 is unchanged, for a record the catalogue does not hold.
    let failed = catalogue.import(
        |_, sink| {
            sink(Streamed::Unchanged(Unchanged::for_tests("s00001", 42)));
            Ok(ImportReport::default())
        },
        false,
        SOURCE_IMPORT,
        "test",
        &lock,
    );
    let Err(ApplyFailure::Nothing(f)) = failed else {
        panic!("applied")
    };
    assert!(f.message.contains("s00001 changed in the catalogue"), "{}", f.message);
    assert_eq!(catalogue.store.generation().unwrap(), generation);
}
