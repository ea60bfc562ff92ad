//! Value repairs shared by the CSV and JSON importers: free text, ids, phone numbers,
//! coordinates, dates, ages, time zones and cost options. What is derived
//! from a whole record lives in [`super::facts`].

use crate::import::limits::Limits;
use crate::import::{Problem, ProblemKind};
use crate::text;

/// Collects skipped and repaired records in the order they are found, and carries the
/// import's [`Limits`] to every reader that reports to it.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub list: Vec<Problem>,
    pub limits: Limits,
}

impl Problems {
    pub fn with_limits(limits: Limits) -> Problems {
        Problems {
            list: Vec::new(),
            limits,
        }
    }

    pub fn push(&mut self, kind: ProblemKind, file: &str, line: Option<u64>, field: Option<&str>, reason: String) {
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
    for (i, &b) in bytes.iter().enumerate() {
        if !b.is_ascii() {
            // Rare: decide the rest character by character.
            return is_plain_unicode(&raw[i..], prev_space);
        }
        if b == b'\\' || b == b'#' || b.is_ascii_control() || (b == b' ' && prev_space) {
            return false;
        }
        prev_space = b == b' ';
    }
    true
}

fn is_plain_unicode(rest: &str, mut prev_space: bool) -> bool {
    for c in rest.chars() {
        if c.is_ascii() {
            if c == '\\' || c == '#' || c.is_ascii_control() || (c == ' ' && prev_space) {
                return false;
            }
            prev_space = c == ' ';
        } else if c.is_whitespace() || c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            return false;
        } else {
            prev_space = false;
        }
    }
    true
}

pub(crate) fn is_placeholder(text: &str) -> bool {
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
    while t.len() >= 2 && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\''))) {
        t = t[1..t.len() - 1].trim();
    }
    clean_line(t)
}

/// A web address with its scheme, as a link needs it: "www.vch.ca" -> "http://www.vch.ca".
/// Text that is not a bare host name ("see our Facebook page", an email) is left as given.
pub(crate) fn web_address(raw: &str) -> String {
    let t = raw.trim();
    let host = t.split('/').next().unwrap_or("");
    let bare_host = !t.contains("://") && !host.contains(['@', ' ']) && host.contains('.') && !host.starts_with('.');
    let url = if bare_host {
        format!("http://{t}")
    } else {
        t.to_string()
    };
    if url.starts_with("http://") || url.starts_with("https://") {
        uri_safe(&url)
    } else {
        url
    }
}

/// A website as it is worth keeping: with its scheme, the first of several, percent-encoded
/// where needed. `Err` says why a value is not one ("no website", an email address).
pub(crate) fn website(raw: &str) -> Result<Option<String>, String> {
    let Some(t) = clean_line(raw) else {
        return Ok(None);
    };
    // "http://a.org/, www.b.org": the first; "http:// www.x.gov": the space is a slip.
    let first = t.split([',', ';']).next().unwrap_or(&t).trim();
    let first = first.replacen(":// ", "://", 1);
    let url = web_address(&first);
    let host = url.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
    if (url.starts_with("http://") || url.starts_with("https://")) && host.contains('.') && !host.contains('@') {
        Ok(Some(url))
    } else {
        Err(format!("{t:?} is not a web address"))
    }
}

/// An email address, the first of several ("a@x.org; b@y.org"). `Err` for text that is
/// not one.
pub(crate) fn email(raw: &str) -> Result<Option<String>, String> {
    let Some(t) = clean_line(raw) else {
        return Ok(None);
    };
    let first = t.split([';', ',', ' ']).find(|p| p.contains('@')).unwrap_or(&t).trim();
    let first = first.trim_start_matches("mailto:");
    let valid = first.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    });
    if valid {
        Ok(Some(first.to_string()))
    } else {
        Err(format!("{t:?} is not an email address"))
    }
}

/// Percent-encodes what RFC 3986 does not allow in a URI (`|`, spaces, braces, non-ASCII),
/// as a link and HSDS's `uri` format need it.
fn uri_safe(url: &str) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c);
    if url.chars().all(allowed) {
        return url.to_string();
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        if allowed(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
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
    let parse = |field: &'static str, raw: Option<&str>, report: &mut dyn FnMut(&'static str, String)| {
        let t = raw.map(str::trim).filter(|t| !t.is_empty() && !is_placeholder(t))?;
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(Ok(v)),
            _ => {
                report(field, format!("{field} {t:?} is not a number; coordinates dropped"));
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
/// "20230315", "03/15/2023", "15/03/2023" (day first only when unambiguous) or "3/30/12"
/// (month first, two-digit year).
/// `Ok(None)` for an empty value, `Err` for text that is not a date.
pub(crate) fn date(raw: &str) -> Result<Option<String>, String> {
    let t = raw.trim();
    if t.is_empty() || is_placeholder(t) {
        return Ok(None);
    }
    let num = |s: &str| s.trim().parse::<i32>().ok();
    let date_part = t.split([' ', 'T']).next().unwrap_or(t);
    let ymd = if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        (num(&date_part[..4]), num(&date_part[4..6]), num(&date_part[6..]))
    } else {
        let mut parts = date_part.split(['/', '-', '.']);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d), None) if y.len() == 4 => (num(y), num(m), num(d)),
            (Some(a), Some(b), Some(y), None) if y.len() == 4 => match (num(a), num(b)) {
                (Some(a), Some(b)) if a > 12 => (num(y), Some(b), Some(a)),
                (a, b) => (num(y), a, b),
            },
            // "3/30/12": US month first with a two-digit year, as iCarol exports dates.
            (Some(m), Some(d), Some(y), None) if y.len() == 2 && date_part.contains('/') => {
                (num(y).map(full_year), num(m), num(d))
            }
            _ => (None, None, None),
        }
    };
    match ymd {
        (Some(y), Some(m), Some(d))
            if (1800..=2200).contains(&y) && jiff::civil::Date::new(y as i16, m as i8, d as i8).is_ok() =>
        {
            Ok(Some(format!("{y:04}-{m:02}-{d:02}")))
        }
        _ => Err(format!("{t:?} is not a date")),
    }
}

