//! Working one follow-up end to end in the real binary: the queue, the claim, the outcome,
//! and the result as the CLI sees it.

mod common;

use common::pty::App;
use common::Data;
use serde_json::Value;

/// A contact with a follow-up due today, referring two demo services.
fn contact_due_today(data: &Data) -> i64 {
    let ids: Vec<String> = data
        .json_lines(&["search", "food", "bank", "--json", "--limit", "2"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let today = jiff::ZonedDateTime::now().date().to_string();
    let input = serde_json::json!({
        "channel": "phone", "municipality": "Sudbury",
        "needs": [{"category": "food", "met": true}],
        "referrals": ids,
        "follow_up": {"consent": true, "due": today, "first_name": "Ana", "phone": "705-555-0142", "best_time": "after 3pm"}
    });
    let out = data
        .nav()
        .args(["contacts", "add", "--json"])
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    saved["follow_up"]["id"].as_i64().unwrap()
}

#[test]
fn work_one_follow_up_from_the_queue_to_completed() {
    if common::users::skip_without_root("work_one_follow_up_from_the_queue_to_completed") {
        return;
    }
    let data = Data::shared();
    let id = contact_due_today(&data);
    data.allow_personal_data(&[&navigator::user::name()]);
    let mut app = App::start(&data, &[]);
    app.wait_for("the due count in the status line", |s| s.contains("1 follow-up due"));
    app.send(b"\x1bOQ"); // F2
    app.wait_for("the queue", |s| {
        s.contains("Due today (1)") && s.contains(&format!("#{id}"))
    });
    app.send(b"\r");
    app.wait_for("the open follow-up", |s| {
        s.contains("Caller") && s.contains("Ana") && s.contains("705-555-0142")
    });
    // Someone else cannot take it while it is open.
    let other = data
        .nav_as("someone-else")
        .args(["followups", "claim", &id.to_string()])
        .output()
        .unwrap();
    assert_eq!(
        other.status.code(),
        Some(75),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    app.answer(b"r", "[reached]");
    app.answer(b"y", "[yes]"); // contacted service 1
    app.answer(b"y", "[yes]"); // got help
    app.answer(b"n", "[no]"); // did not contact service 2
    app.answer(b"n", "Barrier"); // got help: no -> a barrier is asked
    app.answer(b"c", "[cost]"); // barrier
    app.answer(b"y", "Better prepared");
    app.answer(b"n", "Health improved");
    app.answer(b"v", "[very satisfied]");
    app.answer(b"y", "Would call 211 again");
    app.send(b"\x13"); // Ctrl-S
    app.wait_for("back in the queue", |s| {
        s.contains(&format!("Follow-up #{id}: completed"))
    });
    app.wait_for("done today", |s| s.contains("Done today: 1"));
    app.send(b"\x03");
    assert!(app.wait_exit());

    let all = data.json_lines(&["followups", "all", "--json"]);
    let row = all.iter().find(|f| f["id"] == id).unwrap();
    assert_eq!(row["state"], "completed");
    assert!(row["claimed_by"].is_null());
}

/// The follow-up screen shows a caller's details only to personal-data readers.
#[test]
fn the_follow_up_screen_withholds_personal_data_from_others() {
    let data = Data::new();
    let id = contact_due_today(&data);
    let mut app = App::start(&data, &[]);
    app.wait_for("the due count in the status line", |s| s.contains("1 follow-up due"));
    app.send(b"\x1bOQ"); // F2
    app.wait_for("the queue", |s| s.contains(&format!("#{id}")));
    // The queue's rows too: no first name, no best time.
    app.wait_for("the withheld caller in the row", |s| s.contains("withheld"));
    let queue = app.contents();
    assert!(!queue.contains("Ana") && !queue.contains("after 3pm"), "{queue}");
    app.send(b"\r");
    app.wait_for("the open follow-up", |s| s.contains("Caller") && s.contains("withheld"));
    let screen = app.contents();
    assert!(!screen.contains("Ana") && !screen.contains("705-555-0142"), "{screen}");
    app.send(b"\x03");
    assert!(app.wait_exit());
}
