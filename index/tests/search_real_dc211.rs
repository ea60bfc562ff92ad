//! Issue 14 on a real directory: every judged query of the relevance harness
//! (`bench/judged/dc211.txt`, one set of judgements for the harness and this test) on DC
//! 211's iCarol export finds something, and a service the directory files under the family
//! the query asks for is among the first five rows; no program fills two rows. Skips, saying
//! so, when the shared data is not there (`NAVIGATOR_SHARED_DATA` points elsewhere).

use std::collections::HashSet;
use std::path::PathBuf;

use navigator_index::import::{import_path_with, Format, Options};
use navigator_index::{Engine, SearchRequest, Synonyms};

const JUDGED: &str = include_str!("../../bench/judged/dc211.txt");

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

/// (query, families) of every judged line.
fn judged() -> Vec<(&'static str, Vec<&'static str>)> {
    JUDGED
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split('|').map(str::trim);
            let query = parts.next().unwrap();
            let families = parts.next().unwrap().split_whitespace().collect();
            (query, families)
        })
        .collect()
}

#[test]
fn every_judged_query_finds_a_service_of_its_family_in_the_first_five() {
    let Some(path) = dc211() else { return };
    let services = import_path_with(&path, Format::Auto, Options::default())
        .unwrap()
        .services;
    let engine = Engine::in_memory().unwrap();
    let mut w = engine.writer().unwrap();
    for s in &services {
        w.add(s).unwrap();
    }
    w.commit(1).unwrap();
    engine.reload().unwrap();
    let synonyms = Synonyms::defaults();
    let queries = judged();
    assert!(queries.len() >= 50, "{}", queries.len());
    let mut misses = Vec::new();
    for (query, families) in &queries {
        let mut request = SearchRequest::new(*query);
        request.limit = 20;
        let hits = engine.search(&request, &synonyms).unwrap().hits;
        let first = hits.iter().position(|h| {
            h.service
                .taxonomy
                .iter()
                .any(|t| families.iter().any(|f| t.code.starts_with(f)))
        });
        if first.is_none_or(|rank| rank >= 5) {
            let top: Vec<&str> = hits.iter().take(5).map(|h| h.service.name.as_str()).collect();
            misses.push(format!(
                "{query:?}: first of {families:?} at {first:?} in {} rows {top:?}",
                hits.len()
            ));
        }
        // One row per program: no two rows share a name and organization.
        let mut seen = HashSet::new();
        for h in &hits {
            let key = (
                h.service.name.to_lowercase(),
                h.service.organization.name.to_lowercase(),
            );
            assert!(seen.insert(key), "{query:?}: {:?} twice", h.service.name);
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
