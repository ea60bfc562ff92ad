//! Per-field checks, shared by whole-contact validation and the form (which calls them as
//! the user leaves a field). Each returns the value to store, normalized, or a message
//! saying what was expected. Messages never repeat personal values (names, phones).

use jiff::civil::Date;
use jiff::Timestamp;

/// How the caller reached the navigator.
pub const CHANNELS: &[&str] = &["phone", "chat", "email", "text", "walk-in"];

/// Caller age groups, as reported.
pub const AGE_GROUPS: &[&str] = &["0-17", "18-24", "25-44", "45-64", "65+"];

/// Why a need could not be met.
pub const UNMET_REASONS: &[&str] = &[
    "no-service",
    "not-eligible",
    "waitlist",
    "cost",
    "distance",
    "language",
    "other",
];

pub const MAX_FIRST_NAME: usize = 50;
pub const MAX_BEST_TIME: usize = 100;
pub const MAX_NOTES: usize = 2000;
pub const MAX_MUNICIPALITY: usize = 100;
pub const MAX_LANGUAGE: usize = 40;
pub const MAX_TAXONOMY_CODE: usize = 40;
/// Most needs one contact may record.
pub const MAX_NEEDS: usize = 20;
/// Most services one contact may be referred to.
pub const MAX_REFERRALS: usize = 20;
/// Longest service id a referral may name.
pub const MAX_SERVICE_ID: usize = 200;
/// Latest follow-up date: this many days after today.
pub const MAX_DUE_DAYS: i64 = 365;
/// Earliest date a contact may have started.
pub const EARLIEST_CONTACT: Date = jiff::civil::date(2000, 1, 1);

/// First letters a Canadian postal code can start with.
const FSA_FIRST: &str = "ABCEGHJKLMNPRSTVXY";

fn one_of(list: &[&str]) -> String {
    format!("expected one of {}", list.join(", "))
}

fn choice(value: &str, list: &[&str]) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("required, {}", one_of(list)));
    }
    list.iter()
        .find(|c| c.eq_ignore_ascii_case(v))
        .map(|c| c.to_string())
        .ok_or_else(|| one_of(list))
}

/// `phone`, `chat`, `email`, `text` or `walk-in` (case-insensitive).
pub fn check_channel(value: &str) -> Result<String, String> {
    choice(value, CHANNELS)
}

/// One of [`AGE_GROUPS`].
pub fn check_age_group(value: &str) -> Result<String, String> {
    choice(value, AGE_GROUPS)
}

/// One of [`UNMET_REASONS`].
pub fn check_unmet_reason(value: &str) -> Result<String, String> {
    choice(value, UNMET_REASONS)
}

/// A navigator category slug (`food`, `housing`, ...).
pub fn check_category(value: &str) -> Result<String, String> {
    let v = value.trim().to_ascii_lowercase();
    match navigator_index::categories::category(&v) {
        Some(c) => Ok(c.slug.to_string()),
        None => {
            let slugs: Vec<&str> = navigator_index::categories::CATEGORIES.iter().map(|c| c.slug).collect();
            Err(one_of(&slugs))
        }
    }
}

/// A language from navigator's list, by name or code ("French", "fr", "Français", "Dinka"),
/// stored as its code. Anything else is refused: a made-up language in the statistics
/// cannot be counted with anyone's.
pub fn check_language(value: &str) -> Result<String, String> {
    let v = value.trim();
    let expected = "expected a language from the list, by name or ISO code, such as en, fr, es or Somali";
    if v.is_empty() {
        return Err(expected.into());
    }
    if v.chars().count() > MAX_LANGUAGE
        || !v
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '_' | '\''))
    {
        return Err(expected.into());
    }
    navigator_index::languages::known(v)
        .map(|(code, _)| code)
        .ok_or_else(|| expected.into())
}

/// What a contact's municipality is when it is none the directory knows: said explicitly,
/// so the statistics never count a typo ("Sud") as a place.
pub const OTHER_MUNICIPALITY: &str = "Other / outside the area";

/// A municipality the catalogue knows (in its spelling) or [`OTHER_MUNICIPALITY`]
/// ("other" and "outside the area" are read as it).
pub fn check_place(value: &str, places: &[String]) -> Result<String, String> {
    let v = check_municipality(value)?;
    let typed = navigator_index::text::fold(&v);
    if [
        "other",
        "outside the area",
        &navigator_index::text::fold(OTHER_MUNICIPALITY),
    ]
    .contains(&typed.as_str())
    {
        return Ok(OTHER_MUNICIPALITY.to_string());
    }
    places
        .iter()
        .find(|p| navigator_index::text::fold(p) == typed)
        .cloned()
        .ok_or_else(|| format!("not a municipality of the directory: choose one it lists, or \"{OTHER_MUNICIPALITY}\""))
}

