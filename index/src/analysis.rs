//! Text analysis shared by indexing and querying, so both sides always agree.
//!
//! Custom tokenizers are not stored in a tantivy index: [`register`] runs every time an
//! index is opened or created.

use std::collections::HashSet;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream, WhitespaceTokenizer,
};
use tantivy::Index;

use crate::schema::{StemLanguage, TOKENIZER_EN, TOKENIZER_ES, TOKENIZER_FR, TOKENIZER_PREFIX};
use crate::stem_cache::CachedStemmer;

/// Longest token kept; longer ones are noise (URLs, base64) and bloat the dictionary.
const MAX_TOKEN_BYTES: usize = 40;
/// Longest prefix indexed for type-ahead; longer typed words still match exactly.
pub const MAX_PREFIX_CHARS: usize = 15;

fn stemmed(language: StemLanguage) -> TextAnalyzer {
    // Fold accents before stemming so "hopital" and "hôpital" meet.
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer::new(language))
        .build()
}

pub fn english() -> TextAnalyzer {
    stemmed(StemLanguage::English)
}

pub fn french() -> TextAnalyzer {
    stemmed(StemLanguage::French)
}

pub fn spanish() -> TextAnalyzer {
    stemmed(StemLanguage::Spanish)
}

/// Lowercased, folded words without stemming: how the query is split into words.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers navigator's analyzers on an index (needed at every open).
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(TOKENIZER_EN, english());
    manager.register(TOKENIZER_FR, french());
    manager.register(TOKENIZER_ES, spanish());
    // The prefix field holds ready-made n-grams separated by spaces (see `edge_ngrams`).
    manager.register(
        TOKENIZER_PREFIX,
        TextAnalyzer::builder(WhitespaceTokenizer::default()).build(),
    );
}

/// Runs `analyzer` over `text` and returns the tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Every prefix (1..=MAX_PREFIX_CHARS characters) of every distinct word in `texts`,
/// space-separated, for the prefix field. Deduplicated per document to keep it small.
pub fn edge_ngrams<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    thread_local! {
        // Building an analyzer allocates; a large import calls this once per service.
        static WORDS: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(words_analyzer());
    }
    let words: Vec<String> = WORDS.with(|a| {
        let mut analyzer = a.borrow_mut();
        texts.into_iter().flat_map(|text| tokens(&mut analyzer, text)).collect()
    });
    // Prefixes borrow from `words`: no allocation per prefix.
    let mut seen: HashSet<&str> = HashSet::with_capacity(words.len() * 4);
    let mut out = String::with_capacity(words.len() * 24);
    for word in &words {
        for (n, (i, c)) in word.char_indices().enumerate() {
            if n >= MAX_PREFIX_CHARS {
                break;
            }
            let prefix = &word[..i + c.len_utf8()];
            if seen.insert(prefix) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(prefix);
            }
        }
    }
    out
}

/// Folds a typed prefix the way the prefix field was built (lowercase, accents removed),
/// cut to the longest indexed prefix.
pub fn prefix_term(word: &str) -> String {
    word.chars().take(MAX_PREFIX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stemming_and_folding_meet() {
        assert_eq!(tokens(&mut english(), "Shelters"), ["shelter"]);
        assert_eq!(tokens(&mut french(), "Hôpital"), tokens(&mut french(), "hopital"));
        assert_eq!(tokens(&mut french(), "l'hôpital"), ["l", "hopital"]);
        assert_eq!(tokens(&mut spanish(), "Clínicas"), tokens(&mut spanish(), "clinica"));
    }

    #[test]
    fn edge_ngrams_are_distinct_folded_prefixes() {
        assert_eq!(edge_ngrams(["Food bank", "FOOD"]), "f fo foo food b ba ban bank");
        assert_eq!(edge_ngrams(["Éco"]), "e ec eco");
        let long = edge_ngrams(["abcdefghijklmnopqrstuvwxyz"]);
        assert_eq!(long.split(' ').next_back().unwrap().len(), MAX_PREFIX_CHARS);
    }
}
