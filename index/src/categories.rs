//! navigator's own categories (what a service does) and audiences (who it is for), and how
//! they are derived: from AIRS/211 taxonomy codes by prefix, else guessed from words.

use crate::model::TaxonomyTerm;
use crate::text::fold;

/// A category or audience: slug (stable, used in filters, needs and JSON) and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slug {
    pub slug: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
}

const fn s(slug: &'static str, en: &'static str, fr: &'static str) -> Slug {
    Slug { slug, en, fr }
}

pub const CATEGORIES: &[Slug] = &[
    s("food", "Food", "Alimentation"),
    s("housing", "Housing and shelter", "Logement et hébergement"),
    s("utilities", "Utilities", "Services publics"),
    s(
        "goods",
        "Clothing and household goods",
        "Vêtements et articles ménagers",
    ),
    s("transportation", "Transportation", "Transport"),
    s("health", "Health", "Santé"),
    s("mental-health", "Mental health", "Santé mentale"),
    s("substance-use", "Substance use", "Toxicomanie"),
    s("crisis", "Crisis", "Crise"),
    s("legal", "Legal", "Juridique"),
    s("income", "Income and benefits", "Revenu et prestations"),
    s("employment", "Employment", "Emploi"),
    s("education", "Education", "Éducation"),
    s("family", "Family and child care", "Famille et garde d'enfants"),
    s("disability", "Disability", "Handicap"),
    s("newcomers", "Newcomers", "Nouveaux arrivants"),
    s("community", "Community", "Communauté"),
];

pub const AUDIENCES: &[Slug] = &[
    s("seniors", "Seniors", "Aînés"),
    s("youth", "Youth", "Jeunes"),
    s("children", "Children", "Enfants"),
    s("families", "Families", "Familles"),
    s("women", "Women", "Femmes"),
    s("men", "Men", "Hommes"),
    s("newcomers", "Newcomers", "Nouveaux arrivants"),
    s("indigenous", "Indigenous peoples", "Peuples autochtones"),
    s("veterans", "Veterans", "Anciens combattants"),
    s("lgbtq", "2SLGBTQ+", "2SLGBTQ+"),
    s(
        "people-with-disabilities",
        "People with disabilities",
        "Personnes handicapées",
    ),
    s("low-income", "Low income", "Faible revenu"),
    s(
        "homeless",
        "People experiencing homelessness",
        "Personnes en situation d'itinérance",
    ),
];

pub fn category(slug: &str) -> Option<&'static Slug> {
    CATEGORIES.iter().find(|c| c.slug == slug)
}

pub fn audience(slug: &str) -> Option<&'static Slug> {
    AUDIENCES.iter().find(|c| c.slug == slug)
}

/// Service-type code prefixes, most specific first: the first match wins.
const CODE_CATEGORIES: &[(&str, &str)] = &[
    ("RP-1500", "crisis"),
    ("RX", "substance-use"),
    ("ND", "employment"),
    ("BD", "food"),
    ("BH", "housing"),
    ("BV", "utilities"),
    ("BM", "goods"),
    ("BT", "transportation"),
    ("PH", "family"),
    ("L", "health"),
    ("R", "mental-health"),
    ("F", "legal"),
    ("N", "income"),
    ("H", "education"),
    ("T", "community"),
];

/// Target-population code prefixes (codes starting with Y).
const CODE_AUDIENCES: &[(&str, &[&str])] = &[
    ("YB-8000", &["seniors"]),
    ("YB-9500", &["youth", "children"]),
    ("YE", &["newcomers"]),
    ("YN", &["veterans"]),
    ("YV", &["homeless"]),
    ("YL", &["low-income"]),
    ("YF", &["people-with-disabilities"]),
    ("YJ-8750", &["people-with-disabilities"]),
    ("YT", &["lgbtq"]),
];

/// Categories and audiences for a code, e.g. "BD-1800.2000" -> food. Codes are compared
/// case-insensitively; a code may carry several joined with " * " (AIRS combined codes).
fn from_code(code: &str, categories: &mut Vec<&'static str>, audiences: &mut Vec<&'static str>) {
    for part in code.split('*') {
        let code = part.trim().to_ascii_uppercase();
        if code.is_empty() || !code.starts_with(|c: char| c.is_ascii_uppercase()) || !looks_like_airs(&code) {
            continue;
        }
        if code.starts_with('Y') {
            for (prefix, slugs) in CODE_AUDIENCES {
                if code.starts_with(prefix) {
                    push_all(audiences, slugs);
                }
            }
        } else if let Some((_, slug)) = CODE_CATEGORIES.iter().find(|(prefix, _)| code.starts_with(prefix)) {
            push_all(categories, &[slug]);
        }
    }
}

/// Whether `code` is written as an AIRS/211 taxonomy code ("BD-1800.2000", "YF",
/// "TM-5100 * YN-0500"), not a local code of the source's own.
pub fn is_airs_code(code: &str) -> bool {
    code.split('*').all(|part| {
        let part = part.trim().to_ascii_uppercase();
        !part.is_empty() && looks_like_airs(&part)
    })
}

