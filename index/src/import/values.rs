//! Value repairs shared by the CSV and JSON importers: free text, ids, phone numbers,
//! coordinates, dates, ages, opening hours, and the final per-service derivations
//! (categories, text language, "free", wheelchair access).

use crate::categories;
use crate::hours::parse_time;
use crate::import::{Problem, ProblemKind};
use crate::model::{Service, Weekday, WeeklyHours};
use crate::text;

/// Collects skipped and repaired records in the order they are found.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn push(
        &mut self,
        kind: ProblemKind,
        file: &str,
        line: Option<u64>,
        field: Option<&str>,
        reason: String,
    ) {
        self.list.push(Problem {
            kind,
            file: file.to_string(),
            line,
            field: field.map(str::to_string),
            reason,
        });
    }

    pub fn skipped(&mut self, file: &str, line: Option<u64>, field: Option<&str>, reason: String) {
        self.push(ProblemKind::Skipped, file, line, field, reason);
    }

    pub fn repaired(&mut self, file: &str, line: Option<u64>, field: Option<&str>, reason: String) {
        self.push(ProblemKind::Repaired, file, line, field, reason);
    }
}

/// [`text::clean`] with a fast path: most values need no repair, and cleaning millions of
/// them through the general path would allocate several strings each.
pub(crate) fn clean(raw: &str) -> Option<String> {
    if is_plain(raw) {
        return (!raw.is_empty() && !is_placeholder(raw)).then(|| raw.to_string());
    }
    text::clean(raw)
}

/// [`text::clean_line`] with the same fast path.
pub(crate) fn clean_line(raw: &str) -> Option<String> {
    if is_plain(raw) {
        return (!raw.is_empty() && !is_placeholder(raw)).then(|| raw.to_string());
    }
    text::clean_line(raw)
}

/// True when `text::clean` would return the text unchanged: no escapes or markers,
/// no control or bidi characters, no unusual whitespace, single spaces, nothing to trim.
fn is_plain(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    for c in raw.chars() {
        if c.is_ascii() {
            match c {
                ' ' if prev_space => return false,
                '\\' | '#' => return false,
                c if c.is_ascii_control() => return false,
                _ => {}
            }
            prev_space = c == ' ';
        } else if c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            return false;
        } else {
            prev_space = false;
        }
    }
    true
}

fn is_placeholder(text: &str) -> bool {
    text.len() <= 4
        && ["-1", "n/a", "na", "null", "none", "\"\"", "-"]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(text))
}

/// An id or foreign key: trimmed, `None` when empty or a placeholder such as `-1`.
pub(crate) fn id(raw: &str) -> Option<&str> {
    let t = raw.trim();
    (!t.is_empty() && !is_placeholder(t)).then_some(t)
}

/// A phone number: cleaned, and unwrapped when the export put literal quotes inside the
/// value (`"+44 1234"` with the quotes as part of the text).
pub(crate) fn phone_number(raw: &str) -> Option<String> {
    let mut t = raw.trim();
    while t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        t = t[1..t.len() - 1].trim();
    }
    clean_line(t)
}

/// Digits of a phone number, for matching the same number written differently.
pub(crate) fn phone_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// Checks and repairs a coordinate pair. `report(field, reason)` is called for every
/// value dropped or fixed. Both are dropped when either is unusable: a lone latitude
/// cannot place a service.
pub(crate) fn coordinates(
    lat: Option<&str>,
    lon: Option<&str>,
    mut report: impl FnMut(&'static str, String),
) -> (Option<f64>, Option<f64>) {
    let parse =
        |field: &'static str, raw: Option<&str>, report: &mut dyn FnMut(&'static str, String)| {
            let t = raw
                .map(str::trim)
                .filter(|t| !t.is_empty() && !is_placeholder(t))?;
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(Ok(v)),
                _ => {
                    report(
                        field,
                        format!("{field} {t:?} is not a number; coordinates dropped"),
                    );
                    Some(Err(()))
                }
            }
        };
    let (lat, lon) = (
        parse("latitude", lat, &mut report),
        parse("longitude", lon, &mut report),
    );
    let (lat, lon) = match (lat, lon) {
        (None, None) => return (None, None),
        (Some(Err(())), _) | (_, Some(Err(()))) => return (None, None),
        (Some(Ok(lat)), None) => {
            report("longitude", format!("no longitude; latitude {lat} dropped"));
            return (None, None);
        }
        (None, Some(Ok(lon))) => {
            report("latitude", format!("no latitude; longitude {lon} dropped"));
            return (None, None);
        }
        (Some(Ok(lat)), Some(Ok(lon))) => (lat, lon),
    };
    let lat_ok = lat.abs() <= 90.0;
    let lon_ok = lon.abs() <= 180.0;
    if lat_ok && lon_ok {
        if lat == 0.0 && lon == 0.0 {
            report(
                "latitude",
                "latitude 0, longitude 0 is a placeholder; coordinates dropped".into(),
            );
            return (None, None);
        }
        return (Some(lat), Some(lon));
    }
    if !lat_ok && lat.abs() <= 180.0 && lon.abs() <= 90.0 {
        report(
            "latitude",
            format!("latitude {lat} and longitude {lon} were swapped; fixed"),
        );
        return (Some(lon), Some(lat));
    }
    if !lat_ok {
        report(
            "latitude",
            format!("latitude {lat} is out of range -90..90; coordinates dropped"),
        );
    }
    if !lon_ok {
        report(
            "longitude",
            format!("longitude {lon} is out of range -180..180; coordinates dropped"),
        );
    }
    (None, None)
}

