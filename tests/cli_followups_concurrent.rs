//! Eight navigators, each its own process and OS account, working one follow-up queue at once:
//! every follow-up is completed exactly once.

mod common;

use std::sync::atomic::Ordering::Relaxed;

use common::followups::*;
use common::Data;
use serde_json::Value;

/// Eight navigators, each its own process and OS account, work a queue of 200 follow-ups at once:
/// half claim before completing (and race each other for the same ones), half complete
/// directly (claiming in the same transaction).
#[test]
fn eight_navigators_complete_every_follow_up_exactly_once() {
    const FOLLOWUPS: usize = 200;
    const WORKERS: usize = 8;
    if common::users::skip_without_root("eight_navigators_complete_every_follow_up_exactly_once") {
        return;
    }
    let d = Data::shared();
    let service = food_service(&d); // installs the demo before anyone starts
    {
        let mut store = navigator::store::Store::open(&d.path().join("data/navigator.db")).unwrap();
        let input: navigator::casework::ContactInput = serde_json::from_value(contact(&service)).unwrap();
        for _ in 0..FOLLOWUPS {
            store
                .add_contact(&input, "intake", jiff::Timestamp::now(), today())
                .unwrap();
        }
    }
    let outcome = reached(&service);
    let lost = std::sync::atomic::AtomicUsize::new(0);
    let start = std::time::Instant::now();
    let completed: Vec<Vec<i64>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let (d, outcome, lost) = (&d, &outcome, &lost);
                s.spawn(move || {
                    let user = format!("nav{w}");
                    let mut mine = Vec::new();
                    let mut seed = w as u64 + 1;
                    'relist: loop {
                        let out = run(d, &user, &["due", "--json"], "");
                        let stderr = String::from_utf8_lossy(&out.stderr);
                        assert!(out.status.success() && !stderr.contains("locked"), "{stderr}");
                        let ids: Vec<i64> = String::from_utf8(out.stdout)
                            .unwrap()
                            .lines()
                            .map(|l| serde_json::from_str::<Value>(l).unwrap())
                            .filter(|v| v["claimed_by"].is_null())
                            .map(|v| v["id"].as_i64().unwrap())
                            .collect();
                        if ids.is_empty() {
                            // Others may still hold claims; the queue is done when none are due.
                            if queue(d, "due").is_empty() {
                                return mine;
                            }
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            continue;
                        }
                        // Claimers (even) all pick at random among the first few free
                        // follow-ups, so they often race for the same one; the others
                        // start at their own place in the queue.
                        let first = if w % 2 == 0 {
                            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                            (seed >> 33) as usize % ids.len().min(4)
                        } else {
                            w * ids.len() / WORKERS
                        };
                        for &id in ids[first..].iter().chain(&ids[..first]) {
                            let id_text = id.to_string();
                            if w % 2 == 0 {
                                let out = run(d, &user, &["claim", &id_text], "");
                                let stderr = String::from_utf8_lossy(&out.stderr);
                                assert!(!stderr.contains("locked"), "{stderr}");
                                match out.status.code() {
                                    Some(0) => {}
                                    Some(75) => {
                                        lost.fetch_add(1, Relaxed);
                                        continue 'relist;
                                    }
                                    Some(65) if stderr.contains("is already completed") => {
                                        lost.fetch_add(1, Relaxed);
                                        continue 'relist;
                                    }
                                    other => panic!("claim {id} exited {other:?}: {stderr}"),
                                }
                            }
                            let out = run(d, &user, &["complete", &id_text, "--json"], outcome);
                            let stderr = String::from_utf8_lossy(&out.stderr);
                            assert!(!stderr.contains("locked"), "{stderr}");
                            match out.status.code() {
                                Some(0) => {
                                    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
                                    assert_eq!(
                                        (done["id"].as_i64(), done["state"].as_str()),
                                        (Some(id), Some("completed"))
                                    );
                                    mine.push(id);
                                }
                                // Lost the race: someone holds it or has completed it.
                                Some(75) if w % 2 == 1 => {
                                    lost.fetch_add(1, Relaxed);
                                    continue 'relist;
                                }
                                Some(65) if w % 2 == 1 && stderr.contains("is already completed") => {
                                    lost.fetch_add(1, Relaxed);
                                    continue 'relist;
                                }
                                other => panic!("{user} complete {id} exited {other:?}: {stderr}"),
                            }
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();

    let mut all: Vec<i64> = completed.concat();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(
        (all.len(), total),
        (FOLLOWUPS, FOLLOWUPS),
        "a follow-up completed twice or lost"
    );
    let conn = db(&d);
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        one("SELECT count(*) FROM followups WHERE state = 'completed'"),
        FOLLOWUPS as i64
    );
    assert_eq!(one("SELECT count(*) FROM outcomes"), FOLLOWUPS as i64);
    assert_eq!(one("SELECT count(*) FROM outcome_referrals"), FOLLOWUPS as i64);
    assert_eq!(
        one("SELECT count(*) FROM audit WHERE action = 'followup.complete'"),
        FOLLOWUPS as i64
    );
    assert_eq!(
        one("SELECT count(DISTINCT record) FROM audit WHERE action = 'followup.complete'"),
        FOLLOWUPS as i64
    );
    assert_eq!(one("SELECT count(*) FROM attempts"), 0);
    // Each outcome was written by the navigator whose process reported it.
    for (w, ids) in completed.iter().enumerate() {
        for id in ids {
            let by: String = conn
                .query_row("SELECT completed_by FROM outcomes WHERE followup_id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(by, common::users::account(&format!("nav{w}")));
        }
    }
    // Several navigators took part.
    assert!(completed.iter().filter(|c| !c.is_empty()).count() >= 4, "{completed:?}");
    eprintln!(
        "{FOLLOWUPS} follow-ups by {WORKERS} navigators in {elapsed:?}, {} lost races",
        lost.load(Relaxed)
    );
}
