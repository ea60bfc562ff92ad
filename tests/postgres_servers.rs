//! Two servers on one PostgreSQL database (two data directories, each its own search
//! index): 16 navigator processes adding contacts and claiming and completing follow-ups
//! while an import runs on the first; a server whose clock is wrong; one import at a time
//! across servers. Skipped, with a line saying so, without a test cluster
//! (`NAVIGATOR_TEST_PG_URL`, which `.ci/run` sets).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::servers::Servers;
use serde_json::{json, Value};

fn contact(due: &str) -> String {
    json!({"channel": "phone", "needs": [{"category": "food", "met": true}],
           "follow_up": {"consent": true, "due": due, "first_name": "Ana", "phone": "705-555-0142"}})
    .to_string()
}

fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// What one worker process loop did.
#[derive(Default, Debug)]
struct Tally {
    added: Vec<i64>,
    claimed: Vec<i64>,
    completed: Vec<i64>,
    /// stderr of any command that failed for a reason other than "held by someone else".
    errors: Vec<String>,
}

/// A navigator (OS user `user`) on `server`: adds `adds` contacts with follow-ups due
/// today, then claims and completes what the queue offers.
fn work(s: &Servers, server: usize, user: &str, adds: usize, skew: Option<i64>) -> Tally {
    let mut t = Tally::default();
    let nav = |args: &[&str]| {
        let mut cmd = s.nav(server, user);
        if let Some(secs) = skew {
            cmd.env("NAVIGATOR_TEST_CLOCK_SKEW_SECS", secs.to_string());
        }
        cmd.args(args);
        cmd
    };
    for _ in 0..adds {
        let out = nav(&["contacts", "add", "--json"])
            .write_stdin(contact(&today()))
            .output()
            .unwrap();
        if out.status.success() {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            t.added.push(v["id"].as_i64().unwrap());
        } else {
            t.errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    let out = nav(&["followups", "due", "--json"]).output().unwrap();
    let due: Vec<i64> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["claimed_by"].is_null() && v["state"] != "completed")
        .filter_map(|v| v["id"].as_i64())
        .collect();
    for id in due.into_iter().take(6) {
        let out = nav(&["followups", "claim", &id.to_string()]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        match out.status.code() {
            Some(0) => t.claimed.push(id),
            // Someone else holds it, or finished it meanwhile: the rules, not a lock error.
            Some(75) if stderr.contains("held by") => continue,
            Some(65) if stderr.contains("already") => continue,
            _ => {
                t.errors.push(stderr);
                continue;
            }
        }
        // Reached: a follow-up is completed once, so a second successful claim of the
        // same one can only be a double claim.
        let outcome = json!({"reached": true, "referrals": [], "better_prepared": true,
            "health_improved": "yes", "satisfaction": "satisfied", "would_call_again": true})
        .to_string();
        let out = nav(&["followups", "complete", &id.to_string(), "--json"])
            .write_stdin(outcome)
            .output()
            .unwrap();
        if out.status.success() {
            t.completed.push(id);
        } else {
            t.errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    t
}

/// The total `search food --facets` reports on `server`.
fn food_total(s: &Servers, server: usize) -> u64 {
    let out = s
        .nav(server, "ana")
        .args(["search", "food", "--json", "--facets"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find_map(|v| v["total"].as_u64())
        .unwrap_or(0)
}

#[test]
fn sixteen_processes_on_two_servers_during_an_import() {
    let Some(s) = Servers::new() else { return };
    // Both servers start on the demo catalogue, installed once in the shared database.
    for server in [1, 2] {
        let out = s
            .nav(server, "setup")
            .args(["index", "stats", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let before = food_total(&s, 2);
    let synth = s.path().join("synth");
    let out = s
        .nav(1, "setup")
        .args(["synth", "--services", "3000", "--seed", "17", "--out"])
        .arg(&synth)
        .output()
        .unwrap();
    assert!(out.status.success());

    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let import = scope.spawn(|| {
            let out = s
                .nav(1, "importer")
                .args(["import", "--replace", "--wait", "120"])
                .arg(&synth)
                .output()
                .unwrap();
            assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
            Instant::now()
        });
        let workers: Vec<_> = (0..16)
            .map(|w| {
                let s = &s;
                scope.spawn(move || {
                    let server = 1 + w % 2;
                    // The second server's clock is 10 minutes fast, and one navigator
                    // there runs 20 minutes fast: past the 15-minute lease of everyone
                    // else's claims, were leases judged on the server's clock.
                    let skew = match (server, w) {
                        (2, 1) => Some(20 * 60),
                        (2, _) => Some(10 * 60),
                        _ => None,
                    };
                    work(s, server, &format!("nav{w}"), 4, skew)
                })
            })
            .collect();
        let imported_at = import.join().unwrap();
        // The second server's searches see the new catalogue within 10 s of the commit.
        let mut seen = None;
        while imported_at.elapsed() < Duration::from_secs(10) {
            let total = food_total(&s, 2);
            if total != before && total == food_total(&s, 1) {
                seen = Some(imported_at.elapsed());
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        assert!(
            seen.is_some(),
            "server 2 still searched the old catalogue 10 s after the import"
        );
        workers.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let errors: Vec<&String> = tallies.iter().flat_map(|t| &t.errors).collect();
    assert!(errors.is_empty(), "user-visible errors: {errors:?}");
    let mut claims: HashMap<i64, usize> = HashMap::new();
    for id in tallies.iter().flat_map(|t| &t.claimed) {
        *claims.entry(*id).or_default() += 1;
    }
    let doubles: Vec<_> = claims.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubles.is_empty(), "double claims: {doubles:?}");
    let added: usize = tallies.iter().map(|t| t.added.len()).sum();
    assert_eq!(added, 64);
    // No lost writes: every contact a process was told it saved is there, once.
    let listed = s.nav(1, "ana").args(["contacts", "list", "--json"]).output().unwrap();
    let stored: Vec<i64> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["id"].as_i64())
        .collect();
    let mut told: Vec<i64> = tallies.iter().flat_map(|t| t.added.clone()).collect();
    told.sort();
    let mut stored_sorted = stored.clone();
    stored_sorted.sort();
    assert_eq!(told, stored_sorted);
    let completed: usize = tallies.iter().map(|t| t.completed.len()).sum();
    let claimed: usize = tallies.iter().map(|t| t.claimed.len()).sum();
    assert_eq!(completed, claimed, "every claim was completed");
    assert!(claimed > 0);
}

/// A follow-up due today, added on `server`; its id.
fn new_follow_up(s: &Servers, server: usize) -> String {
    let out = s
        .nav(server, "ana")
        .args(["contacts", "add", "--json"])
        .write_stdin(contact(&today()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    saved["follow_up"]["id"].as_i64().unwrap().to_string()
}

/// `followups claim id` on `server` as `user`, its clock moved by `skew` seconds.
fn claim(s: &Servers, server: usize, user: &str, id: &str, skew: i64) -> std::process::Output {
    s.nav(server, user)
        .env("NAVIGATOR_TEST_CLOCK_SKEW_SECS", skew.to_string())
        .args(["followups", "claim", id])
        .output()
        .unwrap()
}

fn refused_as_held_by(out: &std::process::Output, holder: &str, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{what}: {stderr}");
    let holder = common::users::account(holder);
    assert!(stderr.contains(&format!("held by {holder}")), "{what}: {stderr}");
}

#[test]
fn a_server_whose_clock_is_wrong_never_takes_a_live_claim() {
    let Some(s) = Servers::new() else { return };
    // Ana claims on a server with the right time. Server 2, ten then twenty minutes fast
    // (past the 15-minute lease) or slow: the lease is judged on the database's clock,
    // so Ana's claim is still hers.
    let id = new_follow_up(&s, 1);
    let out = claim(&s, 1, "ana", &id, 0);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for skew in [600, -600, 1200, -1200] {
        refused_as_held_by(&claim(&s, 2, "bob", &id, skew), "ana", &format!("bob, skew {skew}"));
    }
    // The other way round: Bob claims on server 2 while its clock is ten minutes slow (a
    // lease reckoned on that clock would have run out five minutes from now, or already
    // for twenty minutes slow); Ana, on a correct clock and on one ten minutes fast,
    // still cannot take it.
    for bob_skew in [-600, -1200] {
        let id = new_follow_up(&s, 2);
        let out = claim(&s, 2, "bob", &id, bob_skew);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        for ana_skew in [0, 600] {
            refused_as_held_by(
                &claim(&s, 1, "ana", &id, ana_skew),
                "bob",
                &format!("bob at {bob_skew}, ana at {ana_skew}"),
            );
        }
    }
}

#[test]
fn one_import_at_a_time_across_servers_and_the_refusal_names_the_server() {
    let Some(s) = Servers::new() else { return };
    let mut admin = navigator::store::postgres::connect(&s.url).unwrap();
    drop(s.nav(1, "setup").args(["index", "stats"]).output().unwrap());
    // Hold the database's import lock as a running import on "sudbury-1" would.
    let key = navigator::store::postgres::lock_key("import");
    admin.query_one("SELECT pg_try_advisory_lock($1)", &[&key]).unwrap();
    admin
        .execute(
            "INSERT INTO import_holder (id, server, pid, \"user\", started)
             VALUES (1, 'sudbury-1', 4242, 'ana', '2026-11-25T02:00:03Z')",
            &[],
        )
        .unwrap();
    let synth = s.synth(50);
    let out = s.nav(2, "bob").arg("import").arg(&synth).output().unwrap();
    assert_eq!(out.status.code(), Some(75));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pid 4242 on sudbury-1, started 2026-11-2") && stderr.contains("by ana"),
        "{stderr}"
    );
    // --wait waits for it across servers: free the lock after a moment.
    let waiter = std::thread::spawn({
        let mut cmd = s.nav(2, "bob");
        cmd.args(["import", "--wait", "30"]).arg(&synth);
        move || cmd.output().unwrap()
    });
    std::thread::sleep(Duration::from_millis(1500));
    drop(admin);
    let out = waiter.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("waiting for the import already running"));
}

#[test]
fn the_app_on_the_second_server_swaps_in_a_service_imported_on_the_first() {
    let Some(s) = Servers::new() else { return };
    for server in [1, 2] {
        let out = s.nav(server, "setup").args(["index", "stats"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut app = s.app(2, "bea");
    app.send(b"quillwort");
    app.wait_for("nothing for quillwort in the demo", |sc| {
        sc.contains("quillwort") && sc.contains("No services match")
    });
    let dir = s.path().join("quillwort");
    common::hsds_package(
        &dir,
        &[(
            "q-1",
            "Quillwort Tenant Legal Clinic",
            "Legal help for tenants facing eviction",
        )],
    );
    let out = s.nav(1, "importer").arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let imported = Instant::now();
    // No key pressed: the app rebuilds its index in the background, swaps it in and
    // searches again.
    app.wait_for("the service imported on the first server", |sc| {
        sc.contains("Quillwort Tenant Legal Clinic") && sc.contains("catalogue of 1")
    });
    let took = imported.elapsed();
    assert!(took < Duration::from_secs(10), "the app saw the import after {took:?}");
    app.send(b"\x03");
    assert!(app.wait_exit());
}
