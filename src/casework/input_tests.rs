//! Validation: every rule, with the exact field path it reports.

use super::*;

fn today() -> Date {
    "2026-11-25".parse().unwrap()
}

fn known(id: &str) -> bool {
    id.starts_with("svc-")
}

/// A valid contact: the brief's example.
fn good() -> ContactInput {
    serde_json::from_str(
        r#"{"channel":"phone","language":"en","municipality":"Sudbury","postal_fsa":"P3A",
            "age_group":"25-44",
            "needs":[{"category":"food","met":true},
                     {"category":"housing","met":false,"unmet_reason":"waitlist","taxonomy_code":"BH-1800"}],
            "referrals":["svc-000001"],
            "follow_up":{"consent":true,"due":"2026-12-01","first_name":"Ana","phone":"705-555-0142",
                         "best_time":"mornings"},
            "notes":"called about rent","started_at":"2026-11-25T14:00:00Z",
            "ended_at":"2026-11-25T14:12:00Z"}"#,
    )
    .unwrap()
}

/// The field paths of every error for `input`.
fn fields(input: &ContactInput) -> Vec<String> {
    validate(input, today(), &known).into_iter().map(|e| e.field).collect()
}

fn message(input: &ContactInput, field: &str) -> String {
    validate(input, today(), &known)
        .into_iter()
        .find(|e| e.field == field)
        .unwrap_or_else(|| panic!("no error for {field}"))
        .message
}

#[test]
fn the_example_is_valid_and_normalized() {
    let mut input = good();
    input.postal_fsa = Some("p3a".into());
    input.language = Some("English".into());
    input.follow_up.as_mut().unwrap().phone = Some("(705) 555 0142".into());
    let v = normalize(&input, today(), &known).unwrap();
    assert_eq!(v.channel, "phone");
    assert_eq!(v.language.as_deref(), Some("en"));
    assert_eq!(v.postal_fsa.as_deref(), Some("P3A"));
    assert_eq!(v.needs.len(), 2);
    assert_eq!(v.needs[1].unmet_reason.as_deref(), Some("waitlist"));
    assert_eq!(v.needs[1].taxonomy_code.as_deref(), Some("BH-1800"));
    let f = v.follow_up.unwrap();
    assert_eq!(f.phone, "705-555-0142");
    assert_eq!(f.due.to_string(), "2026-12-01");
    assert_eq!(f.first_name, "Ana");
    assert_eq!(v.referrals, ["svc-000001"]);
    assert!(validate(&good(), today(), &known).is_empty());
}

