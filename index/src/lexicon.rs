//! The index's own dictionary, asked while a query is built: does this word exist, how
//! common is it, which real words are one or two edits from a typo. Answers are cached
//! for the searcher generation they came from, so the words a navigator already typed cost
//! nothing on the next keystroke.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Corrections kept per word and field: the likeliest few, not every neighbour.
pub const MAX_CORRECTIONS: usize = 3;
/// Dictionary terms read per segment for the completions of one prefix.
const MAX_SCANNED: usize = 4096;
/// Entries kept before the cache starts over (a day of typing is far fewer).
const MAX_ENTRIES: usize = 50_000;

/// A real word close to a typed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub text: String,
    /// Edits from the typed word (a transposition counts as one).
    pub distance: u8,
    /// Documents containing it.
    pub doc_freq: u64,
}

/// Names what a searcher reads: its segments and their deletes. Two searchers with the same
/// key answer every dictionary and document question alike, however many times the reader
/// reloaded in between (tantivy numbers every reload anew, including the delayed one its
/// file watcher makes after a commit or merge, which would otherwise throw away what the
/// navigator's earlier keystrokes looked up).
pub(crate) fn contents_key(searcher: &Searcher) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (segment, deletes) in searcher.generation().segments() {
        segment.hash(&mut h);
        deletes.hash(&mut h);
    }
    h.finish()
}

/// What was already looked up, for one set of index contents (see [`contents_key`]).
#[derive(Debug, Default)]
pub struct LexiconCache {
    generation: Option<u64>,
    doc_freq: HashMap<(Field, String), u64>,
    corrections: HashMap<(Field, String, u8), Arc<Vec<Correction>>>,
    completions: HashMap<(Field, String), Arc<Vec<Correction>>>,
    /// Answers that had to read the dictionary (not found in the cache), ever.
    reads: u64,
}

impl LexiconCache {
    /// Dictionary reads so far: a keystroke that adds a letter reads only for the new
    /// word, never again for the words already complete.
    pub fn reads(&self) -> u64 {
        self.reads
    }
}

/// The dictionary of one searcher, with the cache shared between searches.
pub struct Lexicon<'a> {
    searcher: &'a Searcher,
    cache: &'a Mutex<LexiconCache>,
}

impl<'a> Lexicon<'a> {
    pub fn new(searcher: &'a Searcher, cache: &'a Mutex<LexiconCache>) -> Lexicon<'a> {
        let generation = contents_key(searcher);
        let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
        if c.generation != Some(generation)
            || c.doc_freq.len() + c.corrections.len() + c.completions.len() > MAX_ENTRIES
        {
            *c = LexiconCache {
                generation: Some(generation),
                reads: c.reads,
                ..Default::default()
            };
        }
        drop(c);
        Lexicon { searcher, cache }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, LexiconCache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Documents whose `field` holds the term `text` (deleted ones included until a merge).
    pub fn doc_freq(&self, field: Field, text: &str) -> u64 {
        if text.is_empty() {
            return 0;
        }
        let key = (field, text.to_string());
        if let Some(&n) = self.cache().doc_freq.get(&key) {
            return n;
        }
        let n = self.searcher.doc_freq(&Term::from_field_text(field, text)).unwrap_or(0);
        let mut cache = self.cache();
        cache.reads += 1;
        cache.doc_freq.insert(key, n);
        n
    }

    /// Terms of `field` within `distance` edits of `text` (not `text` itself), closest and
    /// most common first, at most a few.
    pub fn corrections(&self, field: Field, text: &str, distance: u8) -> Arc<Vec<Correction>> {
        let key = (field, text.to_string(), distance);
        if let Some(found) = self.cache().corrections.get(&key) {
            return found.clone();
        }
        let found = Arc::new(self.find_corrections(field, text, distance));
        let mut cache = self.cache();
        cache.reads += 1;
        cache.corrections.insert(key, found.clone());
        found
    }

    /// The most common terms of `field` that start with `prefix` (longer than it), most
    /// common first, at most a few. Very common prefixes are cut short: the first terms of
    /// a segment's dictionary under the prefix are read, not all of them.
    pub fn completions(&self, field: Field, prefix: &str) -> Arc<Vec<Correction>> {
        let key = (field, prefix.to_string());
        if let Some(found) = self.cache().completions.get(&key) {
            return found.clone();
        }
        let mut by_text: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
                continue;
            };
            let mut read = 0;
            while read < MAX_SCANNED && stream.advance() {
                read += 1;
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !term.starts_with(prefix) {
                    break;
                }
                if term.len() > prefix.len() {
                    *by_text.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut out: Vec<Correction> = by_text
            .into_iter()
            .map(|(text, doc_freq)| Correction {
                distance: 0,
                text,
                doc_freq,
            })
            .collect();
        out.sort_by(|a, b| b.doc_freq.cmp(&a.doc_freq).then_with(|| a.text.cmp(&b.text)));
        out.truncate(MAX_CORRECTIONS);
        let found = Arc::new(out);
        let mut cache = self.cache();
        cache.reads += 1;
        cache.completions.insert(key, found.clone());
        found
    }

    fn find_corrections(&self, field: Field, text: &str, distance: u8) -> Vec<Correction> {
        if distance == 0 || text.is_empty() {
            return Vec::new();
        }
        let Ok(automaton) = FuzzyTermQuery::new(Term::from_field_text(field, text), distance, true).automaton() else {
            return Vec::new();
        };
        let mut by_text: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if term != text {
                    *by_text.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut out: Vec<Correction> = by_text
            .into_iter()
            .map(|(t, doc_freq)| Correction {
                distance: edit_distance(text, &t).min(u8::MAX as usize) as u8,
                text: t,
                doc_freq,
            })
            .filter(|c| c.distance <= distance)
            .collect();
        out.sort_by(|a, b| {
            a.distance
                .cmp(&b.distance)
                .then(b.doc_freq.cmp(&a.doc_freq))
                .then_with(|| a.text.cmp(&b.text))
        });
        out.truncate(MAX_CORRECTIONS * 4);
        out
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions each cost one ("shleter" -> "shelter" is one edit), as the automaton counts.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        assert_eq!(edit_distance("shleter", "shelter"), 1);
        assert_eq!(edit_distance("dentsit", "dentist"), 1);
        assert_eq!(edit_distance("fod", "food"), 1);
        assert_eq!(edit_distance("helth", "health"), 1);
        assert_eq!(edit_distance("counselling", "counseling"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
