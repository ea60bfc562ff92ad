//! Weekly hours from free text as 211 resource specialists type it: "9:00 am - 5:00 pm,
//! Monday - Friday", "Mon-Fri 8:30am-4:30pm; Sat 9-12", "Monday: 9 am to 7 pm Tuesday
//! through Friday: 9 am to 5 pm", "Open 24 hours", "Mon 9-12, 1-5".
//!
//! The parser is strict on purpose: it answers only when it understood every word, so a
//! navigator never reads out hours the text did not say. Anything else ("Please inquire",
//! "Office: ...; Day centre: ...", a time with no day) is `None`: the hours are unknown
//! and the text itself is kept beside them. Notes in brackets ("(Closed Sun)",
//! "(Residential Facility)") and "except holidays" do not change the weekly hours.

use crate::hours::MINUTES_PER_DAY;
use crate::model::{Weekday, WeeklyHours};

/// The weekly hours `text` describes, or `None` when it cannot be read with confidence.
pub(crate) fn parse(text: &str) -> Option<Vec<WeeklyHours>> {
    let text = strip_brackets(&text.to_lowercase());
    let mut hours = Vec::new();
    let mut any = false;
    for clause in text.split([';', '\n', '|']) {
        let tokens = tokenize(clause)?;
        if tokens.is_empty() {
            continue;
        }
        any = true;
        hours.extend(clause_hours(&tokens)?);
    }
    if !any {
        return None;
    }
    hours.sort_by_key(|h: &WeeklyHours| (h.weekday, h.opens, h.closes));
    hours.dedup();
    Some(hours)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Day(Weekday),
    /// Hour, minute, and am (false) / pm (true) when written.
    Time(u16, u16, Option<bool>),
    /// "-", "to", "through", "until".
    Dash,
    /// ",", "&", "and", "/": lists.
    And,
    /// "closed".
    Closed,
    /// "24 hours", "24/7": the whole day.
    AllDay,
    /// "daily", "every day", "7 days a week".
    Daily,
    Weekdays,
    Weekends,
}

/// Words that say nothing about the weekly hours.
const FILLER: &[&str] = &[
    "open",
    "from",
    "on",
    "at",
    "the",
    "hours",
    "hrs",
    "of",
    "operation",
    "are",
    "is",
    "every",
    "each",
    "only",
];

/// Phrases that qualify the hours without changing them; dropped before reading.
const NOTES: &[&str] = &[
    "except on public holidays",
    "except on holidays",
    "except public holidays",
    "except holidays",
    "closed on holidays",
    "closed holidays",
    "closed on public holidays",
    "closed public holidays",
    "closed on statutory holidays",
    "closed statutory holidays",
    "by appointment only",
    "by appointment",
    "or by appointment",
    "and by appointment",
];

fn strip_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let mut out = out
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace("a.m", "am")
        .replace("p.m", "pm");
    for note in NOTES {
        out = out.replace(note, " ");
    }
    out.replace("24/7", " 24hours ")
        .replace("24 hours", " 24hours ")
        .replace("24 hrs", " 24hours ")
        .replace("24-hours", " 24hours ")
        .replace("24 hour", " 24hours ")
        .replace("7 days a week", " daily ")
        .replace("seven days a week", " daily ")
        .replace("every day", " daily ")
        .replace("all week", " daily ")
}

/// Splits a clause into tokens; `None` at the first word that is not about hours.
fn tokenize(clause: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = clause.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '.' || c == ':' {
            i += 1;
        } else if matches!(c, '-' | '–' | '—') {
            tokens.push(Token::Dash);
            i += 1;
        } else if matches!(c, ',' | '&' | '/' | '+') {
            tokens.push(Token::And);
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ':' || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            let number = number.trim_end_matches(['.', ':']);
            // An am/pm right after the number, with or without a space.
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let word = word_at(&chars, j);
            let meridiem = match word.as_str() {
                "am" | "a" => Some(false),
                "pm" | "p" => Some(true),
                "noon" if number == "12" => Some(true),
                _ => None,
            };
            if meridiem.is_some() {
                i = j + word.chars().count();
            }
            tokens.push(time(number, meridiem)?);
        } else if c.is_alphabetic() {
            let word = word_at(&chars, i);
            i += word.chars().count();
            match word.as_str() {
                "noon" | "midday" => tokens.push(Token::Time(12, 0, Some(true))),
                "midnight" => tokens.push(Token::Time(24, 0, None)),
                "to" | "through" | "thru" | "until" | "till" | "til" => tokens.push(Token::Dash),
                "and" => tokens.push(Token::And),
                "closed" | "close" => tokens.push(Token::Closed),
                "daily" => tokens.push(Token::Daily),
                "weekdays" | "weekday" => tokens.push(Token::Weekdays),
                "weekends" | "weekend" => tokens.push(Token::Weekends),
                "hours" if tokens.last() == Some(&Token::Time(24, 0, None)) => {
                    tokens.pop();
                    tokens.push(Token::AllDay);
                }
                w if FILLER.contains(&w) => {}
                w => tokens.push(Token::Day(day(w)?)),
            }
        } else {
            return None;
        }
    }
    // "24hours" was written as one word by strip_brackets.
    Some(tokens)
}

