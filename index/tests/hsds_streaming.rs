//! The HSDS CSV reader streams: a package four times as large takes no more heap, and its
//! scratch files are gone afterwards, also when the import stops half-way (and those of an
//! import that was killed go with the next import). The heap is
//! measured with a counting allocator (bytes, not time), on generated HSDS 3.0 packages
//! of 4,000 and 16,000 services, with every service dropped as soon as it is handed on.
//! One test, so that its TMPDIR is the only one this process uses.

mod peak_heap;

use navigator_index::import::{read_path, Format, Options};
use navigator_index::synth::{write_datapackage, SynthOptions};
use std::path::Path;

use std::sync::atomic::Ordering;

use peak_heap::{CURRENT, PEAK};

fn package(dir: &Path, services: u64) {
    let opts = SynthOptions { services, seed: 211 };
    write_datapackage(&opts, dir, &mut |_| {}).unwrap();
}

/// Peak heap above the baseline while reading the package in `dir`, and the services read.
fn peak_while_reading(dir: &Path) -> (usize, usize) {
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let mut services = 0;
    read_path(dir, Format::HsdsCsv, Options::default(), &mut |s| {
        services += 1;
        drop(s);
    })
    .unwrap();
    (PEAK.load(Ordering::Relaxed) - baseline, services)
}

fn scratch_left(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".navigator-import-"))
        .collect()
}

#[test]
fn memory_does_not_grow_with_the_package_and_scratch_files_go() {
    let tmp = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this binary, set before any thread of it reads the environment.
    unsafe { std::env::set_var("TMPDIR", tmp.path()) };
    let (small_dir, large_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    package(small_dir.path(), 4_000);
    package(large_dir.path(), 16_000);

    // A folder left by an import that was killed: its process is gone.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let left = tmp.path().join(format!(".navigator-import-{dead}-XyZ12"));
    std::fs::create_dir(&left).unwrap();
    std::fs::write(left.join("services-0"), b"rows").unwrap();

    let (small, n_small) = peak_while_reading(small_dir.path());
    let (large, n_large) = peak_while_reading(large_dir.path());
    assert_eq!((n_small, n_large), (4_000, 16_000));
    eprintln!("peak heap: {small} bytes for 4,000 services, {large} for 16,000");
    // The packages are about 4.5 MB and 18 MB on disk; holding the larger one's services
    // took over 60 MB. The reader holds a bucket of a few thousand services' details.
    assert!(large < 16 * 1024 * 1024, "peak {large} bytes");
    assert!(large < small * 2, "peak grew from {small} to {large} bytes");
    assert_eq!(scratch_left(tmp.path()), Vec::<String>::new());

    // An import that stops at its first service (the caller failed) leaves nothing behind.
    let stopped = std::panic::catch_unwind(|| {
        read_path(large_dir.path(), Format::HsdsCsv, Options::default(), &mut |_| {
            panic!("the catalogue went away")
        })
    });
    assert!(stopped.is_err());
    assert_eq!(scratch_left(tmp.path()), Vec::<String>::new());
}
