//! A service's whole record as labelled lines: every field the importers read, hours for
//! each day, taxonomy, and the last verified date with a warning when it is old. Used by
//! `navigator show` and the TUI's detail pane.

use jiff::civil::Date;
use navigator_index::hours::day_summary;
use navigator_index::text::{sanitize, sanitize_multiline};
use navigator_index::{categories, Service, Weekday};

/// The full record as (label, value) pairs, in the order a navigator reads them. `today`
/// decides the "over 12 months old" warning.
pub fn fields(s: &Service, today: Date) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut add = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            lines.push((label.to_string(), v));
        }
    };
    add("Id", Some(s.id.clone()));
    add("Organization", Some(s.organization.name.clone()));
    add("Also known as", s.alternate_name.clone());
    add("Official name", s.official_name.clone());
    add("Status", s.status.clone());
    add("Warning", marks(s));
    add("Description", s.description.clone());
    for p in &s.phones {
        add("Phone", Some(phone_line(p)));
    }
    add("Email", s.email.clone());
    add("Website", s.url.clone());
    for l in &s.locations {
        let mut place = l.address.as_ref().map(|a| a.one_line()).unwrap_or_default();
        if let Some(name) = &l.name {
            place = if place.is_empty() {
                name.clone()
            } else {
                format!("{name}: {place}")
            };
        }
        if let (Some(lat), Some(lon)) = (l.latitude, l.longitude) {
            place.push_str(&format!(" ({lat:.5}, {lon:.5})"));
        }
        add("Location", Some(place));
        add("Mailing address", l.mailing_address.as_ref().map(|a| a.one_line()));
        add("Finding it", l.description.clone());
        add("Transportation", l.transportation.clone());
        for p in &l.phones {
            add("  Phone here", Some(phone_line(p)));
        }
        if !l.schedules.is_empty() {
            let week: Vec<String> = Weekday::ALL
                .iter()
                .filter_map(|d| Some(format!("{} {}", &d.name()[..3], day_summary(&l.schedules, *d)?)))
                .collect();
            add("  Hours here", Some(week.join("; ")));
        }
        add("  Hours note", l.hours_note.clone());
    }
    if s.schedules.is_empty() {
        add("Hours", Some("unknown".into()));
    } else {
        for day in Weekday::ALL {
            add(
                day.name(),
                Some(day_summary(&s.schedules, day).unwrap_or_else(|| "closed".into())),
            );
        }
    }
    add("Hours note", s.hours_note.clone());
    add("Time zone", s.timezone.clone());
    add("Eligibility", s.eligibility.clone());
    let ages = match (s.min_age, s.max_age) {
        (Some(a), Some(b)) => Some(format!("{a} to {b}")),
        (Some(a), None) => Some(format!("{a} and over")),
        (None, Some(b)) => Some(format!("up to {b}")),
        (None, None) => None,
    };
    add("Ages", ages);
    add("Fees", s.fees.clone());
    add("Free", s.free.map(|f| if f { "yes" } else { "no" }.into()));
    add(
        "Languages",
        Some(
            s.languages
                .iter()
                .map(|l| l.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    add("Interpretation", s.interpretation_services.clone());
    add("Accessibility", Some(s.accessibility.join("; ")));
    add(
        "Wheelchair",
        s.wheelchair_accessible
            .map(|a| if a { "accessible" } else { "not accessible" }.into()),
    );
    add("How to apply", s.application_process.clone());
    add("Documents", Some(s.required_documents.join("; ")));
    add("Wait time", s.wait_time.clone());
    add("Service area", Some(s.service_areas.join("; ")));
    let cats: Vec<&str> = s
        .categories
        .iter()
        .map(|c| categories::category(c).map_or(c.as_str(), |c| c.en))
        .collect();
    let inferred = if s.categories_inferred && !cats.is_empty() {
        " (inferred from words)"
    } else {
        ""
    };
    add(
        "Categories",
        Some(format!("{}{inferred}", cats.join(", "))).filter(|_| !cats.is_empty()),
    );
    let auds: Vec<&str> = s
        .audiences
        .iter()
        .map(|c| categories::audience(c).map_or(c.as_str(), |c| c.en))
        .collect();
    add("Audiences", Some(auds.join(", ")));
    for t in &s.taxonomy {
        let term = match (t.code.is_empty(), t.name.is_empty()) {
            (false, false) => format!("{} {}", t.code, t.name),
            (false, true) => t.code.clone(),
            _ => t.name.clone(),
        };
        add("Taxonomy", Some(term));
    }
    add(
        "Last verified",
        s.last_verified.as_ref().map(|d| format!("{d}{}", staleness(d, today))),
    );
    lines
}

/// "1-800-555-0199 (toll-free) - Crisis Line"
fn phone_line(p: &navigator_index::Phone) -> String {
    let kind = p.kind_label().map(|k| format!(" ({k})")).unwrap_or_default();
    let desc = p.description.as_deref().map(|d| format!(" - {d}")).unwrap_or_default();
    format!("{}{kind}{desc}", p.display())
}

/// The marks a result row shows before the name: "inactive", "do not refer", "not public".
pub fn short_marks(s: &Service) -> Vec<&'static str> {
    [
        (s.inactive, "inactive"),
        (s.do_not_refer, "do not refer"),
        (s.excluded_from_directory, "not public"),
    ]
    .into_iter()
    .filter_map(|(on, text)| on.then_some(text))
    .collect()
}

/// What the source says against referring: inactive, "do not refer", kept out of its
/// public directory (imported with `--include-inactive`).
pub fn marks(s: &Service) -> Option<String> {
    let marks: Vec<&str> = [
        (s.inactive, "inactive at the source"),
        (s.do_not_refer, "do not refer"),
        (s.excluded_from_directory, "not in the source's public directory"),
    ]
    .into_iter()
    .filter_map(|(on, text)| on.then_some(text))
    .collect();
    (!marks.is_empty()).then(|| marks.join("; "))
}

/// The full record as aligned text, for `navigator show`.
pub fn render(s: &Service, today: Date) -> String {
    let lines = fields(s, today);
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut out = format!("{}\n", sanitize(&s.name));
    for (label, value) in lines {
        let value = sanitize_multiline(&value);
        let mut first = true;
        for line in value.lines() {
            let label = if first { label.as_str() } else { "" };
            out.push_str(&format!("  {label:<width$}  {line}\n"));
            first = false;
        }
    }
    out
}

/// A warning when the record was last verified more than 12 months before `today`.
pub fn staleness(date: &str, today: Date) -> &'static str {
    let Ok(verified) = date.parse::<Date>() else {
        return "";
    };
    match today.checked_sub(jiff::Span::new().years(1)) {
        Ok(year_ago) if verified < year_ago => "  (over 12 months old: confirm details before referring)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_records_are_flagged() {
        let today: Date = "2026-11-25".parse().unwrap();
        assert!(staleness("2025-11-24", today).contains("over 12 months"));
        assert_eq!(staleness("2025-11-25", today), "");
        assert_eq!(staleness("not a date", today), "");
    }
}
