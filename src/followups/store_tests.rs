//! Recording calls: outcomes written all or nothing, notes kept apart, attempts and the
//! retry policy, and the queue, counts and detail read back.

use jiff::civil::Date;

use super::test_support::*;
use super::*;
use crate::store::Store;

/// reached, result, better_prepared, health_improved, satisfaction, would_call_again, by
type OutcomeRow = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
);

#[test]
fn a_reached_call_stores_the_outcome_apart_from_its_notes() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        store.claim(id, "alice", at(0), LEASE).unwrap();
        let done = store
            .complete(id, "alice", &reached(), at(5), today(), &Policy::default())
            .unwrap();
        assert_eq!(done.state, QueueState::Completed);
        assert_eq!(done.attempts, 0);
        assert_eq!(done.due, today().to_string());
        assert_eq!(done.by, "alice");

        let o: OutcomeRow = store
            .sql(
                "SELECT reached, result, better_prepared, health_improved, satisfaction,
                 would_call_again, completed_by FROM outcomes WHERE followup_id = ?1",
                crate::args![id],
            )
            .first()
            .map(|r| {
                (
                    r.int(0).unwrap(),
                    r.text(1).unwrap(),
                    r.opt_int(2).unwrap(),
                    r.opt_text(3).unwrap(),
                    r.opt_text(4).unwrap(),
                    r.opt_int(5).unwrap(),
                    r.text(6).unwrap(),
                )
            })
            .unwrap();
        assert_eq!(
            o,
            (
                1,
                "reached".into(),
                Some(1),
                Some("not_applicable".into()),
                Some("very_satisfied".into()),
                Some(1),
                "alice".into()
            )
        );
        let refs: Vec<(String, bool, String, Option<String>)> = store
            .sql(
                "SELECT service_id, contacted, got_help, barrier FROM outcome_referrals
                 WHERE followup_id = ?1 ORDER BY position",
                crate::args![id],
            )
            .iter()
            .map(|r| {
                (
                    r.text(0).unwrap(),
                    r.bool(1).unwrap(),
                    r.text(2).unwrap(),
                    r.opt_text(3).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("S1".into(), true, "yes".into(), None),
                ("S2".into(), false, "no".into(), Some("waitlist".into()))
            ]
        );
        // Notes only in followup_notes; nothing personal in the audit trail.
        let notes: String = store.sql(
            "SELECT notes FROM followup_notes WHERE followup_id = ?1",
            crate::args![id],
        )[0]
        .text(0)
        .unwrap();
        assert_eq!(notes, "moved in with her sister");
        let audit: String = store.sql("SELECT string_agg(action || record, ' ') FROM audit", &[])[0]
            .text(0)
            .unwrap();
        assert!(!audit.contains("sister") && !audit.contains("Ana"), "{audit}");
        assert_eq!(
            audit_actions(&store, id),
            [
                ("alice".to_string(), "followup.claim".to_string()),
                ("alice".to_string(), "followup.complete".to_string())
            ]
        );

        let row = item(&store, id, at(6));
        assert_eq!(row.state, QueueState::Completed);
        assert_eq!(row.claimed_by, None);
        // Completed is closed: no second outcome, no claim.
        assert!(matches!(
            store.complete(id, "alice", &reached(), at(7), today(), &Policy::default()),
            Err(CompleteError::Closed {
                state: QueueState::Completed
            })
        ));
        assert!(matches!(
            store.claim(id, "bob", at(7), LEASE),
            Err(ClaimError::Closed { .. })
        ));
        assert_eq!(count(&store, "SELECT count(*) FROM outcomes"), 1);
    });
}
#[test]
fn an_invalid_outcome_writes_nothing() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        store.claim(id, "alice", at(0), LEASE).unwrap();
        let tables = ["outcomes", "outcome_referrals", "attempts", "followup_notes", "audit"];
        let snapshot = |store: &Store| -> Vec<i64> {
            let mut v: Vec<i64> = tables
                .iter()
                .map(|t| count(store, &format!("SELECT count(*) FROM {t}")))
                .collect();
            v.push(count(store, "SELECT attempts FROM followups"));
            v
        };
        let before = snapshot(&store);
        let mut bad = reached();
        bad.referrals.remove(1);
        bad.referrals[0].got_help = Some("kind of".into());
        bad.satisfaction = Some("meh".into());
        match store.complete(id, "alice", &bad, at(1), today(), &Policy::default()) {
            Err(CompleteError::Invalid(errors)) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["referrals[0].got_help", "referrals", "satisfaction"]);
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert_eq!(snapshot(&store), before);
        // Still alice's claim, untouched.
        assert_eq!(item(&store, id, at(2)).claimed_by.as_deref(), Some("alice"));
    });
}

