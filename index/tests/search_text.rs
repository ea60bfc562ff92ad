//! Text matching: stemming, accent folding, typos, prefixes, synonyms, hostile input.

mod common;

use common::*;
use navigator_index::{SearchRequest, Synonyms};

fn catalogue() -> navigator_index::Engine {
    engine(vec![
        svc("shelter", "Emergency Shelter", "Beds for people who are homeless"),
        svc("hopital", "Hôpital Montfort", "Soins de santé en français").fr(),
        svc("foodbank", "Northside Food Bank", "Groceries for families every week"),
        svc("pantry", "St. Anne Food Pantry", "Free groceries and hampers"),
        svc(
            "rent",
            "Rent Assistance Program",
            "Help paying rent arrears to prevent eviction",
        ),
        svc(
            "mental",
            "Mental Health Counselling",
            "Short-term counselling for adults",
        ),
        svc("health", "Health Clinic", "Walk-in primary care"),
        svc(
            "banque",
            "Banque alimentaire de Sudbury",
            "Épicerie gratuite pour les familles",
        )
        .fr(),
        svc("tax", "Free Tax Clinic", "Volunteers file income tax returns"),
    ])
}

#[test]
fn stemming_finds_plural_and_singular() {
    let e = catalogue();
    assert_eq!(find(&e, "shelters "), ["shelter"]);
    assert!(find(&e, "counselling ").contains(&"mental".to_string()));
}

#[test]
fn accents_fold_in_both_directions() {
    let e = catalogue();
    assert_eq!(find(&e, "hopital "), ["hopital"]);
    assert_eq!(find(&e, "HÔPITAL "), ["hopital"]);
    assert_eq!(find(&e, "epicerie "), ["banque"]);
}

#[test]
fn typos_are_forgiven_by_word_length_and_rank_below_exact() {
    let e = catalogue();
    // 5-8 letters: one edit.
    assert!(find(&e, "helth ").contains(&"health".to_string()));
    assert!(find(&e, "mental helth").contains(&"mental".to_string()));
    // 9+ letters: two edits.
    assert!(find(&e, "assistnce ").contains(&"rent".to_string()));
    assert!(find(&e, "counsellinng ").contains(&"mental".to_string()));
    // 3-4 letters: one edit, only when the word is not in the directory at all.
    assert_eq!(find(&e, "rnet "), ["rent"]);
    assert!(find(&e, "fod pantry").contains(&"pantry".to_string()));
    let tents = engine(vec![
        svc("tent", "Tent City", "camp"),
        svc("rent", "Rent Bank", "loans"),
    ]);
    assert_eq!(find(&tents, "rent "), ["rent"], "a real word is not a typo of another");
    // Up to 2 letters: none.
    assert!(find_complete(&e, "xq ").is_empty());
}

#[test]
fn exact_beats_typo() {
    // A misspelling in one record among many correct ones is still found, after them.
    let mut services: Vec<Svc> = (0..20)
        .map(|i| svc(&format!("exact{i}"), &format!("Shelter House {i}"), "beds"))
        .collect();
    services.push(svc("typo", "Sheltr Space", "quiet room"));
    let e = engine(services);
    let r = search(
        &e,
        &SearchRequest {
            limit: 30,
            ..SearchRequest::new("shelter ")
        },
    );
    assert_eq!(r.hits.len(), 21);
    assert_eq!(ids(&r).last().map(String::as_str), Some("typo"));
}

#[test]
fn last_word_matches_as_prefix_while_typing() {
    let e = catalogue();
    let hits = find_complete(&e, "food ba");
    assert!(hits.contains(&"foodbank".to_string()), "{hits:?}");
    assert!(
        !hits.contains(&"pantry".to_string()),
        "\"ba\" is not a prefix of pantry's words: {hits:?}"
    );
    assert!(find(&e, "s").len() >= 2, "a single letter already narrows");
    // Once the word is finished (trailing space) it must match as a word, not a prefix:
    // nothing answers both words, so only partial matches are left.
    assert!(find_complete(&e, "food ba ").is_empty());
}

#[test]
fn synonyms_widen_the_query() {
    let e = catalogue();
    let hits = find(&e, "food bank ");
    assert!(
        hits.contains(&"foodbank".to_string()) && hits.contains(&"pantry".to_string()),
        "{hits:?}"
    );
    assert!(
        hits.contains(&"banque".to_string()),
        "food bank finds banque alimentaire: {hits:?}"
    );
    assert_eq!(hits[0], "foodbank", "the literal phrase ranks first");
    assert!(find(&e, "rent help ").contains(&"rent".to_string()));
    let fr = find(&e, "banque alimentaire ");
    assert!(
        fr.contains(&"foodbank".to_string()) && fr.contains(&"banque".to_string()),
        "{fr:?}"
    );
}

#[test]
fn a_custom_synonyms_file_replaces_the_defaults() {
    let e = catalogue();
    let custom = Synonyms::parse("doctor, clinic").unwrap();
    let hits = e.search(&SearchRequest::new("doctor "), &custom).unwrap();
    assert_eq!(hits.hits.len(), 2, "both clinics");
    let none = e.search(&SearchRequest::new("doctor "), &Synonyms::default()).unwrap();
    assert!(none.hits.is_empty());
}

#[test]
fn typed_text_is_never_a_query_language() {
    let e = catalogue();
    for hostile in [
        "\"food",
        "food\"",
        "name:shelter",
        "(shelter",
        "shelter)",
        "[shelter]",
        "shelter*",
        "-shelter",
        "+shelter",
        "shelter AND OR NOT",
        "\\",
        "{}",
        "~2",
        "^3",
        "*",
        ":",
        "\"\"",
        "'",
        "\u{1b}[2J",
        "a:b:c",
        "ṩ̃",
        "🙂",
    ] {
        let r = e.search(&SearchRequest::new(hostile), &Synonyms::defaults());
        assert!(r.is_ok(), "{hostile:?} gave {:?}", r.err());
    }
    assert_eq!(
        find_complete(&e, "name:shelter"),
        Vec::<String>::new(),
        "'name' is a word, not a field"
    );
    assert_eq!(find(&e, "\"shelter\""), ["shelter"]);
    assert_eq!(find(&e, "-shelter*"), ["shelter"]);
}

#[test]
fn empty_query_lists_everything_and_stop_words_are_optional() {
    let e = catalogue();
    assert_eq!(
        search(
            &e,
            &SearchRequest {
                limit: 100,
                ..SearchRequest::new("")
            }
        )
        .total,
        9
    );
    assert_eq!(find(&e, "shelter for the "), ["shelter"]);
}

#[test]
fn total_counts_every_match_not_just_the_page() {
    let e = catalogue();
    let r = search(
        &e,
        &SearchRequest {
            limit: 1,
            ..SearchRequest::new("free ")
        },
    );
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.total, 2, "pantry and tax clinic say free");
    let page2 = search(
        &e,
        &SearchRequest {
            limit: 1,
            offset: 1,
            ..SearchRequest::new("free ")
        },
    );
    assert_ne!(ids(&r), ids(&page2));
}
