//! The tantivy schema: which fields exist and how each is analysed.
//!
//! Bump [`SCHEMA_VERSION`] whenever a field, an analyzer, the synonym handling that shapes
//! documents, or the tantivy version changes: an index with another version is rebuilt from
//! the catalogue at open.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

/// Version of the index layout. Stored in every commit's payload.
pub const SCHEMA_VERSION: u32 = 3;

pub const TOKENIZER_EN: &str = "nav_en";
pub const TOKENIZER_FR: &str = "nav_fr";
pub const TOKENIZER_PREFIX: &str = "nav_prefix";

/// Handles to every field, resolved once.
#[derive(Clone, Debug)]
pub struct Fields {
    /// Service id, raw: for upserts (delete by term) and lookups.
    pub id: Field,
    /// The whole `Service` as JSON, so a hit needs no catalogue lookup.
    pub record: Field,
    /// Name, alternate name and organization: matches here rank higher.
    pub title_en: Field,
    pub title_fr: Field,
    /// Everything searchable: title again, description, taxonomy names, category labels,
    /// municipality, eligibility.
    pub body_en: Field,
    pub body_fr: Field,
    /// Edge n-grams of title and keyword words, for the word being typed.
    pub prefix: Field,
    /// Raw filter terms: category and audience slugs, folded municipality names, language codes.
    pub category: Field,
    pub audience: Field,
    pub municipality: Field,
    /// Municipality names as written, fast-only: for place centroids and display.
    pub place: Field,
    pub language: Field,
    /// "free", "accessible", "coords", "hours".
    pub flag: Field,
    /// `/category/food`, `/audience/seniors`, `/municipality/Sudbury`, `/language/fr`.
    pub facets: Field,
    pub min_age: Field,
    pub max_age: Field,
    pub lat: Field,
    pub lon: Field,
    /// Packed weekly opening intervals (see `hours::pack_interval`).
    pub hours: Field,
    /// IANA time zone of the hours, "" for the machine's zone.
    pub tz: Field,
    /// A hash of the id: breaks ties between equal scores the same way whatever order the
    /// documents were indexed in, so a rebuild never reorders results.
    pub tiebreak: Field,
    /// Grid cells of the service's coordinates, one per size (see `geo::CELL_SIZES`).
    pub cell: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let number = NumericOptions::default().set_fast().set_indexed();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        record: b.add_bytes_field("record", STORED),
        title_en: b.add_text_field("title_en", text(TOKENIZER_EN)),
        title_fr: b.add_text_field("title_fr", text(TOKENIZER_FR)),
        body_en: b.add_text_field("body_en", text(TOKENIZER_EN)),
        body_fr: b.add_text_field("body_fr", text(TOKENIZER_FR)),
        prefix: b.add_text_field("prefix", text(TOKENIZER_PREFIX)),
        category: b.add_text_field("category", STRING),
        audience: b.add_text_field("audience", STRING),
        municipality: b.add_text_field("municipality", STRING),
        place: b.add_text_field("place", TextOptions::default().set_fast("raw")),
        language: b.add_text_field("language", STRING),
        flag: b.add_text_field("flag", STRING),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        min_age: b.add_u64_field("min_age", number.clone()),
        max_age: b.add_u64_field("max_age", number.clone()),
        lat: b.add_f64_field("lat", number.clone()),
        lon: b.add_f64_field("lon", number),
        hours: b.add_u64_field("hours", FAST),
        tz: b.add_text_field("tz", STRING | FAST),
        tiebreak: b.add_u64_field("tiebreak", FAST),
        cell: b.add_text_field("cell", STRING),
    };
    (b.build(), fields)
}

/// The age range stored when a service gives none: anyone.
pub const AGE_MIN_DEFAULT: u64 = 0;
pub const AGE_MAX_DEFAULT: u64 = 150;
