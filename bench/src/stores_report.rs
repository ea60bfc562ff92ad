//! The "Many offices" section of BENCHMARKS.md. It carries its own command, date and
//! commit: `--stores-only` rewrites this section alone and leaves every other figure of
//! the file as the run that measured it wrote it.

use std::fmt::Write;

use crate::corpus::thousands;
use crate::stats::median_max;
use crate::stores::{StoreRun, PROCESSES};

pub const HEADING: &str = "## Many offices: SQLite and PostgreSQL";

fn per_s(n: usize, wall: std::time::Duration) -> String {
    format!("{:.0}", n as f64 / wall.as_secs_f64().max(1e-9))
}

pub fn render(run: &StoreRun) -> String {
    let m = &run.machine;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{HEADING}\n\n\
         Measured by `{}` on {} ({} cores), commit {}; this section only, the rest of the file \
         is from the run described at the top. {}; SQLite in WAL mode with synchronous=FULL; \
         both on the same disk. To reproduce, from the workspace root: \
         `. .ci/postgres.sh && PG_FSYNC=on pg_start && cargo run --release -p navigator-bench -- \
         --stores-only --postgres \"$NAVIGATOR_TEST_PG_URL\"; pg_stop`.\n",
        m.command, m.date, m.cores, m.commit, run.postgres
    );
    let _ = writeln!(
        s,
        "{}{PROCESSES} navigator processes at once, each opening the catalogue as the app does and \
         keeping its connection, as the app's casework worker does; SQLite: one data \
         directory; PostgreSQL: two data directories (two servers, {} processes each) on one \
         database. Saves: each process saves its contacts one after another (the database's \
         clock, then one transaction with the needs, the follow-up and the personal data). \
         Claims: each process reads the due queue, takes one of the first 16 free follow-ups \
         at random and claims it, until none is free; a claim another process won first is \
         refused (a lost race), never granted twice. Rates are over the span from the first \
         process's start to the last one's end; latencies per operation.\n",
        run.busy.map_or_else(String::new, |b| format!(
            "Other processes (the PostgreSQL server's among them) used {:.0}% of the machine while this section was measured; figures taken while others are busy are pessimistic.\n\n",
            b * 100.0
        )),
        PROCESSES / 2
    );
    s.push_str(
        "| Store | Servers | Contacts | Saved/s | Save p50 (ms) | p99 | Claims | Claims/s | Claim p50 (ms) | p99 | Lost races | Double claims |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for l in &run.loads {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} | {:.2} | {} | {} | {:.2} | {:.2} | {} | {} |",
            l.store,
            l.servers,
            l.contacts,
            per_s(l.contacts, l.contacts_wall),
            l.save.p50(),
            l.save.p99(),
            l.claims,
            per_s(l.claims, l.claims_wall),
            l.claim.p50(),
            l.claim.p99(),
            l.lost_races,
            l.double_claims
        );
    }
    let _ = writeln!(
        s,
        "\n### Keystrokes with each store ({} services)\n\n\
         The session of \"TUI in a pseudo-terminal\" above (same typing, same measures) on a \
         catalogue of {} services imported into each store. Search runs on this server's index either way; \
         what the store adds to a keystroke is the follow-up count the app refreshes after \
         each result, on its casework thread.\n",
        thousands(run.services),
        thousands(run.services)
    );
    s.push_str(
        "| Store | Key-to-frame p50 (ms) | p99 (ms) | max (ms) | Keys timed | Bytes/key median, max | Start-up warm (ms) |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (store, t) in &run.keys {
        let (median, max) = median_max(&t.typed_bytes);
        let _ = writeln!(
            s,
            "| {store} | {:.2} | {:.2} | {:.2} | {} | {median}, {max} | {:.1} |",
            t.latency.p50(),
            t.latency.p99(),
            t.latency.max(),
            t.latency.len(),
            t.startup_warm.p50()
        );
    }
    s.push('\n');
    s
}

/// The section with `heading` in `text` (up to the next `## `), if any.
pub fn section(text: &str, heading: &str) -> Option<String> {
    let start = text.find(&format!("{heading}\n"))?;
    if start > 0 && !text[..start].ends_with('\n') {
        return None;
    }
    let rest = &text[start + heading.len()..];
    let end = rest.find("\n## ").map_or(text.len(), |i| start + heading.len() + i + 1);
    Some(text[start..end].to_string())
}

/// `text` with the section `heading` replaced by `new`, or `new` put before the Analysis
/// (or at the end when there is none).
pub fn with_section(text: &str, heading: &str, new: &str) -> String {
    if let Some(old) = section(text, heading) {
        return text.replacen(&old, new, 1);
    }
    let analysis = format!("{}\n", crate::report::ANALYSIS_HEADING);
    match text.find(&format!("\n{analysis}")) {
        Some(i) => format!("{}{new}{}", &text[..i + 1], &text[i + 1..]),
        None if text.is_empty() => new.to_string(),
        None => format!("{}\n\n{new}", text.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_is_replaced_alone_or_put_before_the_analysis() {
        let file = "# b\n\n## Import\n\n| 1 |\n\n## Analysis\n\nWords.\n";
        let new = format!("{HEADING}\n\n| 2 |\n\n");
        let once = with_section(file, HEADING, &new);
        assert_eq!(
            once,
            format!("# b\n\n## Import\n\n| 1 |\n\n{new}## Analysis\n\nWords.\n")
        );
        let newer = format!("{HEADING}\n\n| 3 |\n\n");
        let twice = with_section(&once, HEADING, &newer);
        assert_eq!(
            twice,
            format!("# b\n\n## Import\n\n| 1 |\n\n{newer}## Analysis\n\nWords.\n")
        );
        assert_eq!(section(&twice, HEADING).as_deref(), Some(newer.as_str()));
        assert_eq!(section(file, HEADING), None);
    }
}
