//! Typed text -> tantivy query. Typed text is never a query language: it is split into
//! words, and quotes, colons, brackets, `*` and `-` are just separators.
//!
//! The words become *units*, each one need the service must answer: a word (exactly,
//! stemmed in the directory's languages, as a prefix while it is typed, corrected when it
//! is a typo, split when it is two words run together), a pair of words that the directory
//! writes as one ("food bank" / "foodbank"), or a phrase with its synonyms and the taxonomy
//! terms callers mean by it ("ride to the doctor" -> Medical Appointments Transportation).
//! Stop words ("for", "to", "de", "pour", "para") are never units.
//!
//! Two queries come out: the *strict* one needs every unit; the *relaxed* one needs any,
//! and ranks services by how many units they answer before how well (see [`WORD_BONUS`]),
//! so a request nothing answers in full still shows the closest services, not a blank
//! screen. A run of words that names a taxonomy term the directory uses ranks the services
//! tagged with it (or with a narrower term under it) first in both.

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{tokens, words_analyzer};
use crate::bonus::BonusQuery;
use crate::lexicon::Lexicon;
use crate::query_words::WordQueries;
use crate::schema::{Fields, StemLanguage};
use crate::stopwords::{is_stop_word, is_weak_word};
use crate::synonyms::{key_of, Alternative, Synonyms};

/// Each unit a relaxed match answers adds this much, far above any text score, so the
/// score divided by it (rounded down) is the number of units matched.
pub const WORD_BONUS: f32 = 1000.0;
/// A run of query words that is exactly the name of a term a service carries.
const TERM_BONUS: f32 = 30.0;
const SYNONYM_BOOST: f32 = 0.5;
/// A term alternative from the everyday list matched by its words rather than its name.
const TERM_WORDS_BOOST: f32 = 0.8;
/// What each alternative beyond the best adds to a phrase's score.
const ALTERNATIVES_TIE: f32 = 0.1;
/// The longest run of words looked up as a term name.
const MAX_TERM_WORDS: usize = 5;

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
}

/// Edits allowed for a typed word of this many characters. Words of three or four letters
/// get one only when the directory has no such word (see `query_words`).
pub fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=2 => 0,
        3..=8 => 1,
        _ => 2,
    }
}

/// A word the query must answer, with whether it is still being typed.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    partial: bool,
}

/// The queries for some typed text.
pub struct TextQuery {
    /// Every unit must match.
    pub strict: Box<dyn Query>,
    /// Any unit matches; `None` when there is only one unit (relaxing changes nothing).
    pub relaxed: Option<Box<dyn Query>>,
    /// How many units there are: a relaxed hit scoring under `units * WORD_BONUS` is partial.
    pub units: usize,
}

pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    synonyms: &'a Synonyms,
    lexicon: &'a Lexicon<'a>,
    words: WordQueries<'a>,
}

impl<'a> QueryBuilder<'a> {
    pub fn new(
        fields: &'a Fields,
        synonyms: &'a Synonyms,
        lexicon: &'a Lexicon<'a>,
        languages: &'a [StemLanguage],
    ) -> Self {
        QueryBuilder {
            fields,
            synonyms,
            lexicon,
            words: WordQueries::new(fields, lexicon, languages),
        }
    }

