//! HSDS tabular data packages (versions 1.1, 2.0 and 3.0) as folders of CSV files.
//!
//! The version is read from the files present and their headers, never from
//! datapackage.json (which is optional and often stale). Every table but services.csv
//! is optional; whatever a package has is joined in, on disk (see [`read`]).

use std::path::{Path, PathBuf};

use super::broader;
use super::csv_table::{Folder, Table};
use super::hsds_details::{self as details, PerService, Taxonomy};
use super::hsds_digest::Seed;
use super::hsds_join::Join;
use super::hsds_services;
use super::hsds_spill::Buckets;
use super::hsds_stream;
use super::hsds_tables as tables;
use super::values::Problems;
use super::{ImportError, ImportReport, Known, Problem, Streamed};
use crate::fast_map::FastMap;
use crate::model::Service;

/// Reads an HSDS CSV package, handing each service to `emit` as it is assembled: `path`
/// is its folder, or its services CSV file (whose folder holds the other tables).
///
/// Two passes. The first reads every table once, keeps an offset per service, location
/// and organization, and spills each detail row to a scratch file by the service or
/// location it belongs to (problems are reported here, in table order, as before). The
/// second streams services.csv again and assembles each service from its row, its
/// spilled rows and its locations' rows: memory follows a bucket of services, not the
/// package.
///
/// Each service is digested (see `hsds_digest.rs`); one whose digest `known` has for it is
/// handed on as unchanged, not built.
pub fn read(
    path: &Path,
    options: super::Options,
    known: &Known,
    emit: &mut dyn FnMut(Streamed),
) -> Result<ImportReport, ImportError> {
    let (dir, services_file) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        (dir, path.file_name().map(|n| n.to_string_lossy().into_owned()))
    };
    let folder = locate(&dir, services_file.is_none())?;
    let services_entry = match &services_file {
        Some(name) => Some((name.clone(), path.to_path_buf())),
        None => folder
            .find(&["services.csv", "service.csv"])
            .map(|(rel, p)| (rel.to_string(), p.to_path_buf())),
    };
    let Some((services_rel, services_path)) = services_entry else {
        return Err(ImportError::Unusable {
            path: dir.display().to_string(),
            reason: "no services.csv here: not an HSDS CSV package".into(),
        });
    };
    let scratch = hsds_stream::scratch(None)?;

    let mut b = Join::new(Problems::with_limits(options.limits));
    let mut files: Vec<String> = vec![services_rel.clone()];
    let mut seed = Seed::new(&options);
    let mut open = |names: &[&str], prefix: Option<&'static str>, problems: &mut Problems| match folder.find(names) {
        Some((rel, p)) => {
            files.push(rel.to_string());
            let table = Table::load(p, rel, prefix, problems)?;
            if let Some(seed) = seed.as_mut() {
                seed.table(&table);
            }
            Ok(Some(table))
        }
        None => Ok(None),
    };

    let organizations = open(
        &["organizations.csv", "organization.csv"],
        Some("organization"),
        &mut b.problems,
    )?;
    let services = Table::load(&services_path, &services_rel, Some("service"), &mut b.problems)?;
    let version = detect_version(&folder, &services, organizations.as_ref());
    if let Some(t) = &organizations {
        tables::organizations(&mut b, t);
    }
    if folder.find(&SAL).is_none() {
        b.infer = Some(Default::default());
    }
    let services_problems = b.problems.list.len();
    hsds_services::index(&mut b, &services);
    let services_problems = services_problems..b.problems.list.len();
    b.service_spill = Some(Buckets::new(scratch.path(), "services", b.service_offsets.len() as u32));
    let taxonomy = taxonomy(&mut b, &folder, &mut open)?;
    let taxonomy_problems = b.problems.list.len();
    let locations = read_details(&mut b, &mut open, scratch.path())?;

    let extension = super::hsds_csv_extension::prepare(&folder, &mut b.problems)?;
    // Each taxonomy row may reach any service: the files go into every digest whole.
    if let Some(seed) = seed.as_mut() {
        seed.table(&services);
        for names in [&["taxonomies.csv"][..], &TERMS] {
            if let Some((_, p)) = folder.find(names) {
                seed.whole_file(p)?;
            }
        }
    }
    let seed = seed.filter(|_| extension.is_none()).map(|s| s.finish());
    b.end_first_pass();
    let stream = hsds_stream::Stream {
        services: &services,
        services_file: &services_rel,
        organizations: organizations.as_ref(),
        locations: locations.as_ref(),
        taxonomy: &taxonomy,
        extension: extension.as_ref(),
        seed,
        known,
    };
    let (late, late_taxonomy) = stream.run(&mut b, emit)?;
    drop(scratch);
    // The second pass's problems where a join in memory found them: services.csv's
    // values with its rows, taxonomy_ids after the taxonomy tables.
    let mut problems = b.problems.list;
    let details = problems.split_off(taxonomy_problems);
    let taxonomy = problems.split_off(services_problems.end);
    let first = problems.split_off(services_problems.start);
    problems.extend(merge_by_line(first, late));
    problems.extend(taxonomy);
    problems.extend(late_taxonomy);
    problems.extend(details);
    Ok(ImportReport {
        format: format!("hsds-csv {version}"),
        files,
        services_read: b.services_read,
        problems,
        ..Default::default()
    })
}

