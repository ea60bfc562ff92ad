//! Words a caller says that never have to match: "shelter for tonight", "ride to the
//! doctor", "aide pour le loyer", "ayuda con la renta". They carry no need, so requiring
//! them would only turn away services that do not happen to contain them.
//!
//! English, French and Spanish, folded (lowercase, no accents) as the query words are.

/// Sorted, so lookups are a binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "al", "an", "and", "any", "are", "as", "at", "au", "aux", "avec", "be", "by", "ce", "ces", "con",
    "d", "dans", "de", "del", "des", "do", "du", "e", "el", "en", "es", "est", "et", "find", "for", "from", "get",
    "got", "have", "i", "il", "im", "in", "is", "it", "j", "je", "l", "la", "las", "le", "les", "lo", "los", "m", "me",
    "mi", "mis", "my", "near", "need", "needs", "now", "o", "of", "on", "or", "ou", "our", "par", "para", "please",
    "por", "pour", "pres", "que", "qui", "s", "se", "some", "su", "sur", "t", "that", "the", "their", "this", "to",
    "today", "tonight", "u", "un", "una", "une", "uno", "unos", "we", "where", "with", "y", "yo", "you",
];

/// Words that name no need on their own ("help", "services", "program", "free"): they count when
/// a phrase of the synonym or everyday lists contains them ("help line", "help paying
/// rent"), and add to the score, but are never required: "immigration help" must not rank
/// a page that happens to say "help" above an immigration service that does not.
const WEAK_WORDS: &[&str] = &[
    "agency",
    "aide",
    "assistance",
    "ayuda",
    "free",
    "gratis",
    "gratuit",
    "gratuita",
    "gratuitas",
    "gratuite",
    "gratuites",
    "gratuito",
    "gratuitos",
    "gratuits",
    "help",
    "helping",
    "helps",
    "info",
    "information",
    "organization",
    "program",
    "programa",
    "programas",
    "programme",
    "programmes",
    "programs",
    "resource",
    "resources",
    "service",
    "services",
    "servicio",
    "servicios",
    "support",
];

/// True when `word` (folded) counts only as extra evidence (see `WEAK_WORDS`).
pub fn is_weak_word(word: &str) -> bool {
    WEAK_WORDS.binary_search(&word).is_ok()
}

/// True when `word` (folded) never has to match.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique_so_binary_search_works() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "sort STOP_WORDS");
        assert!(WEAK_WORDS.windows(2).all(|w| w[0] < w[1]), "sort WEAK_WORDS");
        assert!(WEAK_WORDS.iter().all(|w| !is_stop_word(w)));
    }

    #[test]
    fn english_french_and_spanish_fillers() {
        for w in [
            "for", "to", "the", "de", "pour", "la", "para", "con", "el", "y", "tonight",
        ] {
            assert!(is_stop_word(w), "{w}");
        }
        for w in ["food", "shelter", "rent", "ride", "doctor", "comida", "loyer", "help"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }
}
