//! Weekly opening hours: parsing the many ways exports write times, and "open now".
//!
//! Hours are evaluated in the service's own time zone. A service with no schedule has
//! unknown hours: `open_at` answers `None`, never "closed".

use crate::model::{Weekday, WeeklyHours};

pub const MINUTES_PER_DAY: u16 = 24 * 60;
pub const MINUTES_PER_WEEK: u32 = 7 * 24 * 60;

/// Parses "08:00", "8:00", "8:00am", "5 PM", "17:00:00", "0800", "noon", "midnight",
/// "24:00" into minutes after midnight.
pub fn parse_time(text: &str) -> Option<u16> {
    let t = text.trim().to_ascii_lowercase().replace('.', "");
    match t.as_str() {
        "noon" | "midi" => return Some(12 * 60),
        "midnight" | "minuit" => return Some(0),
        "" => return None,
        _ => {}
    }
    let (body, meridiem) = if let Some(b) = t.strip_suffix("am").or_else(|| t.strip_suffix('a')) {
        (b.trim(), Some(false))
    } else if let Some(b) = t.strip_suffix("pm").or_else(|| t.strip_suffix('p')) {
        (b.trim(), Some(true))
    } else {
        (t.as_str(), None)
    };
    // French style "8h30" and "8 h".
    let body = body.replace(" h ", ":").replace('h', ":");
    let body = body.trim_end_matches(':');
    let mut parts = body.split(':');
    let first = parts.next()?.trim();
    let (hour, minute): (u16, u16) = match (parts.next(), first.len()) {
        (Some(m), _) => (first.parse().ok()?, m.trim().get(..2).unwrap_or(m.trim()).parse().ok()?),
        (None, 3 | 4) if meridiem.is_none() => {
            let (h, m) = first.split_at(first.len() - 2);
            (h.parse().ok()?, m.parse().ok()?)
        }
        (None, _) => (first.parse().ok()?, 0),
    };
    if minute > 59 {
        return None;
    }
    let hour = match meridiem {
        Some(_) if hour == 0 || hour > 12 => return None,
        Some(false) if hour == 12 => 0,
        Some(true) if hour != 12 => hour + 12,
        _ => hour,
    };
    let total = hour * 60 + minute;
    (total <= MINUTES_PER_DAY).then_some(total)
}

/// Formats minutes after midnight as "9:00" / "17:30" (24-hour, as Canadian services list them).
pub fn format_time(minutes: u16) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// Whether a service with these hours is open at `weekday` `minute` (its local time).
/// `None` when the hours are unknown.
pub fn open_at(hours: &[WeeklyHours], weekday: Weekday, minute: u16) -> Option<bool> {
    if hours.is_empty() {
        return None;
    }
    let now = weekday.index() as u32 * MINUTES_PER_DAY as u32 + minute as u32;
    Some(
        week_intervals(hours)
            .iter()
            .any(|&(start, end)| contains(start, end, now)),
    )
}

/// "Wed 8:30": a next opening as the status of a closed service says it.
pub fn opening_text((weekday, minute): (Weekday, u16)) -> String {
    format!("{} {}", &weekday.name()[..3], format_time(minute))
}

fn contains(start: u32, end: u32, now: u32) -> bool {
    if end > MINUTES_PER_WEEK {
        // Wraps past Sunday midnight into Monday.
        now >= start || now < end - MINUTES_PER_WEEK
    } else {
        now >= start && now < end
    }
}

/// The hours as half-open intervals in minutes of the week (Monday 00:00 = 0). An
/// overnight interval (closes <= opens) runs into the next day; Sunday's runs into Monday,
/// so `end` may exceed [`MINUTES_PER_WEEK`].
pub fn week_intervals(hours: &[WeeklyHours]) -> Vec<(u32, u32)> {
    hours
        .iter()
        .map(|h| {
            let day = h.weekday.index() as u32 * MINUTES_PER_DAY as u32;
            let start = day + h.opens as u32;
            let end = if h.closes > h.opens {
                day + h.closes as u32
            } else {
                day + MINUTES_PER_DAY as u32 + h.closes as u32
            };
            (start, end)
        })
        .collect()
}