/// A date as YYYY-MM-DD from "2023-03-15", "2023-03-15T10:30:45Z", "2023/03/15",
/// "20230315", "03/15/2023" or "15/03/2023" (day first only when unambiguous).
/// `Ok(None)` for an empty value, `Err` for text that is not a date.
pub(crate) fn date(raw: &str) -> Result<Option<String>, String> {
    let t = raw.trim();
    if t.is_empty() || is_placeholder(t) {
        return Ok(None);
    }
    let num = |s: &str| s.trim().parse::<i32>().ok();
    let date_part = t.split([' ', 'T']).next().unwrap_or(t);
    let ymd = if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        (
            num(&date_part[..4]),
            num(&date_part[4..6]),
            num(&date_part[6..]),
        )
    } else {
        let mut parts = date_part.split(['/', '-', '.']);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d), None) if y.len() == 4 => (num(y), num(m), num(d)),
            (Some(a), Some(b), Some(y), None) if y.len() == 4 => match (num(a), num(b)) {
                (Some(a), Some(b)) if a > 12 => (num(y), Some(b), Some(a)),
                (a, b) => (num(y), a, b),
            },
            _ => (None, None, None),
        }
    };
    match ymd {
        (Some(y), Some(m), Some(d))
            if (1800..=2200).contains(&y)
                && jiff::civil::Date::new(y as i16, m as i8, d as i8).is_ok() =>
        {
            Ok(Some(format!("{y:04}-{m:02}-{d:02}")))
        }
        _ => Err(format!("{t:?} is not a date")),
    }
}

/// An age in years: "12", "12.0". Ages of 120 or more mean "no limit" (`Ok(None)`).
pub(crate) fn age(raw: &str) -> Result<Option<u8>, String> {
    let t = raw.trim();
    if t.is_empty() || is_placeholder(t) {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if (0.0..120.0).contains(&v) => Ok(Some(v as u8)),
        Ok(v) if v >= 120.0 => Ok(None),
        _ => Err(format!("{t:?} is not an age")),
    }
}

