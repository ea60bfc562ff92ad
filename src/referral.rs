//! Referral text: what a navigator reads out or sends a caller for one service. Shared by
//! the TUI's copy action and (later) the referral summary.

use jiff::Timestamp;
use navigator_index::hours::day_summary;
use navigator_index::text::sanitize;
use navigator_index::{Service, Weekday};

/// The language a referral summary is read out or sent in: the caller's, when it is one of
/// these, else English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tongue {
    English,
    French,
    Spanish,
}

impl Tongue {
    /// For a caller's language code ("fr", "es"; anything else: English).
    pub fn for_caller(code: Option<&str>) -> Tongue {
        match code {
            Some("fr") => Tongue::French,
            Some("es") => Tongue::Spanish,
            _ => Tongue::English,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Tongue::English => "en",
            Tongue::French => "fr",
            Tongue::Spanish => "es",
        }
    }

    /// The language's own name, for the summary's title.
    pub fn name(self) -> &'static str {
        match self {
            Tongue::English => "English",
            Tongue::French => "français",
            Tongue::Spanish => "español",
        }
    }

    /// The next one, for the key that switches: English, French, Spanish, English...
    pub fn next(self) -> Tongue {
        match self {
            Tongue::English => Tongue::French,
            Tongue::French => Tongue::Spanish,
            Tongue::Spanish => Tongue::English,
        }
    }

    /// "We will call you back around DATE."
    pub fn call_back(self, due: &str) -> String {
        match self {
            Tongue::English => format!("We will call you back around {due}.\n"),
            Tongue::French => format!("Nous vous rappellerons vers le {due}.\n"),
            Tongue::Spanish => format!("Le llamaremos alrededor del {due}.\n"),
        }
    }

    /// A phone's kind ("fax, toll-free") in this language; a kind it does not know stays
    /// as the directory wrote it.
    fn phone_kind(self, kinds: &str) -> String {
        let said: Vec<&str> = kinds
            .split(", ")
            .map(|kind| {
                let i = PHONE_KINDS.iter().position(|k| k[0] == kind);
                match (i, self) {
                    (Some(i), Tongue::French) => PHONE_KINDS[i][1],
                    (Some(i), Tongue::Spanish) => PHONE_KINDS[i][2],
                    _ => kind,
                }
            })
            .collect();
        said.join(", ")
    }

    fn labels(self) -> &'static Labels {
        match self {
            Tongue::English => &EN,
            Tongue::French => &FR,
            Tongue::Spanish => &ES,
        }
    }
}

/// Phone kinds as `Phone::kind_label` names them (the model's vocabulary: HSDS types and
/// the I&R formats' typed lines), in English, French and Spanish.
const PHONE_KINDS: &[[&str; 3]] = &[
    ["fax", "télécopieur", "fax"],
    ["toll-free", "sans frais", "llamada gratuita"],
    ["TTY", "ATS", "TTY"],
    ["business", "bureau", "oficina"],
    ["hotline", "ligne d'aide", "línea de ayuda"],
    ["after hours", "hors des heures d'ouverture", "fuera del horario"],
    ["out of area", "hors de la région", "fuera del área"],
    ["text", "texto", "mensaje de texto"],
    ["cell", "cellulaire", "celular"],
    ["pager", "téléavertisseur", "localizador"],
    ["video", "vidéo", "video"],
    ["textphone", "ATS", "teléfono de texto"],
    ["confidential", "confidentiel", "confidencial"],
];

/// Labels in each language a summary can be sent in.
struct Labels {
    phone: &'static str,
    address: &'static str,
    no_hours: &'static str,
    today: &'static str,
    hours: &'static str,
    closed: &'static str,
    web: &'static str,
    /// Between a label and its value: French puts a space before the colon.
    colon: &'static str,
    /// Day names, Monday first; `None` uses the model's English names.
    days: Option<[&'static str; 7]>,
}

const EN: Labels = Labels {
    phone: "Phone",
    address: "Address",
    no_hours: "Hours: not listed, call first",
    today: "Today",
    hours: "Hours",
    closed: "closed",
    web: "Web",
    colon: ":",
    days: None,
};

const FR: Labels = Labels {
    phone: "Téléphone",
    address: "Adresse",
    no_hours: "Heures : non indiquées, appelez d'abord",
    today: "Aujourd'hui",
    hours: "Heures",
    closed: "fermé",
    web: "Web",
    colon: " :",
    days: Some(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]),
};

