//! A deterministic synthetic directory of fictional Ontario community services, written
//! as an HSDS 3.0 tabular datapackage.
//!
//! Two uses: the demo directory embedded in the binary (`assets/demo/`, 500 services,
//! seed 211; regenerate with `cargo run -p navigator-index --example write_demo`), and
//! benchmark corpora of up to millions of services (`navigator synth`).
//!
//! The same options give byte-identical files on every machine and in every version that
//! does not deliberately change the generator: the random numbers are hand-written
//! ([`rng`]), dates are fixed ([`dates::REFERENCE_DATE`]), and service *i* depends only
//! on (seed, *i*), so generation streams with bounded memory.

pub mod dates;
pub mod hsds_writer;
mod kinds_care;
mod kinds_needs;
pub mod org;
pub mod places;
pub mod record;
pub mod rng;
pub mod taxonomy;
pub mod vocab;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use record::{Generator, Record};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    pub services: u64,
    pub seed: u64,
}

impl SynthOptions {
    /// The demo directory shipped in `assets/demo/`.
    pub const DEMO: SynthOptions = SynthOptions {
        services: 500,
        seed: 211,
    };
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthSummary {
    pub services: u64,
    pub organizations: u64,
    pub locations: u64,
    /// File names written, relative to the output folder.
    pub files: Vec<String>,
}

/// How often `progress` is called, in services.
const PROGRESS_EVERY: u64 = 10_000;

/// Writes an HSDS 3.0 tabular datapackage into `out` (created if missing). Calls
/// `progress(n)` with services written so far, now and then (every 10,000 and at the end).
pub fn write_datapackage(
    opts: &SynthOptions,
    out: &Path,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<SynthSummary> {
    std::fs::create_dir_all(out)?;
    let generator = Generator::new(opts.seed);
    let mut tables = hsds_writer::Tables::create(out)?;
    let mut summary = SynthSummary {
        services: 0,
        organizations: 0,
        locations: 0,
        files: Vec::new(),
    };
    let mut org: Option<org::Org> = None;
    for n in 1..=opts.services {
        let org_n = generator.org_of(n);
        if org.as_ref().is_none_or(|o| o.n != org_n) {
            let new = generator.org(org_n);
            tables.write_org(&new)?;
            summary.organizations += 1;
            summary.locations += 1;
            org = Some(new);
        }
        let org = org.as_ref().expect("set above");
        let record = generator.service(n, org);
        tables.write_service(org, &record)?;
        summary.services += 1;
        summary.locations += record.new_locations.len() as u64;
        if n % PROGRESS_EVERY == 0 {
            progress(n);
        }
    }
    tables.finish()?;
    hsds_writer::write_datapackage_json(out, opts.services, opts.seed)?;
    if opts.services % PROGRESS_EVERY != 0 {
        progress(opts.services);
    }
    summary.files = hsds_writer::TABLES.iter().map(|t| t.1.to_string()).collect();
    summary.files.push("datapackage.json".to_string());
    Ok(summary)
}
