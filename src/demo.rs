//! The built-in demo directory: ~500 fictional Ontario services written by
//! `navigator synth --services 500 --seed 211` and embedded in the binary, so navigator is
//! useful on a fresh machine and tests never need outside data.

use std::time::{Duration, Instant};

use navigator_index::import::{import_path, Format};

use crate::catalogue::{Catalogue, SOURCE_DEMO};
use crate::exit::{Failure, TEMP_FAIL};

macro_rules! demo_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../assets/demo/", $name)) as &[u8])),*]
    };
}

/// The demo datapackage, file by file.
pub const FILES: &[(&str, &[u8])] = demo_files![
    "datapackage.json",
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "service_at_location.csv",
    "addresses.csv",
    "phones.csv",
    "schedules.csv",
    "languages.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
    "cost_options.csv",
    "required_documents.csv",
    "accessibility.csv",
];

/// Imports the demo directory into an empty catalogue and says so once, on stderr.
pub fn install(catalogue: &mut Catalogue) -> Result<(), Failure> {
    let dir = tempfile::tempdir().map_err(|e| Failure::io(format!("cannot unpack the demo directory: {e}")))?;
    for (name, bytes) in FILES {
        std::fs::write(dir.path().join(name), bytes)
            .map_err(|e| Failure::io(format!("cannot unpack the demo directory: {e}")))?;
    }
    let import = import_path(dir.path(), Format::HsdsCsv)
        .map_err(|e| Failure::software(format!("the built-in demo directory does not import: {e}")))?;
    // Several navigators may start on a fresh shared directory at once: one installs the
    // demo, the others wait for it rather than fail.
    let started = Instant::now();
    loop {
        match catalogue.apply(&import, true, SOURCE_DEMO, "built-in demo directory") {
            Ok(stats) => {
                eprintln!(
                    "navigator: no directory imported yet, using the built-in demo directory ({} fictional services).\n\
                     navigator: to use real data: navigator import PATH (HSDS CSV or JSON, iCarol CSV, AIRS XML)",
                    stats.added
                );
                return Ok(());
            }
            Err(f) if f.code == TEMP_FAIL && started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(200));
                if catalogue.source()?.is_some() {
                    catalogue.engine.reload().map_err(crate::catalogue::index_failure)?;
                    return Ok(());
                }
            }
            Err(f) => return Err(f),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_the_demo_folder_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = super::FILES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "src/demo.rs FILES must list exactly the files in assets/demo"
        );
    }
}
