//! The keystroke workload: 30 realistic queries typed prefix by prefix, in four variants,
//! timed against any engine that can answer "this text, this variant: how many results?".

use std::time::Instant;

use crate::stats::Samples;

/// A query a navigator types, with a category filter that fits it.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    pub text: &'static str,
    pub category: &'static str,
}

const fn q(text: &'static str, category: &'static str) -> Query {
    Query { text, category }
}

pub const QUERIES: &[Query] = &[
    q("food bank", "food"),
    q("emergency shelter for youth", "housing"),
    q("banque alimentaire", "food"),
    q("mental helth", "mental-health"),
    q("rent help", "housing"),
    q("legal clinic", "legal"),
    q("hopital", "health"),
    q("crisis line", "crisis"),
    q("child care", "family"),
    q("settlement services", "newcomers"),
    q("seniors day program", "community"),
    q("harm reduction", "substance-use"),
    q("employment services", "employment"),
    q("counselling", "mental-health"),
    q("tax clinic", "income"),
    q("dental care", "health"),
    q("furniture bank", "goods"),
    q("clothing", "goods"),
    q("ride to medical appointments", "transportation"),
    q("aide au loyer", "housing"),
    q("refuge d'urgence", "housing"),
    q("ligne de crise", "crisis"),
    q("youth drop in", "community"),
    q("community meals", "food"),
    q("utility bill help", "utilities"),
    q("disability support", "disability"),
    q("indigenous health", "health"),
    q("newcomer language classes", "newcomers"),
    q("addiction treatment", "substance-use"),
    q("family doctor", "health"),
];

/// The query with a typo whose result count shows what typo tolerance is worth.
pub const TYPO_QUERY: &str = "mental helth";

/// Queries whose full-text result counts are compared between engines in the report.
pub const COMPARED: &[&str] = &[
    "mental helth",
    "hopital",
    "food bank",
    "banque alimentaire",
    "aide au loyer",
    "refuge d'urgence",
    "ride to medical appointments",
];

/// The municipality and the place used by the filter and the radius variants.
pub const MUNICIPALITY: &str = "Toronto";
pub const NEAR_PLACE: &str = "Toronto";
pub const WITHIN_KM: f64 = 25.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Plain,
    Category,
    Municipality,
    Near,
}

impl Variant {
    pub const ALL: [Variant; 4] = [Variant::Plain, Variant::Category, Variant::Municipality, Variant::Near];

    pub fn label(self) -> &'static str {
        match self {
            Variant::Plain => "plain",
            Variant::Category => "category filter",
            Variant::Municipality => "municipality Toronto",
            Variant::Near => "near Toronto, 25 km",
        }
    }
}

/// Every prefix of `text` a navigator's screen would show while typing it, one per
/// character: "f", "fo", "foo", "food", "food ", "food b", ...
pub fn prefixes(text: &str) -> Vec<&str> {
    text.char_indices().map(|(i, c)| &text[..i + c.len_utf8()]).collect()
}

/// Keystrokes in the whole workload (every prefix of every query, one variant).
pub fn keystrokes_per_variant() -> usize {
    QUERIES.iter().map(|q| prefixes(q.text).len()).sum()
}

/// Timed results of the workload against one engine.
#[derive(Debug, Clone, Default)]
pub struct Keystrokes {
    pub variants: Vec<(Variant, Samples)>,
    pub overall: Samples,
    /// Total results for each full query (not a prefix), per variant in `Variant::ALL` order.
    pub totals: Vec<(&'static str, [usize; 4])>,
    /// The slowest keystrokes, slowest first.
    pub slowest: Vec<Slow>,
}

/// One slow keystroke: what was typed, in which variant, how long, how many results.
#[derive(Debug, Clone)]
pub struct Slow {
    pub ms: f64,
    pub text: String,
    pub variant: Variant,
    pub total: usize,
}

/// How many slow keystrokes are kept.
pub const SLOWEST: usize = 8;

/// Keeps the [`SLOWEST`] slowest distinct (text, variant) keystrokes.
fn note_slow(slowest: &mut Vec<Slow>, slow: Slow) {
    if let Some(same) = slowest
        .iter_mut()
        .find(|s| s.text == slow.text && s.variant == slow.variant)
    {
        if slow.ms > same.ms {
            *same = slow;
            slowest.sort_by(|a, b| b.ms.total_cmp(&a.ms));
        }
        return;
    }
    if slowest.len() == SLOWEST && slowest.last().is_some_and(|s| s.ms >= slow.ms) {
        return;
    }
    slowest.push(slow);
    slowest.sort_by(|a, b| b.ms.total_cmp(&a.ms));
    slowest.truncate(SLOWEST);
}

impl Keystrokes {
    pub fn total_of(&self, text: &str, variant: Variant) -> Option<usize> {
        let i = Variant::ALL.iter().position(|v| *v == variant)?;
        self.totals
            .iter()
            .find(|(t, _)| *t == text)
            .map(|(_, counts)| counts[i])
    }

