//! Reports as the CLI prints them: aligned tables for people, and CSV with one row per
//! figure for spreadsheets.
//!
//! CSV columns: `section,group,key,value,numerator,denominator`.
//! - `section`: `period`, `summary`, `needs`, `unmet_reasons`, `by_municipality` (needs
//!   report); `period`, `summary`, `reached`, `barriers` (outcomes report).
//! - `group`: the category slug (`needs`) or the municipality (`by_municipality`, empty
//!   for contacts without one); empty elsewhere.
//! - `key`: the JSON key of the figure (`contacts`, `tracked_pct`, `total`, `waitlist`).
//! - `value`: the count, the percentage to one decimal (empty when there is nothing to
//!   divide by), or the date (`period`, empty when open).
//! - `numerator`, `denominator`: for percentages only.

use std::io::Write;

use super::{NeedsReport, OutcomesReport, Period, Ratio, Tally};
use crate::output::Table;

/// The CSV header of a report.
pub const CSV_HEADER: [&str; 6] = ["section", "group", "key", "value", "numerator", "denominator"];

/// One CSV row of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub section: &'static str,
    pub group: String,
    pub key: String,
    pub value: String,
    pub numerator: String,
    pub denominator: String,
}

impl Figure {
    fn count(section: &'static str, group: &str, key: &str, n: u64) -> Figure {
        Figure {
            section,
            group: group.to_string(),
            key: key.to_string(),
            value: n.to_string(),
            numerator: String::new(),
            denominator: String::new(),
        }
    }

    fn ratio(section: &'static str, key: &str, r: &Ratio) -> Figure {
        Figure {
            section,
            group: String::new(),
            key: key.to_string(),
            value: r.tenths().map(|t| format!("{}.{}", t / 10, t % 10)).unwrap_or_default(),
            numerator: r.yes.to_string(),
            denominator: r.of.to_string(),
        }
    }

    fn record(&self) -> [&str; 6] {
        [
            self.section,
            &self.group,
            &self.key,
            &self.value,
            &self.numerator,
            &self.denominator,
        ]
    }
}

fn period_figures(period: &Period) -> Vec<Figure> {
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    [("from", period.from), ("to", period.to)]
        .into_iter()
        .map(|(key, d)| Figure {
            section: "period",
            group: String::new(),
            key: key.into(),
            value: date(d),
            numerator: String::new(),
            denominator: String::new(),
        })
        .collect()
}

fn tally_figures(section: &'static str, tally: &Tally) -> Vec<Figure> {
    tally.0.iter().map(|(k, n)| Figure::count(section, "", k, *n)).collect()
}

/// The needs report as CSV figures, in the order printed.
pub fn needs_figures(r: &NeedsReport) -> Vec<Figure> {
    let mut out = period_figures(&Period { from: r.from, to: r.to });
    out.push(Figure::count("summary", "", "contacts", r.contacts));
    out.push(Figure::count(
        "summary",
        "",
        "contacts_with_needs",
        r.contacts_with_needs,
    ));
    out.push(Figure::ratio("summary", "tracked_pct", &r.tracked));
    for n in &r.needs {
        for (key, v) in [("total", n.total), ("met", n.met), ("unmet", n.unmet)] {
            out.push(Figure::count("needs", &n.category, key, v));
        }
    }
    out.extend(tally_figures("unmet_reasons", &r.unmet_reasons));
    for m in &r.by_municipality {
        let group = m.municipality.as_deref().unwrap_or("");
        for (key, v) in [("contacts", m.contacts), ("needs", m.needs), ("unmet", m.unmet)] {
            out.push(Figure::count("by_municipality", group, key, v));
        }
    }
    out
}

/// The answers of reached callers: (JSON key, label, ratio). The one list of these labels:
/// the TUI's reports and `report outcomes` say the same thing the same way.
pub fn answers(r: &OutcomesReport) -> [(&'static str, &'static str, &Ratio); 6] {
    [
        (
            "followed_up_on_referral",
            "Followed up on the referral",
            &r.followed_up_on_referral,
        ),
        ("connected", "Connected to help", &r.connected),
        ("better_prepared", "Better prepared", &r.better_prepared),
        ("health_improved", "Health improved", &r.health_improved),
        ("very_satisfied", "Very satisfied", &r.very_satisfied),
        ("would_call_again", "Would call 211 again", &r.would_call_again),
    ]
}

/// The outcomes report as CSV figures, in the order printed.
pub fn outcomes_figures(r: &OutcomesReport) -> Vec<Figure> {
    let mut out = period_figures(&Period { from: r.from, to: r.to });
    for (key, n) in [
        ("followups_due", r.followups_due),
        ("followups_completed", r.followups_completed),
        ("reached", r.reached),
        ("unreachable", r.unreachable),
    ] {
        out.push(Figure::count("summary", "", key, n));
    }
    for (key, _, ratio) in answers(r) {
        out.push(Figure::ratio("reached", &format!("{key}_pct"), ratio));
    }
    out.extend(tally_figures("barriers", &r.barriers));
    out
}

/// Writes figures as CSV with the header.
pub fn write_csv(figures: &[Figure], out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for f in figures {
        w.write_record(f.record())?;
    }
    w.flush()
}

