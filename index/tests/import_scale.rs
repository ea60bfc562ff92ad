//! Import speed at scale. Needs a large HSDS 3.0 CSV package (the synthetic generator
//! writes one); run in release mode:
//!
//! ```sh
//! NAVIGATOR_SCALE_PACKAGE=/tmp/hsds1m cargo test --release -p navigator-index --test import_scale -- --ignored --nocapture
//! ```

use std::time::Instant;

use navigator_index::import::{import_path, Format};

#[test]
#[ignore = "needs NAVIGATOR_SCALE_PACKAGE and a release build"]
fn imports_a_large_package_quickly() {
    let Some(dir) = std::env::var_os("NAVIGATOR_SCALE_PACKAGE") else {
        eprintln!("NAVIGATOR_SCALE_PACKAGE not set; skipping");
        return;
    };
    let start = Instant::now();
    let import = import_path(std::path::Path::new(&dir), Format::HsdsCsv).expect("imports");
    let elapsed = start.elapsed();
    let n = import.services.len();
    let rate = n as f64 / elapsed.as_secs_f64();
    eprintln!(
        "{}: {n} services in {elapsed:.2?} ({rate:.0}/s), {} problems",
        import.report.format,
        import.report.problems.len()
    );
    assert!(n > 0);
    assert!(rate > 20_000.0, "{rate:.0} services/s is too slow");
}
