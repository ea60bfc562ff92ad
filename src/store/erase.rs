//! Making deleted values unrecoverable from the files, not just from the tables. A
//! database leaves a deleted or overwritten row's bytes in its pages (and SQLite's
//! write-ahead log keeps a copy of every page version written since it was last reset), so
//! `strings navigator.db` would find a purged caller's name. Each backend has its steps
//! ([`super::Database::compact_personal_data`]; SQLite's in `sqlite::erase`); this is
//! what they report and how long they may try.

use std::time::Duration;

/// `catalogue_meta` key: set once every freed byte in the file is known to be zeroed
/// (the database was created with secure_delete, or rewritten by VACUUM since).
pub(crate) const ZEROED_KEY: &str = "freed_space_zeroed";

/// How long a purge keeps trying while other processes read.
pub const PURGE_PATIENCE: Duration = Duration::from_secs(20);

/// How long a discarded draft waits: the app is waiting on it.
pub const DRAFT_PATIENCE: Duration = Duration::from_secs(2);

/// Whether the files hold no copy of what was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erased {
    /// Nothing deleted is left in any file.
    Clean,
    /// Other processes kept reading an older snapshot: deleted values may still be in
    /// `navigator.db-wal` until they finish and a later purge or discard clears it.
    WalBusy,
}
