//! BENCHMARKS.md: every figure from the run, written by the tool. Only the Analysis
//! section (the last one) is written by hand; it is carried over when the file is rewritten.

use std::fmt::Write;

use crate::corpus::{thousands, Size};
use crate::fts5::FtsFigures;
use crate::import::ImportFigures;
use crate::machine::{human_bytes, Machine};
use crate::navsearch::NavFigures;
use crate::pty::{TuiFigures, COLS, IDLE, QUIET, ROWS, SETTLE, TYPED, WARM_STARTS};
use crate::queries::{self, Variant, COMPARED, QUERIES, TYPO_QUERY};
use crate::reimport::ReimportFigures;
use crate::stats::{median_max, Samples};
use crate::targets::{self, Verdict};

pub struct SizeResult {
    pub size: Size,
    pub import: ImportFigures,
    pub nav: NavFigures,
    pub fts: FtsFigures,
    pub tui: Option<TuiFigures>,
    /// The 1%-changed re-import over the full import's data directory.
    pub reimport: Option<ReimportFigures>,
    /// Share of the machine other processes used during each phase.
    pub busy: Vec<(&'static str, f64)>,
}

pub struct Run {
    pub machine: Machine,
    pub navigator: String,
    pub seed: u64,
    pub results: Vec<SizeResult>,
    pub relevance: Vec<crate::relevance::Directory>,
}

pub const ANALYSIS_HEADING: &str = "## Analysis";
const ANALYSIS_PLACEHOLDER: &str = "\
<!-- Written by hand. navigator-bench keeps this section when it rewrites the file: \
check it against the new figures. -->

_Not written yet: for every MISS in the targets table, what dominates the time or the \
bytes, and what would fix it._
";

/// The hand-written Analysis section of an earlier file, if any.
pub fn previous_analysis(old: &str) -> Option<String> {
    let start = old.find(&format!("\n{ANALYSIS_HEADING}\n"))? + ANALYSIS_HEADING.len() + 2;
    let body = old[start..].trim_matches('\n');
    (!body.is_empty()).then(|| format!("{body}\n"))
}

fn bytes(b: Option<u64>) -> String {
    b.map_or_else(|| "unknown".into(), human_bytes)
}

fn ms(v: f64) -> String {
    format!("{v:.2}")
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.3}×", a / b)
    } else {
        "n/a".into()
    }
}

fn per_service(bytes: u64, services: u64) -> String {
    format!("{:.0}", bytes as f64 / services.max(1) as f64)
}

/// The whole file. `stores` is the "Many offices" section, measured in this run or carried
/// over from the previous file (a run without a PostgreSQL cluster cannot measure it).
pub fn render(run: &Run, stores: Option<&str>, analysis: Option<&str>) -> String {
    let mut s = String::new();
    header(&mut s, run);
    targets_section(&mut s, run);
    import_section(&mut s, run);
    reimport_section(&mut s, run);
    keystroke_section(&mut s, run);
    counts_section(&mut s, run);
    fts5_limits(&mut s, run);
    tui_section(&mut s, run);
    s.push_str(&crate::report_relevance::section(&run.relevance, None));
    load_section(&mut s, run);
    if let Some(stores) = stores {
        s.push_str(stores);
    }
    let _ = writeln!(s, "{ANALYSIS_HEADING}\n");
    s.push_str(analysis.unwrap_or(ANALYSIS_PLACEHOLDER));
    s
}

fn header(s: &mut String, run: &Run) {
    let m = &run.machine;
    let sizes: Vec<String> = run.results.iter().map(|r| r.size.label()).collect();
    let _ = writeln!(
        s,
        "# navigator benchmarks\n\n\
         Written by `navigator-bench` (crate `bench/`): every figure below comes from the run \
         described here; none is typed by hand. To reproduce, run the command below from the \
         workspace root.\n\n## Run\n"
    );
    let memory = m.memory_bytes.map_or_else(|| "unknown".into(), human_bytes);
    for (k, v) in [
        ("Command", format!("`{}`", m.command)),
        ("Date", m.date.clone()),
        ("Commit", m.commit.clone()),
        ("CPU", m.cpu_model.clone()),
        ("Cores", m.cores.to_string()),
        ("Memory", memory),
        ("OS", m.os.clone()),
        ("navigator binary", format!("`{}`", run.navigator)),
        ("Sizes", sizes.join(", ")),
        (
            "Corpus",
            format!(
                "`navigator synth` HSDS 3.0 CSV, seed {} (the demo: 500 services, seed 211)",
                run.seed
            ),
        ),
    ] {
        let _ = writeln!(s, "- {k}: {v}");
    }
    s.push('\n');
}

