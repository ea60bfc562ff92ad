//! Where the real public exports are (`../shared/data`, or `NAVIGATOR_SHARED_DATA`): the
//! tests on them skip, saying so, when they are not there (a fresh clone has no `../shared`).

use std::path::PathBuf;

/// `path` under the shared data folder, or `None` (said on stderr) when it is not there.
pub fn shared(path: &str) -> Option<PathBuf> {
    let base = std::env::var_os("NAVIGATOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    let p = base.join(path);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: {} is not there", p.display());
        None
    }
}
