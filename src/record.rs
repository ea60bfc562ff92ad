//! A service's whole record as labelled lines: what is read out to a caller first (phones
//! by type, address, today's hours, a warning when the record is old), then every other
//! field the importers read, with ids and taxonomy last. Used by `navigator show` and the
//! TUI's detail pane.

use jiff::civil::Date;
use jiff::Timestamp;
use navigator_index::hours::day_summary;
use navigator_index::text::{sanitize, sanitize_multiline};
use navigator_index::{categories, Phone, Service, Weekday};

/// What a phone line is, for a label: "Main" (the first voice line), "Toll-free", "TTY",
/// "Fax", "Text", or "Phone".
pub fn phone_label(p: &Phone, first_voice: bool) -> &'static str {
    let kind = p.kind.as_deref().unwrap_or("").to_ascii_lowercase();
    let digits: String = p.number.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.strip_prefix('1').filter(|d| d.len() == 10).unwrap_or(&digits);
    let toll_free = p.toll_free
        || ["800", "833", "844", "855", "866", "877", "888"]
            .iter()
            .any(|code| digits.starts_with(code));
    match kind.as_str() {
        "tty" | "tdd" | "ttd" => "TTY",
        "fax" => "Fax",
        "text" | "sms" => "Text",
        _ if toll_free => "Toll-free",
        _ if first_voice => "Main",
        _ => "Phone",
    }
}

/// The full record as (label, value) pairs, in the order a navigator reads them out: the
/// stale-record warning, organization, phones by type, address, today's hours (open or
/// closed and when that changes); then the rest; id, status and taxonomy last. `today`
/// decides the "over 12 months old" warning, `now` the hours.
pub fn fields(s: &Service, today: Date, now: Timestamp) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut add = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            lines.push((label.to_string(), v));
        }
    };
    let stale = s
        .last_verified
        .as_deref()
        .filter(|d| !staleness(d, today).is_empty())
        .map(|d| format!("verified {d}, over 12 months ago: confirm first"));
    // What the source says against referring, and an old record, before anything else.
    let warning: Vec<String> = [marks(s), stale].into_iter().flatten().collect();
    add("Warning", Some(warning.join("; ")));
    if s.organization.name != s.name {
        add("Organization", Some(s.organization.name.clone()));
    }
    let mut first_voice = true;
    for p in &s.phones {
        let label = phone_label(p, first_voice);
        first_voice &= label != "Main";
        // A line whose label does not say it all ("hotline", "after hours") keeps its kind.
        let line = if matches!(label, "Main" | "Phone") {
            phone_line(p)
        } else {
            let desc = p.description.as_deref().map(|d| format!(" - {d}")).unwrap_or_default();
            format!("{}{desc}", p.display())
        };
        add(label, Some(line));
    }
    // A withheld address reads "address confidential: call the service"; a confidential
    // reader sees the street marked "(confidential)" (Address::one_line decides).
    let address = s
        .address_line()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "not listed".into());
    add("Address", Some(address));
    let hours_today = if s.schedules.is_empty() {
        "hours unknown".to_string()
    } else {
        let (_, weekday, _) = crate::hours_text::status_at(s, now);
        let phrase = crate::hours_text::phrase(s, now, crate::referral::Tongue::English);
        match day_summary(&s.schedules, weekday) {
            Some(day) => format!("{day} ({phrase})"),
            None => phrase, // "closed, opens Wed 8:30"
        }
    };
    add("Today", Some(hours_today));
    add("Description", s.description.clone());
    add("Email", s.email.clone());
    add("Website", s.url.clone());
    for (i, l) in s.locations.iter().enumerate() {
        let mut place = l.address.as_ref().map(|a| a.one_line()).unwrap_or_default();
        if let Some(name) = &l.name {
            place = if place.is_empty() {
                name.clone()
            } else {
                format!("{name}: {place}")
            };
        }
        // The first address is already above; its site name is worth saying.
        if i > 0 || l.name.is_some() {
            add("Location", Some(place));
        }
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
    if !s.schedules.is_empty() {
        for day in Weekday::ALL {
            add(
                day.name(),
                Some(day_summary(&s.schedules, day).unwrap_or_else(|| "closed".into())),
            );
        }
    }
    add("Hours note", s.hours_note.clone());
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
    add("Also known as", s.alternate_name.clone());
    add("Official name", s.official_name.clone());
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
    add("Id", Some(s.id.clone()));
    add("Status", s.status.clone());
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
    add("Time zone", s.timezone.clone());
    if let Some((lat, lon)) = s.coordinates() {
        add("Coordinates", Some(format!("{lat:.5}, {lon:.5}")));
    }
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
pub fn render(s: &Service, today: Date, now: Timestamp) -> String {
    let lines = fields(s, today, now);
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
    fn what_is_read_out_comes_first_and_ids_last() {
        use navigator_index::{Address, Location, Organization, TaxonomyTerm, WeeklyHours};
        let s = Service {
            id: "svc-9".into(),
            name: "Food Bank".into(),
            status: Some("active".into()),
            organization: Organization {
                name: "Harbour Services".into(),
                ..Default::default()
            },
            description: Some("Hampers.".into()),
            phones: vec![
                Phone {
                    number: "705-555-0142".into(),
                    kind: Some("voice".into()),
                    ..Default::default()
                },
                Phone {
                    number: "1-800-555-0199".into(),
                    ..Default::default()
                },
                Phone {
                    number: "705-555-0143".into(),
                    kind: Some("TTY".into()),
                    ..Default::default()
                },
            ],
            locations: vec![Location {
                address: Some(Address {
                    lines: vec!["1 Elm St".into()],
                    city: Some("Sudbury".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            schedules: vec![WeeklyHours {
                weekday: Weekday::Wednesday,
                opens: 9 * 60,
                closes: 17 * 60,
            }],
            timezone: Some("America/Toronto".into()),
            taxonomy: vec![TaxonomyTerm {
                code: "BD-1800".into(),
                name: "Food pantries".into(),
                vocabulary: None,
            }],
            last_verified: Some("2024-01-10".into()),
            ..Default::default()
        };
        let today: Date = "2026-11-25".parse().unwrap(); // a Wednesday
        let now: Timestamp = "2026-11-25T12:00[America/Toronto]"
            .parse::<jiff::ZonedDateTime>()
            .unwrap()
            .timestamp();
        let labels: Vec<String> = fields(&s, today, now).into_iter().map(|(l, _)| l).collect();
        assert_eq!(
            &labels[..7],
            [
                "Warning",
                "Organization",
                "Main",
                "Toll-free",
                "TTY",
                "Address",
                "Today"
            ],
            "{labels:?}"
        );
        let tail: Vec<&str> = labels.iter().rev().take(5).map(String::as_str).collect();
        assert_eq!(
            tail,
            ["Time zone", "Last verified", "Taxonomy", "Status", "Id"],
            "{labels:?}"
        );
        let all = fields(&s, today, now);
        let today_line = &all.iter().find(|(l, _)| l == "Today").unwrap().1;
        assert_eq!(today_line, "9:00-17:00 (open until 17:00)");
    }

    #[test]
    fn stale_records_are_flagged() {
        let today: Date = "2026-11-25".parse().unwrap();
        assert!(staleness("2025-11-24", today).contains("over 12 months"));
        assert_eq!(staleness("2025-11-25", today), "");
        assert_eq!(staleness("not a date", today), "");
    }
}
