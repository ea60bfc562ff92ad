//! navigator-index: the service model, directory importers and the search engine.
//! No terminal code and no SQL live here: the binary owns presentation and storage.

pub mod analysis;
pub mod bonus;
mod build_identity;
pub mod categories;
mod collect;
pub mod confidential;
pub mod document;
pub mod engine;
pub mod export;
mod facets;
mod fast_map;
mod filters;
pub mod geo;
pub mod grouping;
pub mod hours;
mod hsds_extension;
pub mod import;
pub mod languages;
pub mod lexicon;
mod mapped_pages;
pub mod model;
pub mod places;
pub mod postal;
pub mod query;
mod query_words;
pub mod ranking;
pub mod request_limits;
mod rows;
pub mod schema;
pub mod search;
pub mod shared_dir;
mod stem_cache;
pub mod stopwords;
pub mod synonyms;
pub mod synth;
pub mod text;

pub use engine::{CommitInfo, Engine, EngineError, EngineWriter, SearchSettings};
pub use model::*;
pub use schema::StemLanguage;
pub use search::{FacetCount, Facets, Filters, Hit, Near, SearchError, SearchRequest, SearchResults, Site};
pub use synonyms::Synonyms;