/// The country of the office, for postal codes (`[casework] country`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Country {
    /// Postal codes keep their forward sortation area (FSA, "P3A").
    #[default]
    Canada,
    /// ZIP codes keep their five digits ("20001").
    UnitedStates,
}

impl Country {
    pub fn parse(text: &str) -> Option<Country> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ca" | "can" | "canada" => Some(Country::Canada),
            "us" | "usa" | "united states" => Some(Country::UnitedStates),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Country::Canada => "CA",
            Country::UnitedStates => "US",
        }
    }

    /// The form's label for the postal field.
    pub fn postal_label(self) -> &'static str {
        match self {
            Country::Canada => "Postal area (FSA)",
            Country::UnitedStates => "ZIP code",
        }
    }
}

/// A postal area as the office's country keeps it: an FSA in Canada, a ZIP in the US.
pub fn check_postal(value: &str, country: Country) -> Result<String, String> {
    match country {
        Country::Canada => check_fsa(value),
        Country::UnitedStates => check_zip(value),
    }
}

/// A US ZIP code: five digits. ZIP+4 is refused rather than cut, so nobody believes the
/// four extra digits were stored.
pub fn check_zip(value: &str) -> Result<String, String> {
    let v = value.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if digits(v, 5) {
        return Ok(v.to_string());
    }
    match v.split_once('-') {
        Some((zip, plus)) if digits(zip, 5) && digits(plus, 4) => {
            Err("only the five-digit ZIP code is kept (not ZIP+4): enter just those".into())
        }
        _ => Err("expected a five-digit ZIP code such as 20001".into()),
    }
}

/// A municipality name: one line, trimmed, at most 100 characters.
pub fn check_municipality(value: &str) -> Result<String, String> {
    single_line(value, MAX_MUNICIPALITY, "a municipality name")
}

/// A Canadian forward sortation area (`P3A`): letter, digit, letter; uppercased. A full
/// postal code is refused rather than cut, so nobody believes it was stored.
pub fn check_fsa(value: &str) -> Result<String, String> {
    let v: String = value.trim().to_ascii_uppercase();
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let looks_like_fsa = |s: &str| {
        let c: Vec<char> = s.chars().collect();
        c.len() == 3 && FSA_FIRST.contains(c[0]) && c[1].is_ascii_digit() && c[2].is_ascii_uppercase()
    };
    if compact.chars().count() > 3 && looks_like_fsa(&compact.chars().take(3).collect::<String>()) {
        return Err(
            "only the first three characters of a postal code (the FSA, such as P3A) \
                    are kept: enter just those"
                .into(),
        );
    }
    if looks_like_fsa(&compact) {
        Ok(compact)
    } else {
        Err("expected the first three characters of a Canadian postal code: \
             letter, digit, letter, such as P3A"
            .into())
    }
}

/// A North American phone number: 10 digits once spaces, dashes, dots, parentheses and a
/// leading +1 or 1 are removed; area code and exchange start with 2-9. Returns NNN-NNN-NNNN.
pub fn check_phone(value: &str) -> Result<String, String> {
    let expected = "expected a 10-digit North American phone number such as 705-555-0142";
    let v = value.trim();
    let v = v.strip_prefix('+').unwrap_or(v);
    let mut digits = String::new();
    for c in v.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(expected.into()),
        }
    }
    if value.trim().starts_with('+') && !digits.starts_with('1') {
        return Err(expected.into());
    }
    let digits = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 => &digits[..],
        _ => return Err(expected.into()),
    };
    let b = digits.as_bytes();
    if b[0] < b'2' || b[3] < b'2' {
        return Err("expected a North American phone number: area code and exchange \
                    start with 2-9, such as 705-555-0142"
            .into());
    }
    Ok(format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]))
}

/// A follow-up date, YYYY-MM-DD, a real date, from `today` to [`MAX_DUE_DAYS`] after it.
pub fn check_due(value: &str, today: Date) -> Result<Date, String> {
    check_due_date(check_date(value)?, today)
}

/// [`check_due`] for a date already parsed.
pub fn check_due_date(date: Date, today: Date) -> Result<Date, String> {
    if date < today {
        return Err(format!("must not be before today ({today})"));
    }
    let latest = today.checked_add(jiff::Span::new().days(MAX_DUE_DAYS)).unwrap_or(today);
    if date > latest {
        return Err(format!("at most {MAX_DUE_DAYS} days ahead (by {latest})"));
    }
    Ok(date)
}

