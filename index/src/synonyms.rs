//! Synonym groups: phrases a navigator treats as the same need ("food bank", "food pantry",
//! "banque alimentaire"). The query is expanded, the index is not, so editing the file takes
//! effect on the next search without a rebuild.
//!
//! File format: one group per line, phrases separated by commas; `#` starts a comment.

use crate::analysis::{english, tokens, words_analyzer};

/// The defaults shipped with navigator (English and French).
pub const DEFAULT_SYNONYMS: &str = include_str!("../../assets/synonyms.txt");

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each group: its phrases, each phrase as folded words.
    groups: Vec<Vec<Vec<String>>>,
    /// The same phrases as match keys (folded, English-stemmed), so "food banks" matches.
    keys: Vec<Vec<Vec<String>>>,
}

/// A problem in a synonyms file, with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct SynonymError {
    pub line: usize,
    pub reason: String,
}

/// A run of query words that matched a group: the other phrases to try instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Index of the first matched query word.
    pub start: usize,
    /// One past the last matched query word.
    pub end: usize,
    /// The other phrases of the group, as folded words.
    pub alternatives: Vec<Vec<String>>,
}

impl Synonyms {
    pub fn defaults() -> Synonyms {
        Synonyms::parse(DEFAULT_SYNONYMS).expect("the bundled synonyms file is valid")
    }

    pub fn parse(text: &str) -> Result<Synonyms, SynonymError> {
        let mut words = words_analyzer();
        let mut stem = english();
        let mut out = Synonyms::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let phrases: Vec<Vec<String>> = line
                .split(',')
                .map(|p| tokens(&mut words, p))
                .filter(|p| !p.is_empty())
                .collect();
            if phrases.len() < 2 {
                return Err(SynonymError {
                    line: i + 1,
                    reason: "a group needs at least two phrases separated by commas".into(),
                });
            }
            let keys = phrases
                .iter()
                .map(|p| p.iter().flat_map(|w| tokens(&mut stem, w)).collect())
                .collect();
            out.groups.push(phrases);
            out.keys.push(keys);
        }
        Ok(out)
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Finds synonym phrases among `words` (folded query words), longest match first,
    /// without overlaps. `complete` is how many leading words are finished; a word still
    /// being typed is never expanded.
    pub fn expand(&self, words: &[String], complete: usize) -> Vec<Expansion> {
        let mut stem = english();
        let keys: Vec<String> = words.iter().map(|w| tokens(&mut stem, w).concat()).collect();
        let mut out = Vec::new();
        let mut start = 0;
        while start < complete {
            let mut best: Option<(usize, usize, usize)> = None; // (len, group, phrase)
            for (g, group) in self.keys.iter().enumerate() {
                for (p, phrase) in group.iter().enumerate() {
                    let len = phrase.len();
                    let fits = start + len <= complete && keys[start..start + len] == phrase[..];
                    if fits && best.is_none_or(|(l, _, _)| len > l) {
                        best = Some((len, g, p));
                    }
                }
            }
            match best {
                Some((len, g, p)) => {
                    let alternatives = self.groups[g]
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != p)
                        .map(|(_, a)| a.clone())
                        .collect();
                    out.push(Expansion {
                        start,
                        end: start + len,
                        alternatives,
                    });
                    start += len;
                }
                None => start += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(&mut words_analyzer(), text)
    }

    #[test]
    fn defaults_parse_and_cover_the_documented_examples() {
        let s = Synonyms::defaults();
        assert!(s.len() >= 10);
        let food = s.expand(&words("food bank"), 2);
        assert_eq!(food.len(), 1);
        assert!(food[0].alternatives.contains(&words("food pantry")));
        assert!(food[0].alternatives.contains(&words("banque alimentaire")));
        let rent = s.expand(&words("rent help"), 2);
        assert!(rent[0].alternatives.contains(&words("rent assistance")));
        let fr = s.expand(&words("banque alimentaire"), 2);
        assert!(fr[0].alternatives.contains(&words("food bank")));
    }

    #[test]
    fn plural_and_position_and_incomplete_words() {
        let s = Synonyms::parse("food bank, food pantry\nshelter, hostel").unwrap();
        let e = s.expand(&words("youth food banks sudbury"), 4);
        assert_eq!((e[0].start, e[0].end), (1, 3));
        // The last word is still being typed: not expanded.
        assert!(s.expand(&words("food bank"), 1).is_empty());
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = Synonyms::parse("# comment\nfood bank, food pantry\nlonely").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
