//! The import pipeline keeps each id it passed on as a fixed-size hash (its text goes to
//! a scratch file), so what it holds to leave out repeated ids does not grow with the
//! ids' length: measured with a counting allocator (bytes, not time), as the heap the
//! pipeline holds beyond the reader's own when the last service comes out. The HSDS CSV
//! reader, for its part, has let go of its id maps by then.

mod peak_heap;

use std::path::Path;
use std::sync::atomic::Ordering;

use navigator_index::import::{read_path, stream_path, Format, Options};
use peak_heap::CURRENT;

const SERVICES: usize = 16_000;

/// services.csv alone (the one table HSDS requires), with ids of 200 characters.
fn package(dir: &Path) {
    let mut csv = String::from("id,name\n");
    let id = |i: usize| format!("{}-{i:08}", "x".repeat(191));
    for i in 0..SERVICES {
        csv.push_str(&format!("{},Service {i}\n", id(i)));
    }
    std::fs::write(dir.join("services.csv"), csv).unwrap();
}

/// The heap in use when the last service is handed on, and the services handed on.
fn live_at_last(dir: &Path, streamed: bool) -> (usize, usize) {
    let baseline = CURRENT.load(Ordering::Relaxed);
    let mut last = 0;
    let mut services = 0;
    let mut emit = |s: navigator_index::Service| {
        services += 1;
        drop(s);
        if services == SERVICES {
            last = CURRENT.load(Ordering::Relaxed);
        }
    };
    if streamed {
        stream_path(dir, Format::HsdsCsv, Options::default(), &mut emit).unwrap();
    } else {
        read_path(dir, Format::HsdsCsv, Options::default(), &mut emit).unwrap();
    }
    (last.saturating_sub(baseline), services)
}

#[test]
fn repeated_ids_are_found_with_a_fixed_size_per_service() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path());
    let (reader, read) = live_at_last(dir.path(), false);
    let (pipeline, streamed) = live_at_last(dir.path(), true);
    assert_eq!((read, streamed), (SERVICES, SERVICES));
    let per_service = pipeline.saturating_sub(reader) / SERVICES;
    eprintln!("reader {reader} bytes, pipeline {pipeline}: {per_service} bytes per service");
    // Kept as Strings, the ids alone were 200 bytes each, plus 24 of table entry.
    assert!(per_service <= 48, "{per_service} bytes per service for the ids");
    // The reader, streaming its second pass, no longer holds the first pass's id maps
    // (an offset and a line per service remain): it held 68 bytes per service.
    let reader_per_service = reader / SERVICES;
    assert!(
        reader_per_service <= 48,
        "the reader holds {reader_per_service} bytes per service"
    );
}
