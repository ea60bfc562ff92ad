//! iCarol's "wide" resource export: one CSV table, one row per resource. Each row's
//! `TaxonomyLevelName` says whether it is an Agency, Site, Program or ProgramAtSite;
//! `ResourceAgencyNum` is its id, `ParentAgencyNum` its agency (0 at the top), and a
//! ProgramAtSite row joins `ConnectsToProgramNum` to `ConnectsToSiteNum`.
//!
//! The table is read through the shared CSV layer ([`super::csv_table`]), so encodings,
//! line endings and ragged rows are handled as for HSDS. Rows refer to each other in any
//! order, so they are all read before services are assembled; services are then handed
//! to the caller one at a time.

use std::path::Path;

use super::csv_table::Table;
use super::values::Problems;
use super::{ImportError, ImportReport, Options};
use crate::model::Service;

mod assemble;
mod columns;
mod resource;
pub(crate) mod taxonomy;

pub(crate) use columns::is_icarol;

/// Reads an iCarol CSV export, handing each service to `emit`.
pub(crate) fn read(path: &Path, options: Options, emit: &mut dyn FnMut(Service)) -> Result<ImportReport, ImportError> {
    let file = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut problems = Problems::with_limits(options.limits);
    let table = Table::load(path, &file, None, &mut problems)?;
    if !is_icarol(&table) {
        return Err(ImportError::Unusable {
            path: path.display().to_string(),
            reason: "not an iCarol resource export: no ResourceAgencyNum and TaxonomyLevelName columns".into(),
        });
    }
    let cols = columns::Cols::of(&table);
    let mut rows = Vec::with_capacity(table.estimated_rows());
    let mut read = 0usize;
    table.for_each_row(&mut problems, |row, problems| {
        read += 1;
        let mut at = resource::At {
            file: &file,
            line: row.line,
            problems,
        };
        if let Some(r) = resource::read(row, &cols, &mut at) {
            rows.push(r);
        }
    });
    drop(table);
    let rows = assemble::Rows::new(&file, rows, &mut problems);
    let mut services = 0usize;
    let tally = rows.assemble(options.include_inactive, &mut problems, &mut |s| {
        services += 1;
        emit(s)
    });
    let mut notes = tally.notes();
    let excluded: usize = tally.excluded.values().sum();
    if excluded > 0 && !options.include_inactive {
        notes.push(format!(
            "{excluded} not imported by their status (see excluded); --include-inactive keeps them, marked"
        ));
    }
    Ok(ImportReport {
        format: "icarol-csv".into(),
        files: vec![file],
        services_read: read,
        problems: problems.list,
        notes,
        excluded: tally.excluded,
        ..Default::default()
    })
}