    pub fn samples(&self, variant: Variant) -> Option<&Samples> {
        self.variants.iter().find(|(v, _)| *v == variant).map(|(_, s)| s)
    }
}

/// Runs the workload: a warm-up (every variant of the first query, untimed), then every
/// prefix of every query in every variant, each call timed on its own. `search` returns
/// the total number of results.
pub fn run(
    name: &str,
    search: &mut dyn FnMut(&str, &Query, Variant) -> anyhow::Result<usize>,
) -> anyhow::Result<Keystrokes> {
    for variant in Variant::ALL {
        for prefix in prefixes(QUERIES[0].text) {
            search(prefix, &QUERIES[0], variant)?;
        }
    }
    let mut out = Keystrokes::default();
    let mut totals: Vec<(&'static str, [usize; 4])> = QUERIES.iter().map(|q| (q.text, [0; 4])).collect();
    for (vi, variant) in Variant::ALL.into_iter().enumerate() {
        let started = Instant::now();
        let mut samples = Samples::default();
        for (qi, query) in QUERIES.iter().enumerate() {
            for prefix in prefixes(query.text) {
                let t = Instant::now();
                let total = search(prefix, query, variant)?;
                let elapsed = t.elapsed();
                samples.push(elapsed);
                note_slow(
                    &mut out.slowest,
                    Slow {
                        ms: elapsed.as_secs_f64() * 1000.0,
                        text: prefix.to_string(),
                        variant,
                        total,
                    },
                );
                if prefix.len() == query.text.len() {
                    totals[qi].1[vi] = total;
                }
            }
        }
        crate::progress(&format!(
            "  {name}, {}: {} keystrokes in {:.1} s, p50 {:.2} ms, p99 {:.2} ms",
            variant.label(),
            samples.len(),
            started.elapsed().as_secs_f64(),
            samples.p50(),
            samples.p99()
        ));
        out.overall.extend(&samples);
        out.variants.push((variant, samples));
    }
    out.totals = totals;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_follow_typing_including_spaces_and_accents() {
        assert_eq!(prefixes("foo b"), vec!["f", "fo", "foo", "foo ", "foo b"]);
        assert_eq!(prefixes("hé"), vec!["h", "hé"]);
    }

    #[test]
    fn only_the_slowest_are_kept_slowest_first() {
        let mut v = Vec::new();
        for i in 0..20 {
            let ms = ((i * 7) % 20) as f64;
            note_slow(
                &mut v,
                Slow {
                    ms,
                    text: i.to_string(),
                    variant: Variant::Plain,
                    total: 0,
                },
            );
        }
        let kept: Vec<f64> = v.iter().map(|s| s.ms).collect();
        assert_eq!(kept, vec![19.0, 18.0, 17.0, 16.0, 15.0, 14.0, 13.0, 12.0]);
        let mut v = Vec::new();
        for (ms, text) in [(1.0, "a"), (3.0, "a"), (2.0, "b")] {
            let variant = Variant::Plain;
            let text = text.to_string();
            note_slow(
                &mut v,
                Slow {
                    ms,
                    text,
                    variant,
                    total: 0,
                },
            );
        }
        let kept: Vec<(f64, &str)> = v.iter().map(|s| (s.ms, s.text.as_str())).collect();
        assert_eq!(kept, vec![(3.0, "a"), (2.0, "b")]);
    }

    #[test]
    fn thirty_queries_each_with_a_known_category() {
        assert_eq!(QUERIES.len(), 30);
        let slugs: Vec<&str> = navigator_index::categories::CATEGORIES.iter().map(|c| c.slug).collect();
        for q in QUERIES {
            assert!(slugs.contains(&q.category), "{}: {}", q.text, q.category);
        }
        for c in COMPARED {
            assert!(QUERIES.iter().any(|q| q.text == *c));
        }
    }
}
