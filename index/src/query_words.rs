//! The clauses of one typed word: exact (stemmed in each of the directory's languages) in
//! names, taxonomy terms and text; a prefix while it is typed; corrections when it is a
//! typo; and its two halves when it is two words run together ("foodbank").
//!
//! Only terms the index holds become clauses: the dictionary is asked first (cheaply, and
//! cached between keystrokes), so a word costs a few postings lists, not dozens.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{english, french, prefix_term, spanish, tokens};
use crate::lexicon::{Correction, Lexicon, MAX_CORRECTIONS};
use crate::query::{all_of, term, typo_distance};
use crate::schema::{Fields, StemLanguage};
use crate::stopwords::is_stop_word;

const TITLE_BOOST: f32 = 3.0;
/// Taxonomy term names rank at least as high as a name: they are what the service does.
const TERMS_BOOST: f32 = 3.5;
const LABELS_BOOST: f32 = 0.3;
const PREFIX_BOOST: f32 = 0.6;
/// A correction of a typo scores as the corrected word would, scaled down by its distance:
/// ranked by relevance among corrections, and below exact matches.
const CORRECTION_BOOST: [f32; 3] = [1.0, 0.35, 0.2];
/// A word the index holds is corrected only when a neighbour is this many times more common
/// (a typo that made it into a record or two, like "helth").
const RARE_FACTOR: u64 = 20;
/// Shortest half of a run-together word ("foodbank" -> "food" + "bank").
const MIN_HALF: usize = 3;
const SPLIT_BOOST: f32 = 0.8;
/// Shortest word being typed that is completed to whole words (shorter ones match too
/// many to guess from).
const MIN_COMPLETED: usize = 4;
/// Completions tried per language.
const MAX_COMPLETIONS: usize = 2;
/// A completion of the word being typed, against the typed letters as a prefix (0.6).
const COMPLETION_BOOST: f32 = 0.7;

/// BM25's inverse document frequency, as tantivy computes it.
fn idf(docs: u64, doc_freq: u64) -> f32 {
    let (n, df) = (docs as f32, doc_freq.min(docs) as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(1e-3)
}

pub struct WordQueries<'a> {
    fields: &'a Fields,
    lexicon: &'a Lexicon<'a>,
    languages: &'a [StemLanguage],
    analyzers: [TextAnalyzer; 3],
}

type Clauses = Vec<(Occur, Box<dyn Query>)>;

impl<'a> WordQueries<'a> {
    pub fn new(fields: &'a Fields, lexicon: &'a Lexicon<'a>, languages: &'a [StemLanguage]) -> Self {
        WordQueries {
            fields,
            lexicon,
            languages,
            analyzers: [english(), french(), spanish()],
        }
    }

    fn stem(&mut self, language: StemLanguage, word: &str) -> String {
        tokens(&mut self.analyzers[language.index()], word).concat()
    }

    /// Stems of `word` in the directory's languages.
    fn stems(&mut self, word: &str) -> Vec<(StemLanguage, String)> {
        self.languages.iter().map(|&l| (l, self.stem(l, word))).collect()
    }

