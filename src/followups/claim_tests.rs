//! Claims and leases with explicit times, completing a free or held follow-up, rescheduling
//! and cancelling, and concurrent claimers on separate connections.

use super::test_support::*;
use super::*;

#[test]
fn a_lease_keeps_others_out_until_it_expires() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");

        let a = store.claim(id, "alice", at(0), LEASE).unwrap();
        assert_eq!(a.claimed_by, "alice");
        assert_eq!(a.claimed_at, crate::casework::utc_text(at(0)));
        assert_eq!(a.lease_until, crate::casework::utc_text(at(15)));
        assert!(!a.renewed);

        match store.claim(id, "bob", at(10), LEASE) {
            Err(ClaimError::HeldBy { user, since }) => {
                assert_eq!(user, "alice");
                assert_eq!(since, at(0));
            }
            other => panic!("expected HeldBy, got {other:?}"),
        }
        // Still alice's at the lease's last second; free after it.
        assert!(matches!(
            store.claim(id, "bob", at(15), LEASE),
            Err(ClaimError::HeldBy { .. })
        ));
        let b = store.claim(id, "bob", at(16), LEASE).unwrap();
        assert_eq!(b.claimed_by, "bob");
        assert_eq!(b.claimed_at, crate::casework::utc_text(at(16)));
        assert!(!b.renewed);
        // Alice's lapsed claim is gone: she can neither renew nor release it.
        assert!(matches!(
            store.renew(id, "alice", at(17), LEASE),
            Err(ClaimError::HeldBy { user, .. }) if user == "bob"
        ));
        assert!(matches!(
            store.release(id, "alice", at(17)),
            Err(ClaimError::HeldBy { .. })
        ));
        let actions = audit_actions(&store, id);
        assert_eq!(
            actions,
            [
                ("alice".to_string(), "followup.claim".to_string()),
                ("bob".to_string(), "followup.claim".to_string())
            ]
        );
    });
}

#[test]
fn reclaiming_or_renewing_your_own_claim_extends_it() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        store.claim(id, "alice", at(0), LEASE).unwrap();
        let again = store.claim(id, "alice", at(5), LEASE).unwrap();
        assert!(again.renewed);
        assert_eq!(again.claimed_at, crate::casework::utc_text(at(0)));
        assert_eq!(again.lease_until, crate::casework::utc_text(at(20)));
        let renewed = store.renew(id, "alice", at(18), LEASE).unwrap();
        assert_eq!(renewed.lease_until, crate::casework::utc_text(at(33)));
        assert_eq!(renewed.claimed_at, crate::casework::utc_text(at(0)));
        // Renewals are not audited; only the claim.
        assert_eq!(audit_actions(&store, id).len(), 1);
        // Still held at t+30 thanks to the renewal.
        assert!(matches!(
            store.claim(id, "bob", at(30), LEASE),
            Err(ClaimError::HeldBy { .. })
        ));
        // A lapsed lease nobody took can still be renewed by its owner.
        let late = store.renew(id, "alice", at(40), LEASE).unwrap();
        assert_eq!(late.lease_until, crate::casework::utc_text(at(55)));
    });
}

#[test]
fn release_frees_it_and_only_the_holder_may() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        assert!(matches!(store.release(id, "alice", at(0)), Err(ClaimError::NotHeld)));
        assert!(matches!(
            store.renew(id, "alice", at(0), LEASE),
            Err(ClaimError::NotHeld)
        ));
        store.claim(id, "alice", at(0), LEASE).unwrap();
        assert!(matches!(
            store.release(id, "bob", at(1)),
            Err(ClaimError::HeldBy { .. })
        ));
        store.release(id, "alice", at(2)).unwrap();
        let row = item(&store, id, at(3));
        assert_eq!(row.state, QueueState::Due);
        assert_eq!(row.claimed_by, None);
        store.claim(id, "bob", at(3), LEASE).unwrap();
        assert!(matches!(
            store.claim(999, "bob", at(3), LEASE),
            Err(ClaimError::NotFound)
        ));
        let actions: Vec<String> = audit_actions(&store, id).into_iter().map(|a| a.1).collect();
        assert_eq!(actions, ["followup.claim", "followup.release", "followup.claim"]);
    });
}

