//! Outcome input: the exact JSON shape, and every validation rule with its field path.

use serde_json::json;

use super::*;

fn referred() -> Vec<String> {
    vec!["S1".into(), "S2".into()]
}

fn parse(v: serde_json::Value) -> OutcomeInput {
    serde_json::from_value(v).unwrap()
}

fn reached() -> serde_json::Value {
    json!({"reached":true,"referrals":[
        {"service_id":"S1","contacted":true,"got_help":"yes"},
        {"service_id":"S2","contacted":false,"got_help":"no","barrier":"waitlist"}],
        "better_prepared":true,"health_improved":null,"satisfaction":"very_satisfied",
        "would_call_again":true,"notes":"moved in with her sister"})
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn the_documented_shapes_parse_and_normalize() {
    let input = parse(reached());
    let valid = normalize_outcome(&input, &referred()).unwrap();
    assert_eq!(
        valid,
        ValidOutcome {
            reached: true,
            result: "reached",
            referrals: vec![
                ValidReferralOutcome {
                    service_id: "S1".into(),
                    contacted: true,
                    got_help: "yes",
                    barrier: None
                },
                ValidReferralOutcome {
                    service_id: "S2".into(),
                    contacted: false,
                    got_help: "no",
                    barrier: Some("waitlist")
                },
            ],
            better_prepared: Some(true),
            health_improved: Some("not_applicable"),
            satisfaction: Some("very_satisfied"),
            would_call_again: Some(true),
            notes: Some("moved in with her sister".into()),
        }
    );
    // It serializes back to the same JSON (null fields left out).
    let mut expected = reached();
    expected.as_object_mut().unwrap().remove("health_improved");
    assert_eq!(serde_json::to_value(&input).unwrap(), expected);

    let not = parse(json!({"reached":false,"result":"no_answer"}));
    let valid = normalize_outcome(&not, &referred()).unwrap();
    assert!(!valid.reached);
    assert_eq!(valid.result, "no_answer");
    assert!(valid.referrals.is_empty() && valid.health_improved.is_none());
}

#[test]
fn health_improved_takes_booleans_null_and_words() {
    let health = |v: serde_json::Value| {
        let mut body = reached();
        body["health_improved"] = v;
        normalize_outcome(&parse(body), &referred()).map(|o| o.health_improved)
    };
    assert_eq!(health(json!(true)), Ok(Some("yes")));
    assert_eq!(health(json!(false)), Ok(Some("no")));
    assert_eq!(health(json!(null)), Ok(Some("not_applicable")));
    assert_eq!(health(json!("not_applicable")), Ok(Some("not_applicable")));
    assert_eq!(health(json!("Yes")), Ok(Some("yes")));
    let errors = health(json!("maybe")).unwrap_err();
    assert_eq!(fields(&errors), ["health_improved"]);
    assert!(errors[0].message.contains("not-applicable"));
}

#[test]
fn unknown_fields_and_wrong_types_fail_to_parse() {
    let bad = serde_json::from_value::<OutcomeInput>(json!({"reached":true,"satisfied":"yes"}));
    assert!(bad.unwrap_err().to_string().contains("unknown field `satisfied`"));
    let bad = serde_json::from_value::<OutcomeInput>(json!({"reached":true,
        "referrals":[{"service_id":"S1","contacted":true,"got_help":"yes","why":"x"}]}));
    assert!(bad.unwrap_err().to_string().contains("unknown field `why`"));
    let bad = serde_json::from_value::<OutcomeInput>(json!({"result":"no_answer"}));
    assert!(bad.unwrap_err().to_string().contains("missing field `reached`"));
}

#[test]
fn every_referral_problem_names_its_field() {
    let input = parse(json!({"reached":true,"referrals":[
        {"service_id":"S1","got_help":"sort of"},
        {"service_id":"S9","contacted":true,"got_help":"no"},
        {"service_id":"S1","contacted":true,"got_help":"waitlisted","barrier":"weather"},
        {"service_id":"","contacted":false,"got_help":"no"}],
        "satisfaction":"happy"}));
    let errors = validate_outcome(&input, &referred());
    assert_eq!(
        fields(&errors),
        [
            "referrals[0].contacted",
            "referrals[0].got_help",
            "referrals[1].service_id",
            "referrals[1].barrier",
            "referrals[2].service_id",
            "referrals[2].barrier",
            "referrals[3].service_id",
            "referrals[3].barrier",
            "referrals",
            "satisfaction",
        ],
        "{errors:?}"
    );
    let message = |field: &str| errors.iter().find(|e| e.field == field).unwrap().message.clone();
    assert_eq!(
        message("referrals[1].service_id"),
        "\"S9\" was not referred to this caller; expected one of \"S1\", \"S2\""
    );
    assert_eq!(
        message("referrals[2].service_id"),
        "\"S1\" is already answered at referrals[0]"
    );
    assert!(message("referrals[0].got_help").contains("yes, partly, no, waitlisted"));
    assert!(message("referrals[2].barrier").starts_with("expected one of eligibility, cost"));
    assert_eq!(message("referrals"), "no answer for referred service \"S2\"");
}

#[test]
fn a_reached_caller_answers_every_referral() {
    let mut body = reached();
    body["referrals"].as_array_mut().unwrap().remove(0);
    let errors = validate_outcome(&parse(body), &referred());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "referrals");
    assert!(errors[0].message.contains("\"S1\""));

    // No referrals at all is fine for a contact that had none.
    let none = parse(json!({"reached":true}));
    assert!(validate_outcome(&none, &[]).is_empty());
    let errors = validate_outcome(&none, &referred());
    assert_eq!(fields(&errors), ["referrals", "referrals"]);
}

