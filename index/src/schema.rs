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
pub const SCHEMA_VERSION: u32 = 6;

pub const TOKENIZER_EN: &str = "nav_en";
pub const TOKENIZER_FR: &str = "nav_fr";
pub const TOKENIZER_ES: &str = "nav_es";
pub const TOKENIZER_PREFIX: &str = "nav_prefix";

/// Handles to every field, resolved once.
#[derive(Clone, Debug)]
pub struct Fields {
    /// Service id, raw: for upserts (delete by term) and lookups.
    pub id: Field,
    /// The whole `Service` as JSON, so a hit needs no catalogue lookup. Stored as text, not
    /// bytes: tantivy reads a stored text in one copy, stored bytes one byte at a time (a
    /// tenth of a keystroke went there).
    pub record: Field,
    /// Name, alternate name and organization, stemmed in each language (indexed by
    /// [`StemLanguage::index`]): matches here rank higher.
    pub title: [Field; 3],
    /// The taxonomy term names the record carries and their parents' names, stemmed in
    /// each language: what resource specialists tagged, ranked at least as high as a name.
    pub terms: [Field; 3],
    /// Everything searchable, in the field of the record's own text language: title again,
    /// description, eligibility, taxonomy names, municipality.
    pub body: [Field; 3],
    /// Folded, English-stemmed whole term names ("emerg shelter"), raw: a query whose words
    /// name a term finds the services tagged with it (or a child of it) exactly.
    pub term_key: Field,
    /// navigator's category and audience labels (both languages): a weak signal, since
    /// they are coarse ("Housing and shelter" is on every rent program too).
    pub labels: Field,
    /// Edge n-grams of title and keyword words, for the word being typed.
    pub prefix: Field,
    /// Raw filter terms: category and audience slugs, folded municipality names, language codes.
    pub category: Field,
    pub audience: Field,
    pub municipality: Field,
    /// Municipality names as written, fast-only: for place centroids and display.
    pub place: Field,
    /// The located location's address on one line, fast-only: a program's other sites are
    /// listed without reading their records.
    pub address: Field,
    /// Postal codes of the located location ("zip:20009", "ca:P3A1A1", "fsa:P3A"): places too.
    pub postal: Field,
    pub language: Field,
    /// The record's text language ("en", "fr", "es"): the default stemmers come from the data.
    pub text_language: Field,
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
    /// IANA time zone of the hours, "" when the record gives none.
    pub tz: Field,
    /// A hash of the id: breaks ties between equal scores the same way whatever order the
    /// documents were indexed in, so a rebuild never reorders results.
    pub tiebreak: Field,
    /// Grid cells of the service's coordinates, one per size (see `geo::CELL_SIZES`).
    pub cell: Field,
    /// The program a record belongs to (see `grouping::group_key`): the same service at
    /// several sites is one result.
    pub group: Field,
    /// A hash of where the record is (address, else coordinates): a program's distinct
    /// locations are counted from it without reading records.
    pub site: Field,
    /// Free and accessible as bits (`collect::FLAG_*`), fast-only: counted per match in the
    /// same pass as the results instead of by running the query again.
    pub flags: Field,
}

/// The stemmers navigator knows, in the order of the per-language fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StemLanguage {
    English,
    French,
    Spanish,
}

impl StemLanguage {
    pub const ALL: [StemLanguage; 3] = [StemLanguage::English, StemLanguage::French, StemLanguage::Spanish];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        ["en", "fr", "es"][self.index()]
    }

    /// "en", "fr", "es" (or a name or longer code `languages::resolve` knows).
    pub fn from_code(code: &str) -> Option<StemLanguage> {
        let code = crate::languages::resolve(code)?.0;
        StemLanguage::ALL.into_iter().find(|l| l.code() == code)
    }

    fn tokenizer(self) -> &'static str {
        [TOKENIZER_EN, TOKENIZER_FR, TOKENIZER_ES][self.index()]
    }
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
    let mut per_language =
        |name: &str| StemLanguage::ALL.map(|l| b.add_text_field(&format!("{name}_{}", l.code()), text(l.tokenizer())));
    let (title, terms, body) = (per_language("title"), per_language("terms"), per_language("body"));
    let number = NumericOptions::default().set_fast().set_indexed();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        record: b.add_text_field("record", STORED),
        title,
        terms,
        body,
        term_key: b.add_text_field("term_key", STRING),
        labels: b.add_text_field("labels", text(TOKENIZER_EN)),
        prefix: b.add_text_field("prefix", text(TOKENIZER_PREFIX)),
        category: b.add_text_field("category", STRING),
        audience: b.add_text_field("audience", STRING),
        municipality: b.add_text_field("municipality", STRING),
        place: b.add_text_field("place", TextOptions::default().set_fast("raw")),
        address: b.add_text_field("address", TextOptions::default().set_fast("raw")),
        postal: b.add_text_field("postal", TextOptions::default().set_fast("raw")),
        language: b.add_text_field("language", STRING),
        text_language: b.add_text_field("text_language", STRING),
        flag: b.add_text_field("flag", STRING),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        min_age: b.add_u64_field("min_age", number.clone()),
        max_age: b.add_u64_field("max_age", number.clone()),
        lat: b.add_f64_field("lat", number.clone()),
        lon: b.add_f64_field("lon", number.clone()),
        hours: b.add_u64_field("hours", FAST),
        tz: b.add_text_field("tz", STRING | FAST),
        tiebreak: b.add_u64_field("tiebreak", FAST),
        cell: b.add_text_field("cell", STRING),
        group: b.add_u64_field("group", number),
        site: b.add_u64_field("site", FAST),
        flags: b.add_u64_field("flags", FAST),
    };
    (b.build(), fields)
}

/// The age range stored when a service gives none: anyone.
pub const AGE_MIN_DEFAULT: u64 = 0;
pub const AGE_MAX_DEFAULT: u64 = 150;