/// A calendar date written YYYY-MM-DD.
pub fn check_date(value: &str) -> Result<Date, String> {
    let v = value.trim();
    let shape = v.len() == 10
        && v.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return Err("expected a date written YYYY-MM-DD, such as 2026-12-01".into());
    }
    v.parse::<Date>()
        .map_err(|_| "expected a real date written YYYY-MM-DD, such as 2026-12-01".into())
}

/// A caller's first name: one line, trimmed, 1 to 50 characters.
pub fn check_first_name(value: &str) -> Result<String, String> {
    let v = single_line(value, MAX_FIRST_NAME, "a first name")?;
    if v.is_empty() {
        return Err("required for a follow-up".into());
    }
    Ok(v)
}

/// When to call back ("mornings"): one line, at most 100 characters.
pub fn check_best_time(value: &str) -> Result<String, String> {
    single_line(value, MAX_BEST_TIME, "a time to call")
}

/// Free-text notes: at most 2000 characters; line breaks and tabs allowed.
pub fn check_notes(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.chars().count() > MAX_NOTES {
        return Err(format!("at most {MAX_NOTES} characters"));
    }
    if v.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("must not contain control characters".into());
    }
    Ok(v.to_string())
}

/// An AIRS/211 taxonomy code such as BH-1800 or BD-1800.2000; uppercased.
pub fn check_taxonomy_code(value: &str) -> Result<String, String> {
    let v = value.trim().to_ascii_uppercase();
    let ok = !v.is_empty()
        && v.len() <= MAX_TAXONOMY_CODE
        && v.starts_with(|c: char| c.is_ascii_uppercase())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '*'));
    if ok {
        Ok(v)
    } else {
        Err("expected a taxonomy code such as BH-1800 or BD-1800.2000".into())
    }
}

/// A time with its offset (RFC 3339), such as 2026-11-25T14:05:00Z.
pub fn check_time(value: &str) -> Result<Timestamp, String> {
    value
        .trim()
        .parse::<Timestamp>()
        .map_err(|_| "expected an RFC 3339 time such as 2026-11-25T14:05:00Z".into())
}

/// When a contact started or ended: an RFC 3339 time from [`EARLIEST_CONTACT`] to a day
/// after this machine's clock (a clock a little behind the caller's is not a mistake; a
/// date next year is).
pub fn check_contact_time(value: &str) -> Result<Timestamp, String> {
    let t = check_time(value)?;
    let latest = Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24))
        .unwrap_or(Timestamp::MAX);
    let earliest = EARLIEST_CONTACT
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(Timestamp::MIN, |z| z.timestamp());
    if t < earliest || t > latest {
        let latest = latest.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        return Err(format!("expected a time from {EARLIEST_CONTACT} to {latest}"));
    }
    Ok(t)
}

/// A referred service's id: not blank, at most [`MAX_SERVICE_ID`] characters.
pub fn check_service_id(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("expected a service id".into());
    }
    if v.chars().count() > MAX_SERVICE_ID || v.chars().any(char::is_control) {
        return Err(format!(
            "expected a service id of at most {MAX_SERVICE_ID} characters on one line"
        ));
    }
    Ok(v.to_string())
}

