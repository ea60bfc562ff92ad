//! What a navigator types and what else it should find, from two user-editable files:
//!
//! - synonym groups: phrases that mean the same need ("food bank", "food pantry",
//!   "banque alimentaire"); any of them finds the others;
//! - everyday words -> taxonomy terms: what callers say ("ride to the doctor", "help paying
//!   rent", "food stamps") and what directories call it ("Medical Appointments
//!   Transportation", "Rent Payment Assistance", "Food Stamps/SNAP"). A term alternative finds
//!   the services tagged with that term, and also any text with its words, so a directory
//!   that names the term differently still answers.
//!
//! The query is expanded, the index is not, so editing a file takes effect on the next
//! search without a rebuild. Phrases match on their content words (stop words are ignored)
//! stemmed and folded, so "rides to the doctor's" meets "ride to the doctor".
//!
//! Synonyms file: one group per line, phrases separated by commas. Everyday file: one rule
//! per line, `phrase, phrase => Term | Term`. `#` starts a comment in both.

use crate::analysis::{english, tokens, words_analyzer};
use crate::stopwords::is_stop_word;

/// The default synonym groups shipped with navigator (English, French, Spanish).
pub const DEFAULT_SYNONYMS: &str = include_str!("../../assets/synonyms.txt");
/// The default everyday words -> taxonomy terms shipped with navigator (English, French, Spanish).
pub const DEFAULT_EVERYDAY_TERMS: &str = include_str!("../../assets/everyday-terms.txt");

/// One phrase to try instead of what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// Its words, folded (stop words kept; the query builder drops them).
    pub words: Vec<String>,
    /// True for a taxonomy term name from the everyday list: services tagged with it rank first.
    pub term: bool,
}

#[derive(Debug, Clone)]
struct Rule {
    /// Phrases that trigger the rule, as match keys (content words, stemmed).
    triggers: Vec<Vec<String>>,
    /// For a synonym group, `alternatives[i]` is the phrase of `triggers[i]`; an everyday
    /// rule's alternatives are its terms.
    alternatives: Vec<Alternative>,
    everyday: bool,
    /// The phrases that trigger the rule as written (folded), for typo correction.
    raw: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    rules: Vec<Rule>,
}

/// A problem in a synonyms or everyday-terms file, with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct SynonymError {
    pub line: usize,
    pub reason: String,
}

/// A run of query content words that matched a rule: the other phrases to try instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Index of the first matched content word.
    pub start: usize,
    /// One past the last matched content word.
    pub end: usize,
    pub alternatives: Vec<Alternative>,
}