/// Packs an interval into one u64 for a fast field: start in the high half.
pub fn pack_interval(start: u32, end: u32) -> u64 {
    ((start as u64) << 32) | end as u64
}

pub fn unpack_interval(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

/// Whether any packed interval contains `now` (minute of the week).
pub fn packed_contains(packed: impl IntoIterator<Item = u64>, now: u32) -> bool {
    packed.into_iter().any(|p| {
        let (s, e) = unpack_interval(p);
        contains(s, e, now)
    })
}

/// The hours for one weekday, e.g. "9:00-12:00, 13:00-17:00"; `None` when closed that day.
pub fn day_summary(hours: &[WeeklyHours], weekday: Weekday) -> Option<String> {
    let mut day: Vec<&WeeklyHours> = hours.iter().filter(|h| h.weekday == weekday).collect();
    day.sort_by_key(|h| h.opens);
    if day.is_empty() {
        return None;
    }
    Some(
        day.iter()
            .map(|h| {
                if h.opens == 0 && h.closes == MINUTES_PER_DAY {
                    "24 hours".to_string()
                } else {
                    format!("{}-{}", format_time(h.opens), format_time(h.closes))
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// Open or closed at a moment, and when that changes: what a navigator says on the phone
/// ("open until 17:00", "closed, opens Wed 8:30").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenStatus {
    /// Open; closes at (weekday, minute), or `None` when it never closes (24/7).
    Open { closes: Option<(Weekday, u16)> },
    /// Closed; opens next at (weekday, minute), or `None` when no hours are open at all.
    Closed { opens: Option<(Weekday, u16)> },
    /// No schedule: unknown, never "closed".
    Unknown,
}

/// Open intervals of the week, overlapping and touching ones merged (so 0:00-24:00 on
/// Monday and Tuesday is one interval), sorted by start. May end past the week's end.
fn merged_intervals(hours: &[WeeklyHours]) -> Vec<(u32, u32)> {
    let mut list = week_intervals(hours);
    list.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (start, end) in list {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    // An interval running past Sunday midnight may join the first one of Monday.
    if merged.len() > 1 {
        let week = MINUTES_PER_WEEK;
        let (first, last) = (merged[0], merged[merged.len() - 1]);
        if last.1 >= week && last.1 - week >= first.0 {
            let joined = (last.0, week + first.1.max(last.1 - week));
            merged.pop();
            merged.remove(0);
            merged.push(joined);
        }
    }
    merged
}

fn at_minute(minute_of_week: u32) -> (Weekday, u16) {
    let m = minute_of_week % MINUTES_PER_WEEK;
    (
        Weekday::from_index((m / MINUTES_PER_DAY as u32) as usize),
        (m % MINUTES_PER_DAY as u32) as u16,
    )
}

/// Whether a service with these hours is open at `weekday` `minute` (its local time), and
/// when that changes: when it closes, or when it next opens.
pub fn open_status(hours: &[WeeklyHours], weekday: Weekday, minute: u16) -> OpenStatus {
    if hours.is_empty() {
        return OpenStatus::Unknown;
    }
    let now = weekday.index() as u32 * MINUTES_PER_DAY as u32 + minute as u32;
    let merged = merged_intervals(hours);
    if merged.iter().any(|&(s, e)| e - s >= MINUTES_PER_WEEK) {
        return OpenStatus::Open { closes: None };
    }
    if let Some(&(_, end)) = merged.iter().find(|&&(s, e)| contains(s, e, now)) {
        return OpenStatus::Open {
            closes: Some(at_minute(end)),
        };
    }
    // The next start after now, this week or (wrapping) next week.
    let opens = merged
        .iter()
        .map(|&(s, _)| if s > now { s - now } else { s + MINUTES_PER_WEEK - now })
        .min()
        .map(|wait| at_minute(now + wait));
    OpenStatus::Closed { opens }
}

/// When a service with these hours next opens after `weekday` `minute` (its local time);
/// `None` when the hours are unknown, it is open now, or it never opens.
pub fn next_opening(hours: &[WeeklyHours], weekday: Weekday, minute: u16) -> Option<(Weekday, u16)> {
    match open_status(hours, weekday, minute) {
        OpenStatus::Closed { opens } => opens,
        _ => None,
    }
}

/// Minute of the week (Monday 00:00 = 0) of `now` in `zone` (IANA name), or in the
/// machine's zone when `zone` is `None` or unknown.
pub fn minute_of_week(now: jiff::Timestamp, zone: Option<&str>) -> (Weekday, u16) {
    let tz = zone
        .and_then(|z| jiff::tz::TimeZone::get(z).ok())
        .unwrap_or_else(jiff::tz::TimeZone::system);
    let local = now.to_zoned_datetime(tz);
    let weekday = Weekday::from_index(local.weekday().to_monday_zero_offset() as usize);
    (weekday, local.hour() as u16 * 60 + local.minute() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    fn h(weekday: Weekday, opens: &str, closes: &str) -> WeeklyHours {
        WeeklyHours {
            weekday,
            opens: parse_time(opens).unwrap(),
            closes: parse_time(closes).unwrap(),
        }
    }

    #[test]
    fn parses_the_ways_exports_write_times() {
        assert_eq!(parse_time("08:00"), Some(480));
        assert_eq!(parse_time("8:00am"), Some(480));
        assert_eq!(parse_time("5:00pm"), Some(17 * 60));
        assert_eq!(parse_time("5 PM"), Some(17 * 60));
        assert_eq!(parse_time("12:30pm"), Some(12 * 60 + 30));
        assert_eq!(parse_time("12am"), Some(0));
        assert_eq!(parse_time("17:00:00"), Some(17 * 60));
        assert_eq!(parse_time("0830"), Some(510));
        assert_eq!(parse_time("8h30"), Some(510));
        assert_eq!(parse_time("24:00"), Some(1440));
        assert_eq!(parse_time("noon"), Some(720));
        for bad in ["", "25:00", "9:75", "13pm", "soon"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn open_at_handles_day_overnight_and_unknown() {
        let hours = [
            h(Monday, "9:00", "17:00"),
            h(Friday, "22:00", "06:00"),
            h(Sunday, "23:00", "01:00"),
        ];
        assert_eq!(open_at(&hours, Monday, 9 * 60), Some(true));
        assert_eq!(
            open_at(&hours, Monday, 17 * 60),
            Some(false),
            "closing minute is closed"
        );
        assert_eq!(open_at(&hours, Tuesday, 10 * 60), Some(false));
        assert_eq!(
            open_at(&hours, Saturday, 5 * 60),
            Some(true),
            "Friday night runs into Saturday"
        );
        assert_eq!(
            open_at(&hours, Monday, 30),
            Some(true),
            "Sunday night wraps into Monday"
        );
        assert_eq!(open_at(&[], Monday, 600), None, "no schedule means unknown");
    }

    #[test]
    fn a_closed_service_says_when_it_opens_next() {
        let hours = [h(Monday, "9:00", "17:00"), h(Wednesday, "8:30", "12:00")];
        let next = |day, time: &str| next_opening(&hours, day, parse_time(time).unwrap()).map(opening_text);
        assert_eq!(next(Monday, "17:00").as_deref(), Some("Wed 8:30"));
        assert_eq!(next(Monday, "8:59").as_deref(), Some("Mon 9:00"));
        assert_eq!(
            next(Wednesday, "12:00").as_deref(),
            Some("Mon 9:00"),
            "across the week's end"
        );
        assert_eq!(next(Sunday, "23:00").as_deref(), Some("Mon 9:00"));
        assert_eq!(next(Monday, "10:00"), None, "open now");
        assert_eq!(next_opening(&[], Monday, 600), None, "hours unknown");
    }

    #[test]
    fn packed_intervals_agree_with_open_at() {
        let hours = [h(Tuesday, "8:30", "12:00"), h(Sunday, "20:00", "2:00")];
        let packed: Vec<u64> = week_intervals(&hours)
            .into_iter()
            .map(|(s, e)| pack_interval(s, e))
            .collect();
        for day in Weekday::ALL {
            for minute in (0..1440).step_by(15) {
                let now = day.index() as u32 * 1440 + minute as u32;
                assert_eq!(
                    packed_contains(packed.iter().copied(), now),
                    open_at(&hours, day, minute).unwrap()
                );
            }
        }
    }

    #[test]
    fn day_summary_lists_intervals_in_order() {
        let hours = [
            h(Monday, "13:00", "17:00"),
            h(Monday, "9:00", "12:00"),
            h(Tuesday, "0:00", "24:00"),
        ];
        assert_eq!(day_summary(&hours, Monday).as_deref(), Some("9:00-12:00, 13:00-17:00"));
        assert_eq!(day_summary(&hours, Tuesday).as_deref(), Some("24 hours"));
        assert_eq!(day_summary(&hours, Sunday), None);
    }
    #[test]
    fn next_opening_and_closing_time() {
        let hours = [
            h(Monday, "9:00", "12:00"),
            h(Monday, "13:00", "17:00"),
            h(Wednesday, "8:30", "16:30"),
        ];
        // Between Monday's two intervals: opens again at 13:00 the same day.
        assert_eq!(next_opening(&hours, Monday, 12 * 60 + 15), Some((Monday, 13 * 60)));
        assert_eq!(
            open_status(&hours, Monday, 10 * 60),
            OpenStatus::Open {
                closes: Some((Monday, 12 * 60))
            }
        );
        // Monday evening: Wednesday 8:30.
        assert_eq!(next_opening(&hours, Monday, 18 * 60), Some((Wednesday, 8 * 60 + 30)));
        // Thursday: wraps to next Monday.
        assert_eq!(next_opening(&hours, Thursday, 9 * 60), Some((Monday, 9 * 60)));
        assert_eq!(next_opening(&hours, Wednesday, 9 * 60), None, "open now");
        assert_eq!(open_status(&[], Monday, 0), OpenStatus::Unknown);
        assert_eq!(next_opening(&[], Monday, 0), None);
    }

    #[test]
    fn overnight_and_round_the_clock_hours() {
        // Friday 22:00 to Saturday 6:00: closes Saturday morning.
        let night = [h(Friday, "22:00", "06:00")];
        assert_eq!(
            open_status(&night, Saturday, 60),
            OpenStatus::Open {
                closes: Some((Saturday, 6 * 60))
            }
        );
        assert_eq!(next_opening(&night, Saturday, 7 * 60), Some((Friday, 22 * 60)));
        // Open all day every day: never closes.
        let always: Vec<WeeklyHours> = Weekday::ALL.iter().map(|&d| h(d, "0:00", "24:00")).collect();
        assert_eq!(open_status(&always, Sunday, 23 * 60), OpenStatus::Open { closes: None });
        // All day Saturday and Sunday, joined across Sunday midnight into Monday morning.
        let weekend = [
            h(Saturday, "0:00", "24:00"),
            h(Sunday, "0:00", "24:00"),
            h(Monday, "0:00", "9:00"),
        ];
        assert_eq!(
            open_status(&weekend, Sunday, 12 * 60),
            OpenStatus::Open {
                closes: Some((Monday, 9 * 60))
            }
        );
    }
}