#[test]
fn complete_claims_a_free_follow_up_but_not_a_held_one() {
    each_backend(|db| {
        let mut store = store(db);
        let free = followup(&mut store, 0, "Sudbury");
        let held = followup(&mut store, 0, "Sudbury");
        store
            .complete(free, "bob", &reached(), at(0), today(), &Policy::default())
            .unwrap();
        assert_eq!(
            audit_actions(&store, free),
            [("bob".to_string(), "followup.complete".to_string())]
        );

        store.claim(held, "alice", at(0), LEASE).unwrap();
        match store.complete(held, "bob", &reached(), at(1), today(), &Policy::default()) {
            Err(CompleteError::HeldBy { user, since }) => {
                assert_eq!((user.as_str(), since), ("alice", at(0)));
            }
            other => panic!("expected HeldBy, got {other:?}"),
        }
        // Once alice's lease lapses bob may record the call.
        store
            .complete(held, "bob", &reached(), at(20), today(), &Policy::default())
            .unwrap();
        assert!(matches!(
            store.complete(999, "bob", &reached(), at(20), today(), &Policy::default()),
            Err(CompleteError::NotFound)
        ));
    });
}
#[test]
fn reschedule_and_cancel() {
    each_backend(|db| {
        let mut store = store(db);
        let id = followup(&mut store, 0, "Sudbury");
        store.claim(id, "alice", at(0), LEASE).unwrap();
        assert!(matches!(
            store.reschedule(id, "bob", day(2), at(1), today()),
            Err(CompleteError::HeldBy { .. })
        ));
        match store.reschedule(id, "alice", day(-1), at(1), today()) {
            Err(CompleteError::Invalid(e)) => assert_eq!(e[0].field, "due"),
            other => panic!("expected Invalid, got {other:?}"),
        }
        store.reschedule(id, "alice", day(2), at(1), today()).unwrap();
        let row = item(&store, id, at(2));
        assert_eq!(
            (row.due.clone(), row.state, row.claimed_by.clone()),
            (day(2).to_string(), QueueState::Scheduled, None)
        );

        store.cancel(id, "bob", at(3)).unwrap();
        assert_eq!(item(&store, id, at(4)).state, QueueState::Cancelled);
        assert!(matches!(
            store.cancel(id, "bob", at(4)),
            Err(ClaimError::Closed {
                state: QueueState::Cancelled
            })
        ));
        let actions: Vec<String> = audit_actions(&store, id).into_iter().map(|a| a.1).collect();
        assert_eq!(actions, ["followup.claim", "followup.reschedule", "followup.cancel"]);
    });
}

#[test]
fn concurrent_claimers_each_get_distinct_follow_ups() {
    each_backend(|db| {
        let mut setup = store(db);
        let ids: Vec<i64> = (0..24).map(|_| followup(&mut setup, 0, "Sudbury")).collect();
        drop(setup);
        let won: Vec<Vec<i64>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|w| {
                    let ids = &ids;
                    s.spawn(move || {
                        let mut store = db.open();
                        let user = format!("nav{w}");
                        let mut mine = Vec::new();
                        for &id in ids {
                            match store.claim(id, &user, at(0), LEASE) {
                                Ok(_) => {
                                    store
                                        .complete(id, &user, &reached(), at(1), today(), &Policy::default())
                                        .unwrap();
                                    mine.push(id);
                                }
                                Err(ClaimError::HeldBy { .. } | ClaimError::Closed { .. }) => {}
                                Err(e) => panic!("{e}"),
                            }
                        }
                        mine
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut all: Vec<i64> = won.concat();
        all.sort();
        assert_eq!(all, ids);
        let store = db.open();
        assert_eq!(count(&store, "SELECT count(*) FROM outcomes"), 24);
        assert_eq!(
            count(&store, "SELECT count(*) FROM audit WHERE action = 'followup.complete'"),
            24
        );
    });
}
