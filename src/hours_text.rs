//! Opening hours as a navigator says them: "open until 17:00", "closed, opens Wed 8:30",
//! in English or French. Judged in the service's own time zone (the machine's when the
//! record has none), like "open now" in search.

use jiff::Timestamp;
use navigator_index::hours::{format_time, minute_of_week, open_status, OpenStatus};
use navigator_index::{Service, Weekday};

const DAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

fn day(d: Weekday, french: bool) -> &'static str {
    if french {
        DAYS_FR[d.index()]
    } else {
        &d.name()[..3]
    }
}

/// When `(d, m)` falls relative to now (`today`, `minute`): "", "tomorrow " or "Wed ".
fn when(d: Weekday, m: u16, today: Weekday, minute: u16, french: bool) -> String {
    let ahead = (d.index() + 7 - today.index()) % 7;
    match ahead {
        0 if m > minute => String::new(),
        1 if french => "demain ".into(),
        1 => "tomorrow ".into(),
        _ => format!("{} ", day(d, french)),
    }
}

/// The status and the next change, or `None` when the hours are unknown.
pub fn status_at(service: &Service, now: Timestamp) -> (OpenStatus, Weekday, u16) {
    let (weekday, minute) = minute_of_week(now, service.timezone.as_deref());
    (open_status(&service.schedules, weekday, minute), weekday, minute)
}

/// "open until 17:00", "open 24 hours", "closed, opens tomorrow 8:30", "closed",
/// "hours unknown" (and the French).
pub fn phrase(service: &Service, now: Timestamp, french: bool) -> String {
    let (status, today, minute) = status_at(service, now);
    match (status, french) {
        (OpenStatus::Open { closes: Some((d, m)) }, false) => {
            format!("open until {}{}", when(d, m, today, minute, false), format_time(m))
        }
        (OpenStatus::Open { closes: Some((d, m)) }, true) => {
            format!("ouvert jusqu'à {}{}", when(d, m, today, minute, true), format_time(m))
        }
        (OpenStatus::Open { closes: None }, false) => "open 24 hours".into(),
        (OpenStatus::Open { closes: None }, true) => "ouvert 24 heures sur 24".into(),
        (OpenStatus::Closed { opens: Some((d, m)) }, false) => {
            format!("closed, opens {}{}", when(d, m, today, minute, false), format_time(m))
        }
        (OpenStatus::Closed { opens: Some((d, m)) }, true) => {
            format!("fermé, ouvre {}{}", when(d, m, today, minute, true), format_time(m))
        }
        (OpenStatus::Closed { opens: None }, false) => "closed".into(),
        (OpenStatus::Closed { opens: None }, true) => "fermé".into(),
        (OpenStatus::Unknown, false) => "hours unknown".into(),
        (OpenStatus::Unknown, true) => "heures inconnues".into(),
    }
}

/// A short form for tables: "open to 17:00", "opens Wed 8:30", "?".
pub fn short(service: &Service, now: Timestamp) -> String {
    let (status, today, minute) = status_at(service, now);
    match status {
        OpenStatus::Open { closes: Some((d, m)) } => {
            format!("open to {}{}", when(d, m, today, minute, false), format_time(m))
        }
        OpenStatus::Open { closes: None } => "open 24h".into(),
        OpenStatus::Closed { opens: Some((d, m)) } => {
            format!("opens {}{}", when(d, m, today, minute, false), format_time(m))
        }
        OpenStatus::Closed { opens: None } => "closed".into(),
        OpenStatus::Unknown => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use navigator_index::WeeklyHours;

    fn service() -> Service {
        Service {
            schedules: vec![
                WeeklyHours {
                    weekday: Weekday::Monday,
                    opens: 9 * 60,
                    closes: 17 * 60,
                },
                WeeklyHours {
                    weekday: Weekday::Wednesday,
                    opens: 8 * 60 + 30,
                    closes: 12 * 60,
                },
            ],
            timezone: Some("America/Toronto".into()),
            ..Default::default()
        }
    }

    fn at(local: &str) -> Timestamp {
        format!("{local}[America/Toronto]")
            .parse::<jiff::ZonedDateTime>()
            .unwrap()
            .timestamp()
    }

    #[test]
    fn says_when_it_closes_or_next_opens() {
        let s = service();
        // 2026-11-23 is a Monday.
        assert_eq!(phrase(&s, at("2026-11-23T10:00"), false), "open until 17:00");
        assert_eq!(phrase(&s, at("2026-11-23T08:00"), false), "closed, opens 9:00");
        assert_eq!(phrase(&s, at("2026-11-23T18:00"), false), "closed, opens Wed 8:30");
        assert_eq!(phrase(&s, at("2026-11-24T18:00"), false), "closed, opens tomorrow 8:30");
        assert_eq!(phrase(&s, at("2026-11-24T18:00"), true), "fermé, ouvre demain 8:30");
        assert_eq!(phrase(&s, at("2026-11-25T13:00"), false), "closed, opens Mon 9:00");
        assert_eq!(short(&s, at("2026-11-23T18:00")), "opens Wed 8:30");
        assert_eq!(short(&s, at("2026-11-23T10:00")), "open to 17:00");
        assert_eq!(
            phrase(&Service::default(), at("2026-11-23T10:00"), false),
            "hours unknown"
        );
        assert_eq!(short(&Service::default(), at("2026-11-23T10:00")), "?");
    }
}