#[test]
fn not_reached_retries_next_business_day_then_becomes_unreachable() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        let policy = Policy::default();
        store.claim(id, "alice", at(0), LEASE).unwrap();

        // Wednesday -> Thursday.
        let first = store
            .complete(id, "alice", &not_reached("no_answer"), at(1), today(), &policy)
            .unwrap();
        assert_eq!(first.state, QueueState::Scheduled);
        assert_eq!(first.attempts, 1);
        assert_eq!(first.due, "2026-11-26");
        let row = item(&store, id, at(2));
        assert_eq!((row.state, row.claimed_by.clone()), (QueueState::Scheduled, None));
        assert_eq!(row.last_attempt.as_deref(), Some("no_answer"));

        // Friday -> Monday, with a note kept.
        let friday: Date = "2026-11-27".parse().unwrap();
        let mut left = not_reached("left_message");
        left.notes = Some("spoke to her son".into());
        let second = store
            .complete(id, "bob", &left, at(2 * 24 * 60), friday, &policy)
            .unwrap();
        assert_eq!((second.attempts, second.due.as_str()), (2, "2026-11-30"));

        let third = store
            .complete(id, "alice", &not_reached("no_answer"), at(5 * 24 * 60), day(5), &policy)
            .unwrap();
        assert_eq!(third.state, QueueState::Unreachable);
        assert_eq!(third.attempts, 3);
        let outcome: (i64, String, String) = store
            .sql(
                "SELECT reached, result, completed_by FROM outcomes WHERE followup_id = ?1",
                crate::args![id],
            )
            .first()
            .map(|r| (r.int(0).unwrap(), r.text(1).unwrap(), r.text(2).unwrap()))
            .unwrap();
        assert_eq!(outcome, (0, "no_answer".into(), "alice".into()));
        assert_eq!(count(&store, "SELECT count(*) FROM attempts"), 3);
        let actions: Vec<String> = audit_actions(&store, id).into_iter().map(|a| a.1).collect();
        assert_eq!(
            actions,
            [
                "followup.claim",
                "followup.attempt",
                "followup.attempt",
                "followup.attempt",
                "followup.unreachable"
            ]
        );
        let detail = store.followup_detail(id, at(5 * 24 * 60)).unwrap().unwrap();
        let results: Vec<&str> = detail.attempts.iter().map(|a| a.result.as_str()).collect();
        assert_eq!(results, ["no_answer", "left_message", "no_answer"]);
        assert_eq!(detail.attempts[1].by, "bob");
        assert_eq!(detail.notes.as_deref(), Some("spoke to her son"));
        assert!(matches!(
            store.complete(id, "alice", &reached(), at(5 * 24 * 60), day(5), &policy),
            Err(CompleteError::Closed {
                state: QueueState::Unreachable
            })
        ));
    });
}

#[test]
fn a_wrong_number_is_unreachable_at_once_and_retry_days_come_from_the_policy() {
    each_backend(|db| {
        let mut store = store(db);
        let wrong = followup(&mut store, 0, "Sudbury");
        let done = store
            .complete(
                wrong,
                "alice",
                &not_reached("wrong_number"),
                at(0),
                today(),
                &Policy::default(),
            )
            .unwrap();
        assert_eq!((done.state, done.attempts), (QueueState::Unreachable, 1));

        let id = followup(&mut store, 0, "Sudbury");
        let policy = Policy {
            retry: Retry::Days(4),
            max_attempts: 2,
            ..Policy::default()
        };
        let first = store
            .complete(id, "alice", &not_reached("no_answer"), at(0), today(), &policy)
            .unwrap();
        assert_eq!(first.due, day(4).to_string());
        let second = store
            .complete(id, "alice", &not_reached("no_answer"), at(1), today(), &policy)
            .unwrap();
        assert_eq!(second.state, QueueState::Unreachable);
    });
}

