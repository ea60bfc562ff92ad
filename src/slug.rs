//! Slugs are kebab-case wherever a person or a script sees them ("no-answer",
//! "very-satisfied", "walk-in"). The follow-up tables store some with underscores (their
//! CHECK constraints predate this rule): they are written and read as stored and shown in
//! kebab-case, and input in either spelling is accepted.

use serde::Serializer;

/// "no_answer" as "no-answer".
pub fn kebab(slug: &str) -> String {
    slug.replace('_', "-")
}

/// A slug as typed ("No-Answer", "no_answer") in the stored spelling ("no_answer").
pub fn stored(slug: &str) -> String {
    slug.trim().to_ascii_lowercase().replace('-', "_")
}

/// `serialize_with` for a stored slug.
pub fn ser<S: Serializer>(slug: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&kebab(slug))
}

/// `serialize_with` for an optional stored slug.
pub fn ser_opt<S: Serializer>(slug: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match slug {
        Some(v) => s.serialize_str(&kebab(v)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_meet() {
        assert_eq!(kebab("very_satisfied"), "very-satisfied");
        assert_eq!(stored(" Very-Satisfied "), "very_satisfied");
        assert_eq!(stored("no_answer"), "no_answer");
    }
}