fn word_at(chars: &[char], start: usize) -> String {
    chars[start.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_alphanumeric())
        .collect()
}

/// "9", "9:30", "0930", "9.30" with an optional am/pm. "24hours" reads as the whole day.
fn time(number: &str, meridiem: Option<bool>) -> Option<Token> {
    let (h, m) = match number.split_once([':', '.']) {
        Some((h, m)) => (h.parse().ok()?, m.get(..2).unwrap_or(m).parse().ok()?),
        // "0930", "815 am", "400 pm".
        None if number.len() == 4 || (number.len() == 3 && meridiem.is_some()) => {
            let (h, m) = number.split_at(number.len() - 2);
            (h.parse().ok()?, m.parse().ok()?)
        }
        None => (number.parse().ok()?, 0),
    };
    if m > 59 || h > 24 || (meridiem.is_some() && !(1..=12).contains(&h)) {
        return None;
    }
    Some(Token::Time(h, m, meridiem))
}

fn day(word: &str) -> Option<Weekday> {
    if word == "24hours" {
        return None;
    }
    // "M-F", "T, W": single letters as schedules abbreviate them.
    let letter = match word {
        "m" => Some(Weekday::Monday),
        "t" => Some(Weekday::Tuesday),
        "w" => Some(Weekday::Wednesday),
        "f" => Some(Weekday::Friday),
        _ => None,
    };
    // Plurals and "weds": "mondays", "weds" -> "wed".
    letter
        .or_else(|| Weekday::parse(word))
        .or_else(|| Weekday::parse(word.trim_end_matches('s')))
}

/// One clause's tokens as a sequence of items: sets of days, time ranges, "closed".
#[derive(Debug)]
enum Item {
    Days(Vec<Weekday>),
    Range(u16, u16),
    Closed,
}

fn clause_hours(tokens: &[Token]) -> Option<Vec<WeeklyHours>> {
    let tokens: Vec<Token> = expand_all_day(tokens);
    let mut out = Vec::new();
    let mut group = Group::default();
    let mut last_was_closed = false;
    for item in items(&tokens)? {
        let closed = matches!(item, Item::Closed);
        match item {
            Item::Days(d) => {
                // Days after a finished days-first group, or after "Sun closed", start anew.
                let finished = group.days_first == Some(true) && !group.ranges.is_empty();
                if finished || (last_was_closed && !group.days.is_empty()) {
                    group.flush(&mut out)?;
                }
                group.days_first.get_or_insert(true);
                group.days.extend(d);
            }
            Item::Range(o, c) => {
                // A range after a finished ranges-first group ("9-5, Mon-Fri, 10-2 Sat").
                if group.days_first == Some(false) && !group.days.is_empty() {
                    group.flush(&mut out)?;
                }
                group.days_first.get_or_insert(false);
                group.ranges.push((o, c));
            }
            Item::Closed => {
                if !group.days.is_empty() && !group.ranges.is_empty() {
                    group.flush(&mut out)?;
                }
                group.closed = true;
            }
        }
        last_was_closed = closed;
    }
    if group.ranges.is_empty() && !group.closed {
        // Days with no times ("Mon; Tue; Wed") are not hours.
        return (group.days.is_empty() && !out.is_empty()).then_some(out);
    }
    if group.days.is_empty() && !group.closed {
        // Times with no day ("7:00 am - 6:00 pm"): which days is anyone's guess.
        return None;
    }
    group.flush(&mut out)?;
    Some(out)
}

/// Days and the ranges that apply to them, in the order the text gave them.
#[derive(Default)]
struct Group {
    days: Vec<Weekday>,
    ranges: Vec<(u16, u16)>,
    closed: bool,
    /// Whether the days came before the times ("Mon 9-5") or after ("9-5, Mon").
    days_first: Option<bool>,
}

impl Group {
    /// Adds the group's hours to `out` and starts a new one; `None` when the group says
    /// both "closed" and a time (which one holds is unclear).
    fn flush(&mut self, out: &mut Vec<WeeklyHours>) -> Option<()> {
        if self.closed && !self.ranges.is_empty() {
            return None;
        }
        for &weekday in &self.days {
            for &(opens, closes) in &self.ranges {
                out.push(WeeklyHours { weekday, opens, closes });
            }
        }
        *self = Group::default();
        Some(())
    }
}

