//! The built-in demo directory: ~500 fictional Ontario services written by
//! `navigator synth --services 500 --seed 211` and embedded in the binary, so navigator is
//! useful on a fresh machine and tests never need outside data.

use navigator_index::import::{import_path, Format};

use crate::catalogue::SOURCE_DEMO;
use crate::exit::Failure;
use crate::store::{ImportRecord, Store};

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

/// Puts the demo directory into an empty catalogue and says so once, on stderr. Only the
/// catalogue: its index is built by the first search (see [`crate::catalogue::index`]).
/// Several navigators may start on a fresh shared directory at once, and an import may
/// commit meanwhile: the store decides inside one transaction, so only an empty catalogue
/// ever gets the demo.
pub fn install(store: &mut Store) -> Result<(), Failure> {
    let dir = tempfile::tempdir().map_err(|e| Failure::io(format!("cannot unpack the demo directory: {e}")))?;
    for (name, bytes) in FILES {
        std::fs::write(dir.path().join(name), bytes)
            .map_err(|e| Failure::io(format!("cannot unpack the demo directory: {e}")))?;
    }
    let import = import_path(dir.path(), Format::HsdsCsv)
        .map_err(|e| Failure::software(format!("the built-in demo directory does not import: {e}")))?;
    let record = ImportRecord::starting(
        "built-in demo directory",
        import.report.format.clone(),
        crate::user::name(),
    );
    let installed = store
        .install_if_empty(&import.services, record, SOURCE_DEMO)
        .map_err(Failure::store)?;
    if let Some(stats) = installed {
        crate::say!(
            "navigator: no directory imported yet, using the built-in demo directory ({} fictional services).\n\
             navigator: to use real data: navigator import PATH (HSDS CSV or JSON, iCarol CSV, AIRS XML)",
            stats.added
        );
    }
    Ok(())
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