const ES: Labels = Labels {
    phone: "Teléfono",
    address: "Dirección",
    no_hours: "Horario: no indicado, llame antes",
    today: "Hoy",
    hours: "Horario",
    closed: "cerrado",
    web: "Web",
    colon: ":",
    days: Some(["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]),
};

impl Labels {
    fn day(&self, d: Weekday) -> &'static str {
        self.days.map_or(d.name(), |days| days[d.index()])
    }

    /// The first three letters of a day's name ("mié", not three bytes of "miércoles").
    fn short_day(&self, d: Weekday) -> String {
        self.day(d).chars().take(3).collect()
    }
}

/// Name, phones, address and hours (today's first, with whether it is open and when that
/// changes), plain text, one fact per line.
pub fn text(service: &Service, now: Timestamp) -> String {
    text_in(service, now, Tongue::English)
}

/// The same in English, French or Spanish (labels and day names; the record's own text as
/// it is). Today is the service's today, in its time zone.
pub fn text_in(service: &Service, now: Timestamp, tongue: Tongue) -> String {
    let l = tongue.labels();
    let colon = l.colon;
    let mut lines = vec![sanitize(&service.name)];
    if !service.organization.name.is_empty() && service.organization.name != service.name {
        lines[0].push_str(&format!(" ({})", sanitize(&service.organization.name)));
    }
    for phone in &service.phones {
        let kind = phone
            .kind_label()
            .map(|k| format!(" ({})", tongue.phone_kind(&k)))
            .unwrap_or_default();
        lines.push(format!("{}{colon} {}{kind}", l.phone, sanitize(&phone.display())));
    }
    if let Some(address) = service.address_line() {
        lines.push(format!("{}{colon} {}", l.address, sanitize(&address)));
    }
    if service.schedules.is_empty() {
        lines.push(l.no_hours.into());
    } else {
        let (_, weekday, _) = crate::hours_text::status_at(service, now);
        let day = |d: Weekday| day_summary(&service.schedules, d).unwrap_or_else(|| l.closed.into());
        let phrase = crate::hours_text::phrase(service, now, tongue);
        let today = match day_summary(&service.schedules, weekday) {
            Some(hours) => format!("{hours}, {phrase}"),
            None => phrase, // "closed, opens Wed 8:30"
        };
        lines.push(format!("{} ({}){colon} {today}", l.today, l.day(weekday)));
        let week: Vec<String> = Weekday::ALL
            .iter()
            .map(|d| format!("{} {}", l.short_day(*d), day(*d)))
            .collect();
        lines.push(format!("{}{colon} {}", l.hours, week.join("; ")));
    }
    if let Some(url) = &service.url {
        lines.push(format!("{}{colon} {}", l.web, sanitize(url)));
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
            schedules: vec![
                WeeklyHours {
                    weekday: Weekday::Wednesday,
                    opens: 540,
                    closes: 1020,
                },
                WeeklyHours {
                    weekday: Weekday::Thursday,
                    opens: 510,
                    closes: 720,
                },
            ],
            timezone: Some("America/Toronto".into()),
            ..Default::default()
        };
        let wednesday_noon: Timestamp = "2026-11-25T12:00[America/Toronto]"
            .parse::<jiff::ZonedDateTime>()
            .unwrap()
            .timestamp();
        let text = text(&service, wednesday_noon);
        assert_eq!(
            text,
            "Food Bank\nPhone: 705-555-0142\nAddress: 1 Elm St, Sudbury\n\
             Today (Wednesday): 9:00-17:00, open until 17:00\n\
             Hours: Mon closed; Tue closed; Wed 9:00-17:00; Thu 8:30-12:00; Fri closed; Sat closed; Sun closed\n"
        );
        let evening = wednesday_noon + jiff::SignedDuration::from_hours(7);
        assert!(text_in(&service, evening, Tongue::English).contains("closed, opens tomorrow 8:30"));
        let fr = text_in(&service, wednesday_noon, Tongue::French);
        assert!(fr.contains("Téléphone : 705-555-0142"), "{fr}");
        assert!(
            fr.contains("Aujourd'hui (mercredi) : 9:00-17:00, ouvert jusqu'à 17:00"),
            "{fr}"
        );
        assert!(fr.contains("lun fermé"), "{fr}");
        assert_eq!(Tongue::French.phone_kind("fax, toll-free"), "télécopieur, sans frais");
        assert_eq!(Tongue::Spanish.phone_kind("business, satellite"), "oficina, satellite");
        assert_eq!(Tongue::English.phone_kind("after hours"), "after hours");
        let es = text_in(&service, wednesday_noon, Tongue::Spanish);
        assert!(es.contains("Teléfono: 705-555-0142"), "{es}");
        assert!(es.contains("Dirección: 1 Elm St, Sudbury"), "{es}");
        assert!(
            es.contains("Hoy (miércoles): 9:00-17:00, abierto hasta las 17:00"),
            "{es}"
        );
        assert!(es.contains("mié 9:00-17:00; jue 8:30-12:00; vie cerrado"), "{es}");
    }
}