/// Minimum and maximum age from eligibility text: "ages 12 to 24", "18+", "65 and over",
/// "under 18", "aged 12 and over", "de 12 à 24 ans", "65 ans et plus".
pub(crate) fn ages_from_text(text: &str) -> (Option<u8>, Option<u8>) {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let age_of = |w: &str| -> Option<u8> {
        let w = w.trim_end_matches(['+', '-']);
        w.parse::<u8>().ok().filter(|&n| n < 120)
    };
    let mentions_age = ["age", "year", "ans", "old", "yrs", "+"]
        .iter()
        .any(|w| lower.contains(w));
    if !mentions_age {
        return (None, None);
    }
    let (mut min, mut max) = (None, None);
    for (i, w) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        let prev = if i > 0 { words[i - 1] } else { "" };
        // "12-24" in one word.
        if let Some((a, b)) = w.split_once(['-', '–']) {
            if let (Some(a), Some(b)) = (age_of(a), age_of(b)) {
                if a <= b && min.is_none() && max.is_none() {
                    (min, max) = (Some(a), Some(b));
                }
                continue;
            }
        }
        let Some(n) = age_of(w) else { continue };
        if w.ends_with('+') {
            min = min.or(Some(n));
        } else if matches!(next(1), "-" | "–" | "to" | "à" | "a" | "through") {
            if let Some(m) = age_of(next(2)) {
                if n <= m {
                    min = min.or(Some(n));
                    max = max.or(Some(m));
                }
            }
        } else if matches!(prev, "under" | "below")
            || (prev == "than" && words.get(i.wrapping_sub(2)) == Some(&"younger"))
            || (prev == "de" && words.get(i.wrapping_sub(2)) == Some(&"moins"))
        {
            max = max.or(Some(n.saturating_sub(1)));
        } else if matches!(prev, "over" | "least")
            || (prev == "de" && words.get(i.wrapping_sub(2)) == Some(&"plus"))
        {
            min = min.or(Some(n));
        } else {
            let tail = [next(1), next(2), next(3), next(4), next(5)];
            let skip = usize::from(matches!(tail[0], "years" | "year" | "ans" | "yrs"))
                + usize::from(tail[1] == "of" && tail[2] == "age");
            let skip = if skip == 2 { 3 } else { skip };
            let (a, b) = (
                tail.get(skip).copied().unwrap_or(""),
                tail.get(skip + 1).copied().unwrap_or(""),
            );
            match (a, b) {
                ("and" | "or", "over" | "older" | "up" | "above") | ("et", "plus") => {
                    min = min.or(Some(n))
                }
                ("and" | "or", "under" | "younger" | "below") | ("et", "moins") => {
                    max = max.or(Some(n))
                }
                _ => {}
            }
        }
    }
    match (min, max) {
        (Some(a), Some(b)) if a > b => (None, None),
        other => other,
    }
}

/// True when fee text says the service costs nothing.
pub(crate) fn says_free(fees: &str) -> bool {
    let t = text::fold(fees);
    if t.contains("not free") || t.contains("non gratuit") {
        return false;
    }
    [
        "free",
        "gratuit",
        "gratuits",
        "gratuite",
        "gratuites",
        "no cost",
        "no charge",
        "no fee",
        "no fees",
        "sans frais",
        "without charge",
    ]
    .iter()
    .any(|w| {
        has_word(&t, w) && !(*w == "free" && (t.contains("toll-free") || t.contains("toll free")))
    })
}

/// `Some(true)` when accessibility notes say wheelchair access, ramps or an accessible
/// building; `Some(false)` when they say it is not accessible; `None` otherwise.
pub(crate) fn wheelchair(notes: &[String]) -> Option<bool> {
    let mut verdict = None;
    for note in notes {
        let t = text::fold(note);
        let negative = [
            "not wheelchair",
            "not accessible",
            "no wheelchair",
            "inaccessible",
            "no ramp",
            "non accessible",
            "pas accessible",
        ]
        .iter()
        .any(|w| t.contains(w));
        if negative {
            return Some(false);
        }
        if [
            "wheelchair",
            "ramp",
            "accessible",
            "fauteuil roulant",
            "rampe",
        ]
        .iter()
        .any(|w| has_word(&t, w))
        {
            verdict = Some(true);
        }
    }
    verdict
}