/// AIRS codes are one or two capital letters, then optionally -NNNN(.NNNN...)(-NNN).
pub fn looks_like_airs(code: &str) -> bool {
    let letters = code.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let rest = &code[letters..];
    (1..=2).contains(&letters)
        && (rest.is_empty()
            || (rest.starts_with('-') && rest[1..].chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')))
}

fn push_all(into: &mut Vec<&'static str>, slugs: &[&'static str]) {
    for slug in slugs {
        if !into.contains(slug) {
            into.push(slug);
        }
    }
}

/// Word stems that suggest a category (English and French, accents folded). Matched at
/// the start of words of the service's name, description and taxonomy names.
const CATEGORY_WORDS: &[(&str, &[&str])] = &[
    (
        "food",
        &[
            "food",
            "meal",
            "pantry",
            "grocer",
            "nutrition",
            "aliment",
            "repas",
            "nourriture",
            "banque alimentaire",
        ],
    ),
    (
        "housing",
        &[
            "housing",
            "shelter",
            "rent",
            "homeless",
            "eviction",
            "tenant",
            "logement",
            "hebergement",
            "refuge",
            "loyer",
        ],
    ),
    (
        "utilities",
        &[
            "utility",
            "utilities",
            "hydro",
            "electric",
            "heating",
            "water bill",
            "energie",
            "chauffage",
        ],
    ),
    (
        "goods",
        &[
            "clothing",
            "clothes",
            "furniture",
            "household goods",
            "vetement",
            "meuble",
        ],
    ),
    ("transportation", &["transport", "bus", "ride", "taxi", "transit"]),
    (
        "health",
        &[
            "health", "clinic", "medical", "hospital", "dental", "nurse", "doctor", "sante", "hopital", "clinique",
            "dentaire",
        ],
    ),
    (
        "mental-health",
        &[
            "mental",
            "counsel",
            "psych",
            "therapy",
            "depress",
            "anxiety",
            "sante mentale",
            "counselling",
        ],
    ),
    (
        "substance-use",
        &[
            "addiction",
            "substance",
            "alcohol",
            "drug",
            "opioid",
            "harm reduction",
            "toxicomanie",
            "dependance",
        ],
    ),
    (
        "crisis",
        &[
            "crisis",
            "suicide",
            "distress",
            "emergency",
            "crise",
            "urgence",
            "detresse",
        ],
    ),
    (
        "legal",
        &[
            "legal",
            "law",
            "lawyer",
            "court",
            "immigration law",
            "juridique",
            "avocat",
            "tribunal",
        ],
    ),
    (
        "income",
        &[
            "income",
            "benefit",
            "financial",
            "tax",
            "money",
            "revenu",
            "prestation",
            "impot",
            "financ",
        ],
    ),
    (
        "employment",
        &[
            "employ",
            "job",
            "career",
            "workforce",
            "resume",
            "emploi",
            "travail",
            "carriere",
        ],
    ),
    (
        "education",
        &[
            "education",
            "literacy",
            "school",
            "tutor",
            "learning",
            "class",
            "ecole",
            "alphabetisation",
            "formation",
        ],
    ),
    (
        "family",
        &[
            "child care",
            "childcare",
            "parent",
            "family",
            "daycare",
            "famille",
            "garde d'enfants",
            "parental",
        ],
    ),
    (
        "disability",
        &["disabilit", "deaf", "blind", "wheelchair", "accessib", "handicap"],
    ),
    (
        "newcomers",
        &[
            "newcomer",
            "immigrant",
            "refugee",
            "settlement",
            "nouveaux arrivants",
            "immigra",
            "refugie",
            "etablissement",
        ],
    ),
    (
        "community",
        &[
            "community",
            "recreation",
            "volunteer",
            "information",
            "drop-in",
            "communaut",
            "loisir",
            "benevol",
        ],
    ),
];

const AUDIENCE_WORDS: &[(&str, &[&str])] = &[
    (
        "seniors",
        &["senior", "older adult", "elder", "aine", "personnes agees"],
    ),
    ("youth", &["youth", "teen", "young people", "jeune", "adolescent"]),
    ("children", &["child", "children", "kids", "enfant"]),
    ("families", &["families", "family", "familles", "famille"]),
    ("women", &["women", "woman", "mothers", "femme"]),
    ("men", &["men's", "for men", "hommes"]),
    (
        "newcomers",
        &["newcomer", "immigrant", "refugee", "nouveaux arrivants", "refugie"],
    ),
    (
        "indigenous",
        &[
            "indigenous",
            "first nation",
            "metis",
            "inuit",
            "aboriginal",
            "autochtone",
        ],
    ),
    (
        "veterans",
        &["veteran", "armed forces", "military", "anciens combattants"],
    ),
    ("lgbtq", &["lgbt", "2slgbtq", "queer", "trans ", "transgender"]),
    ("people-with-disabilities", &["disabilit", "deaf", "blind", "handicap"]),
    ("low-income", &["low income", "low-income", "faible revenu"]),
    ("homeless", &["homeless", "itinerance", "sans-abri", "unhoused"]),
];

/// The categories whose everyday words start with `typed` (folded, at least three letters):
/// "rent" and "evict" lead to housing, "pantry" to food. For pickers, where a caller's own
/// word is typed rather than the category's name.
pub fn categories_for_word(typed: &str) -> Vec<&'static str> {
    let typed = fold(typed.trim());
    if typed.chars().count() < 3 {
        return Vec::new();
    }
    CATEGORY_WORDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| w.trim().starts_with(typed.as_str())))
        .map(|(slug, _)| *slug)
        .collect()
}