/// Two lists of one file's problems, each in line order, as one.
fn merge_by_line(a: Vec<Problem>, b: Vec<Problem>) -> Vec<Problem> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.line.unwrap_or(0) <= y.line.unwrap_or(0),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}

const SAL: [&str; 4] = [
    "service_at_location.csv",
    "services_at_location.csv",
    "services_at_locations.csv",
    "service_at_locations.csv",
];

/// The names a taxonomy terms table goes by.
const TERMS: [&str; 3] = ["taxonomy_terms.csv", "taxonomy_term.csv", "taxonomy.csv"];

type Open<'a> = dyn FnMut(&[&str], Option<&'static str>, &mut Problems) -> Result<Option<Table>, ImportError> + 'a;

/// The taxonomy terms, then every table that links services to them.
fn taxonomy(b: &mut Join, folder: &Folder, open: &mut Open) -> Result<Taxonomy, ImportError> {
    let vocabularies = match open(&["taxonomies.csv"], None, &mut b.problems)? {
        Some(t) => details::vocabularies(b, &t),
        None => FastMap::default(),
    };
    let terms_file = folder
        .find(&TERMS)
        .map_or_else(|| "taxonomy_terms.csv".to_string(), |(rel, _)| rel.to_string());
    let (terms, parents, ordered) = match open(&TERMS, None, &mut b.problems)? {
        Some(t) => details::taxonomy_terms(b, &t, &vocabularies),
        None => Default::default(),
    };
    for names in [
        &["services_taxonomy.csv", "service_taxonomy.csv"][..],
        &["service_attributes.csv"],
        &["attributes.csv"],
    ] {
        if let Some(t) = open(names, None, &mut b.problems)? {
            details::taxonomy_links(b, &t, &terms, &terms_file)?;
        }
    }
    let broader = details::broader_names(&terms, &parents);
    // The code names the package carries, for broader terms from the code hierarchy: a
    // service is given an ancestor's name from the taxonomy table, not only from the
    // services streamed before it.
    let mut code_names = broader::Names::default();
    code_names.learn(&Service {
        taxonomy: ordered,
        ..Default::default()
    });
    Ok(Taxonomy {
        terms,
        file: terms_file,
        broader,
        code_names,
    })
}

