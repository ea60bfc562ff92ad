//! Opening hours as a navigator says them: "open until 17:00", "closed, opens Wed 8:30",
//! in English, French or Spanish. Judged in the service's own time zone (the machine's
//! when the record has none), like "open now" in search.

use jiff::Timestamp;
use navigator_index::hours::{format_time, minute_of_week, open_status, OpenStatus};
use navigator_index::{Service, Weekday};

use crate::referral::Tongue;

const DAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const DAYS_ES: [&str; 7] = ["lun.", "mar.", "mié.", "jue.", "vie.", "sáb.", "dom."];

fn day(d: Weekday, tongue: Tongue) -> &'static str {
    match tongue {
        Tongue::English => &d.name()[..3],
        Tongue::French => DAYS_FR[d.index()],
        Tongue::Spanish => DAYS_ES[d.index()],
    }
}

/// When `(d, m)` falls relative to now (`today`, `minute`): "", "tomorrow " or "Wed ".
fn when(d: Weekday, m: u16, today: Weekday, minute: u16, tongue: Tongue) -> String {
    let ahead = (d.index() + 7 - today.index()) % 7;
    match (ahead, tongue) {
        (0, _) if m > minute => String::new(),
        (1, Tongue::English) => "tomorrow ".into(),
        (1, Tongue::French) => "demain ".into(),
        (1, Tongue::Spanish) => "mañana ".into(),
        _ => format!("{} ", day(d, tongue)),
    }
}

/// The status and the next change, or `None` when the hours are unknown.
pub fn status_at(service: &Service, now: Timestamp) -> (OpenStatus, Weekday, u16) {
    let (weekday, minute) = minute_of_week(now, service.timezone.as_deref());
    (open_status(&service.schedules, weekday, minute), weekday, minute)
}

/// "open until 17:00", "open 24 hours", "closed, opens tomorrow 8:30", "closed",
/// "hours unknown" (and the French and the Spanish).
pub fn phrase(service: &Service, now: Timestamp, tongue: Tongue) -> String {
    let (status, today, minute) = status_at(service, now);
    let (open_until, open_always, closed_opens, closed, unknown) = match tongue {
        Tongue::English => (
            "open until",
            "open 24 hours",
            "closed, opens",
            "closed",
            "hours unknown",
        ),
        Tongue::French => (
            "ouvert jusqu'à",
            "ouvert 24 heures sur 24",
            "fermé, ouvre",
            "fermé",
            "heures inconnues",
        ),
        Tongue::Spanish => (
            "abierto hasta las",
            "abierto las 24 horas",
            "cerrado, abre",
            "cerrado",
            "horario desconocido",
        ),
    };
    match status {
        OpenStatus::Open { closes: Some((d, m)) } => {
            format!("{open_until} {}{}", when(d, m, today, minute, tongue), format_time(m))
        }
        OpenStatus::Open { closes: None } => open_always.into(),
        OpenStatus::Closed { opens: Some((d, m)) } => {
            format!("{closed_opens} {}{}", when(d, m, today, minute, tongue), format_time(m))
        }
        OpenStatus::Closed { opens: None } => closed.into(),
        OpenStatus::Unknown => unknown.into(),
    }
}

/// A short form for tables: "open to 17:00", "opens Wed 8:30", "?".
pub fn short(service: &Service, now: Timestamp) -> String {
    let (status, today, minute) = status_at(service, now);
    match status {
        OpenStatus::Open { closes: Some((d, m)) } => {
            format!(
                "open to {}{}",
                when(d, m, today, minute, Tongue::English),
                format_time(m)
            )
        }
        OpenStatus::Open { closes: None } => "open 24h".into(),
        OpenStatus::Closed { opens: Some((d, m)) } => {
            format!("opens {}{}", when(d, m, today, minute, Tongue::English), format_time(m))
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
        for (local, tongue, said) in [
            ("2026-11-23T10:00", Tongue::English, "open until 17:00"),
            ("2026-11-23T08:00", Tongue::English, "closed, opens 9:00"),
            ("2026-11-23T18:00", Tongue::English, "closed, opens Wed 8:30"),
            ("2026-11-24T18:00", Tongue::English, "closed, opens tomorrow 8:30"),
            ("2026-11-24T18:00", Tongue::French, "fermé, ouvre demain 8:30"),
            ("2026-11-24T18:00", Tongue::Spanish, "cerrado, abre mañana 8:30"),
            ("2026-11-23T18:00", Tongue::Spanish, "cerrado, abre mié. 8:30"),
            ("2026-11-23T10:00", Tongue::Spanish, "abierto hasta las 17:00"),
            ("2026-11-25T13:00", Tongue::English, "closed, opens Mon 9:00"),
        ] {
            assert_eq!(phrase(&s, at(local), tongue), said, "{local} {tongue:?}");
        }
        assert_eq!(short(&s, at("2026-11-23T18:00")), "opens Wed 8:30");
        assert_eq!(short(&s, at("2026-11-23T10:00")), "open to 17:00");
        assert_eq!(
            phrase(&Service::default(), at("2026-11-23T10:00"), Tongue::English),
            "hours unknown"
        );
        assert_eq!(short(&Service::default(), at("2026-11-23T10:00")), "?");
    }
}