/// Derived categories and audiences for one service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derived {
    pub categories: Vec<String>,
    pub audiences: Vec<String>,
    /// True when the categories came from words rather than codes.
    pub inferred: bool,
}

/// Derives categories and audiences: from taxonomy codes when any code maps; otherwise
/// from words in `texts` (name, description, taxonomy names), marked as inferred.
/// Audiences combine both, because codes rarely say who a service is for.
pub fn derive(terms: &[TaxonomyTerm], texts: &[&str]) -> Derived {
    let mut categories = Vec::new();
    let mut audiences = Vec::new();
    for term in terms {
        from_code(&term.code, &mut categories, &mut audiences);
    }
    let folded = format!(" {} ", fold(&texts.join(" ")));
    let (found_categories, found_audiences) = words_found(&folded);
    let inferred = categories.is_empty();
    if inferred {
        for (i, (slug, _)) in CATEGORY_WORDS.iter().enumerate() {
            if found_categories[i] {
                push_all(&mut categories, &[slug]);
            }
        }
    }
    for (i, (slug, _)) in AUDIENCE_WORDS.iter().enumerate() {
        if found_audiences[i] {
            push_all(&mut audiences, &[slug]);
        }
    }
    Derived {
        categories: categories.into_iter().map(String::from).collect(),
        audiences: audiences.into_iter().map(String::from).collect(),
        inferred,
    }
}

/// Every keyword of both lists in one automaton, each pattern mapped back to its entry:
/// the text is scanned once per service instead of once per keyword (this was half the
/// CPU of a large import).
struct WordMatcher {
    automaton: aho_corasick::AhoCorasick,
    /// Pattern id -> (is an audience, index in its list).
    owners: Vec<(bool, usize)>,
}

fn matcher() -> &'static WordMatcher {
    static MATCHER: std::sync::OnceLock<WordMatcher> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (audience, list) in [(false, CATEGORY_WORDS), (true, AUDIENCE_WORDS)] {
            for (i, (_, words)) in list.iter().enumerate() {
                for w in *words {
                    patterns.push(*w);
                    owners.push((audience, i));
                }
            }
        }
        let automaton = aho_corasick::AhoCorasick::new(patterns).expect("keyword lists build an automaton");
        WordMatcher { automaton, owners }
    })
}

/// Which category and audience entries have a keyword at the start of a word of `text`.
fn words_found(text: &str) -> (Vec<bool>, Vec<bool>) {
    let m = matcher();
    let mut categories = vec![false; CATEGORY_WORDS.len()];
    let mut audiences = vec![false; AUDIENCE_WORDS.len()];
    let bytes = text.as_bytes();
    for found in m.automaton.find_overlapping_iter(text) {
        let start = found.start();
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let (audience, i) = m.owners[found.pattern().as_usize()];
        if audience {
            audiences[i] = true;
        } else {
            categories[i] = true;
        }
    }
    (categories, audiences)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(code: &str) -> TaxonomyTerm {
        TaxonomyTerm {
            code: code.into(),
            ..Default::default()
        }
    }

    #[test]
    fn codes_map_by_most_specific_prefix() {
        let d = derive(
            &[
                term("BD-1800.2000"),
                term("RP-1500.1400"),
                term("RX-8450"),
                term("YB-8000"),
            ],
            &[],
        );
        assert_eq!(d.categories, ["food", "crisis", "substance-use"]);
        assert_eq!(d.audiences, ["seniors"]);
        assert!(!d.inferred);
        assert_eq!(derive(&[term("ND-6500")], &[]).categories, ["employment"]);
        assert_eq!(derive(&[term("NL-6000")], &[]).categories, ["income"]);
    }

    #[test]
    fn joined_codes_and_unknown_codes() {
        let d = derive(&[term("BH-1800.8500 * YV-3000")], &[]);
        assert_eq!(d.categories, ["housing"]);
        assert_eq!(d.audiences, ["homeless"]);
        // An unknown vocabulary's codes give nothing and fall back to words.
        let d = derive(&[term("101-02")], &["Emergency food pantry"]);
        assert!(d.categories.contains(&"food".to_string()));
        assert!(d.inferred);
    }

    #[test]
    fn words_infer_categories_in_english_and_french() {
        let d = derive(&[], &["Banque alimentaire de Sudbury", "Aide pour les aînés"]);
        assert_eq!(d.categories, ["food"]);
        assert_eq!(d.audiences, ["seniors"]);
        assert!(d.inferred);
        // "rent" must not match inside "parent" or "different".
        let d = derive(&[], &["Different parenting workshop"]);
        assert!(!d.categories.contains(&"housing".to_string()));
    }
}
