//! The Relevance section of BENCHMARKS.md: judged queries, navigator and FTS5 side by
//! side per directory, the issue 14 targets, then every query.

use std::fmt::Write;

use crate::relevance::Directory;

/// The Relevance section: per directory, navigator and FTS5 side by side, then every query.
pub fn section(dirs: &[Directory], measured_at: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## Relevance\n\n\
         Judged queries (`bench/judged/*.txt`, each with the taxonomy families a relevant \
         result is filed under) typed as a navigator types them, against navigator \
         (`Engine::search`, default synonyms and everyday terms, one row per program) and \
         SQLite FTS5 over the same services and fields (name, organization, description, \
         taxonomy names, municipality; words AND-ed, the last as a prefix, bm25). P@10: \
         relevant rows among the first ten, out of as many as the directory could fill them \
         with (at most ten; programs for navigator, records for FTS5). hit@5: a relevant row \
         in the first five. MRR: mean of 1/rank of the first relevant row (first {DEPTH}).\n",
        DEPTH = crate::judged::DEPTH
    );
    if let Some(at) = measured_at {
        let _ = writeln!(s, "{at}\n");
    }
    let targets = crate::targets::relevance_targets(dirs);
    if !targets.is_empty() {
        let _ = writeln!(s, "| Target | Goal | Measured | Result |\n| --- | --- | --- | --- |");
        for t in &targets {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                t.name,
                t.limit_text(),
                t.measured_text(),
                t.result_text()
            );
        }
        s.push('\n');
    }
    for d in dirs {
        let _ = writeln!(s, "### {}\n", d.name);
        let (services, engines) = match &d.measured {
            Ok(m) => m,
            Err(why) => {
                let _ = writeln!(s, "Not measured: {why}.\n");
                continue;
            }
        };
        let _ = writeln!(
            s,
            "{} services from `{}`.\n\n| Engine | Queries | P@10 | hit@5 | MRR | Queries without a result |\n| --- | --- | --- | --- | --- | --- |",
            services,
            d.path.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned())
        );
        for (name, sum) in [
            ("navigator", engines.navigator_summary()),
            ("FTS5", engines.fts5_summary()),
        ] {
            let _ = writeln!(
                s,
                "| {name} | {} | {:.3} | {:.3} | {:.3} | {} |",
                sum.queries, sum.p10, sum.hit5, sum.mrr, sum.zero
            );
        }
        let _ = writeln!(
            s,
            "\n| Query | What it tests | navigator P@10 | first relevant | results | FTS5 P@10 | first relevant | results |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
        );
        let rank = |r: Option<usize>| r.map_or_else(|| "-".to_string(), |r| r.to_string());
        for (n, f) in engines.navigator.iter().zip(&engines.fts5) {
            let _ = writeln!(
                s,
                "| {} | {} | {:.2} | {} | {} | {:.2} | {} | {} |",
                n.query.replace('|', "\\|"),
                n.kind,
                n.p10,
                rank(n.first),
                n.results,
                f.p10,
                rank(f.first),
                f.results
            );
        }
        s.push('\n');
    }
    s
}

/// `text` (a BENCHMARKS.md) with its Relevance section replaced by `section`, or `section`
/// put before the Analysis section when there was none.
pub fn splice(text: &str, section: &str) -> String {
    let heading = "\n## Relevance\n";
    if let Some(start) = text.find(heading) {
        let after = start + heading.len();
        let end = text[after..].find("\n## ").map_or(text.len(), |e| after + e);
        return format!(
            "{}\n{}\n{}",
            &text[..start],
            section.trim_end_matches('\n'),
            &text[end..]
        );
    }
    match text.find(&format!("\n{}\n", crate::report::ANALYSIS_HEADING)) {
        Some(at) => format!("{}\n{}\n{}", &text[..at], section.trim_end_matches('\n'), &text[at..]),
        None => format!("{text}\n{section}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_replaces_only_the_relevance_section() {
        let old = "# b\n\n## Run\n\nx\n\n## Relevance\n\nold\n\n## Load\n\ny\n\n## Analysis\n\nz\n";
        let new = splice(old, "## Relevance\n\nnew\n");
        assert_eq!(
            new,
            "# b\n\n## Run\n\nx\n\n## Relevance\n\nnew\n\n## Load\n\ny\n\n## Analysis\n\nz\n"
        );
        let without = "# b\n\n## Run\n\nx\n\n## Analysis\n\nz\n";
        assert_eq!(
            splice(without, "## Relevance\n\nnew\n"),
            "# b\n\n## Run\n\nx\n\n## Relevance\n\nnew\n\n## Analysis\n\nz\n"
        );
    }
}
