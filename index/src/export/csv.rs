//! The HSDS 3.0 tabular datapackage: the same records as the JSON export, flattened into
//! the descriptor's tables. Written row by row as services come, so memory stays flat;
//! organizations, locations and taxonomy terms shared by several services are written
//! once.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::tables::{self, TableDef};
use super::{json as hsds_json, Tally};
use crate::model::Service;

pub struct CsvPackage {
    dir: PathBuf,
    writers: Vec<csv::Writer<BufWriter<File>>>,
    organizations: HashSet<String>,
    locations: HashSet<String>,
    terms: HashSet<String>,
}

impl CsvPackage {
    /// Starts a package in `dir` (an empty folder): every table with its header row.
    pub fn create(dir: &Path) -> std::io::Result<CsvPackage> {
        let mut writers = Vec::with_capacity(tables::ALL.len());
        for t in tables::ALL {
            let mut w = csv::Writer::from_writer(BufWriter::new(File::create(dir.join(t.path))?));
            w.write_record(t.columns.iter().map(|c| c.0))?;
            writers.push(w);
        }
        Ok(CsvPackage {
            dir: dir.to_path_buf(),
            writers,
            organizations: HashSet::new(),
            locations: HashSet::new(),
            terms: HashSet::new(),
        })
    }

    fn row(&mut self, table: &TableDef, o: &Value) -> std::io::Result<()> {
        let i = tables::ALL
            .iter()
            .position(|t| t.path == table.path)
            .expect("every table is in ALL");
        let cells = table.columns.iter().map(|(name, _, _)| match o.get(*name) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        });
        self.writers[i].write_record(cells)?;
        Ok(())
    }

    fn attributes(&mut self, list: &Value) -> std::io::Result<()> {
        for a in list.as_array().into_iter().flatten() {
            let term = &a["taxonomy_term"];
            let term_id = term["id"].as_str().unwrap_or_default().to_string();
            if self.terms.insert(term_id) {
                self.row(&tables::TAXONOMY_TERMS, term)?;
            }
            self.row(&tables::ATTRIBUTES, a)?;
        }
        Ok(())
    }

    fn phones(&mut self, list: &Value) -> std::io::Result<()> {
        for p in list.as_array().into_iter().flatten() {
            self.row(&tables::PHONES, p)?;
            self.attributes(&p["attributes"])?;
        }
        Ok(())
    }

    fn rows_of(&mut self, table: &TableDef, list: &Value) -> std::io::Result<()> {
        for item in list.as_array().into_iter().flatten() {
            self.row(table, item)?;
        }
        Ok(())
    }

    /// Adds one service and what hangs off it.
    pub fn add(&mut self, s: &Service, tally: &mut Tally) -> std::io::Result<()> {
        tally.services += 1;
        let v = hsds_json::service(s, tally);
        let org = &v["organization"];
        if self
            .organizations
            .insert(org["id"].as_str().unwrap_or_default().to_string())
        {
            self.row(&tables::ORGANIZATIONS, org)?;
            self.attributes(&org["attributes"])?;
        }
        self.row(&tables::SERVICES, &v)?;
        self.attributes(&v["attributes"])?;
        self.phones(&v["phones"])?;
        self.rows_of(&tables::SCHEDULES, &v["schedules"])?;
        self.rows_of(&tables::SERVICE_AREAS, &v["service_areas"])?;
        self.rows_of(&tables::REQUIRED_DOCUMENTS, &v["required_documents"])?;
        self.rows_of(&tables::LANGUAGES, &v["languages"])?;
        for sal in v["service_at_locations"].as_array().into_iter().flatten() {
            self.row(&tables::SERVICE_AT_LOCATION, sal)?;
            self.phones(&sal["phones"])?;
            self.rows_of(&tables::SCHEDULES, &sal["schedules"])?;
            let location = &sal["location"];
            if self
                .locations
                .insert(location["id"].as_str().unwrap_or_default().to_string())
            {
                let mut row = location.clone();
                row["organization_id"] = org["id"].clone();
                self.row(&tables::LOCATIONS, &row)?;
                for a in location["addresses"].as_array().into_iter().flatten() {
                    self.row(&tables::ADDRESSES, a)?;
                    self.attributes(&a["attributes"])?;
                }
                self.rows_of(&tables::ACCESSIBILITY, &location["accessibility"])?;
            }
        }
        Ok(())
    }

    /// Flushes every table and writes `datapackage.json`, listing them with the
    /// descriptor's fields.
    pub fn finish(self) -> std::io::Result<()> {
        for mut w in self.writers {
            w.flush()?;
            w.into_inner()
                .map_err(|e| e.into_error())?
                .into_inner()
                .map_err(|e| e.into_error())?
                .sync_all()?;
        }
        let resources: Vec<Value> = tables::ALL
            .iter()
            .map(|t| {
                let fields: Vec<Value> = t
                    .columns
                    .iter()
                    .map(|(name, kind, format)| {
                        let mut f = json!({"name": name, "type": kind});
                        if !format.is_empty() {
                            f["format"] = (*format).into();
                        }
                        f
                    })
                    .collect();
                json!({
                    "name": t.name,
                    "path": t.path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {"fields": fields, "primaryKey": "id"},
                })
            })
            .collect();
        let package = json!({
            "name": "navigator-export",
            "title": "Services exported by navigator",
            "profile": "tabular-data-package",
            "version": "3.0",
            "resources": resources,
        });
        let mut f = File::create(self.dir.join("datapackage.json"))?;
        f.write_all(
            serde_json::to_string_pretty(&package)
                .expect("a package serializes")
                .as_bytes(),
        )?;
        f.write_all(b"\n")?;
        f.sync_all()
    }
}