    /// The queries for typed text; `None` when there are no words (match everything).
    pub fn text(&mut self, typed: &TypedText) -> Option<TextQuery> {
        let (content, optional) = content_words(typed)?;
        let words: Vec<String> = content.iter().map(|w| w.text.clone()).collect();
        let expansions = self.expansions(&content);
        let mut units: Vec<Box<dyn Query>> = Vec::new();
        let mut weak: Vec<Box<dyn Query>> = Vec::new();
        let all_weak = content.iter().all(|w| is_weak_word(&w.text));
        let mut i = 0;
        while i < content.len() {
            if let Some((exp, meant)) = expansions.iter().find(|(e, _)| e.start == i) {
                units.push(self.expanded(&content[exp.start..exp.end], meant, &exp.alternatives));
                i = exp.end;
            } else if let Some(joined) = content.get(i + 1).and_then(|next| self.joined(&content[i], next)) {
                units.push(joined);
                i += 2;
            } else {
                let w = &content[i];
                let q = self.words.word(&w.text, w.partial);
                if is_weak_word(&w.text) && !all_weak {
                    weak.push(q);
                } else {
                    units.push(q);
                }
                i += 1;
            }
        }
        let mut extras: Vec<(Occur, Box<dyn Query>)> = self.term_runs(&words);
        extras.extend(weak.into_iter().map(|q| (Occur::Should, q)));
        if let Some(w) = &optional {
            extras.push((Occur::Should, self.words.word(&w.text, w.partial)));
        }
        let strict = {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                units.iter().map(|u| (Occur::Must, u.box_clone())).collect();
            clauses.extend(extras.iter().map(|(o, q)| (*o, q.box_clone())));
            Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
        };
        let relaxed = (units.len() > 1).then(|| {
            let any: Vec<(Occur, Box<dyn Query>)> = units
                .iter()
                .map(|u| {
                    (
                        Occur::Should,
                        Box::new(BonusQuery::new(u.box_clone(), WORD_BONUS)) as Box<dyn Query>,
                    )
                })
                .collect();
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(any)))];
            clauses.extend(extras);
            Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
        });
        Some(TextQuery {
            strict,
            relaxed,
            units: units.len(),
        })
    }

    /// A phrase with its alternatives: what was typed, or any synonym or term of its rule.
    /// The synonym and everyday phrases among the content words, in content-word indices.
    /// A typo of a word the rules know ("dentsit") and two rule words run together
    /// ("foodbank") still bring the rule's synonyms and terms; the typed word keeps its own
    /// corrections and halves.
    fn expansions(&mut self, content: &[Word]) -> Vec<(crate::synonyms::Expansion, Vec<String>)> {
        // (rule word, index of the content word it comes from)
        let mut for_rules: Vec<(String, usize)> = Vec::new();
        for (i, w) in content.iter().enumerate() {
            if self.synonyms.knows(&w.text) {
                for_rules.push((w.text.clone(), i));
            } else if let Some((a, b)) = self.synonyms.split(&w.text) {
                for_rules.extend([(a, i), (b, i)]);
            } else if !self.words.exists(&w.text, w.partial) {
                let fixed = self.synonyms.correct(&w.text, typo_distance(&w.text));
                for_rules.push((fixed.unwrap_or_else(|| w.text.clone()), i));
            } else {
                for_rules.push((w.text.clone(), i));
            }
        }
        let words: Vec<String> = for_rules.iter().map(|(w, _)| w.clone()).collect();
        let starts = |at: usize| at == 0 || for_rules[at - 1].1 != for_rules[at].1;
        let ends = |at: usize| at + 1 == for_rules.len() || for_rules[at + 1].1 != for_rules[at].1;
        self.synonyms
            .expand(&words)
            .into_iter()
            // A phrase must cover whole typed words, not half of one.
            .filter(|e| starts(e.start) && ends(e.end - 1))
            .map(|e| {
                let meant = words[e.start..e.end].to_vec();
                let span = crate::synonyms::Expansion {
                    start: for_rules[e.start].1,
                    end: for_rules[e.end - 1].1 + 1,
                    alternatives: e.alternatives,
                };
                (span, meant)
            })
            .collect()
    }

    /// A service matching several alternatives scores as its best one (plus a little), so
    /// the phrase as typed is not outranked by a service that happens to match two synonyms.
    /// `meant` is the phrase the rule matched (typos corrected): written as one word in the
    /// directory ("foodbank"), that word is an alternative too.
    fn expanded(&mut self, typed: &[Word], meant: &[String], alternatives: &[Alternative]) -> Box<dyn Query> {
        let original = all_of(typed.iter().map(|w| self.words.word(&w.text, w.partial)).collect());
        let mut phrases: Vec<Box<dyn Query>> = vec![original];
        let pairs = std::iter::once(meant).chain(alternatives.iter().filter(|a| !a.term).map(|a| &a.words[..]));
        let joined: Vec<String> = pairs.filter(|p| p.len() == 2).map(|p| p.concat()).collect();
        for word in joined {
            if self.words.exists(&word, false) {
                phrases.push(self.words.exact(&word));
            }
        }
        let mut named: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for alt in alternatives {
            let content: Vec<&String> = alt.words.iter().filter(|w| !is_stop_word(w)).collect();
            let words: Vec<&String> = if content.is_empty() {
                alt.words.iter().collect()
            } else {
                content
            };
            let phrase = all_of(words.iter().map(|w| self.words.exact(w)).collect());
            let boost = if alt.term { TERM_WORDS_BOOST } else { SYNONYM_BOOST };
            phrases.push(Box::new(BoostQuery::new(phrase, boost)));
            if let Some(q) = self.term_named(&alt.words) {
                named.push((Occur::Should, q));
            }
        }
        named.push((
            Occur::Should,
            Box::new(DisjunctionMaxQuery::with_tie_breaker(phrases, ALTERNATIVES_TIE)),
        ));
        Box::new(BooleanQuery::new(named))
    }

    /// Two words the directory writes as one ("food bank" -> "foodbank"): either form.
    fn joined(&mut self, a: &Word, b: &Word) -> Option<Box<dyn Query>> {
        if a.partial {
            return None;
        }
        let joined = format!("{}{}", a.text, b.text);
        if !self.words.exists(&joined, b.partial) {
            return None;
        }
        let apart = all_of(vec![
            self.words.word(&a.text, false),
            self.words.word(&b.text, b.partial),
        ]);
        let together = self.words.word(&joined, b.partial);
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, apart),
            (Occur::Should, together),
        ])))
    }

    /// For every run of the query's words that is the name of a term in the index, a clause
    /// that ranks the services carrying it first (it never decides what matches).
    fn term_runs(&self, words: &[String]) -> Vec<(Occur, Box<dyn Query>)> {
        let mut out = Vec::new();
        for start in 0..words.len() {
            for end in start + 1..=(start + MAX_TERM_WORDS).min(words.len()) {
                if let Some(q) = self.term_named(&words[start..end]) {
                    out.push((Occur::Should, q));
                }
            }
        }
        out
    }

    /// Services carrying a term named `words` exactly, or a narrower one, as a constant.
    /// A narrow term (few services carry it) counts for more than a broad one
    /// ("Paratransit Programs" over "Transportation"): the bonus shrinks with the term's
    /// document frequency, to half for a term every service carries.
    fn term_named(&self, words: &[String]) -> Option<Box<dyn Query>> {
        let key = key_of(words).join(" ");
        let df = self.lexicon.doc_freq(self.fields.term_key, &key);
        if df == 0 {
            return None;
        }
        let n = self.lexicon.num_docs().max(2) as f32;
        let narrow = 0.5 + 0.5 * (n / df as f32).ln() / n.ln();
        let q = TermQuery::new(term(self.fields.term_key, &key), IndexRecordOption::Basic);
        Some(Box::new(ConstScoreQuery::new(Box::new(q), TERM_BONUS * narrow)))
    }
}

