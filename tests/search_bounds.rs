//! Search input is bounded before any work: `--limit` past its maximum (1000) is an error
//! (exit 65), never a panic taken for a damaged index; `--limit 0` prints no result; a
//! query of any length is cut to its first 32 words and 500 characters.

mod common;

use common::Data;

fn index_meta(d: &Data) -> Vec<u8> {
    std::fs::read(d.path().join("data/index/meta.json")).unwrap()
}

#[test]
fn limits_past_the_maximum_are_errors_and_rebuild_nothing() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let meta = index_meta(&d);
    for limit in ["9223372036854775808", "1000000000", "1001"] {
        let out = d.nav().args(["search", "food", "--limit", limit]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(65), "--limit {limit}: {stderr}");
        assert!(stderr.contains(&format!("--limit {limit}: at most 1000")), "{stderr}");
        assert!(!stderr.contains("rebuild") && !stderr.contains("panicked"), "{stderr}");
    }
    assert_eq!(index_meta(&d), meta, "the index was left alone");
    // The maximum itself is fine: every match, up to 1000.
    // One row per program: as many rows as programs, never more than the matching records.
    let mut lines = d.json_lines(&["search", "food", "--limit", "1000", "--json", "--facets"]);
    let total = lines.pop().unwrap()["total"].as_u64().unwrap() as usize;
    let programs: std::collections::HashSet<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert!(
        !lines.is_empty() && lines.len() <= total.min(1000),
        "{} rows of {total}",
        lines.len()
    );
    assert_eq!(programs.len(), lines.len(), "each program once");
    let short = d.json_lines(&["search", "food", "--limit", "20", "--json"]);
    assert_eq!(short.len(), 20.min(lines.len()), "a smaller limit is a prefix");
}

#[test]
fn limit_zero_returns_nothing() {
    let d = Data::new();
    assert!(d.ok(&["search", "food", "--limit", "0", "--json"]).is_empty());
    let with_facets = d.json_lines(&["search", "food", "--limit", "0", "--json", "--facets"]);
    assert_eq!(with_facets.len(), 1, "only the facets line");
    assert!(with_facets[0]["total"].as_u64().unwrap() > 0);
    let human = d.ok(&["search", "food", "--limit", "0"]);
    assert!(human.contains("0 of "), "{human}");
    assert_eq!(d.json_lines(&["search", "food", "--limit", "1", "--json"]).len(), 1);
}

#[test]
fn a_huge_query_is_cut_before_any_work() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let huge = "food bank shelter ".repeat(6_300); // about 112 KB
    let out = d.nav().args(["search", "--json", "--", &huge]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("the query was cut to its first 32 words"), "{stderr}");
    // The cut query is the same search as its first 32 words typed by hand.
    let first: Vec<&str> = huge.split_whitespace().take(32).collect();
    let by_hand = d.ok(&["search", "--json", "--", &first.join(" ")]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), by_hand);
}
