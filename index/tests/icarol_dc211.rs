//! The iCarol importer on DC 211's real export (`../shared/data/icarol-csv-dc211`), and
//! searches of the imported directory by everyday words: the hits must be services the
//! directory's own taxonomy files under the matching family. Skips, saying so, when the
//! shared data is not there (`NAVIGATOR_SHARED_DATA` points elsewhere).

mod common;

use std::path::PathBuf;

use navigator_index::import::{import_path_with, Format, Import, Options, ProblemKind};
use navigator_index::{Engine, SearchRequest, Synonyms};

fn dc211() -> Option<PathBuf> {
    let base = std::env::var_os("NAVIGATOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    let path = base.join("icarol-csv-dc211/211.csv");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} is not there", path.display());
        None
    }
}

fn read(path: &std::path::Path, include_inactive: bool) -> Import {
    import_path_with(
        path,
        Format::Auto,
        Options {
            include_inactive,
            ..Options::default()
        },
    )
    .unwrap()
}

#[test]
fn the_dc_211_export_imports_every_describable_resource() {
    let Some(path) = dc211() else { return };
    let import = read(&path, false);
    let r = &import.report;
    assert_eq!(r.format, "icarol-csv");
    assert_eq!(r.services_read, 2132);
    // Agency and Program rows only: programs at their own addresses, agencies with no
    // programs as services of their own, and the report says so.
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("no ProgramAtSite rows and an address of their own")),
        "{:?}",
        r.notes
    );
    assert!(
        r.notes.iter().any(|n| n.contains("agencies have no programs or sites")),
        "{:?}",
        r.notes
    );
    let excluded: usize = r.excluded.values().sum();
    assert!(
        r.excluded["inactive"] > 300 && r.excluded["do not refer"] > 5,
        "{:?}",
        r.excluded
    );
    let everything = read(&path, true);
    assert_eq!(everything.services.len(), import.services.len() + excluded);
    // 1,637 programs, 1 site and the 20 agencies with nothing under them; one program row
    // has no name at all.
    assert_eq!(everything.services.len(), 1637 + 1 + 20 - 1);
    let skipped: Vec<_> = r.problems.iter().filter(|p| p.kind == ProblemKind::Skipped).collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].field.as_deref(), Some("PublicName"));
    assert!(r.organizations > 400, "{}", r.organizations);

    let s = &import.services;
    let coded = s
        .iter()
        .filter(|s| s.taxonomy.iter().any(|t| !t.code.is_empty()))
        .count();
    let derived = s
        .iter()
        .filter(|s| !s.categories.is_empty() && !s.categories_inferred)
        .count();
    let hours = s.iter().filter(|s| !s.schedules.is_empty()).count();
    let placed = s.iter().filter(|s| s.coordinates().is_some()).count();
    let verified = s.iter().filter(|s| s.last_verified.is_some()).count();
    assert!(coded > 1100 && derived > 1100, "coded {coded}, derived {derived}");
    assert!(
        hours * 100 / s.len() >= 80,
        "weekly hours read for {hours} of {}",
        s.len()
    );
    assert!(placed * 100 / s.len() >= 95, "{placed}");
    assert_eq!(verified, s.len(), "LastVerifiedOn is M/D/YY on every row");
    assert!(s.iter().all(|s| s.organization.id.is_some() && !s.name.is_empty()));
    assert!(s.iter().all(|s| s
        .phones
        .iter()
        .all(|p| navigator_index::text::clean_line(&p.number).is_some())));
}

/// An index of the import's services, in memory.
fn indexed(import: &Import) -> Engine {
    let engine = Engine::in_memory().unwrap();
    let mut w = engine.writer().unwrap();
    for s in &import.services {
        w.add(s).unwrap();
    }
    w.commit(1).unwrap();
    engine.reload().unwrap();
    engine
}

/// Everyday words and the taxonomy families (code prefixes) services about them are filed
/// under in DC 211's directory.
const WORDS: &[(&str, &[&str])] = &[
    ("food", &["BD", "NL-6000"]),
    ("shelter", &["BH"]),
    ("legal", &["F"]),
    ("dental", &["LV"]),
    ("clothing", &["BM"]),
    ("job", &["ND"]),
    ("counseling", &["R"]),
    ("child care", &["PH"]),
];