/// The words that carry the request, and a last word being typed that may turn into a stop
/// word ("shelter f" on the way to "shelter for"), which only adds to the score. `None`
/// without words. When every word is a stop word they are all kept: someone typed "the".
fn content_words(typed: &TypedText) -> Option<(Vec<Word>, Option<Word>)> {
    if typed.words.is_empty() {
        return None;
    }
    let last = typed.words.len() - 1;
    let words: Vec<Word> = typed
        .words
        .iter()
        .enumerate()
        .map(|(i, w)| Word {
            text: w.clone(),
            partial: typed.last_partial && i == last,
        })
        .collect();
    let optional =
        |w: &Word| w.partial && (is_stop_word(&w.text) || (w.text.len() <= 2 && starts_a_stop_word(&w.text)));
    let content: Vec<Word> = words
        .iter()
        .filter(|w| !is_stop_word(&w.text) && !optional(w))
        .cloned()
        .collect();
    if content.is_empty() {
        return Some((words, None));
    }
    let dropped_last = words.last().filter(|w| optional(w)).cloned();
    Some((content, dropped_last))
}

fn starts_a_stop_word(prefix: &str) -> bool {
    [
        "a", "an", "and", "at", "by", "de", "en", "for", "in", "of", "on", "or", "the", "to", "with", "y",
    ]
    .iter()
    .any(|s| s.starts_with(prefix))
}

pub(crate) fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

pub(crate) fn all_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
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
        assert_eq!(typo_distance("to"), 0);
        assert_eq!(typo_distance("fod"), 1);
        assert_eq!(typo_distance("helth"), 1);
        assert_eq!(typo_distance("shelters"), 1);
        assert_eq!(typo_distance("counseling"), 2);
    }

    fn content(text: &str) -> (Vec<String>, Option<String>) {
        let (c, o) = content_words(&TypedText::parse(text)).unwrap();
        (c.into_iter().map(|w| w.text).collect(), o.map(|w| w.text))
    }

    #[test]
    fn stop_words_never_have_to_match_in_three_languages() {
        assert_eq!(content("shelter for tonight").0, ["shelter"]);
        assert_eq!(content("ride to the doctor").0, ["ride", "doctor"]);
        assert_eq!(content("aide pour le loyer").0, ["aide", "loyer"]);
        assert_eq!(content("ayuda con la renta").0, ["ayuda", "renta"]);
        // A word being typed that may become a stop word only adds to the score.
        assert_eq!(
            content("shelter fo"),
            (vec!["shelter".to_string()], Some("fo".to_string()))
        );
        assert_eq!(content("shelter fod").0, ["shelter", "fod"]);
        // Only stop words: they are the query.
        assert_eq!(content("the").0, ["the"]);
    }
}