/// The match key of a phrase: its content words, stemmed. Folded words in, so query words
/// and file phrases go through the same steps.
pub fn key_of(words: &[String]) -> Vec<String> {
    thread_local! {
        static STEM: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> = std::cell::RefCell::new(english());
    }
    STEM.with(|stem| {
        let mut stem = stem.borrow_mut();
        words
            .iter()
            .filter(|w| !is_stop_word(w))
            .map(|w| tokens(&mut stem, w).concat())
            .filter(|w| !w.is_empty())
            .collect()
    })
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or("").trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn phrases(list: &str, separator: char) -> Vec<Vec<String>> {
    let mut words = words_analyzer();
    list.split(separator)
        .map(|p| tokens(&mut words, p))
        .filter(|p| !p.is_empty())
        .collect()
}

impl Synonyms {
    /// The bundled synonyms and everyday terms.
    pub fn defaults() -> Synonyms {
        let mut s = Synonyms::parse(DEFAULT_SYNONYMS).expect("the bundled synonyms file is valid");
        s.add_everyday(DEFAULT_EVERYDAY_TERMS)
            .expect("the bundled everyday-terms file is valid");
        s
    }

    /// Synonym groups from a synonyms file (no everyday terms).
    pub fn parse(text: &str) -> Result<Synonyms, SynonymError> {
        let mut out = Synonyms::default();
        for (line, content) in lines(text) {
            let phrases = phrases(content, ',');
            if phrases.len() < 2 {
                return Err(SynonymError {
                    line,
                    reason: "a group needs at least two phrases separated by commas".into(),
                });
            }
            out.rules.push(Rule {
                triggers: phrases.iter().map(|p| key_of(p)).collect(),
                alternatives: phrases
                    .into_iter()
                    .map(|words| Alternative { words, term: false })
                    .collect(),
                everyday: false,
                raw: Vec::new(),
            });
        }
        Ok(out)
    }

    /// Adds the rules of an everyday-terms file: `phrase, phrase => Term | Term`.
    pub fn add_everyday(&mut self, text: &str) -> Result<(), SynonymError> {
        for (line, content) in lines(text) {
            let Some((said, terms)) = content.split_once("=>") else {
                return Err(SynonymError {
                    line,
                    reason: "expected `what callers say, ... => Term name | Term name`".into(),
                });
            };
            let (said, terms) = (phrases(said, ','), phrases(terms, '|'));
            if said.is_empty() || terms.is_empty() {
                return Err(SynonymError {
                    line,
                    reason: "needs a phrase before `=>` and a term name after it".into(),
                });
            }
            let triggers: Vec<Vec<String>> = said.iter().map(|p| key_of(p)).filter(|k| !k.is_empty()).collect();
            if triggers.is_empty() {
                return Err(SynonymError {
                    line,
                    reason: "the phrases before `=>` are only stop words".into(),
                });
            }
            self.rules.push(Rule {
                triggers,
                alternatives: terms
                    .into_iter()
                    .map(|words| Alternative { words, term: true })
                    .collect(),
                everyday: true,
                raw: said,
            });
        }
        Ok(())
    }

    /// The word of a rule phrase that `word` (folded) is a typo of, within `distance`
    /// edits: the closest, and among equals the first in the files. `None` when `word` is
    /// itself in a phrase, or nothing is close. Stop words are never a correction.
    pub fn correct(&self, word: &str, distance: u8) -> Option<String> {
        if distance == 0 {
            return None;
        }
        let mut best: Option<(usize, &String)> = None;
        for w in self.trigger_words() {
            if w == word {
                return None;
            }
            if is_stop_word(w) {
                continue;
            }
            let d = crate::lexicon::edit_distance(word, w);
            if d <= distance as usize && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, w));
            }
        }
        best.map(|(_, w)| w.clone())
    }

    /// Every word of the phrases that trigger a rule, folded.
    fn trigger_words(&self) -> impl Iterator<Item = &String> {
        self.rules.iter().flat_map(|r| {
            let phrases: Box<dyn Iterator<Item = &Vec<String>>> = if r.everyday {
                Box::new(r.raw.iter())
            } else {
                Box::new(r.alternatives.iter().map(|a| &a.words))
            };
            phrases.flatten()
        })
    }

    /// Whether `word` (folded) is a word of a phrase that triggers a rule.
    pub fn knows(&self, word: &str) -> bool {
        self.trigger_words().any(|w| w == word)
    }

    /// Two rule words run together ("foodbank" -> "food", "bank") when together they are
    /// a phrase of a rule: the word for what the caller means.
    pub fn split(&self, word: &str) -> Option<(String, String)> {
        let cuts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        for &cut in cuts.iter().take(cuts.len().saturating_sub(1)).skip(2) {
            let (a, b) = word.split_at(cut);
            if !self.knows(a) || !self.knows(b) {
                continue;
            }
            let pair = [a.to_string(), b.to_string()];
            let key = key_of(&pair);
            if self.rules.iter().any(|r| r.triggers.contains(&key)) {
                return Some((pair[0].clone(), pair[1].clone()));
            }
        }
        None
    }

    /// Number of rules (synonym groups and everyday lines).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Finds rule phrases among `words` (folded content words, no stop words), longest
    /// match first, without overlaps. Every rule whose phrase matches the same longest run
    /// adds its alternatives. The last word counts even while it is being typed: when it
    /// completes a phrase it is a whole word, and the caller still matches it as a prefix.
    pub fn expand(&self, words: &[String]) -> Vec<Expansion> {
        let keys: Vec<String> = words.iter().map(|w| key_of(std::slice::from_ref(w)).concat()).collect();
        let mut out = Vec::new();
        let mut start = 0;
        while start < keys.len() {
            let fits = |t: &Vec<String>| {
                !t.is_empty() && start + t.len() <= keys.len() && keys[start..start + t.len()] == t[..]
            };
            let longest = self
                .rules
                .iter()
                .flat_map(|r| r.triggers.iter())
                .filter(|t| fits(t))
                .map(Vec::len)
                .max();
            let Some(len) = longest else {
                start += 1;
                continue;
            };
            let mut alternatives: Vec<Alternative> = Vec::new();
            for rule in &self.rules {
                let Some(hit) = rule.triggers.iter().position(|t| t.len() == len && fits(t)) else {
                    continue;
                };
                for (i, alt) in rule.alternatives.iter().enumerate() {
                    // A synonym group does not offer back the phrase that was typed.
                    let typed = !rule.everyday && rule.triggers[i] == rule.triggers[hit];
                    if !typed && !alternatives.contains(alt) {
                        alternatives.push(alt.clone());
                    }
                }
            }
            out.push(Expansion {
                start,
                end: start + len,
                alternatives,
            });
            start += len;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(&mut words_analyzer(), text)
            .into_iter()
            .filter(|w| !is_stop_word(w))
            .collect()
    }

    fn alt(text: &str, term: bool) -> Alternative {
        Alternative {
            words: tokens(&mut words_analyzer(), text),
            term,
        }
    }

    #[test]
    fn defaults_parse_and_cover_the_documented_examples() {
        let s = Synonyms::defaults();
        assert!(s.len() >= 20);
        let food = s.expand(&words("food bank"));
        assert_eq!(food.len(), 1);
        assert!(food[0].alternatives.contains(&alt("food pantry", false)));
        assert!(food[0].alternatives.contains(&alt("banque alimentaire", false)));
        let rent = s.expand(&words("rent help"));
        assert!(rent[0].alternatives.contains(&alt("rent assistance", false)));
        let fr = s.expand(&words("banque alimentaire"));
        assert!(fr[0].alternatives.contains(&alt("food bank", false)));
    }

    #[test]
    fn everyday_phrases_lead_to_terms_whatever_the_stop_words() {
        let s = Synonyms::defaults();
        for (said, term) in [
            ("ride to the doctor", "medical appointments transportation"),
            ("help paying rent", "rent payment assistance"),
            ("daycare", "child care"),
            ("detox", "detoxification"),
            ("food stamps", "food stamps snap"),
            ("english classes", "english as a second language"),
            ("esl", "english as a second language"),
            ("comida", "food pantries"),
            ("aide au loyer", "rent payment assistance"),
        ] {
            let e = s.expand(&words(said));
            assert_eq!(e.len(), 1, "{said}: {e:?}");
            assert!(e[0].alternatives.contains(&alt(term, true)), "{said}: {e:?}");
        }
    }

    #[test]
    fn plural_and_position_and_the_word_being_typed() {
        let s = Synonyms::parse("food bank, food pantry\nshelter, hostel").unwrap();
        let e = s.expand(&words("youth food banks sudbury"));
        assert_eq!((e[0].start, e[0].end), (1, 3));
        assert_eq!(e[0].alternatives, [alt("food pantry", false)]);
        // The last word completes the phrase while it is typed: expanded.
        assert_eq!(s.expand(&words("food bank")).len(), 1);
        // Half a word does not.
        assert!(s.expand(&words("food ban")).is_empty());
    }

    #[test]
    fn rule_words_run_together_are_split_into_their_phrase() {
        let s = Synonyms::defaults();
        assert_eq!(s.split("foodbank"), Some(("food".into(), "bank".into())));
        assert_eq!(s.split("foodstamps"), Some(("food".into(), "stamps".into())));
        assert_eq!(s.split("shelter"), None);
        assert!(s.knows("bank") && !s.knows("xyzzy"));
    }

    #[test]
    fn typos_of_rule_words_are_corrected_to_them() {
        let s = Synonyms::defaults();
        assert_eq!(s.correct("dentsit", 1).as_deref(), Some("dentist"));
        assert_eq!(s.correct("dentist", 1), None, "a rule word is not a typo");
        assert_eq!(s.correct("xyzzy", 1), None);
        assert_eq!(s.correct("thw", 1).as_deref().filter(|w| *w == "the"), None);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = Synonyms::parse("# comment\nfood bank, food pantry\nlonely").unwrap_err();
        assert_eq!(err.line, 3);
        let mut s = Synonyms::default();
        assert_eq!(
            s.add_everyday("ride => Medical Transportation\nno arrow here")
                .unwrap_err()
                .line,
            2
        );
        assert_eq!(s.add_everyday("the, a => Food").unwrap_err().line, 1);
        assert_eq!(s.add_everyday("ride =>").unwrap_err().line, 1);
    }
}