#[test]
fn everyday_words_find_what_the_taxonomy_says() {
    let Some(path) = dc211() else { return };
    let import = read(&path, false);
    let engine = indexed(&import);
    let synonyms = Synonyms::defaults();
    let mut report = Vec::new();
    for (word, families) in WORDS {
        let in_family = |s: &navigator_index::Service| {
            s.taxonomy
                .iter()
                .any(|t| families.iter().any(|f| t.code.starts_with(f)))
        };
        // What the taxonomy says is about the word: a term in the family whose name says it.
        let tagged: Vec<&str> = import
            .services
            .iter()
            .filter(|s| {
                s.taxonomy
                    .iter()
                    .any(|t| families.iter().any(|f| t.code.starts_with(f)) && t.name.to_lowercase().contains(word))
            })
            .map(|s| s.id.as_str())
            .collect();
        let mut request = SearchRequest::new(*word);
        // Every match, so the test asks whether the tagged services are found at all; how
        // high they rank is the relevance work's (issue 14).
        request.limit = import.services.len();
        let results = engine.search(&request, &synonyms).unwrap();
        let top: Vec<&navigator_index::Service> = results.hits.iter().take(10).map(|h| &h.service).collect();
        // A hit is on topic when the taxonomy files it under the family, or when its own
        // name or term names say the word (a dental referral line filed under I&R).
        let says = |s: &navigator_index::Service| {
            s.name.to_lowercase().contains(word) || s.taxonomy.iter().any(|t| t.name.to_lowercase().contains(word))
        };
        let good = top.iter().filter(|s| in_family(s) || says(s)).count();
        let filed = top.iter().filter(|s| in_family(s)).count();
        let found = tagged
            .iter()
            .filter(|id| results.hits.iter().any(|h| h.service.id == **id))
            .count();
        report.push(format!(
            "{word}: {good} of top {} on topic ({filed} filed under {families:?}), {found} of {} tagged found",
            top.len(),
            tagged.len()
        ));
        if std::env::var_os("I13_DEBUG").is_some() {
            for id in &tagged {
                let svc = import.services.iter().find(|s| s.id == *id).unwrap();
                let rank = results.hits.iter().position(|h| h.service.id == *id);
                eprintln!(
                    "  {word} tagged {id} {:?} rank {rank:?} terms {:?}",
                    svc.name,
                    svc.taxonomy.iter().map(|t| &t.name).collect::<Vec<_>>()
                );
            }
            for h in results.hits.iter().take(10) {
                eprintln!(
                    "    hit {:?} {:?}",
                    h.service.name,
                    h.service.taxonomy.iter().map(|t| &t.code).collect::<Vec<_>>()
                );
            }
        }
        assert!(!tagged.is_empty(), "{word}: the directory tags nothing");
        assert!(top.len() >= 3, "{word}: only {} hits", top.len());
        assert!(
            in_family(top[0]) || says(top[0]),
            "{}: first hit {:?}",
            report.last().unwrap(),
            top[0].name
        );
        assert!(good * 10 >= top.len() * 7, "{}", report.last().unwrap());
        assert_eq!(found, tagged.len(), "{}", report.last().unwrap());
    }
    eprintln!("{}", report.join("\n"));
}

/// What callers say, not what the taxonomy calls it: the first three hits are filed under
/// the family that answers them (immunizations LT-3400; youth mental health in R).
const CALLERS_WORDS: &[(&str, &str, Option<&str>)] = &[
    ("shots for my kids", "LT-3400", None),
    ("flu shot", "LT-3400", None),
    ("mental health for my teenager", "R", Some("youth")),
];

#[test]
fn callers_words_find_the_services_that_answer_them() {
    let Some(path) = dc211() else { return };
    let import = read(&path, false);
    let engine = indexed(&import);
    let synonyms = Synonyms::defaults();
    for (words, family, says) in CALLERS_WORDS {
        let results = engine.search(&SearchRequest::new(*words), &synonyms).unwrap();
        let top: Vec<&navigator_index::Service> = results.hits.iter().take(3).map(|h| &h.service).collect();
        assert_eq!(top.len(), 3, "{words}");
        for s in top {
            assert!(
                s.taxonomy.iter().any(|t| t.code.starts_with(family)),
                "{words}: {:?} is not filed under {family}",
                s.name
            );
            if let Some(word) = says {
                assert!(
                    s.name.to_lowercase().contains(word)
                        || s.taxonomy.iter().any(|t| t.name.to_lowercase().contains(word)),
                    "{words}: {:?} does not say {word}",
                    s.name
                );
            }
        }
    }
}