/// "24 hours" alone means every day; "Mon-Fri 24 hours" those days all day.
fn expand_all_day(tokens: &[Token]) -> Vec<Token> {
    let has_days = tokens
        .iter()
        .any(|t| matches!(t, Token::Day(_) | Token::Weekdays | Token::Weekends | Token::Daily));
    let mut out = Vec::with_capacity(tokens.len() + 1);
    if !has_days && tokens.contains(&Token::AllDay) {
        out.push(Token::Daily);
    }
    out.extend_from_slice(tokens);
    out
}

/// Tokens to items: day ranges and lists, time ranges with am/pm worked out.
fn items(tokens: &[Token]) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::Day(a) => {
                if let (Some(Token::Dash), Some(Token::Day(b))) = (tokens.get(i + 1), tokens.get(i + 2)) {
                    items.push(Item::Days(day_range(a, *b)));
                    i += 3;
                } else {
                    items.push(Item::Days(vec![a]));
                    i += 1;
                }
            }
            Token::Daily => {
                items.push(Item::Days(Weekday::ALL.to_vec()));
                i += 1;
            }
            Token::Weekdays => {
                items.push(Item::Days(day_range(Weekday::Monday, Weekday::Friday)));
                i += 1;
            }
            Token::Weekends => {
                items.push(Item::Days(vec![Weekday::Saturday, Weekday::Sunday]));
                i += 1;
            }
            Token::AllDay => {
                items.push(Item::Range(0, MINUTES_PER_DAY));
                i += 1;
            }
            Token::Time(h1, m1, p1) => {
                let (Some(Token::Dash), Some(Token::Time(h2, m2, p2))) = (tokens.get(i + 1), tokens.get(i + 2)) else {
                    return None;
                };
                items.push(range((h1, m1, p1), (*h2, *m2, *p2))?);
                i += 3;
            }
            Token::Closed => {
                items.push(Item::Closed);
                i += 1;
                // "Close - Close" (iCarol's way of writing a closed day).
                if let (Some(Token::Dash), Some(Token::Closed)) = (tokens.get(i), tokens.get(i + 1)) {
                    i += 2;
                }
            }
            Token::And | Token::Dash => i += 1,
        }
    }
    Some(items)
}

fn day_range(a: Weekday, b: Weekday) -> Vec<Weekday> {
    let mut out = Vec::new();
    let mut i = a.index();
    loop {
        out.push(Weekday::from_index(i));
        if i % 7 == b.index() {
            return out;
        }
        i += 1;
    }
}

type Clock = (u16, u16, Option<bool>);

/// A time range with am/pm inferred where one side lacks it: "9-5pm" is 9:00-17:00,
/// "1-4pm" 13:00-16:00, "9-5" 9:00-17:00, "9-12" 9:00-12:00, "1-4" 13:00-16:00.
fn range(from: Clock, to: Clock) -> Option<Item> {
    let at = |(h, m, _): Clock, pm: bool| -> u16 {
        let h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        h * 60 + m
    };
    let plain = |(h, m, _): Clock| h * 60 + m;
    let (opens, closes) = match (from.2, to.2) {
        (Some(a), Some(b)) => (at(from, a), at(to, b)),
        (None, Some(b)) => {
            let closes = at(to, b);
            let same = at(from, b);
            // "9-5pm": 9 am; "1-4pm": 1 pm; "11-2pm": 11 am.
            let opens = if from.0 <= 12 && same < closes {
                same
            } else {
                at(from, false)
            };
            (if from.0 > 12 { plain(from) } else { opens }, closes)
        }
        (Some(a), None) => {
            let opens = at(from, a);
            let closes = if to.0 <= 12 {
                let same = at(to, a);
                if same > opens {
                    same
                } else {
                    at(to, !a)
                }
            } else {
                plain(to)
            };
            (opens, closes)
        }
        (None, None) => {
            let (o, c) = (plain(from), plain(to));
            if from.0 > 12 || to.0 > 12 || to.0 == 24 {
                (o, c)
            } else if from.0 < 7 && to.0 <= 12 && to.0 > from.0 {
                // "1-4": afternoon hours.
                (o + 12 * 60, c + 12 * 60)
            } else if c <= o {
                // "9-5": the closing hour is in the afternoon.
                (o, c + 12 * 60)
            } else {
                (o, c)
            }
        }
    };
    (opens <= MINUTES_PER_DAY && closes <= MINUTES_PER_DAY && opens != closes).then_some(Item::Range(opens, closes))
}

#[cfg(test)]
mod tests;
