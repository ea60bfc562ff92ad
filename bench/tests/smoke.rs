//! Runs the benchmark in quick mode (the demo and 20,000 services) and checks that the
//! report has every section and plausible figures. Timings are not judged: only that they
//! are there, are numbers, and are ordered (p50 <= p99 <= max).

use std::path::Path;
use std::process::Command;

fn rows_after<'a>(text: &'a str, heading: &str) -> Vec<Vec<&'a str>> {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the report:\n{text}"));
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // header and rule
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect()
}

fn num(cell: &str) -> f64 {
    let first = cell.split_whitespace().next().unwrap_or("");
    first
        .trim_end_matches('×')
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{cell:?} is not a number"))
}

fn run_quick(out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_navigator-bench"))
        .arg("--quick")
        .arg("--out")
        .arg(out)
        .env_remove("NAVIGATOR_DATA_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "navigator-bench failed:\n{stderr}");
    assert!(stderr.contains("wrote "), "progress goes to stderr:\n{stderr}");
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn quick_run_writes_every_section_with_plausible_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BENCHMARKS.md");
    std::fs::write(&out, "old\n\n## Analysis\n\nHand-written words.\n").unwrap();
    let text = run_quick(&out);

    for heading in [
        "# navigator benchmarks",
        "## Run",
        "## Targets",
        "## Import",
        "## Re-import, 1% changed",
        "## Keystroke search",
        "### demo (500) services",
        "### 20,000 services",
        "## Result counts",
        "## What FTS5 cannot do here",
        "## TUI in a pseudo-terminal",
        "## Relevance",
        "### demo (French queries)",
        "### DC 211 (iCarol export)",
        "## Analysis",
    ] {
        assert!(text.contains(heading), "no {heading:?}:\n{text}");
    }
    assert!(text.ends_with("Hand-written words.\n"), "the Analysis section is kept");

    // The run: command, commit, machine.
    assert!(text.contains("- Command: `cargo run"));
    assert!(text.contains("navigator-bench -- --quick --out"));
    let line = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("- {key}: ")))
            .unwrap_or_else(|| panic!("no {key} line"))
            .to_string()
    };
    assert!(num(&line("Cores")) >= 1.0);
    assert!(line("Memory").contains("iB"));
    assert!(!line("Commit").is_empty() && !line("CPU").is_empty());
    assert!(line("Date").starts_with("20"));

    // Targets: each judged or said to be not measured.
    let targets = rows_after(&text, "## Targets");
    assert!(targets.len() >= 8, "{targets:?}");
    for t in &targets {
        assert!(
            t[3].starts_with("PASS") || t[3].starts_with("MISS") || t[3].starts_with("not measured"),
            "{t:?}"
        );
    }
    assert!(targets
        .iter()
        .any(|t| t[0].contains("Import throughput at 20,000") && t[2].ends_with("services/s")));

    // Imports: every service arrived, with sizes and memory.
    let imports = rows_after(&text, "## Import");
    assert_eq!(imports.len(), 2, "{imports:?}");
    for (row, services) in imports.iter().zip([500.0, 20_000.0]) {
        assert_eq!(num(row[1]), services, "{row:?}");
        assert!(num(row[2]) > 0.0 && num(row[3]) > 0.0, "{row:?}");
        assert!(num(row[4]) > 100.0 && num(row[5]) > 100.0, "bytes/service {row:?}");
        assert!(row[6].ends_with("iB"), "peak RSS {row:?}");
    }
    // The 1%-changed re-import (not of the demo): the import found exactly the edited
    // services changed, and wrote a small part of the index.
    let reimports = rows_after(&text, "## Re-import, 1% changed");
    assert_eq!(reimports.len(), 1, "{reimports:?}");
    let re = &reimports[0];
    assert_eq!((num(re[1]), num(re[2]), num(re[3])), (20_000.0, 200.0, 200.0), "{re:?}");
    assert!(num(re[4]) > 0.0 && re[6].ends_with("iB"), "{re:?}");
    assert!(
        num(re[8].trim_end_matches('%')) < 50.0,
        "most of the index is not rewritten: {re:?}"
    );
    let fts = rows_after(&text, "SQLite FTS5 (in the benchmark process)");
    assert_eq!(fts.len(), 2, "{fts:?}");
    assert_eq!(num(fts[1][1]), 20_000.0);

    // Keystrokes: four variants and the overall row, percentiles in order.
    for size in ["### demo (500) services", "### 20,000 services"] {
        let rows = rows_after(&text, size);
        assert_eq!(rows.len(), 5, "{rows:?}");
        for r in &rows {
            for base in [1, 4] {
                let (p50, p99, max) = (num(r[base]), num(r[base + 1]), num(r[base + 2]));
                assert!(p50 > 0.0 && p50 <= p99 && p99 <= max, "{r:?}");
            }
        }
    }

    assert_eq!(text.matches("Slowest navigator keystrokes: \"").count(), 2);
    assert_eq!(text.matches("Slowest FTS5 keystrokes: \"").count(), 2);

    // The typo is found by navigator and not by FTS5, at both sizes.
    let counts = rows_after(&text, "## Result counts");
    let typo = counts.iter().find(|r| r[0] == "mental helth").unwrap();
    assert!(num(typo[1]) > 0.0 && num(typo[3]) > 0.0, "{typo:?}");
    assert_eq!((num(typo[2]), num(typo[4])), (0.0, 0.0), "{typo:?}");
    let food = counts.iter().find(|r| r[0] == "food bank").unwrap();
    assert!(num(food[1]) > 0.0 && num(food[2]) > 0.0, "{food:?}");

    // Relevance: the demo's judged queries are measured for both engines (DC 211 too when
    // the shared data is there), every measure a share between 0 and 1.
    let demo = rows_after(&text, "### demo (French queries)");
    assert_eq!(demo[0][0], "navigator", "{demo:?}");
    assert_eq!(demo[1][0], "FTS5", "{demo:?}");
    for row in &demo[..2] {
        assert!(num(row[1]) >= 20.0, "queries {row:?}");
        for cell in &row[2..5] {
            assert!((0.0..=1.0).contains(&num(cell)), "{row:?}");
        }
    }
    assert!(
        targets.iter().any(|t| t[0].starts_with("Relevance P@10 on DC 211")),
        "{targets:?}"
    );

    // The TUI: it started, wrote bytes per key, and every key got a frame.
    let tui = rows_after(&text, "## TUI in a pseudo-terminal");
    assert_eq!(tui.len(), 2, "{tui:?}");
    for r in &tui {
        let starts: Vec<f64> = r[1].split(", ").map(num).collect();
        assert!(starts.len() == 2 && starts.iter().all(|s| *s > 0.0), "start-up {r:?}");
        assert!(num(r[2]) > 0.0 && num(r[2]) <= num(r[3]), "bytes/key {r:?}");
        num(r[4]); // after the pause
        let every: Vec<f64> = r[5].split(", ").map(num).collect();
        assert!(
            every.len() == 2 && every[0] > 0.0 && every[0] <= every[1],
            "every key {r:?}"
        );
        num(r[6]); // idle bytes
        assert!(num(r[7]) > 0.0 && num(r[7]) <= num(r[8]), "latency {r:?}");
        assert!(num(r[10]) >= 12.0, "keys timed {r:?}");
        assert!(r[13].ends_with("iB") && r[14].contains(" / "), "peak RSS {r:?}");
    }
}