#[test]
fn barriers_only_when_the_referral_did_not_work_out() {
    let check = |contacted: bool, got_help: &str, barrier: Option<&str>| {
        let mut r = json!({"service_id":"S1","contacted":contacted,"got_help":got_help});
        if let Some(b) = barrier {
            r["barrier"] = json!(b);
        }
        let input = parse(json!({"reached":true,"referrals":[r]}));
        validate_outcome(&input, &["S1".to_string()])
    };
    assert!(check(true, "yes", None).is_empty());
    assert!(check(true, "partly", None).is_empty());
    assert!(check(true, "partly", Some("cost")).is_empty());
    assert!(check(true, "waitlisted", Some("waitlist")).is_empty());
    assert!(check(false, "yes", Some("hours")).is_empty());
    assert_eq!(fields(&check(true, "no", None)), ["referrals[0].barrier"]);
    assert_eq!(fields(&check(true, "waitlisted", None)), ["referrals[0].barrier"]);
    assert_eq!(fields(&check(false, "partly", None)), ["referrals[0].barrier"]);
    assert_eq!(fields(&check(true, "yes", Some("cost"))), ["referrals[0].barrier"]);
}

#[test]
fn not_reached_takes_only_a_result_and_notes() {
    let ok = parse(json!({"reached":false,"result":"LEFT_MESSAGE","notes":"spoke to her son"}));
    let valid = normalize_outcome(&ok, &referred()).unwrap();
    assert_eq!(valid.result, "left_message");
    assert_eq!(valid.notes.as_deref(), Some("spoke to her son"));

    let errors = validate_outcome(&parse(json!({"reached":false})), &referred());
    assert_eq!(fields(&errors), ["result"]);
    assert!(errors[0].message.contains("no-answer, left-message, wrong-number"));

    let errors = validate_outcome(&parse(json!({"reached":false,"result":"reached"})), &referred());
    assert_eq!(fields(&errors), ["result"]);

    let mut too_much = reached();
    too_much["reached"] = json!(false);
    too_much["result"] = json!("no_answer");
    too_much["health_improved"] = json!(true);
    let errors = validate_outcome(&parse(too_much), &referred());
    assert_eq!(
        fields(&errors),
        [
            "referrals",
            "better_prepared",
            "health_improved",
            "satisfaction",
            "would_call_again"
        ]
    );
    // A null health_improved is no answer, so it is allowed.
    let null_health = parse(json!({"reached":false,"result":"no_answer","health_improved":null}));
    assert!(validate_outcome(&null_health, &referred()).is_empty());
}

#[test]
fn a_reached_result_must_say_reached_and_notes_are_bounded() {
    let mut body = reached();
    body["result"] = json!("no_answer");
    body["notes"] = json!("x".repeat(2001));
    let errors = validate_outcome(&parse(body), &referred());
    assert_eq!(fields(&errors), ["result", "notes"]);
    assert!(!errors.iter().any(|e| e.message.contains("xxx")));
    let mut body = reached();
    body["result"] = json!("reached");
    body["notes"] = json!("  ");
    let valid = normalize_outcome(&parse(body), &referred()).unwrap();
    assert_eq!(valid.notes, None);
}

#[test]
fn slugs_are_kebab_case_and_the_old_spellings_still_read() {
    let refs = vec!["S1".to_string()];
    for result in ["no-answer", "no_answer", "No-Answer"] {
        let input: OutcomeInput = serde_json::from_str(&format!(r#"{{"reached":false,"result":"{result}"}}"#)).unwrap();
        assert_eq!(
            normalize_outcome(&input, &refs).unwrap().result,
            "no_answer",
            "{result}"
        );
    }
    let input: OutcomeInput = serde_json::from_str(
        r#"{"reached":true,"referrals":[{"service_id":"S1","contacted":false,"got_help":"no","barrier":"no-answer"}],
            "health_improved":"not-applicable","satisfaction":"very-satisfied"}"#,
    )
    .unwrap();
    let valid = normalize_outcome(&input, &refs).unwrap();
    assert_eq!(valid.satisfaction, Some("very_satisfied"));
    assert_eq!(valid.referrals[0].barrier, Some("no_answer"));
    // What people see is kebab-case.
    let stored = crate::followups::Attempt {
        at: "2026-11-25T10:00:00Z".into(),
        by: "ana".into(),
        result: "left_message".into(),
    };
    assert!(serde_json::to_string(&stored)
        .unwrap()
        .contains(r#""result":"left-message""#));
}
