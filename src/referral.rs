//! Referral text: what a navigator reads out or sends a caller for one service. Shared by
//! the TUI's copy action and (later) the referral summary.

use jiff::civil::Date;
use navigator_index::hours::day_summary;
use navigator_index::text::sanitize;
use navigator_index::{Service, Weekday};

/// Name, phones, address and hours (today's first), plain text, one fact per line.
pub fn text(service: &Service, today: Date) -> String {
    let mut lines = vec![sanitize(&service.name)];
    if !service.organization.name.is_empty() && service.organization.name != service.name {
        lines[0].push_str(&format!(" ({})", sanitize(&service.organization.name)));
    }
    for phone in &service.phones {
        let kind = phone
            .kind
            .as_deref()
            .filter(|k| *k != "voice")
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        lines.push(format!("Phone: {}{kind}", sanitize(&phone.display())));
    }
    if let Some(address) = service.address_line() {
        lines.push(format!("Address: {}", sanitize(&address)));
    }
    if service.schedules.is_empty() {
        lines.push("Hours: not listed, call first".into());
    } else {
        let weekday = Weekday::from_index(today.weekday().to_monday_zero_offset() as usize);
        let today_hours =
            day_summary(&service.schedules, weekday).unwrap_or_else(|| "closed".into());
        lines.push(format!("Today ({}): {today_hours}", weekday.name()));
        let week: Vec<String> = Weekday::ALL
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    &d.name()[..3],
                    day_summary(&service.schedules, *d).unwrap_or_else(|| "closed".into())
                )
            })
            .collect();
        lines.push(format!("Hours: {}", week.join("; ")));
    }
    if let Some(url) = &service.url {
        lines.push(format!("Web: {}", sanitize(url)));
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use navigator_index::{Address, Location, Phone, WeeklyHours};

    #[test]
    fn referral_text_has_name_phone_address_and_todays_hours() {
        let service = Service {
            name: "Food Bank\u{1b}[2J".into(),
            phones: vec![Phone {
                number: "705-555-0142".into(),
                ..Default::default()
            }],
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
                opens: 540,
                closes: 1020,
            }],
            ..Default::default()
        };
        let wednesday: Date = "2026-11-25".parse().unwrap();
        let text = text(&service, wednesday);
        assert_eq!(
            text,
            "Food Bank\nPhone: 705-555-0142\nAddress: 1 Elm St, Sudbury\nToday (Wednesday): 9:00-17:00\n\
             Hours: Mon closed; Tue closed; Wed 9:00-17:00; Thu closed; Fri closed; Sat closed; Sun closed\n"
        );
    }
}
