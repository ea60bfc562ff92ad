//! Injected failures, for tests of what happens when the disk says no at a given moment
//! (the index commit after the catalogue commit, a rebuild). Only debug builds read
//! `NAVIGATOR_FAULT` (a comma-separated list of points); a release build has no such
//! switch and every check passes.

/// Fails with "No space left on device" when `point` is listed in `NAVIGATOR_FAULT`.
pub fn check(point: &str) -> std::io::Result<()> {
    #[cfg(debug_assertions)]
    {
        let listed = std::env::var("NAVIGATOR_FAULT").is_ok_and(|v| v.split(',').any(|p| p.trim() == point));
        if listed {
            return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
        }
    }
    let _ = point;
    Ok(())
}