fn targets_section(s: &mut String, run: &Run) {
    let _ = writeln!(
        s,
        "## Targets\n\n| Target | Goal | Measured | Result |\n| --- | --- | --- | --- |"
    );
    let all = targets::evaluate(&run.results, &run.relevance);
    for t in &all {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            t.name,
            t.limit_text(),
            t.measured_text(),
            t.result_text()
        );
    }
    let missed: Vec<&str> = all
        .iter()
        .filter(|t| t.verdict() == Verdict::Miss)
        .map(|t| t.name.as_str())
        .collect();
    if missed.is_empty() {
        let _ = writeln!(s, "\nNo measured target was missed.\n");
    } else {
        let _ = writeln!(
            s,
            "\n**Missed: {}.** See the Analysis section at the end.\n",
            missed.join("; ")
        );
    }
}

fn reimport_section(s: &mut String, run: &Run) {
    let _ = writeln!(
        s,
        "## Re-import, 1% changed\n\n\
         The nightly case: the same corpus with every {}th service's description edited, imported \
         over the data directory the full import wrote (after the searches and the TUI session), \
         timed like it. Index bytes written: files of the index folder the re-import added or \
         changed, against the index before it.\n\n\
         | Size | Services | Edited | Updated | Wall (s) | Share of the full import's time | Peak RSS | Index bytes written | Share of the index |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        crate::reimport::EVERY
    );
    for r in &run.results {
        let Some(re) = &r.reimport else { continue };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} | {:.0}% | {} | {} | {:.1}% |",
            r.size.label(),
            re.services,
            re.edited,
            re.updated,
            re.wall.as_secs_f64(),
            100.0 * re.wall.as_secs_f64() / r.import.wall.as_secs_f64().max(1e-9),
            human_bytes(re.peak_rss_bytes),
            human_bytes(re.index_bytes_written),
            100.0 * re.index_bytes_written as f64 / re.index_bytes.max(1) as f64
        );
    }
}

fn import_section(s: &mut String, run: &Run) {
    let _ = writeln!(
        s,
        "## Import\n\n\
         navigator: wall time of `navigator --data-dir DIR import CORPUS --json` into a fresh \
         data directory (the demo installed beforehand, so only the import is timed), from spawn \
         to exit; peak RSS from `wait4`. Bytes per service from `navigator index stats --json`.\n\n\
         | Size | Services | Wall (s) | Services/s | Index bytes/service | Database bytes/service | Peak RSS | CPU user + sys (s) | Skipped / repaired |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for r in &run.results {
        let i = &r.import;
        let _ = writeln!(
            s,
            "| {} | {} | {:.2} | {:.0} | {} | {} | {} | {:.2} + {:.2} | {} / {} |",
            r.size.label(),
            i.services,
            i.wall.as_secs_f64(),
            i.services_per_s(),
            per_service(i.index_bytes, i.services),
            per_service(i.database_bytes, i.services),
            human_bytes(i.peak_rss_bytes),
            i.user.as_secs_f64(),
            i.system.as_secs_f64(),
            i.skipped,
            i.repaired
        );
    }
    let _ = writeln!(
        s,
        "\nSQLite FTS5 (in the benchmark process): read the same corpus with navigator's \
         importer, insert every service in one transaction, then `optimize`.\n\n\
         | Size | Services | Total (s) | Read (s) | Insert (s) | Optimize (s) | Services/s | Database bytes/service | Time navigator/FTS5 |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for r in &run.results {
        let f = &r.fts;
        let _ = writeln!(
            s,
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {} | {} |",
            r.size.label(),
            f.services,
            f.import.as_secs_f64(),
            f.read.as_secs_f64(),
            f.insert.as_secs_f64(),
            f.optimize.as_secs_f64(),
            f.services as f64 / f.import.as_secs_f64().max(1e-9),
            per_service(f.db_bytes, f.services as u64),
            ratio(r.import.wall.as_secs_f64(), f.import.as_secs_f64())
        );
    }
    s.push('\n');
}

