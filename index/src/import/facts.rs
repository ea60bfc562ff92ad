//! What importers read from a record's own text once it is assembled: ages from
//! eligibility, "free" from fees, wheelchair access from accessibility notes, and
//! categories, audiences and the text's language.

use crate::categories;
use crate::model::{Service, TaxonomyTerm};
use crate::text;

/// Minimum and maximum age from eligibility text: "ages 12 to 24", "18+", "65 and over",
/// "under 18", "aged 12 and over", "de 12 à 24 ans", "65 ans et plus".
pub(crate) fn ages_from_text(text: &str) -> (Option<u8>, Option<u8>) {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let age_of = |w: &str| -> Option<u8> {
        let w = w.trim_end_matches(['+', '-']);
        w.parse::<u8>().ok().filter(|&n| n < 120)
    };
    let mentions_age = ["age", "year", "ans", "old", "yrs", "+"]
        .iter()
        .any(|w| lower.contains(w));
    if !mentions_age {
        return (None, None);
    }
    let (mut min, mut max) = (None, None);
    for (i, w) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        let prev = if i > 0 { words[i - 1] } else { "" };
        // "12-24" in one word.
        if let Some((a, b)) = w.split_once(['-', '–']) {
            if let (Some(a), Some(b)) = (age_of(a), age_of(b)) {
                if a <= b && min.is_none() && max.is_none() {
                    (min, max) = (Some(a), Some(b));
                }
                continue;
            }
        }
        let Some(n) = age_of(w) else { continue };
        if w.ends_with('+') {
            min = min.or(Some(n));
        } else if matches!(next(1), "-" | "–" | "to" | "à" | "a" | "through") {
            if let Some(m) = age_of(next(2)) {
                if n <= m {
                    min = min.or(Some(n));
                    max = max.or(Some(m));
                }
            }
        } else if matches!(prev, "under" | "below")
            || (prev == "than" && words.get(i.wrapping_sub(2)) == Some(&"younger"))
            || (prev == "de" && words.get(i.wrapping_sub(2)) == Some(&"moins"))
        {
            max = max.or(Some(n.saturating_sub(1)));
        } else if matches!(prev, "over" | "least") || (prev == "de" && words.get(i.wrapping_sub(2)) == Some(&"plus")) {
            min = min.or(Some(n));
        } else {
            let tail = [next(1), next(2), next(3), next(4), next(5)];
            let skip = usize::from(matches!(tail[0], "years" | "year" | "ans" | "yrs"))
                + usize::from(tail[1] == "of" && tail[2] == "age");
            let skip = if skip == 2 { 3 } else { skip };
            let (a, b) = (
                tail.get(skip).copied().unwrap_or(""),
                tail.get(skip + 1).copied().unwrap_or(""),
            );
            match (a, b) {
                ("and" | "or", "over" | "older" | "up" | "above") | ("et", "plus") => min = min.or(Some(n)),
                ("and" | "or", "under" | "younger" | "below") | ("et", "moins") => max = max.or(Some(n)),
                _ => {}
            }
        }
    }
    match (min, max) {
        (Some(a), Some(b)) if a > b => (None, None),
        other => other,
    }
}

/// True when fee text says the service costs nothing.
pub(crate) fn says_free(fees: &str) -> bool {
    let t = text::fold(fees);
    if t.contains("not free") || t.contains("non gratuit") {
        return false;
    }
    [
        "free",
        "gratuit",
        "gratuits",
        "gratuite",
        "gratuites",
        "no cost",
        "no charge",
        "no fee",
        "no fees",
        "sans frais",
        "without charge",
    ]
    .iter()
    .any(|w| has_word(&t, w) && !(*w == "free" && (t.contains("toll-free") || t.contains("toll free"))))
}

/// `Some(true)` when accessibility notes say wheelchair access, ramps or an accessible
/// building; `Some(false)` when they say it is not accessible; `None` otherwise.
pub(crate) fn wheelchair(notes: &[String]) -> Option<bool> {
    let mut verdict = None;
    for note in notes {
        let t = text::fold(note);
        let negative = [
            "not wheelchair",
            "not accessible",
            "no wheelchair",
            "inaccessible",
            "no ramp",
            "non accessible",
            "pas accessible",
        ]
        .iter()
        .any(|w| t.contains(w));
        if negative {
            return Some(false);
        }
        if ["wheelchair", "ramp", "accessible", "fauteuil roulant", "rampe"]
            .iter()
            .any(|w| has_word(&t, w))
        {
            verdict = Some(true);
        }
    }
    verdict
}

