//! Shared fixtures for the follow-up store tests: a store with two services, contacts with
//! follow-ups, outcomes, and a clock pinned to local noon on a Wednesday.

use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use navigator_index::Service;
use serde_json::json;

use super::{OutcomeInput, QueueItem, QueueView};
use crate::casework::input::{FollowUpInput, NeedInput};
use crate::casework::ContactInput;
pub use crate::store::testing::{each_backend, TestDb};
use crate::store::{ImportRecord, Store};

pub const LEASE: Duration = Duration::from_secs(15 * 60);

pub fn today() -> Date {
    "2026-11-25".parse().unwrap() // a Wednesday
}

/// Local noon on `today()`, so the local date of every `now` in these tests is today.
pub fn noon() -> Timestamp {
    today()
        .at(12, 0, 0, 0)
        .to_zoned_datetime(TimeZone::system())
        .unwrap()
        .timestamp()
}

pub fn at(minutes: i64) -> Timestamp {
    noon().checked_add(Span::new().minutes(minutes)).unwrap()
}

pub fn day(offset: i64) -> Date {
    today().checked_add(Span::new().days(offset)).unwrap()
}

pub fn store(db: &TestDb) -> Store {
    let mut store = db.open();
    let services: Vec<Service> = ["S1", "S2"]
        .iter()
        .map(|id| Service {
            id: id.to_string(),
            name: format!("Service {id}"),
            ..Default::default()
        })
        .collect();
    store
        .apply_import(&services, false, ImportRecord::for_tests(), "test")
        .unwrap();
    store
}

/// Adds a contact referred to S1 and S2 with a follow-up due `due_offset` days from
/// today (recorded then, so a past date is allowed); returns the follow-up id.
pub fn followup(store: &mut Store, due_offset: i64, municipality: &str) -> i64 {
    let input = ContactInput {
        channel: "phone".into(),
        municipality: Some(municipality.into()),
        needs: vec![
            NeedInput {
                category: "housing".into(),
                met: false,
                unmet_reason: Some("waitlist".into()),
                ..Default::default()
            },
            NeedInput {
                category: "food".into(),
                met: true,
                ..Default::default()
            },
        ],
        referrals: vec!["S1".into(), "S2".into()],
        follow_up: Some(FollowUpInput {
            consent: true,
            due: Some(day(due_offset).to_string()),
            first_name: Some("Ana".into()),
            phone: Some("705-555-0142".into()),
            best_time: Some("mornings".into()),
        }),
        notes: Some("rent arrears".into()),
        ..Default::default()
    };
    let when = day(due_offset.min(0));
    let saved = store.add_contact(&input, "intake", at(-600), when).unwrap();
    saved.follow_up.unwrap().id
}

pub fn reached() -> OutcomeInput {
    serde_json::from_value(json!({"reached":true,"referrals":[
        {"service_id":"S1","contacted":true,"got_help":"yes"},
        {"service_id":"S2","contacted":false,"got_help":"no","barrier":"waitlist"}],
        "better_prepared":true,"health_improved":null,"satisfaction":"very_satisfied",
        "would_call_again":true,"notes":"moved in with her sister"}))
    .unwrap()
}

pub fn not_reached(result: &str) -> OutcomeInput {
    serde_json::from_value(json!({"reached":false,"result":result})).unwrap()
}

pub fn count(store: &Store, sql: &str) -> i64 {
    store.sql_int(sql, &[])
}

pub fn audit_actions(store: &Store, id: i64) -> Vec<(String, String)> {
    store
        .sql(
            "SELECT \"user\", action FROM audit WHERE record = ?1 ORDER BY id",
            crate::args![format!("followup:{id}")],
        )
        .iter()
        .map(|r| (r.text(0).unwrap(), r.text(1).unwrap()))
        .collect()
}

pub fn item(store: &Store, id: i64, now: Timestamp) -> QueueItem {
    store
        .followups(QueueView::All, today(), now)
        .unwrap()
        .into_iter()
        .find(|i| i.id == id)
        .unwrap()
}
