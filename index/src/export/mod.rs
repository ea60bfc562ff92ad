//! Services out as HSDS 3.0: JSON (one `service` object per line, or an array) that
//! validates against the official compiled `service.json` schema, or a tabular
//! datapackage (`datapackage.json` and the CSV tables it lists, columns as in the 3.0
//! descriptor). Ids become UUIDs; what HSDS has no field for travels as `navigator`
//! attributes, so importing the export gives back the same catalogue. The caller chooses
//! what is exported: confidential values are left out before a service gets here unless
//! the reader may see them (see `navigator::confidential`).

use std::collections::BTreeMap;

use crate::model::Service;

mod csv;
mod ids;
mod json;
mod tables;

pub use csv::CsvPackage;

/// What was exported, and what had to change on the way.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub services: usize,
    /// A sentence describing each kind of change -> how many times.
    pub changed: BTreeMap<String, usize>,
}

/// One service as an HSDS 3.0 `service` object.
pub fn hsds_service(s: &Service, tally: &mut Tally) -> serde_json::Value {
    tally.services += 1;
    json::service(s, tally)
}