fn keystroke_section(s: &mut String, run: &Run) {
    let _ = writeln!(
        s,
        "## Keystroke search\n\n\
         {} queries typed prefix by prefix ({} keystrokes per variant), in four variants: plain; \
         with a category filter that fits the query; municipality {}; near {} within {} km. \
         In this process, on the index the import wrote, after a warm-up (every variant of the \
         first query). navigator: `Engine::search`, 20 hits, facets on (as issue 8 asks; the TUI asks for them only while its filter menu is open), \
         default synonyms. FTS5: completed words AND-ed, the last word as a prefix, `ORDER BY \
         rank LIMIT 20` plus a `count(*)` (no facets). Milliseconds per keystroke; the ratio is \
         navigator/FTS5 (below 1: navigator is faster).\n",
        QUERIES.len(),
        queries::keystrokes_per_variant(),
        queries::MUNICIPALITY,
        queries::NEAR_PLACE,
        queries::WITHIN_KM
    );
    for r in &run.results {
        let _ = writeln!(
            s,
            "### {} services\n\n\
             | Variant | navigator p50 | p99 | max | FTS5 p50 | p99 | max | ratio p50 | ratio p99 | ratio max |\n\
             | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            r.size.label()
        );
        let rows: Vec<(&str, Option<&Samples>, Option<&Samples>)> = Variant::ALL
            .iter()
            .map(|v| (v.label(), r.nav.keystrokes.samples(*v), r.fts.keystrokes.samples(*v)))
            .chain(std::iter::once((
                "overall",
                Some(&r.nav.keystrokes.overall),
                Some(&r.fts.keystrokes.overall),
            )))
            .collect();
        for (label, nav, fts) in rows {
            let (Some(n), Some(f)) = (nav, fts) else {
                continue;
            };
            let _ = writeln!(
                s,
                "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                ms(n.p50()),
                ms(n.p99()),
                ms(n.max()),
                ms(f.p50()),
                ms(f.p99()),
                ms(f.max()),
                ratio(n.p50(), f.p50()),
                ratio(n.p99(), f.p99()),
                ratio(n.max(), f.max())
            );
        }
        for (engine, k) in [("navigator", &r.nav.keystrokes), ("FTS5", &r.fts.keystrokes)] {
            let slow: Vec<String> = k
                .slowest
                .iter()
                .map(|x| {
                    format!(
                        "\"{}\" ({}, {} results) {:.2} ms",
                        x.text,
                        x.variant.label(),
                        x.total,
                        x.ms
                    )
                })
                .collect();
            let _ = write!(s, "\nSlowest {engine} keystrokes: {}.", slow.join("; "));
        }
        s.push_str("\n\n");
    }
}