/// `word` at word boundaries in already folded `text`.
fn has_word(text: &str, word: &str) -> bool {
    let b = text.as_bytes();
    text.match_indices(word).any(|(i, _)| {
        let end = i + word.len();
        (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && (end == b.len() || !b[end].is_ascii_alphanumeric())
    })
}

/// An IANA time zone name ("America/Toronto"); anything else (offsets, numbers) is `None`.
pub(crate) fn timezone(raw: &str) -> Option<String> {
    let t = raw.trim();
    let ok = t.contains('/')
        && !t.starts_with('/')
        && !t.ends_with('/')
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    ok.then(|| t.to_string())
}

/// Weekly hours from one schedule row. `days` is a weekday ("Monday", "1", "MO"), an RRULE
/// `byday` list ("MO,TU,WE") or a range ("Mon-Fri"). Returns no hours for a row with no
/// times (a closed day) or a rule that does not repeat weekly; `Err((field, reason))` for
/// values that cannot be read.
pub(crate) fn weekly_hours(
    days: &str,
    freq: &str,
    opens: &str,
    closes: &str,
) -> Result<Vec<WeeklyHours>, (&'static str, String)> {
    let (opens, closes) = (opens.trim(), closes.trim());
    if (opens.is_empty() || is_placeholder(opens)) && (closes.is_empty() || is_placeholder(closes))
    {
        return Ok(Vec::new());
    }
    let freq = freq.trim();
    let daily = freq.eq_ignore_ascii_case("daily");
    if !(freq.is_empty() || daily || freq.eq_ignore_ascii_case("weekly")) {
        return Ok(Vec::new());
    }
    let mut weekdays: Vec<Weekday> = Vec::new();
    for token in days
        .split([',', ';', ' ', '/', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        // RRULE allows an ordinal before the day ("1MO"); a weekly rule ignores it.
        let stripped =
            token.trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
        let token = if !stripped.is_empty() && stripped.len() < token.len() {
            stripped
        } else {
            token
        };
        if let Some(day) = Weekday::parse(token) {
            weekdays.push(day);
        } else if let Some((a, b)) = token
            .split_once(['-', '–'])
            .and_then(|(a, b)| Some((Weekday::parse(a)?, Weekday::parse(b)?)))
        {
            let mut i = a.index();
            loop {
                weekdays.push(Weekday::from_index(i));
                if i % 7 == b.index() {
                    break;
                }
                i += 1;
            }
        } else {
            return Err(("byday", format!("unknown weekday {token:?}")));
        }
    }
    if weekdays.is_empty() {
        if !daily {
            return Err(("byday", "no weekday".to_string()));
        }
        weekdays = Weekday::ALL.to_vec();
    }
    let opens_min =
        parse_time(opens).ok_or_else(|| ("opens_at", format!("{opens:?} is not a time")))?;
    let closes_min =
        parse_time(closes).ok_or_else(|| ("closes_at", format!("{closes:?} is not a time")))?;
    Ok(weekdays
        .into_iter()
        .map(|weekday| WeeklyHours {
            weekday,
            opens: opens_min,
            closes: closes_min,
        })
        .collect())
}

/// A cost option as one line: "Under 18s and Over 60s: 35 GBP per 1 hour session".
pub(crate) fn cost_option_text(
    option: &str,
    amount: &str,
    currency: &str,
    description: &str,
) -> Option<String> {
    let mut price = String::new();
    if let Some(a) = clean_line(amount) {
        price.push_str(&a);
        if let Some(c) = clean_line(currency) {
            price.push(' ');
            price.push_str(&c.to_uppercase());
        }
    }
    if let Some(d) = clean_line(description) {
        if !price.is_empty() {
            price.push(' ');
        }
        price.push_str(&d);
    }
    match (clean_line(option), price.is_empty()) {
        (Some(o), false) => Some(format!("{o}: {price}")),
        (Some(o), true) => Some(o),
        (None, false) => Some(price),
        (None, true) => None,
    }
}

/// True when a cost option amount is zero.
pub(crate) fn amount_is_zero(amount: &str) -> bool {
    amount.trim().parse::<f64>().is_ok_and(|a| a == 0.0)
}

pub(crate) fn push_unique<T: PartialEq>(into: &mut Vec<T>, item: T) {
    if !into.contains(&item) {
        into.push(item);
    }
}

/// Derivations every importer applies last: [`finish_record`] and [`derive_text`].
pub(crate) fn finish(s: &mut Service) {
    finish_record(s);
    let derived = derive_text(&s.name, s.description.as_deref(), &s.taxonomy);
    derived.apply(s);
}

/// Duplicate phones and hours removed, hours in weekday order, and what can be read from
/// the record's own text: "free", wheelchair access, ages from eligibility.
pub(crate) fn finish_record(s: &mut Service) {
    if s.phones.len() > 1 {
        let mut i = 1;
        while i < s.phones.len() {
            let (before, rest) = s.phones.split_at(i);
            let p = &rest[0];
            if before
                .iter()
                .any(|q| q.number == p.number && q.extension == p.extension)
            {
                s.phones.remove(i);
            } else {
                i += 1;
            }
        }
    }
    s.schedules.sort_by_key(|h| (h.weekday, h.opens, h.closes));
    s.schedules.dedup();
    if s.free.is_none() && s.fees.as_deref().is_some_and(says_free) {
        s.free = Some(true);
    }
    if s.wheelchair_accessible.is_none() {
        s.wheelchair_accessible = wheelchair(&s.accessibility);
    }
    if s.min_age.is_none() && s.max_age.is_none() {
        if let Some(e) = s.eligibility.as_deref() {
            (s.min_age, s.max_age) = ages_from_text(e);
        }
    }
}

/// Categories, audiences and text language: they depend only on the name, description
/// and taxonomy, so the CSV importer computes them while it reads the other tables.
pub(crate) struct TextDerived {
    derived: categories::Derived,
    language: &'static str,
}

impl TextDerived {
    pub fn apply(self, s: &mut Service) {
        s.categories = self.derived.categories;
        s.audiences = self.derived.audiences;
        s.categories_inferred = self.derived.inferred;
        s.text_language = Some(self.language.to_string());
    }
}

pub(crate) fn derive_text(
    name: &str,
    description: Option<&str>,
    taxonomy: &[crate::model::TaxonomyTerm],
) -> TextDerived {
    let description = description.unwrap_or("");
    let mut texts: Vec<&str> = Vec::with_capacity(2 + taxonomy.len());
    texts.push(name);
    texts.push(description);
    texts.extend(taxonomy.iter().map(|t| t.name.as_str()));
    let derived = categories::derive(taxonomy, &texts);
    let mut sample = String::with_capacity(name.len() + description.len() + 1);
    sample.push_str(name);
    sample.push(' ');
    sample.push_str(description);
    TextDerived {
        derived,
        language: text::guess_language(&sample),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_clean_agrees_with_text_clean() {
        for raw in [
            "Food bank",
            " Food bank",
            "Food  bank",
            "Line\\nbreak",
            "###MON###9-5",
            "-1",
            "N/A",
            "",
            "Café Hôpital",
            "tab\there",
            "nbsp\u{a0}here",
            "\"\"",
            "a\u{202e}b",
            "ctl\u{1b}[31m",
        ] {
            assert_eq!(clean(raw), text::clean(raw), "{raw:?}");
            assert_eq!(clean_line(raw), text::clean_line(raw), "{raw:?}");
        }
    }

    #[test]
    fn ids_and_phone_numbers() {
        assert_eq!(id(" svc-1 "), Some("svc-1"));
        assert_eq!(id("-1"), None);
        assert_eq!(
            phone_number("\"+44 1234 234567\""),
            Some("+44 1234 234567".into())
        );
        assert_eq!(phone_number(" 705-555-0100 "), Some("705-555-0100".into()));
        assert_eq!(phone_number("\"\""), None);
        assert_eq!(phone_digits("(705) 555-0100"), "7055550100");
    }

    type Reports = Vec<(&'static str, String)>;

    fn coords(lat: &str, lon: &str) -> ((Option<f64>, Option<f64>), Reports) {
        let mut reports = Vec::new();
        let c = coordinates(Some(lat), Some(lon), |f, r| reports.push((f, r)));
        (c, reports)
    }

    #[test]
    fn coordinates_are_checked_and_swapped_when_obvious() {
        assert_eq!(
            coords(" 46.49 ", "-80.99"),
            ((Some(46.49), Some(-80.99)), vec![])
        );
        let (c, r) = coords("-94.49", "49.77");
        assert_eq!(c, (Some(49.77), Some(-94.49)));
        assert_eq!(
            r,
            [(
                "latitude",
                "latitude -94.49 and longitude 49.77 were swapped; fixed".to_string()
            )]
        );
        // Both orders valid: not obviously swapped, so left alone.
        assert_eq!(
            coords("-80.99", "46.49"),
            ((Some(-80.99), Some(46.49)), vec![])
        );
        let (c, r) = coords("100", "101");
        assert_eq!(c, (None, None));
        assert_eq!(
            r,
            [(
                "latitude",
                "latitude 100 is out of range -90..90; coordinates dropped".to_string()
            )]
        );
        let (c, r) = coords("46.5", "200");
        assert_eq!(c, (None, None));
        assert_eq!(r[0].0, "longitude");
        let (c, r) = coords("abc", "-80");
        assert_eq!(c, (None, None));
        assert_eq!(
            r[0].1,
            "latitude \"abc\" is not a number; coordinates dropped"
        );
        assert_eq!(coords("", "").0, (None, None));
        assert_eq!(coords("-1", "-1").0, (None, None));
        let (c, r) = coords("0", "0");
        assert_eq!(c, (None, None));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn dates_normalize() {
        assert_eq!(
            date("2023-03-15T10:30:45.123Z"),
            Ok(Some("2023-03-15".into()))
        );
        assert_eq!(date("2023/3/5"), Ok(Some("2023-03-05".into())));
        assert_eq!(date("20230315"), Ok(Some("2023-03-15".into())));
        assert_eq!(date("03/15/2023"), Ok(Some("2023-03-15".into())));
        assert_eq!(date("15/03/2023"), Ok(Some("2023-03-15".into())));
        assert_eq!(date(""), Ok(None));
        assert!(date("yesterday").is_err());
        assert!(date("2023-02-30").is_err());
    }

    #[test]
    fn ages_from_columns_and_text() {
        assert_eq!(age("12"), Ok(Some(12)));
        assert_eq!(age("200"), Ok(None));
        assert_eq!(age("-1"), Ok(None));
        assert!(age("teen").is_err());
        assert_eq!(
            ages_from_text("This service is for all people aged 12 and over"),
            (Some(12), None)
        );
        assert_eq!(ages_from_text("Youth ages 16-24"), (Some(16), Some(24)));
        assert_eq!(
            ages_from_text("Youth aged 16 to 24 years"),
            (Some(16), Some(24))
        );
        assert_eq!(ages_from_text("Seniors 65+"), (Some(65), None));
        assert_eq!(
            ages_from_text("Children under 12 years old"),
            (None, Some(11))
        );
        assert_eq!(
            ages_from_text("Adults 18 years of age and older"),
            (Some(18), None)
        );
        assert_eq!(ages_from_text("Aînés de 65 ans et plus"), (Some(65), None));
        assert_eq!(
            ages_from_text("Jeunes de 12 à 17 ans"),
            (Some(12), Some(17))
        );
        assert_eq!(ages_from_text("Residents of Ward 12"), (None, None));
    }

    #[test]
    fn free_and_wheelchair_words() {
        assert!(says_free("Free to everyone"));
        assert!(says_free("Services gratuits"));
        assert!(says_free("There is no fee."));
        assert!(!says_free("Call our toll-free line for prices"));
        assert!(!says_free("$5 per visit; not free"));
        assert!(!says_free("Freedom pass required"));
        assert_eq!(
            wheelchair(&["Wheelchair access on all levels".into()]),
            Some(true)
        );
        assert_eq!(wheelchair(&["Ramp at side door".into()]), Some(true));
        assert_eq!(
            wheelchair(&["Building is not wheelchair accessible".into()]),
            Some(false)
        );
        assert_eq!(wheelchair(&["disabled_parking".into()]), None);
    }

    #[test]
    fn timezones_must_be_iana_names() {
        assert_eq!(
            timezone("America/Toronto").as_deref(),
            Some("America/Toronto")
        );
        assert_eq!(timezone("3"), None);
        assert_eq!(timezone("EST"), None);
        assert_eq!(timezone("-05:00"), None);
    }

    #[test]
    fn weekly_hours_from_rows() {
        let h = weekly_hours("TH,FR", "WEEKLY", "10:00:00", "18:00:00").unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].weekday, h[0].opens, h[0].closes),
            (Weekday::Thursday, 600, 1080)
        );
        assert_eq!(
            weekly_hours("Monday", "", "8:00am", "5:00pm").unwrap()[0].closes,
            17 * 60
        );
        assert_eq!(weekly_hours("Mon-Fri", "", "9", "17").unwrap().len(), 5);
        assert_eq!(weekly_hours("", "DAILY", "9:00", "17:00").unwrap().len(), 7);
        assert!(weekly_hours("1MO", "MONTHLY", "9:00", "17:00")
            .unwrap()
            .is_empty());
        assert_eq!(
            weekly_hours("1MO", "", "9:00", "17:00").unwrap()[0].weekday,
            Weekday::Monday
        );
        assert_eq!(
            weekly_hours("7", "", "09:00:00", "17:00:00").unwrap()[0].weekday,
            Weekday::Sunday
        );
        assert!(weekly_hours("Sunday", "", "", "").unwrap().is_empty());
        assert_eq!(
            weekly_hours("Someday", "", "9:00", "17:00").unwrap_err().0,
            "byday"
        );
        assert_eq!(
            weekly_hours("MO", "", "9:75", "17:00").unwrap_err().0,
            "opens_at"
        );
        assert_eq!(
            weekly_hours("MO", "", "9:00", "").unwrap_err().0,
            "closes_at"
        );
    }

    #[test]
    fn cost_options_read_as_one_line() {
        assert_eq!(
            cost_option_text("Under 18s", "35", "gbp", "per 1 hour session").as_deref(),
            Some("Under 18s: 35 GBP per 1 hour session")
        );
        assert!(amount_is_zero("0.00"));
        assert!(!amount_is_zero("35"));
        assert!(!amount_is_zero(""));
    }
}
