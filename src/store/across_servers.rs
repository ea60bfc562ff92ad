//! What servers sharing a store need beyond rows, behind the same interface as the rest:
//! one import at a time across them ([`try_import_lock`]) and waking when the catalogue
//! changes anywhere ([`CatalogueWatch`]). The import and index-following code asks these
//! and never a backend. On SQLite (one server) there is nothing to share: the data
//! directory's own lock file covers imports, and a watch polls.

use std::time::Duration;

use super::postgres::{self, import_lock};
use super::{Location, StoreError};

pub use import_lock::ImportHolder;

/// The store's import lock, held while it lives (the server releases it if the process
/// dies).
#[derive(Debug)]
pub struct StoreImportLock {
    _lock: import_lock::ImportLock,
}

/// Takes the store's import lock for `me`: `Ok(Some(lock))`, `Ok(None)` when the store
/// needs none (SQLite), or `Err(holder)` naming who holds it (None when they left no
/// name).
pub fn try_import_lock(
    location: &Location,
    me: &ImportHolder,
) -> Result<Result<Option<StoreImportLock>, Option<ImportHolder>>, StoreError> {
    match location {
        Location::Sqlite(_) => Ok(Ok(None)),
        Location::Postgres(url) => {
            Ok(import_lock::try_acquire(url, me)?.map(|lock| Some(StoreImportLock { _lock: lock })))
        }
    }
}

/// Waits for the catalogue to change: woken by PostgreSQL's LISTEN/NOTIFY when an import
/// commits on any server, else (SQLite, or the listening connection lost) after the poll
/// interval. The caller compares generations either way.
pub enum CatalogueWatch {
    Postgres {
        url: super::PgUrl,
        client: Option<Box<::postgres::Client>>,
    },
    Poll,
}

impl CatalogueWatch {
    pub fn new(location: &Location) -> CatalogueWatch {
        match location {
            Location::Postgres(url) => CatalogueWatch::Postgres {
                url: url.clone(),
                client: None,
            },
            Location::Sqlite(_) => CatalogueWatch::Poll,
        }
    }

    /// Returns after a notification or `poll`, whichever comes first.
    pub fn wait(&mut self, poll: Duration) {
        match self {
            CatalogueWatch::Poll => std::thread::sleep(poll),
            CatalogueWatch::Postgres { url, client } => {
                if client.is_none() {
                    *client = postgres::listen(url).ok().map(Box::new);
                }
                match client {
                    Some(c) => {
                        if postgres::wait_notification(c, poll).is_err() {
                            *client = None;
                        }
                    }
                    None => std::thread::sleep(poll),
                }
            }
        }
    }
}
