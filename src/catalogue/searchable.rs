//! What searching opens: the catalogue, or this server's index alone when the database
//! cannot be reached. Search never needs the database.

use std::path::Path;

use navigator_index::Engine;

use super::Catalogue;
use crate::exit::Failure;

pub enum Searchable {
    Catalogue(Catalogue),
    /// The database is unreachable; the index is as the last import or rebuild left it.
    IndexOnly {
        engine: Engine,
        location: crate::store::Location,
    },
}

impl Searchable {
    /// Opens the catalogue with one try of its database (a second of patience would be a
    /// second added to every search during an outage) and falls back to the index here.
    pub fn open(data_dir: &Path) -> Result<Searchable, Failure> {
        let location = crate::config::store_location(data_dir)?;
        if !location.is_postgres() {
            return Catalogue::open(data_dir).map(Searchable::Catalogue);
        }
        match Catalogue::open_patient(data_dir, std::time::Duration::ZERO) {
            Ok(catalogue) => Ok(Searchable::Catalogue(catalogue)),
            Err(f) if f.code == crate::exit::TEMP_FAIL => match Engine::open(&data_dir.join("index")) {
                Ok(engine) => {
                    tracing::warn!("database unreachable; searching this server's index");
                    Ok(Searchable::IndexOnly { engine, location })
                }
                Err(_) => Err(f),
            },
            Err(f) => Err(f),
        }
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        match self {
            Searchable::Catalogue(c) => &mut c.engine,
            Searchable::IndexOnly { engine, .. } => engine,
        }
    }

    pub fn engine(&self) -> &Engine {
        match self {
            Searchable::Catalogue(c) => &c.engine,
            Searchable::IndexOnly { engine, .. } => engine,
        }
    }
}