    /// A term query when the index holds the term, boosted.
    fn clause(&self, out: &mut Clauses, field: Field, text: &str, boost: f32) {
        if self.lexicon.doc_freq(field, text) == 0 {
            return;
        }
        let q: Box<dyn Query> = Box::new(TermQuery::new(term(field, text), IndexRecordOption::WithFreqs));
        out.push((
            Occur::Should,
            if boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, boost))
            },
        ));
    }

    /// Clauses for a stem in one language's title, terms and body fields.
    fn stem_clauses(&self, out: &mut Clauses, language: StemLanguage, stem: &str, boost: f32) {
        let l = language.index();
        let f = self.fields;
        self.clause(out, f.title[l], stem, TITLE_BOOST * boost);
        self.clause(out, f.terms[l], stem, TERMS_BOOST * boost);
        self.clause(out, f.body[l], stem, boost);
    }

    /// Like `stem_clauses` for a correction, weighted as if it were as common as
    /// `reference` documents: a misspelling in one record is rare, and rarity would
    /// otherwise rank it above every correctly spelled match.
    fn correction_clauses(&self, out: &mut Clauses, language: StemLanguage, stem: &str, boost: f32, reference: u64) {
        let l = language.index();
        let f = self.fields;
        let n = self.lexicon.num_docs();
        for (field, field_boost) in [(f.title[l], TITLE_BOOST), (f.terms[l], TERMS_BOOST), (f.body[l], 1.0)] {
            let df = self.lexicon.doc_freq(field, stem);
            if df > 0 {
                let b = boost * field_boost * idf(n, reference) / idf(n, df);
                self.clause(out, field, stem, b);
            }
        }
    }

    /// The word exactly (stemmed), nothing else: for synonyms and term names.
    pub fn exact(&mut self, word: &str) -> Box<dyn Query> {
        let mut out = Clauses::new();
        self.exact_clauses(&mut out, word);
        Box::new(BooleanQuery::new(out))
    }

    fn exact_clauses(&mut self, out: &mut Clauses, word: &str) -> u64 {
        let mut doc_freq = 0;
        for (language, stem) in self.stems(word) {
            self.stem_clauses(out, language, &stem, 1.0);
            doc_freq += self.lexicon.doc_freq(self.fields.body[language.index()], &stem);
        }
        let en = self.stem(StemLanguage::English, word);
        self.clause(out, self.fields.labels, &en, LABELS_BOOST);
        doc_freq
    }

    /// Whether the index holds `word` as a word (or, while typed, as the start of one).
    pub fn exists(&mut self, word: &str, partial: bool) -> bool {
        if partial && self.lexicon.doc_freq(self.fields.prefix, &prefix_term(word)) > 0 {
            return true;
        }
        self.stems(word)
            .iter()
            .any(|(l, stem)| self.lexicon.doc_freq(self.fields.body[l.index()], stem) > 0)
    }

    /// Everything a typed word may mean.
    pub fn word(&mut self, word: &str, partial: bool) -> Box<dyn Query> {
        let mut out = Clauses::new();
        let exact = self.exact_clauses(&mut out, word);
        let mut prefix = 0;
        if partial {
            let p = prefix_term(word);
            prefix = self.lexicon.doc_freq(self.fields.prefix, &p);
            self.clause(&mut out, self.fields.prefix, &p, PREFIX_BOOST);
            prefix += self.completions(&mut out, word);
        }
        // A word still being typed that starts real words is not a typo yet.
        if prefix == 0 {
            self.corrections(&mut out, word, partial, exact);
        }
        if let Some(split) = self.split(word, exact) {
            out.push((Occur::Should, split));
        }
        Box::new(BooleanQuery::new(out))
    }

    /// The likeliest words a word being typed is the start of ("emplo" -> "employ"), each
    /// scored as that word would be, so a half-typed word ranks by relevance like a whole
    /// one. Returns how many documents they are in.
    fn completions(&mut self, out: &mut Clauses, word: &str) -> u64 {
        if word.chars().count() < MIN_COMPLETED {
            return 0;
        }
        let mut found = 0;
        let n = self.lexicon.num_docs();
        for &language in self.languages {
            let field = self.fields.body[language.index()];
            let completions = self.lexicon.completions(field, word);
            let reference = completions.first().map_or(1, |c| c.doc_freq);
            // The body holds the title and the term names too: one field is enough to
            // rank a half-typed word by relevance, and keeps the keystroke cheap.
            for c in completions.iter().take(MAX_COMPLETIONS) {
                let boost = COMPLETION_BOOST * idf(n, reference) / idf(n, c.doc_freq);
                self.clause(out, field, &c.text, boost);
                found += c.doc_freq;
            }
        }
        found
    }

    /// Real words a typo may have meant, each scored like that word (scaled down). Stems
    /// catch typos in the stem ("helth"); the unstemmed words of the prefix field catch
    /// typos in a suffix, which stop the stemmer ("counsellinng").
    ///
    /// A word the directory holds is a real word: it is corrected only towards neighbours
    /// far more common (it is a typo that made it into a record or two) or far rarer (they
    /// are typos of it in records); "mental" never turns into "dental".
    fn corrections(&mut self, out: &mut Clauses, word: &str, partial: bool, exact: u64) {
        let distance = typo_distance(word);
        let short = word.chars().count() <= 4;
        // Short words forgive a typo only when they are not words at all ("fod", not "rent").
        if distance == 0 || (short && exact > 0) {
            return;
        }
        let unlike = |c: &Correction| {
            exact == 0
                || c.doc_freq >= exact.saturating_mul(RARE_FACTOR)
                || c.doc_freq.saturating_mul(RARE_FACTOR) <= exact
        };
        let mut chosen: Vec<(StemLanguage, String, u8)> = Vec::new();
        let mut reference = exact;
        for (language, stem) in self.stems(word) {
            let field = self.fields.body[language.index()];
            let found = self.lexicon.corrections(field, &stem, distance);
            for c in found
                .iter()
                .filter(|c| unlike(c) && !is_stop_word(&c.text))
                .take(MAX_CORRECTIONS)
            {
                chosen.push((language, c.text.clone(), c.distance));
                reference = reference.max(if exact > 0 { 0 } else { c.doc_freq });
            }
        }
        let p = prefix_term(word);
        let found = self.lexicon.corrections(self.fields.prefix, &p, distance);
        for c in found
            .iter()
            .filter(|c| unlike(c) && !is_stop_word(&c.text))
            .take(MAX_CORRECTIONS)
        {
            if partial {
                // Typos while typing: the typed letters are close to the start of a real word.
                let boost = PREFIX_BOOST * CORRECTION_BOOST[c.distance as usize];
                self.clause(out, self.fields.prefix, &c.text, boost);
            }
            for (language, stem) in self.stems(&c.text) {
                if !chosen.iter().any(|(l, s, _)| *l == language && *s == stem) {
                    chosen.push((language, stem, c.distance));
                }
            }
        }
        for (language, stem, distance) in chosen {
            let reference = reference.max(1);
            self.correction_clauses(out, language, &stem, CORRECTION_BOOST[distance as usize], reference);
        }
    }

    /// Two words run together ("foodbank", "childcare"): both halves, when the index holds
    /// them and each is at least as common as the whole ("household" is more common than
    /// "hold", so it stays whole).
    fn split(&mut self, word: &str, exact: u64) -> Option<Box<dyn Query>> {
        let cuts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        if cuts.len() < 2 * MIN_HALF {
            return None;
        }
        let body = self.fields.body[StemLanguage::English.index()];
        let mut best: Option<(u64, usize)> = None;
        for &cut in &cuts[MIN_HALF..=cuts.len() - MIN_HALF] {
            let (left, right) = (&word[..cut], &word[cut..]);
            if is_stop_word(left) || is_stop_word(right) {
                continue;
            }
            let l = self.stem(StemLanguage::English, left);
            let r = self.stem(StemLanguage::English, right);
            let common = self.lexicon.doc_freq(body, &l).min(self.lexicon.doc_freq(body, &r));
            if common >= exact.max(1) && best.is_none_or(|(n, _)| common > n) {
                best = Some((common, cut));
            }
        }
        let (_, cut) = best?;
        let halves = all_of(vec![self.exact(&word[..cut]), self.exact(&word[cut..])]);
        Some(Box::new(BoostQuery::new(halves, SPLIT_BOOST)))
    }
}