#[test]
fn optional_fields_may_be_absent_or_blank() {
    let input: ContactInput =
        serde_json::from_str(r#"{"channel":"chat","needs":[{"category":"legal","met":true}]}"#).unwrap();
    let v = normalize(&input, today(), &known).unwrap();
    assert_eq!(
        (v.language, v.municipality, v.postal_fsa, v.age_group),
        (None, None, None, None)
    );
    assert!(v.follow_up.is_none() && v.notes.is_none() && v.referrals.is_empty());
    let mut blank = input.clone();
    blank.language = Some(" ".into());
    blank.postal_fsa = Some(String::new());
    blank.notes = Some("  ".into());
    assert!(normalize(&blank, today(), &known).unwrap().notes.is_none());
}

#[test]
fn channel_is_required_and_one_of_the_list() {
    let mut input = good();
    input.channel = String::new();
    assert_eq!(fields(&input), ["channel"]);
    input.channel = "fax".into();
    assert_eq!(
        message(&input, "channel"),
        "expected one of phone, chat, email, text, walk-in"
    );
}

#[test]
fn coded_fields_are_checked_when_present() {
    let mut input = good();
    input.language = Some("fr, en".into());
    input.postal_fsa = Some("P3A 1A1".into());
    input.age_group = Some("30s".into());
    input.municipality = Some("Sud\u{1b}bury".into());
    assert_eq!(fields(&input), ["language", "municipality", "postal_fsa", "age_group"]);
    assert!(message(&input, "postal_fsa").contains("only the first three"));
    assert!(message(&input, "age_group").contains("0-17, 18-24, 25-44, 45-64, 65+"));
    input.postal_fsa = Some("D3A".into());
    assert!(message(&input, "postal_fsa").contains("letter, digit, letter"));
}

#[test]
fn needs_rules_name_the_need() {
    let mut input = good();
    input.needs.clear();
    assert_eq!(
        validate(&input, today(), &known),
        [FieldError::new("needs", "at least one need is required")]
    );

    let mut input = good();
    input.needs[0].category = "snacks".into();
    assert!(message(&input, "needs[0].category").starts_with("expected one of food, housing,"));

    let mut input = good();
    input.needs[1].unmet_reason = None;
    assert_eq!(fields(&input), ["needs[1].unmet_reason"]);
    assert!(message(&input, "needs[1].unmet_reason").starts_with("required"));

    let mut input = good();
    input.needs[0].unmet_reason = Some("cost".into());
    assert_eq!(fields(&input), ["needs[0].unmet_reason"]);

    let mut input = good();
    input.needs[1].unmet_reason = Some("busy".into());
    assert!(message(&input, "needs[1].unmet_reason").contains("no-service, not-eligible"));

    let mut input = good();
    input.needs[1].taxonomy_code = Some("BH 1800!".into());
    assert_eq!(fields(&input), ["needs[1].taxonomy_code"]);
}

#[test]
fn referrals_must_exist_once_each() {
    let mut input = good();
    input.referrals = vec!["svc-000001".into(), "nope".into(), "svc-000001".into(), " ".into()];
    assert_eq!(
        validate(&input, today(), &known),
        [
            FieldError::new("referrals[1]", "no service with id \"nope\""),
            FieldError::new("referrals[2]", "\"svc-000001\" is already referred at referrals[0]"),
            FieldError::new("referrals[3]", "expected a service id"),
        ]
    );
}

#[test]
fn a_follow_up_with_consent_needs_due_name_and_phone() {
    let mut input = good();
    let f = input.follow_up.as_mut().unwrap();
    f.due = None;
    f.first_name = Some(" ".into());
    f.phone = Some("555-0142".into());
    assert_eq!(
        fields(&input),
        ["follow_up.due", "follow_up.first_name", "follow_up.phone"]
    );

    let mut input = good();
    input.follow_up.as_mut().unwrap().due = Some("2026-11-24".into());
    assert!(message(&input, "follow_up.due").contains("before today"));
    input.follow_up.as_mut().unwrap().due = Some("2026-02-30".into());
    assert_eq!(fields(&input), ["follow_up.due"]);

    let mut input = good();
    input.follow_up.as_mut().unwrap().first_name = Some("A".repeat(51));
    assert_eq!(fields(&input), ["follow_up.first_name"]);

    let mut input = good();
    input.follow_up.as_mut().unwrap().phone = None;
    assert_eq!(fields(&input), ["follow_up.phone"]);

    let mut input = good();
    input.follow_up.as_mut().unwrap().best_time = Some("x".repeat(101));
    assert_eq!(fields(&input), ["follow_up.best_time"]);
}

#[test]
fn without_consent_no_personal_detail_is_accepted() {
    let mut input = good();
    input.follow_up.as_mut().unwrap().consent = false;
    assert_eq!(
        fields(&input),
        [
            "follow_up.due",
            "follow_up.first_name",
            "follow_up.phone",
            "follow_up.best_time"
        ]
    );
    assert!(message(&input, "follow_up.phone").contains("consent"));
    input.follow_up = Some(FollowUpInput::default());
    let v = normalize(&input, today(), &known).unwrap();
    assert!(v.follow_up.is_none());
}

#[test]
fn notes_and_times() {
    let mut input = good();
    input.notes = Some("n".repeat(2001));
    assert_eq!(fields(&input), ["notes"]);

    let mut input = good();
    input.ended_at = Some("2026-11-25T13:59:59Z".into());
    assert_eq!(
        validate(&input, today(), &known),
        [FieldError::new("ended_at", "must not be before started_at")]
    );
    input.started_at = Some("yesterday".into());
    assert_eq!(fields(&input), ["started_at"]);
}

#[test]
fn errors_never_repeat_personal_values() {
    let mut input = good();
    let f = input.follow_up.as_mut().unwrap();
    f.phone = Some("705-155-0199".into());
    f.first_name = Some("Zelphina".repeat(10));
    input.postal_fsa = Some("P3A 9Z9".into());
    for e in validate(&input, today(), &known) {
        let text = e.to_string();
        for secret in ["0199", "Zelphina", "9Z9"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

#[test]
fn json_shape_round_trips_and_unknown_fields_are_named() {
    let input = good();
    let text = serde_json::to_string(&input).unwrap();
    assert_eq!(serde_json::from_str::<ContactInput>(&text).unwrap(), input);
    let e = serde_json::from_str::<ContactInput>(r#"{"channel":"phone","chanel":"x"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field `chanel`"), "{e}");
    let e = serde_json::from_str::<ContactInput>(
        r#"{"channel":"phone","needs":[{"category":"food","met":true,"mett":1}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown field `mett`"), "{e}");
    let e = serde_json::from_str::<ContactInput>(r#"{"channel":"phone","follow_up":{"consent":true,"surname":"X"}}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field `surname`"), "{e}");
}
