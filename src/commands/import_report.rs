//! The import report a person reads: problems grouped by file and reason, each group with
//! its count and its first few lines (`--verbose`: every line), and the summary's counts
//! of services kept apart from rows of the other files.

use std::collections::BTreeMap;
use std::io::Write;

use navigator_index::import::{ImportReport, Problem, ProblemKind};
use serde::Serialize;

/// Lines shown per group without `--verbose`.
pub const FIRST_LINES: usize = 3;

/// Problems of one kind with the same file, field and reason (numbers and quoted values
/// set aside: "organization 91676 not in organizations.csv" and "organization 25476 ..."
/// are one reason).
#[derive(Debug, Clone, Serialize)]
pub struct Group<'a> {
    pub file: &'a str,
    /// "skipped" or "repaired".
    pub kind: &'static str,
    pub field: Option<&'a str>,
    /// The reason with its values replaced by "…".
    pub reason: String,
    pub count: usize,
    #[serde(skip)]
    pub problems: Vec<&'a Problem>,
}

fn kind_word(kind: &ProblemKind) -> &'static str {
    if *kind == ProblemKind::Skipped {
        "skipped"
    } else {
        "repaired"
    }
}

/// A reason with its particular values taken out, so like problems group together.
pub fn reason_shape(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut chars = reason.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            while chars.peek().is_some_and(|d| d.is_ascii_digit() || *d == '.') {
                chars.next();
            }
            out.push('…');
        } else if c == '"' {
            for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
            }
            out.push_str("\"…\"");
        } else {
            out.push(c);
        }
    }
    out
}

/// The problems grouped, by file, then kind, then the largest group first.
pub fn groups(report: &ImportReport) -> Vec<Group<'_>> {
    let mut by_key: BTreeMap<(&str, &'static str, Option<&str>, String), Vec<&Problem>> = BTreeMap::new();
    for p in &report.problems {
        let key = (
            p.file.as_str(),
            kind_word(&p.kind),
            p.field.as_deref(),
            reason_shape(&p.reason),
        );
        by_key.entry(key).or_default().push(p);
    }
    let mut out: Vec<Group> = by_key
        .into_iter()
        .map(|((file, kind, field, reason), problems)| Group {
            file,
            kind,
            field,
            reason,
            count: problems.len(),
            problems,
        })
        .collect();
    out.sort_by(|a, b| (a.file, a.kind, b.count).cmp(&(b.file, b.kind, a.count)));
    out
}

/// Whether a problem is about a service record (rather than a row of another file, a
/// phone or a schedule): the services table, or a JSON file of services.
pub fn about_a_service(p: &Problem) -> bool {
    let name = std::path::Path::new(&p.file);
    let stem = name.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let ext = name.extension().and_then(|s| s.to_str()).unwrap_or("");
    stem.eq_ignore_ascii_case("services") || matches!(ext, "json" | "jsonl" | "ndjson")
}

/// (services, rows of other files) with problems of `kind`.
pub fn split_counts(report: &ImportReport, kind: &ProblemKind) -> (usize, usize) {
    let of_kind = report.problems.iter().filter(|p| p.kind == *kind);
    let services = of_kind.clone().filter(|p| about_a_service(p)).count();
    (services, of_kind.count() - services)
}

/// Writes the grouped problems: a header per group, then its first lines.
pub fn write_groups(out: &mut impl Write, report: &ImportReport, verbose: bool) -> std::io::Result<()> {
    let sanitize = navigator_index::text::sanitize;
    for g in groups(report) {
        // A field name is the file's own header: as untrusted as any value.
        let field = g.field.map(|f| format!("{}: ", sanitize(f))).unwrap_or_default();
        let rows = if g.count == 1 { "row" } else { "rows" };
        writeln!(
            out,
            "{}: {} {} {rows}: {field}{}",
            sanitize(g.file),
            g.kind,
            g.count,
            sanitize(&g.reason)
        )?;
        let shown = if verbose { g.count } else { FIRST_LINES.min(g.count) };
        for p in g.problems.iter().take(shown) {
            writeln!(out, "  {}", sanitize(&p.to_string()))?;
        }
        if shown < g.count {
            writeln!(out, "  … {} more (--verbose lists every line)", g.count - shown)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(file: &str, line: u64, reason: &str) -> Problem {
        Problem {
            kind: ProblemKind::Repaired,
            file: file.into(),
            line: Some(line),
            field: Some("organization_id".into()),
            reason: reason.into(),
        }
    }

    #[test]
    fn a_header_with_control_characters_reaches_the_terminal_cleaned() {
        let mut p = problem("garbage.csv", 2, "not valid UTF-8; read as Windows-1252");
        p.field = Some("a\u{1b}[31mred\u{7}\u{0}b".into());
        let report = ImportReport {
            problems: vec![p],
            ..Default::default()
        };
        let mut out = Vec::new();
        write_groups(&mut out, &report, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        assert!(text.contains("red"), "{text}");
    }

    #[test]
    fn like_problems_group_with_a_count_and_their_first_lines() {
        let report = ImportReport {
            problems: (0..10)
                .map(|i| {
                    problem(
                        "services.csv",
                        i + 2,
                        &format!("organization {} not in organizations.csv", 9000 + i),
                    )
                })
                .chain([problem("phones.csv", 4, "number \"x\" is not a phone number")])
                .collect(),
            ..Default::default()
        };
        let g = groups(&report);
        assert_eq!(g.len(), 2);
        let services = g.iter().find(|g| g.file == "services.csv").unwrap();
        assert_eq!(
            (services.count, services.reason.as_str()),
            (10, "organization … not in organizations.csv")
        );
        let mut out = Vec::new();
        write_groups(&mut out, &report, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("services.csv: repaired 10 rows: organization_id: organization … not in organizations.csv"),
            "{text}"
        );
        assert!(
            text.contains("  services.csv:2: organization_id: organization 9000"),
            "{text}"
        );
        assert!(!text.contains("services.csv:5:"), "only the first three: {text}");
        assert!(text.contains("… 7 more (--verbose"), "{text}");
        let mut all = Vec::new();
        write_groups(&mut all, &report, true).unwrap();
        assert!(String::from_utf8(all).unwrap().contains("services.csv:11:"));
        assert_eq!(split_counts(&report, &ProblemKind::Repaired), (10, 1));
    }
}
