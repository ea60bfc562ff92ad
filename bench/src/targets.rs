//! The targets of issues 3 and 8, each judged PASS or MISS from the run's figures.

use crate::corpus::{thousands, Size};
use crate::report::SizeResult;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    Pass,
    Miss,
    NotMeasured,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub measured: Option<f64>,
    pub limit: f64,
    pub unit: &'static str,
    /// True for "at least" targets (import throughput), false for "at most".
    pub at_least: bool,
    pub decimals: usize,
    /// Why nothing was measured, when nothing was.
    pub missing: String,
}

impl Target {
    pub fn verdict(&self) -> Verdict {
        match self.measured {
            None => Verdict::NotMeasured,
            Some(m) if (self.at_least && m >= self.limit) || (!self.at_least && m <= self.limit) => Verdict::Pass,
            Some(_) => Verdict::Miss,
        }
    }

    pub fn fmt(&self, v: f64) -> String {
        let n = format!("{v:.*}", self.decimals);
        if self.unit.is_empty() {
            n
        } else {
            format!("{n} {}", self.unit)
        }
    }

    pub fn measured_text(&self) -> String {
        self.measured.map_or_else(|| "not measured".into(), |m| self.fmt(m))
    }

    /// "PASS (0.77 ms to spare)", "MISS by 3.20 ms (160% over)", "not measured: ...".
    pub fn result_text(&self) -> String {
        let Some(m) = self.measured else {
            return format!("not measured: {}", self.missing);
        };
        let gap = (m - self.limit).abs();
        let pct = if self.limit != 0.0 {
            format!(" ({:.0}% {})", 100.0 * gap / self.limit, self.side())
        } else {
            String::new()
        };
        match self.verdict() {
            Verdict::Pass if gap == 0.0 => "PASS (exactly at the target)".into(),
            Verdict::Pass => format!("PASS ({} to spare)", self.fmt(gap)),
            Verdict::Miss => format!("MISS by {}{pct}", self.fmt(gap)),
            Verdict::NotMeasured => unreachable!("measured above"),
        }
    }

    fn side(&self) -> &'static str {
        if self.at_least {
            "under"
        } else {
            "over"
        }
    }

    pub fn limit_text(&self) -> String {
        let op = if self.at_least { "≥" } else { "≤" };
        format!("{op} {}", self.fmt(self.limit))
    }
}

fn at(results: &[SizeResult], n: u64) -> Option<&SizeResult> {
    results.iter().find(|r| r.size == Size::Services(n))
}

fn not_in_run(n: u64) -> String {
    format!("{} services not in this run's --sizes", thousands(n))
}

#[allow(clippy::too_many_arguments)]
fn target(
    name: String,
    measured: Option<f64>,
    limit: f64,
    unit: &'static str,
    at_least: bool,
    decimals: usize,
    missing: String,
) -> Target {
    Target {
        name,
        measured,
        limit,
        unit,
        at_least,
        decimals,
        missing,
    }
}