/// Locations and everything else that hangs off services and locations; the locations
/// table is kept for the second pass.
fn read_details(b: &mut Join, open: &mut Open, scratch: &Path) -> Result<Option<Table>, ImportError> {
    let locations = open(&["locations.csv", "location.csv"], Some("location"), &mut b.problems)?;
    if let Some(t) = &locations {
        tables::locations(b, t);
    }
    b.location_spill = Some(Buckets::new(scratch, "locations", b.location_offsets.len() as u32));
    for (names, rank) in [
        (&["physical_addresses.csv"][..], 2),
        (&["addresses.csv", "address.csv"], 2),
        (&["postal_addresses.csv"], 1),
    ] {
        if let Some(t) = open(names, None, &mut b.problems)? {
            tables::addresses(b, &t, rank)?;
        }
    }
    if let Some(t) = open(
        &["accessibility_for_disabilities.csv", "accessibility.csv"],
        None,
        &mut b.problems,
    )? {
        tables::accessibility(b, &t)?;
    }
    if let Some(t) = open(&SAL, None, &mut b.problems)? {
        tables::service_at_location(b, &t)?;
    }
    if let Some(t) = open(&["phones.csv", "phone.csv"], None, &mut b.problems)? {
        details::phones(b, &t)?;
    }
    for names in [&["regular_schedules.csv"][..], &["schedules.csv", "schedule.csv"]] {
        if let Some(t) = open(names, None, &mut b.problems)? {
            details::schedules(b, &t)?;
        }
    }
    if let Some(t) = open(&["languages.csv", "language.csv"], None, &mut b.problems)? {
        details::languages(b, &t)?;
    }
    for (names, kind) in [
        (&["eligibility.csv"][..], PerService::Eligibility),
        (&["required_documents.csv"], PerService::RequiredDocuments),
        (&["service_areas.csv", "service_area.csv"], PerService::ServiceAreas),
        (&["cost_options.csv"], PerService::CostOptions),
    ] {
        if let Some(t) = open(names, None, &mut b.problems)? {
            details::per_service(b, &t, kind)?;
        }
    }
    Ok(locations)
}

/// The folder that holds the tables: `dir` itself, or (when `search` and `dir` has no
/// services.csv) the folder datapackage.json points to, or a subfolder that has one.
fn locate(dir: &Path, search: bool) -> Result<Folder, ImportError> {
    let top = Folder::list(dir, None)?;
    if !search || top.has("services.csv") {
        return Ok(top);
    }
    let mut candidates: Vec<String> = Vec::new();
    if let Ok(text) = std::fs::read(dir.join("datapackage.json")) {
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&text) {
            for r in json.get("resources").and_then(|r| r.as_array()).into_iter().flatten() {
                let Some(p) = r.get("path").and_then(|p| p.as_str()) else {
                    continue;
                };
                if let Some(sub) = Path::new(p).parent().and_then(Path::to_str).filter(|s| !s.is_empty()) {
                    if !candidates.iter().any(|c| c == sub) {
                        candidates.push(sub.to_string());
                    }
                }
            }
        }
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| super::csv_table::io_error(dir, source))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    candidates.extend(
        subdirs
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_string)),
    );
    for sub in candidates {
        if dir.join(&sub).is_dir() {
            let folder = Folder::list(dir, Some(&sub))?;
            if folder.has("services.csv") {
                return Ok(folder);
            }
        }
    }
    Ok(top)
}

/// "1.1", "2.0" or "3.0", from the tables present and the columns of services.csv and
/// organizations.csv.
fn detect_version(folder: &Folder, services: &Table, organizations: Option<&Table>) -> &'static str {
    let v3_tables = [
        "addresses.csv",
        "attributes.csv",
        "service_at_location.csv",
        "cost_options.csv",
        "taxonomies.csv",
        "organization_identifiers.csv",
    ];
    let v3_columns = [
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "last_modified",
    ];
    if v3_tables.iter().any(|t| folder.has(t))
        || v3_columns.iter().any(|c| services.has(c))
        || organizations.is_some_and(|o| o.has("website"))
    {
        return "3.0";
    }
    let v2_tables = [
        "service_attributes.csv",
        "other_attributes.csv",
        "taxonomy_terms.csv",
        "schedules.csv",
    ];
    if v2_tables.iter().any(|t| folder.has(t)) {
        return "2.0";
    }
    "1.1"
}