fn counts_section(s: &mut String, run: &Run) {
    let _ = writeln!(
        s,
        "## Result counts\n\nTotal results for some full queries (plain variant), navigator / FTS5.\n"
    );
    let mut head = String::from("| Query |");
    let mut rule = String::from("| --- |");
    for r in &run.results {
        let _ = write!(head, " {} navigator | FTS5 |", r.size.label());
        rule.push_str(" --- | --- |");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    for q in COMPARED {
        let _ = write!(s, "| {q} |");
        for r in &run.results {
            let count = |k: &queries::Keystrokes| k.total_of(q, Variant::Plain).map_or("?".into(), |n| n.to_string());
            let _ = write!(s, " {} | {} |", count(&r.nav.keystrokes), count(&r.fts.keystrokes));
        }
        s.push('\n');
    }
    s.push('\n');
}

fn fts5_limits(s: &mut String, run: &Run) {
    let typo: Vec<String> = run
        .results
        .iter()
        .map(|r| {
            let n = r.nav.keystrokes.total_of(TYPO_QUERY, Variant::Plain);
            let f = r.fts.keystrokes.total_of(TYPO_QUERY, Variant::Plain);
            format!(
                "{}: navigator {}, FTS5 {}",
                r.size.label(),
                n.map_or("?".into(), |n| thousands(n as u64)),
                f.map_or("?".into(), |n| thousands(n as u64))
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "## What FTS5 cannot do here\n\n\
         The FTS5 figures are for a simpler search than navigator's; it is the baseline, not an \
         equivalent:\n\n\
         - Typos: no tolerance. \"{TYPO_QUERY}\" finds {}.\n\
         - Synonyms: none (\"food bank\" does not find food pantries or \"banque alimentaire\").\n\
         - Geo: no distance ranking. The radius variant filters on a bounding box from a plain \
           coordinates table and still ranks by bm25; services without coordinates are dropped \
           (navigator keeps those whose municipality's centre is inside the radius).\n\
         - Word endings: `unicode61` folds case and accents but does not stem, and the Porter \
           stemmer it could wrap is English only; French plurals and verb forms do not meet.\n\
         - Facets: not computed (navigator counts categories, audiences, municipalities and \
           languages on every keystroke); each would be another GROUP BY query.\n",
        typo.join("; ")
    );
}

fn tui_section(s: &mut String, run: &Run) {
    let queries = run
        .results
        .iter()
        .find_map(|r| r.tui.as_ref().map(|t| t.session_queries))
        .unwrap_or(0);
    let _ = writeln!(
        s,
        "## TUI in a pseudo-terminal\n\n\
         The real binary at {COLS}x{ROWS} in a pseudo-terminal (portable-pty), its output parsed \
         with vt100. Start-up: spawn to the first frame showing a result count (\"N of M\"), \
         first the session's own start (right after the import and the FTS5 run, when much \
         of the index has usually left the page cache: mostly disk reads), then the median of \
         {WARM_STARTS} starts after the session (the index cached, as on a server in use). \
         Bytes per keystroke: typing \"{TYPED}\" from the start screen, waiting for quiescence \
         ({} ms without a byte) after each key, a key every 160 ms or so (a fast typist). The \
         detail pane follows the first result once typing pauses (`[tui] details_delay_ms`, \
         300 ms by default): what the app writes in the {} ms after the last key is counted in \
         the last key (and shown alone as \"after the pause\"). \"Every key\": the same typing in \
         a second app with `details_delay_ms = 0`, as a typist slower than the delay sees it. \
         Idle: bytes written in {} s after that. \
         Keystroke-to-frame: from writing a key to the last byte it caused, over every key typed \
         in the session (\"{TYPED}\", then {queries} of the queries above, Ctrl-U before each). \
         Peak RSS: VmHWM of the app before quitting; it counts the pages of the memory-mapped \
         index the app touched, so RssAnon (heap) and RssFile (mapped files) at that moment \
         are given beside it.\n\n\
         | Size | Start-up first, warm (ms) | Bytes/key median | Bytes/key max | After the pause | Every key: median, max | Idle bytes | Key-to-frame p50 (ms) | p99 (ms) | max (ms) | Keys timed | Session bytes/key median | Silent keys | Peak RSS | RssAnon / RssFile at the end |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        QUIET.as_millis(),
        SETTLE.as_millis(),
        IDLE.as_secs()
    );
    for r in &run.results {
        let Some(t) = &r.tui else {
            continue;
        };
        let (med, max) = median_max(&t.typed_bytes);
        let (every_med, every_max) = median_max(&t.typed_bytes_every_key);
        let _ = writeln!(
            s,
            "| {} | {:.1}, {:.1} | {med} | {max} | {} | {every_med}, {every_max} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |",
            r.size.label(),
            t.startup.as_secs_f64() * 1000.0,
            t.startup_warm.p50(),
            t.pause_bytes,
            t.idle_bytes,
            ms(t.latency.p50()),
            ms(t.latency.p99()),
            ms(t.latency.max()),
            t.latency.len(),
            median_max(&t.session_bytes).0,
            t.silent_keys,
            bytes(t.peak_rss_bytes),
            bytes(t.rss_anon_bytes),
            bytes(t.rss_file_bytes)
        );
    }
    s.push('\n');
    for r in &run.results {
        if let Some(t) = &r.tui {
            let _ = writeln!(
                s,
                "Bytes per key of \"{TYPED}\" at {}: {:?}; with the detail pane on every key: {:?}\n",
                r.size.label(),
                t.typed_bytes,
                t.typed_bytes_every_key
            );
        }
    }
}

fn load_section(s: &mut String, run: &Run) {
    let _ = writeln!(
        s,
        "## Other load on the machine\n\n\
         Share of the whole machine's CPU time used by other processes during each phase \
         (from /proc/stat, less this benchmark and its children). Figures measured while this \
         is high are pessimistic.\n"
    );
    // Every phase any size ran, in order (the re-import runs at some sizes only).
    let mut phases: Vec<&str> = Vec::new();
    for (p, _) in run.results.iter().flat_map(|r| &r.busy) {
        if !phases.contains(p) {
            phases.push(p);
        }
    }
    let _ = writeln!(
        s,
        "| Size | {} |\n|{}",
        phases.join(" | "),
        " --- |".repeat(phases.len() + 1)
    );
    for r in &run.results {
        let cells: Vec<String> = phases
            .iter()
            .map(|phase| match r.busy.iter().find(|(p, _)| p == phase) {
                Some((_, share)) => format!("{:.0}%", share * 100.0),
                None => "–".into(),
            })
            .collect();
        let _ = writeln!(s, "| {} | {} |", r.size.label(), cells.join(" | "));
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_analysis_section_is_carried_over() {
        let old = "# x\n\n## Targets\n\nstuff\n\n## Analysis\n\nThe 1M p99 is merges.\n";
        assert_eq!(previous_analysis(old).as_deref(), Some("The 1M p99 is merges.\n"));
        assert_eq!(previous_analysis("# x\n## Analysis\n\n"), None);
        assert_eq!(previous_analysis("# nothing"), None);
    }
}
