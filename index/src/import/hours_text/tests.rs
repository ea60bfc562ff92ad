//! The free-text hours parser on the ways real 211 records write hours.

use super::*;
use Weekday::*;

/// The hours as "Mon 9:00-17:00" strings, for readable asserts.
fn read(text: &str) -> Option<Vec<String>> {
    parse(text).map(|hours| {
        hours
            .iter()
            .map(|h| {
                format!(
                    "{} {}-{}",
                    &h.weekday.name()[..3],
                    crate::hours::format_time(h.opens),
                    crate::hours::format_time(h.closes)
                )
            })
            .collect()
    })
}

fn week(days: &[Weekday], range: &str) -> Vec<String> {
    days.iter().map(|d| format!("{} {range}", &d.name()[..3])).collect()
}

const MON_FRI: [Weekday; 5] = [Monday, Tuesday, Wednesday, Thursday, Friday];

#[test]
fn times_then_days_as_icarol_writes_them() {
    assert_eq!(
        read("9:00 am - 5:00 pm, Monday - Friday").unwrap(),
        week(&MON_FRI, "9:00-17:00")
    );
    assert_eq!(
        read("8:30 am - 5:00 pm, Monday - Friday (Administrative)").unwrap(),
        week(&MON_FRI, "8:30-17:00")
    );
    let mut both = week(&MON_FRI, "9:00-22:00");
    both.extend(week(&[Saturday, Sunday], "7:00-19:00"));
    assert_eq!(
        read("9:00 am - 10:00 pm, Monday - Friday; 7:00 am - 7:00 pm, Saturday - Sunday").unwrap(),
        both
    );
    assert_eq!(
        read("2:00 pm - 8:00 pm, Sunday - Friday").unwrap().len(),
        6,
        "a day range wraps past Saturday"
    );
}

#[test]
fn days_then_times_with_a_short_saturday() {
    let mut expected = week(&MON_FRI, "8:30-16:30");
    expected.push("Sat 9:00-12:00".into());
    assert_eq!(read("Mon-Fri 8:30am-4:30pm; Sat 9-12").unwrap(), expected);
    let mut expected = week(&MON_FRI, "15:30-21:00");
    expected.push("Sat 10:00-16:00".into());
    assert_eq!(
        read("Mon - Fri 3:30pm - 9:00pm; Sat 10:00am - 4:00pm (Closed Sun)").unwrap(),
        expected
    );
}

#[test]
fn several_groups_in_one_clause() {
    let mut expected = vec!["Mon 9:00-19:00".to_string()];
    expected.extend(week(&[Tuesday, Wednesday, Thursday, Friday], "9:00-17:00"));
    assert_eq!(
        read("Monday: 9 am to 7 pm Tuesday through Friday: 9 am to 5 pm").unwrap(),
        expected
    );
    let mut expected = week(&[Monday, Tuesday, Wednesday, Friday], "8:30-16:30");
    expected.insert(3, "Thu 9:30-16:30".into());
    assert_eq!(
        read("Monday, Tuesday, Wednesday, Friday 8:30am to 4:30pm; Thursday 9:30 am to 4:30 pm,").unwrap(),
        expected
    );
    let mut expected = week(&[Monday, Tuesday, Thursday, Friday], "8:15-16:45");
    expected.insert(2, "Wed 8:15-19:00".into());
    assert_eq!(
        read("8:15 am - 4:45 pm, Monday, Tuesday, Thursday, Friday ; 8:15 am - 7:00 pm Wednesday").unwrap(),
        expected
    );
}

#[test]
fn split_shifts_keep_both_intervals() {
    assert_eq!(read("Mon 9-12, 1-5").unwrap(), ["Mon 9:00-12:00", "Mon 13:00-17:00"]);
    assert_eq!(
        read("Tuesday 9:00am-12:00pm and 1:00pm-4:00pm").unwrap(),
        ["Tue 9:00-12:00", "Tue 13:00-16:00"]
    );
}

#[test]
fn around_the_clock() {
    assert_eq!(read("Open 24 hours").unwrap(), week(&Weekday::ALL, "0:00-24:00"));
    assert_eq!(read("Open 24 hours (Residential Facility)").unwrap().len(), 7);
    assert_eq!(
        read("Mon 24/7; Tue 24/7").unwrap(),
        ["Mon 0:00-24:00", "Tue 0:00-24:00"]
    );
    assert_eq!(read("Mon-Sun 24 hours").unwrap().len(), 7);
    assert_eq!(read("9 am - 5 pm daily").unwrap().len(), 7);
}

#[test]
fn closed_days_and_notes_change_nothing() {
    assert_eq!(
        read("8:00 am - 5:00 pm, Monday - Friday, except on public holidays").unwrap(),
        week(&MON_FRI, "8:00-17:00")
    );
    assert_eq!(
        read("Mon 7:45am - 8:00pm; Sat 8:00am - 2:00 pm; Sun Close - Close;").unwrap(),
        ["Mon 7:45-20:00", "Sat 8:00-14:00"]
    );
    assert_eq!(read("Mon-Fri 9-5, Sat closed").unwrap(), week(&MON_FRI, "9:00-17:00"));
    assert_eq!(read("Mon-Fri 9 am-5 pm").unwrap(), week(&MON_FRI, "9:00-17:00"));
}

#[test]
fn meridiem_is_inferred_from_the_other_side() {
    assert_eq!(read("Mon 9-5pm").unwrap(), ["Mon 9:00-17:00"]);
    assert_eq!(read("Mon 1-4pm").unwrap(), ["Mon 13:00-16:00"]);
    assert_eq!(read("Mon 11-2pm").unwrap(), ["Mon 11:00-14:00"]);
    assert_eq!(read("Mon 1-4").unwrap(), ["Mon 13:00-16:00"]);
    assert_eq!(read("Mon 12:00 pm - 5:00 pm").unwrap(), ["Mon 12:00-17:00"]);
    assert_eq!(read("Mon 10pm-6am").unwrap(), ["Mon 22:00-6:00"], "overnight");
    assert_eq!(read("Mon 17:00-21:00").unwrap(), ["Mon 17:00-21:00"]);
    assert_eq!(read("815 am - 4:45 pm, Monday").unwrap(), ["Mon 8:15-16:45"]);
    assert_eq!(read("10am to 12pm, M-F").unwrap(), week(&MON_FRI, "10:00-12:00"));
}

#[test]
fn anything_unclear_is_unknown() {
    for text in [
        "",
        "N/A",
        "Please inquire",
        "Please call for this information",
        "7:00 am - 6:00 pm",
        "Mon; Tue; Wed; Thu; Fri; Sat; Sun;",
        "8:30am-5:00pm, Business Hours",
        "Office:  9:00 am - 5:00 pm, Monday - Friday; Adult Day Health Center:  7:30 am - 5:30 pm, Monday - Friday",
        "9:00 am - 5:00 pm, Monday - Friday Inpatient, Monday- Thurs, 6-8pm Outpatient",
        "Mon 25:00-26:00",
        "Monday 9",
    ] {
        assert_eq!(read(text), None, "{text:?}");
    }
}
