//! Calendar dates as day numbers, in integer arithmetic (Howard Hinnant's civil-date
//! algorithms), so generated dates never depend on the clock or on a crate.

/// The fixed "today" of generated data: `assured_date`s spread over the three years
/// before it. Fixed so the output never changes; as real time passes, every record looks
/// older, as in a directory nobody maintains.
pub const REFERENCE_DATE: (i64, u32, u32) = (2026, 11, 1);

/// Days since 1970-01-01 of a civil date.
pub const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub const fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

pub fn reference_day() -> i64 {
    let (y, m, d) = REFERENCE_DATE;
    days_from_civil(y, m, d)
}

/// "YYYY-MM-DD"
pub fn format_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "YYYY-MM-DDTHH:MM:SSZ"
pub fn format_datetime(day: i64, second_of_day: u32) -> String {
    let (h, mi, s) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{}T{h:02}:{mi:02}:{s:02}Z", format_date(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(format_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(format_date(days_from_civil(2024, 2, 29) + 1), "2024-03-01");
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(format_datetime(reference_day(), 3_661), "2026-11-01T01:01:01Z");
    }
}