/// "2026-01-01 to 2026-01-31", "from 2026-01-01", "up to 2026-01-31" or "all dates".
pub fn period_text(period: &Period) -> String {
    match (period.from, period.to) {
        (Some(f), Some(t)) if f == t => format!("{f}"),
        (Some(f), Some(t)) => format!("{f} to {t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (None, None) => "all dates".into(),
    }
}

fn title(out: &mut impl Write, what: &str, period: &Period, municipality: Option<&str>) -> std::io::Result<()> {
    let place = municipality
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| format!(", {}", navigator_index::text::sanitize(m)))
        .unwrap_or_default();
    writeln!(out, "{what}: {}{place}", period_text(period))?;
    writeln!(out)
}

fn figures_table(rows: &[(&str, String)]) -> Table {
    let mut t = Table::new(&[("Figure", true), ("Value", false)]);
    for (label, value) in rows {
        t.row(vec![label.to_string(), value.clone()]);
    }
    t
}

fn tally_table(header: &'static str, count: &'static str, tally: &Tally) -> Table {
    let mut t = Table::new(&[(header, true), (count, false)]);
    for (k, n) in &tally.0 {
        t.row(vec![k.clone(), n.to_string()]);
    }
    t
}

/// The needs report as aligned tables, `width` characters wide at most.
pub fn needs_table(
    r: &NeedsReport,
    municipality: Option<&str>,
    out: &mut impl Write,
    width: usize,
) -> std::io::Result<()> {
    title(out, "Needs", &Period { from: r.from, to: r.to }, municipality)?;
    figures_table(&[
        ("Contacts", r.contacts.to_string()),
        ("Contacts with needs", r.contacts_with_needs.to_string()),
        ("Needs tracked", r.tracked.text()),
    ])
    .write(out, width)?;
    writeln!(out)?;
    if r.needs.is_empty() {
        writeln!(out, "No needs recorded in this period.")?;
        return Ok(());
    }
    let mut t = Table::new(&[("Category", true), ("Total", false), ("Met", false), ("Unmet", false)]);
    for n in &r.needs {
        t.row(vec![
            n.category.clone(),
            n.total.to_string(),
            n.met.to_string(),
            n.unmet.to_string(),
        ]);
    }
    t.write(out, width)?;
    writeln!(out)?;
    tally_table("Reason not met", "Needs", &r.unmet_reasons).write(out, width)?;
    writeln!(out)?;
    let mut t = Table::new(&[
        ("Municipality", true),
        ("Contacts", false),
        ("Needs", false),
        ("Unmet", false),
    ]);
    for m in &r.by_municipality {
        t.row(vec![
            m.municipality.clone().unwrap_or_else(|| "(none)".into()),
            m.contacts.to_string(),
            m.needs.to_string(),
            m.unmet.to_string(),
        ]);
    }
    t.write(out, width)
}

/// The outcomes report as aligned tables, `width` characters wide at most.
pub fn outcomes_table(
    r: &OutcomesReport,
    municipality: Option<&str>,
    out: &mut impl Write,
    width: usize,
) -> std::io::Result<()> {
    title(out, "Outcomes", &Period { from: r.from, to: r.to }, municipality)?;
    let mut rows = vec![
        ("Follow-ups due", r.followups_due.to_string()),
        ("Follow-ups completed", r.followups_completed.to_string()),
        ("Reached", r.reached.to_string()),
        ("Unreachable", r.unreachable.to_string()),
    ];
    for (_, label, ratio) in answers(r) {
        rows.push((label, ratio.text()));
    }
    figures_table(&rows).write(out, width)?;
    writeln!(out)?;
    tally_table("Barrier", "Referrals", &r.barriers).write(out, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_figures_quote_what_needs_quoting() {
        let mut figures = period_figures(&Period::all());
        figures.push(Figure::count("by_municipality", "Sault, \"the Soo\"", "contacts", 2));
        figures.push(Figure::ratio("summary", "tracked_pct", &Ratio::new(2, 3)));
        figures.push(Figure::ratio("summary", "x_pct", &Ratio::new(0, 0)));
        let mut out = Vec::new();
        write_csv(&figures, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "section,group,key,value,numerator,denominator\n\
             period,,from,,,\n\
             period,,to,,,\n\
             by_municipality,\"Sault, \"\"the Soo\"\"\",contacts,2,,\n\
             summary,,tracked_pct,66.7,2,3\n\
             summary,,x_pct,,0,0\n"
        );
    }

    #[test]
    fn periods_read_naturally() {
        let d = |s: &str| Some(s.parse().unwrap());
        assert_eq!(
            period_text(&Period {
                from: d("2026-01-01"),
                to: d("2026-01-31")
            }),
            "2026-01-01 to 2026-01-31"
        );
        assert_eq!(
            period_text(&Period {
                from: d("2026-01-01"),
                to: None
            }),
            "from 2026-01-01"
        );
        assert_eq!(
            period_text(&Period {
                from: None,
                to: d("2026-01-31")
            }),
            "up to 2026-01-31"
        );
        assert_eq!(period_text(&Period::all()), "all dates");
    }
}
