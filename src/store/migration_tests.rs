//! Migrations on both backends, from one body: servers starting at once migrate once
//! under the database's lock, and a database a newer navigator wrote is refused.

use std::sync::Barrier;

use super::testing::{each_backend, TestDb};
use super::{Backend, Store, StoreError};

/// The schema version this navigator migrates to, on `store`'s backend.
fn known(store: &Store) -> i64 {
    match store.backend() {
        Backend::Sqlite => super::sqlite::SCHEMA_VERSION,
        Backend::Postgres => super::postgres::SCHEMA_VERSION,
    }
}

/// The schema version recorded in the database (SQLite's user_version, PostgreSQL's
/// schema_version table).
fn recorded(store: &Store) -> i64 {
    match store.backend() {
        Backend::Sqlite => store.sql_int("PRAGMA user_version", &[]),
        Backend::Postgres => store.sql_int("SELECT version FROM schema_version", &[]),
    }
}

fn set_recorded(store: &Store, version: i64) {
    match store.backend() {
        Backend::Sqlite => {
            store.sql(&format!("PRAGMA user_version = {version}"), &[]);
        }
        Backend::Postgres => {
            store.sql(&format!("UPDATE schema_version SET version = {version}"), &[]);
        }
    }
}

#[test]
fn eight_servers_starting_at_once_migrate_once() {
    each_backend(|db: &TestDb| {
        let start = Barrier::new(8);
        let opened: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        Store::open_at(&db.location).map(drop).map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(opened.iter().all(Result::is_ok), "{opened:?}");
        let store = db.open();
        assert_eq!(recorded(&store), known(&store));
        // Every migration ran once: the rows the first one inserts are there once.
        assert_eq!(
            store.sql_int("SELECT count(*) FROM catalogue_meta WHERE key = 'generation'", &[]),
            1
        );
        assert_eq!(
            store.sql_int("SELECT count(*) FROM catalogue_meta WHERE key = 'store_id'", &[]),
            1
        );
        assert_eq!(store.generation().unwrap(), 0);
    });
}

#[test]
fn a_database_a_newer_navigator_wrote_is_refused_and_left_alone() {
    each_backend(|db| {
        let store = db.open();
        let newer = known(&store) + 1;
        set_recorded(&store, newer);
        drop(store);
        match Store::open_at(&db.location) {
            Err(e @ StoreError::TooNew { .. }) => {
                let text = e.to_string();
                assert!(text.contains("newer navigator"), "{text}");
                assert!(text.contains(&format!("schema {newer}")), "{text}");
                assert!(!e.is_temporary());
            }
            Err(other) => panic!("refused, but not as too new: {other}"),
            Ok(_) => panic!("a newer schema was opened"),
        }
    });
}