#[test]
fn the_queue_derives_states_and_shows_no_personal_values() {
    each_backend(|db| {
        let mut store = store(db);
        let overdue = followup(&mut store, -2, "Espanola");
        let due = followup(&mut store, 0, "Sudbury");
        let upcoming = followup(&mut store, 3, "Kenora");
        let done = followup(&mut store, 0, "Sudbury");
        store.claim(due, "alice", at(0), LEASE).unwrap();
        store
            .complete(done, "bob", &reached(), at(1), today(), &Policy::default())
            .unwrap();
        store
            .complete(
                overdue,
                "bob",
                &not_reached("no_answer"),
                at(2),
                day(-2),
                &Policy::default(),
            )
            .unwrap(); // retried the day after it was due: still overdue today

        let ids = |view| -> Vec<(i64, QueueState)> {
            store
                .followups(view, today(), at(5))
                .unwrap()
                .iter()
                .map(|i| (i.id, i.state))
                .collect()
        };
        assert_eq!(
            ids(QueueView::Due),
            [(overdue, QueueState::Overdue), (due, QueueState::Claimed)]
        );
        assert_eq!(ids(QueueView::Upcoming), [(upcoming, QueueState::Scheduled)]);
        assert_eq!(ids(QueueView::All).len(), 4);

        let rows = store.followups(QueueView::Due, today(), at(5)).unwrap();
        let o = &rows[0];
        assert_eq!(o.due, day(-1).to_string());
        assert_eq!(o.attempts, 1);
        assert_eq!(o.last_attempt.as_deref(), Some("no_answer"));
        assert_eq!(o.municipality.as_deref(), Some("Espanola"));
        assert_eq!(o.needs, ["housing", "food"]);
        assert_eq!(o.referrals, 2);
        assert_eq!(o.claimed_by, None);
        let c = &rows[1];
        assert_eq!(c.claimed_by.as_deref(), Some("alice"));
        assert_eq!(c.claimed_at, Some(crate::casework::utc_text(at(0))));
        assert_eq!(c.lease_until, Some(crate::casework::utc_text(at(15))));
        let text = serde_json::to_string(&rows).unwrap();
        assert!(!text.contains("Ana") && !text.contains("0142"), "{text}");

        // After the lease lapses the claim reads as free and due.
        let later = store.followups(QueueView::Due, today(), at(16)).unwrap();
        assert_eq!((later[1].state, later[1].claimed_by.clone()), (QueueState::Due, None));

        assert_eq!(
            store.followup_counts("alice", today(), at(5)).unwrap(),
            Counts {
                overdue: 1,
                due_today: 1,
                upcoming: 1,
                done_today: 1,
                mine: 1
            }
        );
        assert_eq!(store.followup_counts("bob", today(), at(5)).unwrap().mine, 0);
        assert_eq!(store.followup_counts("alice", today(), at(16)).unwrap().mine, 0);
        assert_eq!(store.followup_counts("alice", day(1), at(5)).unwrap().done_today, 0);
    });
}

#[test]
fn the_detail_has_the_contact_the_caller_and_the_outcome() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        let d = store.followup_detail(id, at(0)).unwrap().unwrap();
        assert_eq!(d.item.id, id);
        assert_eq!(d.item.state, QueueState::Due);
        assert_eq!(d.first_name.as_deref(), Some("Ana"));
        assert_eq!(d.phone.as_deref(), Some("705-555-0142"));
        assert_eq!(d.best_time.as_deref(), Some("mornings"));
        assert_eq!(d.contact_notes.as_deref(), Some("rent arrears"));
        assert_eq!(d.contact.referrals.len(), 2);
        assert_eq!(d.contact.referrals[0].name, "Service S1");
        assert_eq!(d.contact.needs[0].category, "housing");
        assert!(d.attempts.is_empty() && d.outcome.is_none() && d.notes.is_none());

        store
            .complete(id, "alice", &reached(), at(1), today(), &Policy::default())
            .unwrap();
        let d = store.followup_detail(id, at(2)).unwrap().unwrap();
        let o = d.outcome.unwrap();
        assert!(o.reached);
        assert_eq!(o.satisfaction.as_deref(), Some("very_satisfied"));
        assert_eq!(o.referrals[1].barrier.as_deref(), Some("waitlist"));
        assert_eq!(d.notes.as_deref(), Some("moved in with her sister"));
        assert!(store.followup_detail(999, at(2)).unwrap().is_none());
    });
}
