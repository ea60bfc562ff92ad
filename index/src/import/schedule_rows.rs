//! Weekly opening hours from one schedule row, whatever the export calls its columns:
//! 1.x `weekday` names or numbers, 2.0/3.0 RRULE-like `byday` and `freq`, `8:00am` times.

use super::values::is_placeholder;
use crate::hours::parse_time;
use crate::model::{Weekday, WeeklyHours};

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
    if (opens.is_empty() || is_placeholder(opens)) && (closes.is_empty() || is_placeholder(closes)) {
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
        let stripped = token.trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
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
    let opens_min = parse_time(opens).ok_or_else(|| ("opens_at", format!("{opens:?} is not a time")))?;
    let closes_min = parse_time(closes).ok_or_else(|| ("closes_at", format!("{closes:?} is not a time")))?;
    Ok(weekdays
        .into_iter()
        .map(|weekday| WeeklyHours {
            weekday,
            opens: opens_min,
            closes: closes_min,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_hours_from_rows() {
        let h = weekly_hours("TH,FR", "WEEKLY", "10:00:00", "18:00:00").unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!((h[0].weekday, h[0].opens, h[0].closes), (Weekday::Thursday, 600, 1080));
        assert_eq!(
            weekly_hours("Monday", "", "8:00am", "5:00pm").unwrap()[0].closes,
            17 * 60
        );
        assert_eq!(weekly_hours("Mon-Fri", "", "9", "17").unwrap().len(), 5);
        assert_eq!(weekly_hours("", "DAILY", "9:00", "17:00").unwrap().len(), 7);
        assert!(weekly_hours("1MO", "MONTHLY", "9:00", "17:00").unwrap().is_empty());
        assert_eq!(
            weekly_hours("1MO", "", "9:00", "17:00").unwrap()[0].weekday,
            Weekday::Monday
        );
        assert_eq!(
            weekly_hours("7", "", "09:00:00", "17:00:00").unwrap()[0].weekday,
            Weekday::Sunday
        );
        assert!(weekly_hours("Sunday", "", "", "").unwrap().is_empty());
        assert_eq!(weekly_hours("Someday", "", "9:00", "17:00").unwrap_err().0, "byday");
        assert_eq!(weekly_hours("MO", "", "9:75", "17:00").unwrap_err().0, "opens_at");
        assert_eq!(weekly_hours("MO", "", "9:00", "").unwrap_err().0, "closes_at");
    }
}
