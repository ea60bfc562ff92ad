//! The log: `navigator.log` in the data directory, appended to by every process (and, in a
//! shared install, every user). Never the terminal: the full-screen app owns it.
//!
//! What is logged: commands and their exit status, imports and their counts, index
//! rebuilds, purges, errors. What never is: a caller's name, phone, best time or notes, and
//! nothing typed into a search (it may describe a caller). Log calls pass ids and counts.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Mutex;

use tracing::Level;

/// The log file's name in the data directory.
pub const LOG_FILE: &str = "navigator.log";

/// Starts logging to `data_dir/navigator.log`. Returns false (and logs nothing) when the
/// file cannot be opened: a read-only or missing data directory is not worth failing for.
pub fn init(data_dir: &Path) -> bool {
    let path = data_dir.join(LOG_FILE);
    // Never readable by others: at most the group of a shared install.
    let Ok(file) = OpenOptions::new().create(true).append(true).mode(0o660).open(&path) else {
        return false;
    };
    if crate::shared::is_shared(data_dir) {
        let _ = navigator_index::shared_dir::widen_mode(&path, navigator_index::shared_dir::SHARED_FILE_MODE);
    }
    let subscriber = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .with_max_level(Level::INFO)
        .finish();
    tracing::subscriber::set_global_default(subscriber).is_ok()
}
