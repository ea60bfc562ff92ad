//! Judged queries and the measures of a ranked list against them.
//!
//! A judgement names taxonomy families (AIRS/211 code prefixes); a result is relevant when
//! one of its codes falls in one of them. The files are in `bench/judged/`, written down
//! with the queries so anyone can check a judgement.

use anyhow::bail;
use navigator_index::Service;

/// The judged queries of DC 211's iCarol export.
pub const DC211: &str = include_str!("../judged/dc211.txt");
/// The judged queries of the demo directory (French).
pub const DEMO: &str = include_str!("../judged/demo.txt");

/// The first rows judged: P@10 counts ten, hit@5 five, the reciprocal rank twenty.
pub const DEPTH: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// Typed as a navigator types it.
    pub query: String,
    /// Code prefixes of relevant results ("BH-1800", "FT").
    pub families: Vec<String>,
    /// What the query tests ("typo", "natural sentence").
    pub kind: String,
}

/// Reads `query | families | kind` lines; `#` starts a comment.
pub fn parse(text: &str) -> anyhow::Result<Vec<Judged>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [query, families, kind] = parts[..] else {
            bail!("line {}: expected `query | families | what it tests`", n + 1);
        };
        let families: Vec<String> = families.split_whitespace().map(str::to_string).collect();
        if query.is_empty() || families.is_empty() {
            bail!("line {}: a query and at least one taxonomy family are needed", n + 1);
        }
        out.push(Judged {
            query: query.to_string(),
            families,
            kind: kind.to_string(),
        });
    }
    Ok(out)
}

/// Whether one of the service's codes falls in one of the families. A family matches a
/// code at a level boundary: "BH-1800" matches "BH-1800.8500" but not "BH-18001".
pub fn relevant(service: &Service, families: &[String]) -> bool {
    service.taxonomy.iter().any(|t| {
        t.code.split('*').map(str::trim).any(|code| {
            families.iter().any(|f| {
                code.strip_prefix(f.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-']) || f.len() <= 2)
            })
        })
    })
}

/// One query's measures for one engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub query: String,
    pub kind: String,
    /// Rows returned (up to DEPTH).
    pub results: usize,
    /// Relevant rows among the first ten, out of what could fill them: the relevant rows
    /// this engine could show (at most ten).
    pub p10: f64,
    /// A relevant row among the first five.
    pub hit5: bool,
    /// 1 / rank of the first relevant row (0 when none in the first DEPTH).
    pub rr: f64,
    /// Rank (1-based) of the first relevant row.
    pub first: Option<usize>,
}

/// Scores a ranked list: `relevance[i]` says whether row i is relevant; `possible` is how
/// many relevant rows the engine could show at all.
pub fn score(judged: &Judged, relevance: &[bool], possible: usize) -> Scored {
    let top10 = relevance.iter().take(10).filter(|r| **r).count();
    let first = relevance.iter().take(DEPTH).position(|r| *r).map(|i| i + 1);
    Scored {
        query: judged.query.clone(),
        kind: judged.kind.clone(),
        results: relevance.len(),
        p10: if possible == 0 {
            0.0
        } else {
            top10 as f64 / possible.min(10) as f64
        },
        hit5: relevance.iter().take(5).any(|r| *r),
        rr: first.map_or(0.0, |r| 1.0 / r as f64),
        first,
    }
}

/// Averages over the queries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub queries: usize,
    pub p10: f64,
    pub hit5: f64,
    pub mrr: f64,
    pub zero: usize,
}

pub fn summarize(scored: &[Scored]) -> Summary {
    let n = scored.len().max(1) as f64;
    Summary {
        queries: scored.len(),
        p10: scored.iter().map(|s| s.p10).sum::<f64>() / n,
        hit5: scored.iter().filter(|s| s.hit5).count() as f64 / n,
        mrr: scored.iter().map(|s| s.rr).sum::<f64>() / n,
        zero: scored.iter().filter(|s| s.results == 0).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use navigator_index::TaxonomyTerm;

    fn coded(codes: &[&str]) -> Service {
        Service {
            taxonomy: codes
                .iter()
                .map(|c| TaxonomyTerm {
                    code: c.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_judged_files_parse_and_every_query_has_families() {
        for (name, text) in [("dc211", DC211), ("demo", DEMO)] {
            let judged = parse(text).unwrap();
            assert!(judged.len() >= 20, "{name}: {}", judged.len());
            assert!(judged.iter().all(|j| !j.families.is_empty() && !j.kind.is_empty()));
        }
        assert!(parse("shelter | BH").is_err());
        assert!(parse("shelter |  | plain").is_err());
    }

    #[test]
    fn families_match_at_level_boundaries() {
        let families = vec!["BH-1800".to_string()];
        assert!(relevant(&coded(&["BH-1800.8500"]), &families));
        assert!(relevant(&coded(&["YV-3000 * BH-1800"]), &families));
        assert!(!relevant(&coded(&["BH-18001"]), &families));
        assert!(!relevant(&coded(&["BH-3800"]), &families));
        assert!(relevant(&coded(&["FT-3000"]), &["FT".to_string()]));
    }

    #[test]
    fn measures_follow_their_definitions() {
        let j = Judged {
            query: "q".into(),
            families: vec!["X".into()],
            kind: "k".into(),
        };
        let s = score(&j, &[false, false, true, true, false], 4);
        assert_eq!((s.p10, s.hit5, s.rr, s.first), (0.5, true, 1.0 / 3.0, Some(3)));
        let none = score(&j, &[], 4);
        assert_eq!((none.p10, none.hit5, none.rr, none.results), (0.0, false, 0.0, 0));
        let sum = summarize(&[s, none]);
        assert_eq!((sum.p10, sum.hit5, sum.zero), (0.25, 0.5, 1));
        // Fewer relevant services than ten: all of them first is perfect.
        assert_eq!(score(&j, &[true, true, false], 2).p10, 1.0);
    }
}