#[test]
fn relevance_only_replaces_just_the_relevance_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BENCHMARKS.md");
    let before = "# navigator benchmarks\n\n## Keystroke search\n\nkept\n\n## Relevance\n\nstale\n\n## Analysis\n\nHand-written words.\n";
    std::fs::write(&out, before).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_navigator-bench"))
        .args(["--relevance-only", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "navigator-bench failed:\n{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# navigator benchmarks\n\n## Keystroke search\n\nkept\n\n## Relevance\n"),
        "{text}"
    );
    assert!(
        !text.contains("stale") && text.ends_with("## Analysis\n\nHand-written words.\n"),
        "{text}"
    );
    assert!(
        text.contains("Measured ") && text.contains("--relevance-only"),
        "{text}"
    );
    let demo = rows_after(&text, "### demo (French queries)");
    assert_eq!((demo[0][0], demo[1][0]), ("navigator", "FTS5"), "{demo:?}");
    assert!(stderr.contains("Relevance P@10 on "), "{stderr}");
}

/// `--stores-only` measures SQLite against PostgreSQL and rewrites that section alone:
/// every other byte of the file stays. Needs a PostgreSQL cluster (`.ci/run` starts one);
/// skipped, saying so, without it.
#[test]
fn stores_only_rewrites_its_own_section_and_nothing_else() {
    let Some(url) = std::env::var("NAVIGATOR_TEST_PG_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipping: NAVIGATOR_TEST_PG_URL is not set (.ci/run starts a test cluster)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BENCHMARKS.md");
    let before = "# navigator benchmarks\n\n## Import\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n## Analysis\n\nHand-written words.\n";
    std::fs::write(&out, before).unwrap();
    let text = {
        let output = Command::new(env!("CARGO_BIN_EXE_navigator-bench"))
            .args(["--quick", "--stores-only", "--postgres", &url, "--out"])
            .arg(&out)
            .env_remove("NAVIGATOR_DATA_DIR")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "navigator-bench --stores-only failed:\n{stderr}"
        );
        std::fs::read_to_string(&out).unwrap()
    };
    let heading = "## Many offices: SQLite and PostgreSQL";
    let start = text.find(heading).expect("the section");
    let end = text.find("## Analysis").unwrap();
    assert!(start < end, "the section comes before the Analysis");
    assert_eq!(
        format!("{}{}", &text[..start], &text[end..]),
        before,
        "nothing else changed"
    );

    let loads = rows_after(&text, heading);
    assert_eq!(loads.len(), 2, "{loads:?}");
    for (row, (store, servers)) in loads.iter().zip([("SQLite", 1.0), ("PostgreSQL", 2.0)]) {
        assert_eq!((row[0], num(row[1])), (store, servers), "{row:?}");
        assert_eq!(num(row[2]), 48.0, "16 processes saved 3 contacts each: {row:?}");
        assert!(num(row[3]) > 0.0 && num(row[4]) <= num(row[5]), "{row:?}");
        assert_eq!(num(row[6]), 48.0, "every follow-up claimed once: {row:?}");
        assert!(num(row[7]) > 0.0 && num(row[8]) <= num(row[9]), "{row:?}");
        assert_eq!(num(row[11]), 0.0, "no double claim: {row:?}");
    }
    let keys = rows_after(&text, "### Keystrokes with each store");
    assert_eq!(keys.len(), 2, "{keys:?}");
    for row in &keys {
        assert!(
            num(row[1]) > 0.0 && num(row[1]) <= num(row[2]) && num(row[2]) <= num(row[3]),
            "{row:?}"
        );
    }
    // (That a second run replaces the section rather than adding one: the unit test of
    // `stores_report::with_section`.)
}