/// `word` at word boundaries in already folded `text`.
fn has_word(text: &str, word: &str) -> bool {
    let b = text.as_bytes();
    text.match_indices(word).any(|(i, _)| {
        let end = i + word.len();
        (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && (end == b.len() || !b[end].is_ascii_alphanumeric())
    })
}

/// Derivations every importer applies last: [`finish_record`] and [`derive_text`].
pub(crate) fn finish(s: &mut Service) {
    finish_record(s);
    let derived = derive_text(&s.name, s.description.as_deref(), &s.taxonomy);
    derived.apply(s);
}

/// Duplicate phones and hours removed, hours in weekday order, and what can be read from
/// the record's own text: "free", wheelchair access, ages from eligibility.
pub(crate) fn finish_record(s: &mut Service) {
    if s.phones.len() > 1 {
        let mut i = 1;
        while i < s.phones.len() {
            let (before, rest) = s.phones.split_at(i);
            let p = &rest[0];
            if before
                .iter()
                .any(|q| q.number == p.number && q.extension == p.extension)
            {
                s.phones.remove(i);
            } else {
                i += 1;
            }
        }
    }
    s.schedules.sort_by_key(|h| (h.weekday, h.opens, h.closes));
    s.schedules.dedup();
    if s.free.is_none() && s.fees.as_deref().is_some_and(says_free) {
        s.free = Some(true);
    }
    if s.wheelchair_accessible.is_none() {
        s.wheelchair_accessible = wheelchair(&s.accessibility);
    }
    if s.min_age.is_none() && s.max_age.is_none() {
        if let Some(e) = s.eligibility.as_deref() {
            (s.min_age, s.max_age) = ages_from_text(e);
        }
    }
}

/// Categories, audiences and text language: they depend only on the name, description
/// and taxonomy, so the CSV importer computes them while it reads the other tables.
pub(crate) struct TextDerived {
    derived: categories::Derived,
    language: &'static str,
}

impl TextDerived {
    pub fn apply(self, s: &mut Service) {
        s.categories = self.derived.categories;
        s.audiences = self.derived.audiences;
        s.categories_inferred = self.derived.inferred;
        s.text_language = Some(self.language.to_string());
    }
}

pub(crate) fn derive_text(name: &str, description: Option<&str>, taxonomy: &[TaxonomyTerm]) -> TextDerived {
    let description = description.unwrap_or("");
    let mut texts: Vec<&str> = Vec::with_capacity(2 + taxonomy.len());
    texts.push(name);
    texts.push(description);
    texts.extend(taxonomy.iter().map(|t| t.name.as_str()));
    let derived = categories::derive(taxonomy, &texts);
    let mut sample = String::with_capacity(name.len() + description.len() + 1);
    sample.push_str(name);
    sample.push(' ');
    sample.push_str(description);
    TextDerived {
        derived,
        language: text::guess_language(&sample),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_from_text_in_english_and_french() {
        assert_eq!(
            ages_from_text("This service is for all people aged 12 and over"),
            (Some(12), None)
        );
        assert_eq!(ages_from_text("Youth ages 16-24"), (Some(16), Some(24)));
        assert_eq!(ages_from_text("Youth aged 16 to 24 years"), (Some(16), Some(24)));
        assert_eq!(ages_from_text("Seniors 65+"), (Some(65), None));
        assert_eq!(ages_from_text("Children under 12 years old"), (None, Some(11)));
        assert_eq!(ages_from_text("Adults 18 years of age and older"), (Some(18), None));
        assert_eq!(ages_from_text("Aînés de 65 ans et plus"), (Some(65), None));
        assert_eq!(ages_from_text("Jeunes de 12 à 17 ans"), (Some(12), Some(17)));
        assert_eq!(ages_from_text("Residents of Ward 12"), (None, None));
    }

    #[test]
    fn free_and_wheelchair_words() {
        assert!(says_free("Free to everyone"));
        assert!(says_free("Services gratuits"));
        assert!(says_free("There is no fee."));
        assert!(!says_free("Call our toll-free line for prices"));
        assert!(!says_free("$5 per visit; not free"));
        assert!(!says_free("Freedom pass required"));
        assert_eq!(wheelchair(&["Wheelchair access on all levels".into()]), Some(true));
        assert_eq!(wheelchair(&["Ramp at side door".into()]), Some(true));
        assert_eq!(
            wheelchair(&["Building is not wheelchair accessible".into()]),
            Some(false)
        );
        assert_eq!(wheelchair(&["disabled_parking".into()]), None);
    }
}
