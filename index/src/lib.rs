//! navigator-index: the service model, directory importers and the search engine.
//! No terminal code and no SQL live here: the binary owns presentation and storage.

pub mod analysis;
pub mod categories;
pub mod confidential;
pub mod document;
pub mod engine;
pub mod export;
pub mod geo;
pub mod hours;
mod hsds_extension;
pub mod import;
pub mod languages;
pub mod model;
pub mod places;
pub mod query;
pub mod request_limits;
pub mod schema;
pub mod search;
pub mod shared_dir;
pub mod synonyms;
pub mod synth;
pub mod text;

pub use engine::{CommitInfo, Engine, EngineError, EngineWriter};
pub use model::*;
pub use search::{Facets, Filters, Hit, Near, SearchError, SearchRequest, SearchResults};
pub use synonyms::Synonyms;