fn single_line(value: &str, max: usize, what: &str) -> Result<String, String> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(format!("at most {max} characters"));
    }
    if v.chars().any(char::is_control) {
        return Err(format!("expected {what} on one line"));
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn phones_normalize_and_reject_what_cannot_be_dialled() {
        for ok in [
            "705-555-0142",
            "(705) 555-0142",
            "705.555.0142",
            "7055550142",
            "+1 705 555 0142",
            "1-705-555-0142",
            " 705 555 0142 ",
        ] {
            assert_eq!(check_phone(ok).as_deref(), Ok("705-555-0142"), "{ok}");
        }
        for bad in [
            "555-0142",
            "705-555-01423",
            "2-705-555-0142",
            "+44 20 7946 0958",
            "105-555-0142",
            "705-155-0142",
            "705-555-0142 ext 3",
            "",
        ] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
        // Messages do not repeat the number.
        assert!(!check_phone("705-155-0142").unwrap_err().contains("155"));
    }

    #[test]
    fn fsa_is_three_characters_of_a_canadian_postal_code() {
        assert_eq!(check_fsa("p3a").as_deref(), Ok("P3A"));
        assert_eq!(check_fsa(" K1A ").as_deref(), Ok("K1A"));
        for bad in ["D3A", "W1A", "Z1A", "P3", "33A", "PAA", "P33", "", "hello"] {
            assert!(check_fsa(bad).is_err(), "{bad}");
        }
        let full = check_fsa("P3A 1A1").unwrap_err();
        assert!(full.contains("only the first three"), "{full}");
        assert!(!full.contains("1A1"));
        assert!(check_fsa("p3a1a1").unwrap_err().contains("first three"));
    }

    #[test]
    fn postal_codes_follow_the_office_country() {
        assert_eq!(check_postal("p3a", Country::Canada).as_deref(), Ok("P3A"));
        assert!(check_postal("20001", Country::Canada).is_err());
        assert_eq!(check_postal(" 20001 ", Country::UnitedStates).as_deref(), Ok("20001"));
        assert!(check_postal("20001-1234", Country::UnitedStates)
            .unwrap_err()
            .contains("five-digit"));
        assert!(check_postal("P3A", Country::UnitedStates).is_err());
        assert_eq!(Country::parse("US"), Some(Country::UnitedStates));
        assert_eq!(Country::parse("mexico"), None);
    }

    #[test]
    fn a_municipality_is_one_the_directory_knows_or_said_to_be_other() {
        let places = vec!["Sudbury".to_string(), "Montréal".to_string()];
        assert_eq!(check_place("sudbury", &places).as_deref(), Ok("Sudbury"));
        assert_eq!(check_place("montreal", &places).as_deref(), Ok("Montréal"));
        assert_eq!(check_place("other", &places).as_deref(), Ok(OTHER_MUNICIPALITY));
        assert!(check_place("Sud", &places).unwrap_err().contains("not a municipality"));
    }

    #[test]
    fn due_dates_are_real_and_not_in_the_past() {
        let today = date("2026-11-25");
        assert_eq!(check_due("2026-11-25", today), Ok(today));
        assert_eq!(check_due("2026-12-01", today), Ok(date("2026-12-01")));
        assert!(check_due("2026-11-24", today).unwrap_err().contains("before today"));
        assert!(check_due("2026-02-30", today).unwrap_err().contains("real"));
        for bad in ["2026-12-1", "12/01/2026", "2026-12-01T00:00", "tomorrow", ""] {
            assert!(check_due(bad, today).is_err(), "{bad}");
        }
    }

    #[test]
    fn choices_are_case_insensitive_and_say_what_was_expected() {
        assert_eq!(check_channel("Walk-In").as_deref(), Ok("walk-in"));
        assert_eq!(
            check_channel("fax").unwrap_err(),
            "expected one of phone, chat, email, text, walk-in"
        );
        assert_eq!(check_age_group("65+").as_deref(), Ok("65+"));
        assert!(check_age_group("30").unwrap_err().contains("0-17, 18-24"));
        assert_eq!(check_unmet_reason("waitlist").as_deref(), Ok("waitlist"));
        assert!(check_unmet_reason("busy").is_err());
        assert_eq!(check_category("Food").as_deref(), Ok("food"));
        assert!(check_category("snacks")
            .unwrap_err()
            .starts_with("expected one of food, housing,"));
    }

    #[test]
    fn languages_resolve_to_codes() {
        assert_eq!(check_language("French").as_deref(), Ok("fr"));
        assert_eq!(check_language("en-CA").as_deref(), Ok("en"));
        assert_eq!(check_language("Dinka").as_deref(), Ok("din"));
        assert!(check_language("klingon").is_err());
        assert!(check_language("").is_err());
        assert!(check_language("fr; DROP TABLE").is_err());
    }

    #[test]
    fn free_text_limits() {
        assert_eq!(check_first_name("  Ana ").as_deref(), Ok("Ana"));
        assert!(check_first_name(" ").is_err());
        assert!(check_first_name(&"a".repeat(51)).is_err());
        assert!(check_first_name(&"é".repeat(50)).is_ok());
        assert!(check_first_name("Ana\nBob").is_err());
        assert!(check_notes(&"x".repeat(2000)).is_ok());
        assert!(check_notes(&"x".repeat(2001)).is_err());
        assert!(check_notes("line one\nline two").is_ok());
        assert!(check_notes("bell\u{7}").is_err());
        assert_eq!(check_taxonomy_code("bh-1800").as_deref(), Ok("BH-1800"));
        assert!(check_taxonomy_code("BH 1800").is_err());
        assert!(check_time("2026-11-25T14:05:00Z").is_ok());
        assert!(check_time("2026-11-25T14:05:00-05:00").is_ok());
        assert!(check_time("2026-11-25 14:05").is_err());
    }
}
