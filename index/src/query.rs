//! Typed text -> tantivy query. Typed text is never a query language: it is split into
//! words, and quotes, colons, brackets, `*` and `-` are just separators.
//!
//! Every complete word must match (exactly, stemmed, in either language, or within the
//! typo allowance); the word still being typed also matches as a prefix. Synonym phrases
//! widen a run of words into alternatives.

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::analysis::{english, french, prefix_term, tokens, words_analyzer};
use crate::schema::Fields;
use crate::synonyms::Synonyms;

const TITLE_BOOST: f32 = 3.0;
const PREFIX_BOOST: f32 = 0.6;
/// Fuzzy matches score as a constant in tantivy; keep it well under an exact match.
const FUZZY_BOOST: f32 = 0.15;
const SYNONYM_BOOST: f32 = 0.5;

/// Words that never need to match (they still add to the score when they do).
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "for", "of", "to", "in", "on", "at", "by", "with", "near", "my", "i", "me", "need",
    "de", "la", "le", "les", "des", "du", "d", "l", "et", "ou", "pour", "en", "au", "aux", "un", "une", "a", "pres",
];

/// Typed text as folded words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedText {
    pub words: Vec<String>,
    /// True when the last word is still being typed (no trailing separator).
    pub last_partial: bool,
}

impl TypedText {
    pub fn parse(text: &str) -> TypedText {
        let words = tokens(&mut words_analyzer(), text);
        let last_partial = !words.is_empty() && text.chars().last().is_some_and(char::is_alphanumeric);
        TypedText { words, last_partial }
    }

    fn complete(&self) -> usize {
        self.words.len() - usize::from(self.last_partial)
    }
}

/// Edits allowed for a typed word of this many characters.
pub fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    synonyms: &'a Synonyms,
    en: TextAnalyzer,
    fr: TextAnalyzer,
}

impl<'a> QueryBuilder<'a> {
    pub fn new(fields: &'a Fields, synonyms: &'a Synonyms) -> Self {
        QueryBuilder {
            fields,
            synonyms,
            en: english(),
            fr: french(),
        }
    }

    /// The query for typed text; `None` when there are no words (match everything).
    pub fn text(&mut self, typed: &TypedText) -> Option<Box<dyn Query>> {
        if typed.words.is_empty() {
            return None;
        }
        let all_stop = typed.words.iter().all(|w| is_stop_word(w));
        let expansions = self.synonyms.expand(&typed.words, typed.complete());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut i = 0;
        while i < typed.words.len() {
            if let Some(exp) = expansions.iter().find(|e| e.start == i) {
                let original: Vec<Box<dyn Query>> = typed.words[exp.start..exp.end]
                    .iter()
                    .map(|w| self.word(w, false, true))
                    .collect();
                let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, all_of(original))];
                for alt in &exp.alternatives {
                    let words = alt.iter().filter(|w| !is_stop_word(w) || alt.len() == 1);
                    let phrase = all_of(words.map(|w| self.word(w, false, false)).collect());
                    alternatives.push((Occur::Should, Box::new(BoostQuery::new(phrase, SYNONYM_BOOST))));
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
                i = exp.end;
                continue;
            }
            let word = &typed.words[i];
            let partial = typed.last_partial && i + 1 == typed.words.len();
            let occur = if is_stop_word(word) && !all_stop {
                Occur::Should
            } else {
                Occur::Must
            };
            clauses.push((occur, self.word(word, partial, true)));
            i += 1;
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// One word: exact (stemmed, both languages) in title or body, plus a prefix clause
    /// when it is being typed, plus a low-scoring fuzzy clause for typos.
    fn word(&mut self, word: &str, partial: bool, fuzzy: bool) -> Box<dyn Query> {
        let f = self.fields;
        let en: String = tokens(&mut self.en, word).concat();
        let fr: String = tokens(&mut self.fr, word).concat();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut exact = |field: Field, stem: &str, boost: f32| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(term(field, stem), IndexRecordOption::WithFreqs));
            should.push((
                Occur::Should,
                if boost == 1.0 {
                    q
                } else {
                    Box::new(BoostQuery::new(q, boost))
                },
            ));
        };
        exact(f.title_en, &en, TITLE_BOOST);
        exact(f.body_en, &en, 1.0);
        if fr != en {
            exact(f.title_fr, &fr, TITLE_BOOST);
        }
        exact(f.body_fr, &fr, 1.0);
        if partial {
            let q = TermQuery::new(term(f.prefix, &prefix_term(word)), IndexRecordOption::Basic);
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), PREFIX_BOOST))));
        }
        let distance = typo_distance(word);
        if fuzzy && distance > 0 {
            // Stems catch typos in the stem ("helth"); the unstemmed words of the prefix
            // field catch typos in a suffix, which stop the stemmer ("counsellinng").
            let targets = [
                (f.body_en, en.clone()),
                (f.body_fr, fr.clone()),
                (f.prefix, prefix_term(word)),
            ];
            for (field, text) in targets {
                let q = FuzzyTermQuery::new(term(field, &text), distance, true);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), FUZZY_BOOST))));
            }
        }
        Box::new(BooleanQuery::new(should))
    }
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn all_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Any of `values` in a raw field, scoring nothing (filters must not change the ranking).
pub fn any_term(field: Field, values: &[String]) -> Box<dyn Query> {
    let terms: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            (
                Occur::Should,
                Box::new(TermQuery::new(term(field, v), IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(terms)), 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_words_and_knows_the_partial_word() {
        let t = TypedText::parse("Food \"ba");
        assert_eq!(t.words, ["food", "ba"]);
        assert!(t.last_partial);
        assert!(!TypedText::parse("food bank ").last_partial);
        assert!(!TypedText::parse("food (bank)").last_partial);
        assert_eq!(TypedText::parse("\"*:-[]").words, Vec::<String>::new());
        assert_eq!(TypedText::parse("Hôpital").words, ["hopital"]);
    }

    #[test]
    fn typo_allowance_grows_with_word_length() {
        assert_eq!(typo_distance("rent"), 0);
        assert_eq!(typo_distance("helth"), 1);
        assert_eq!(typo_distance("shelters"), 1);
        assert_eq!(typo_distance("counseling"), 2);
    }
}