pub fn evaluate(results: &[SizeResult], relevance: &[crate::relevance::Directory]) -> Vec<Target> {
    const K60: u64 = 60_000;
    const M1: u64 = 1_000_000;
    let mut out = Vec::new();
    for (n, limit) in [(K60, 2.0), (M1, 10.0)] {
        out.push(target(
            format!("Keystroke query p99 at {} services", thousands(n)),
            at(results, n).map(|r| r.nav.keystrokes.overall.p99()),
            limit,
            "ms",
            false,
            2,
            not_in_run(n),
        ));
    }
    for r in results.iter().filter(|r| r.size != Size::Demo) {
        out.push(target(
            format!("Import throughput at {} services", r.size.label()),
            Some(r.import.services_per_s()),
            25_000.0,
            "services/s",
            true,
            0,
            String::new(),
        ));
        let fts = r.fts.services as f64 / r.fts.import.as_secs_f64().max(1e-9);
        out.push(target(
            format!(
                "Import throughput at {} services / FTS5's in the same run",
                r.size.label()
            ),
            Some(r.import.services_per_s() / fts.max(1e-9)),
            1.0,
            "×",
            true,
            2,
            String::new(),
        ));
    }
    if !results.iter().any(|r| r.size != Size::Demo) {
        out.push(target(
            "Import throughput".into(),
            None,
            25_000.0,
            "services/s",
            true,
            0,
            "only the demo was imported".into(),
        ));
    }
    out.push(target(
        format!("Import peak RSS at {} services", thousands(M1)),
        at(results, M1).map(|r| r.import.peak_rss_bytes as f64 / 1e6),
        500.0,
        "MB",
        false,
        0,
        not_in_run(M1),
    ));
    let reimport = at(results, K60).and_then(|r| Some((r, r.reimport.as_ref()?)));
    out.push(target(
        format!(
            "Re-import at {} services, 1% changed: time / the full import's",
            thousands(K60)
        ),
        reimport.map(|(r, re)| re.wall.as_secs_f64() / r.import.wall.as_secs_f64().max(1e-9)),
        0.25,
        "×",
        false,
        2,
        not_in_run(K60),
    ));
    let tui = |n: u64| at(results, n).and_then(|r| r.tui.as_ref());
    out.push(target(
        format!("TUI start-up at {} services (median of warm starts)", thousands(M1)),
        tui(M1).map(|t| t.startup_warm.p50()),
        100.0,
        "ms",
        false,
        1,
        not_in_run(M1),
    ));
    out.push(target(
        format!("TUI session peak RSS at {} services", thousands(M1)),
        tui(M1).and_then(|t| t.peak_rss_bytes).map(|b| b as f64 / 1e6),
        150.0,
        "MB",
        false,
        1,
        not_in_run(M1),
    ));
    out.push(target(
        format!("TUI median bytes per keystroke at {} services", thousands(K60)),
        tui(K60).map(|t| crate::stats::median_max(&t.typed_bytes).0 as f64),
        400.0,
        "bytes",
        false,
        0,
        not_in_run(K60),
    ));
    out.push(target(
        format!("TUI bytes in 5 idle seconds at {} services", thousands(K60)),
        tui(K60).map(|t| t.idle_bytes as f64),
        0.0,
        "bytes",
        false,
        0,
        not_in_run(K60),
    ));
    out.push(target(
        format!("TUI keystroke-to-frame p99 at {} services", thousands(K60)),
        tui(K60).map(|t| t.latency.p99()),
        16.0,
        "ms",
        false,
        2,
        not_in_run(K60),
    ));
    out.extend(relevance_targets(relevance));
    out
}

/// Issue 14's relevance targets, judged on DC 211 (the first judged directory).
pub fn relevance_targets(dirs: &[crate::relevance::Directory]) -> Vec<Target> {
    let Some(dir) = dirs.first() else {
        return Vec::new();
    };
    let missing = match &dir.measured {
        Ok(_) => String::new(),
        Err(why) => why.clone(),
    };
    let engines = dir.measured.as_ref().ok().map(|(_, e)| e);
    let nav = engines.map(|e| e.navigator_summary());
    let fts = engines.map(|e| e.fts5_summary());
    let on = |what: &str| format!("Relevance {what} on {}", dir.name);
    vec![
        target(on("P@10"), nav.map(|n| n.p10), 0.80, "", true, 3, missing.clone()),
        target(on("hit@5"), nav.map(|n| n.hit5), 0.95, "", true, 3, missing.clone()),
        target(
            on("queries without a result"),
            nav.map(|n| n.zero as f64),
            0.0,
            "",
            false,
            0,
            missing.clone(),
        ),
        target(
            on("P@10 gain over FTS5"),
            nav.zip(fts)
                .and_then(|(n, f)| crate::relevance::gain(n.p10, f.p10))
                .map(|g| g * 100.0),
            30.0,
            "%",
            true,
            0,
            missing,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(measured: f64, limit: f64, at_least: bool) -> Target {
        target("x".into(), Some(measured), limit, "ms", at_least, 2, String::new())
    }

    #[test]
    fn verdicts_say_by_how_much() {
        assert_eq!(t(1.23, 2.0, false).result_text(), "PASS (0.77 ms to spare)");
        assert_eq!(t(5.2, 2.0, false).result_text(), "MISS by 3.20 ms (160% over)");
        assert_eq!(
            t(15_000.0, 20_000.0, true).result_text(),
            "MISS by 5000.00 ms (25% under)"
        );
        assert_eq!(t(0.0, 0.0, false).verdict(), Verdict::Pass);
        assert_eq!(t(3.0, 0.0, false).result_text(), "MISS by 3.00 ms");
        let none = target("x".into(), None, 1.0, "", false, 0, "why".into());
        assert_eq!(none.result_text(), "not measured: why");
    }
}
