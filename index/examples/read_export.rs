//! Reads an export with the import pipeline's reader alone and drops every service:
//! how fast the reader is and what it holds, without the catalogue and the index.
//!
//! `cargo run --release -p navigator-index --example read_export -- PATH`

use std::time::Instant;

use navigator_index::import::{read_path, Format, Options};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: read_export PATH");
        std::process::exit(2);
    };
    let start = Instant::now();
    let mut services = 0usize;
    let report = read_path(path.as_ref(), Format::Auto, Options::default(), &mut |s| {
        services += 1;
        drop(s);
    })
    .unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{}: {services} services in {secs:.2} s ({:.0}/s), {} problems",
        report.format,
        services as f64 / secs,
        report.problems.len()
    );
}