/// A two-digit year: up to ten years ahead of now is this century, the rest the last.
fn full_year(yy: i32) -> i32 {
    let this_year = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).year() as i32;
    let century = this_year / 100 * 100;
    if century + yy <= this_year + 10 {
        century + yy
    } else {
        century - 100 + yy
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

/// A cost option as one line: "Under 18s and Over 60s: 35 GBP per 1 hour session".
pub(crate) fn cost_option_text(option: &str, amount: &str, currency: &str, description: &str) -> Option<String> {
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
        push_small(into, item);
    }
}

/// Pushes without the usual first allocation of four: most services have one or two
/// phones, locations, languages and terms, and a million services would otherwise carry
/// hundreds of megabytes of unused capacity.
pub(crate) fn push_small<T>(into: &mut Vec<T>, item: T) {
    if into.len() < 4 {
        into.reserve_exact(1);
    }
    into.push(item);
}

/// Appends clones of `items`, growing `into` by exactly what is needed.
pub(crate) fn extend_exact<T: Clone>(into: &mut Vec<T>, items: &[T]) {
    into.reserve_exact(items.len());
    into.extend_from_slice(items);
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
            "Café  Hôpital",
            "é ",
            " é",
            "x é#y",
            "Hôpital\\nSoins",
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
    fn web_addresses_get_a_scheme() {
        assert_eq!(web_address("www.vch.ca"), "http://www.vch.ca");
        assert_eq!(web_address("healthnet.org/about"), "http://healthnet.org/about");
        assert_eq!(web_address("https://211.ca"), "https://211.ca");
        assert_eq!(web_address("info@x.org"), "info@x.org");
        assert_eq!(web_address("see website"), "see website");
        assert_eq!(
            web_address("http://ddoe.dc.gov/view,a,1209,|31424|.asp"),
            "http://ddoe.dc.gov/view,a,1209,%7C31424%7C.asp"
        );
    }

    #[test]
    fn websites_and_emails_as_real_exports_write_them() {
        assert_eq!(
            website("http:// www.dpr.dc.gov"),
            Ok(Some("http://www.dpr.dc.gov".into()))
        );
        assert_eq!(
            website("http://www.metroteenaids.org/, www.realtalkdc.org"),
            Ok(Some("http://www.metroteenaids.org/".into()))
        );
        assert_eq!(
            website("www.missiondc.org/serving neighbors"),
            Ok(Some("http://www.missiondc.org/serving%20neighbors".into()))
        );
        assert!(website("*no website*").is_err());
        assert!(website("washington@ajc.org").is_err());
        assert_eq!(website(""), Ok(None));
        assert_eq!(email("a@yahoo.com; b@yahoo.com"), Ok(Some("a@yahoo.com".into())));
        assert!(email("use linkedin for Joyce").is_err());
        assert_eq!(email("-1"), Ok(None));
    }

    #[test]
    fn ids_and_phone_numbers() {
        assert_eq!(id(" svc-1 "), Some("svc-1"));
        assert_eq!(id("-1"), None);
        assert_eq!(phone_number("\"+44 1234 234567\""), Some("+44 1234 234567".into()));
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
        assert_eq!(coords(" 46.49 ", "-80.99"), ((Some(46.49), Some(-80.99)), vec![]));
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
        assert_eq!(coords("-80.99", "46.49"), ((Some(-80.99), Some(46.49)), vec![]));
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
        assert_eq!(r[0].1, "latitude \"abc\" is not a number; coordinates dropped");
        assert_eq!(coords("", "").0, (None, None));
        assert_eq!(coords("-1", "-1").0, (None, None));
        let (c, r) = coords("0", "0");
        assert_eq!(c, (None, None));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn dates_normalize() {
        assert_eq!(date("2023-03-15T10:30:45.123Z"), Ok(Some("2023-03-15".into())));
        assert_eq!(date("2023/3/5"), Ok(Some("2023-03-05".into())));
        assert_eq!(date("20230315"), Ok(Some("2023-03-15".into())));
        assert_eq!(date("03/15/2023"), Ok(Some("2023-03-15".into())));
        assert_eq!(date("15/03/2023"), Ok(Some("2023-03-15".into())));
        assert_eq!(date("3/30/12 0:00"), Ok(Some("2012-03-30".into())));
        assert_eq!(date("12/7/99"), Ok(Some("1999-12-07".into())));
        assert_eq!(date(""), Ok(None));
        assert!(date("yesterday").is_err());
        assert!(date("2023-02-30").is_err());
    }

    #[test]
    fn ages_from_columns() {
        assert_eq!(age("12"), Ok(Some(12)));
        assert_eq!(age("200"), Ok(None));
        assert_eq!(age("-1"), Ok(None));
        assert!(age("teen").is_err());
    }

    #[test]
    fn timezones_must_be_iana_names() {
        assert_eq!(timezone("America/Toronto").as_deref(), Some("America/Toronto"));
        assert_eq!(timezone("3"), None);
        assert_eq!(timezone("EST"), None);
        assert_eq!(timezone("-05:00"), None);
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
