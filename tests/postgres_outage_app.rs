//! The app through a database outage, in a real pseudo-terminal against a real PostgreSQL
//! that is stopped and started again: the status line says the database is gone, typing
//! and search keep working, a contact and a follow-up call's answers are held on this
//! server, and once the database is back each is saved exactly once. In its own test
//! binary: it stops the shared test cluster. Skipped without one.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use common::pty::App;
use common::servers::Servers;
use serde_json::json;

fn ctl(action: &str) {
    let script =
        std::env::var("NAVIGATOR_TEST_PG_CTL").expect("NAVIGATOR_TEST_PG_CTL names the cluster's stop/start script");
    let status = std::process::Command::new(script).arg(action).status().unwrap();
    assert!(status.success(), "pg {action}");
}

/// Starts the cluster again however the test ends, so later tests find it running.
struct Restart;

impl Drop for Restart {
    fn drop(&mut self) {
        let _ = std::process::Command::new(std::env::var("NAVIGATOR_TEST_PG_CTL").unwrap())
            .arg("start")
            .status();
    }
}

/// The held saves in a data directory's held folders.
fn held_saves(data_dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for user in std::fs::read_dir(data_dir.join("held")).into_iter().flatten() {
        for f in std::fs::read_dir(user.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            if path.file_name().unwrap().to_string_lossy().starts_with("save-") {
                out.push(path);
            }
        }
    }
    out
}

/// From the search screen: "food", mark the first result, open the contact form, and
/// type `notes` in its last field (needs first when `need`).
fn contact_form(app: &mut App, need: bool, notes: &str) {
    app.send(b"food");
    app.wait_for("results for food", |sc| sc.contains("Food Bank"));
    app.send(b"\x00"); // Ctrl-Space: mark the first result
    app.wait_for("the basket", |sc| sc.contains("basket 1"));
    app.send(b"\x12"); // Ctrl-R: the form
    app.wait_for("the form", |sc| sc.contains("New contact") && sc.contains("Channel"));
    for _ in 0..5 {
        app.send(b"\t");
    }
    if need {
        app.send(b"food");
        app.wait_for("the needs picker", |sc| sc.contains("Food"));
        app.send(b"\r");
    }
    for _ in 0..3 {
        app.send(b"\t");
    }
    app.send(notes.as_bytes());
    app.wait_for("the notes", |sc| sc.contains(notes));
}

#[test]
fn the_app_holds_work_through_an_outage_and_saves_it_once_when_the_database_is_back() {
    let Some(s) = Servers::new() else { return };
    if std::env::var("NAVIGATOR_TEST_PG_CTL").is_err() {
        eprintln!("skipping: NAVIGATOR_TEST_PG_CTL is not set (.ci/run sets it)");
        return;
    }
    // A follow-up due today, recorded while the database is there.
    let today = jiff::ZonedDateTime::now().date().to_string();
    let input = json!({"channel": "phone", "needs": [{"category": "food", "met": true}],
        "follow_up": {"consent": true, "due": today, "first_name": "Ana", "phone": "705-555-0142"}});
    let followup = s.add_contact(1, "ana", &input)["follow_up"]["id"].as_i64().unwrap();
    // The app runs as this test's account: a personal-data reader, as a navigator calling
    // back must be to see who to call.
    std::fs::write(
        s.path().join("system-config.toml"),
        format!("[privacy]\npersonal_data_readers = [{:?}]\n", navigator::user::name()),
    )
    .unwrap();

    let mut app = s.app(1, "ana");
    app.wait_for("the due count", |sc| sc.contains("1 follow-up due"));
    app.send(b"\x1bOQ"); // F2: the queue
    app.wait_for("the queue", |sc| sc.contains(&format!("#{followup}")));
    app.send(b"\r");
    // The queue row names Ana too: wait for the follow-up itself.
    app.wait_for("the open follow-up", |sc| sc.contains("Caller") && sc.contains("Ana"));
    app.answer(b"n", "[no answer]");

    let _restart = Restart;
    ctl("stop");
    app.send(b"\x13"); // Ctrl-S: the answers cannot reach the database
    app.wait_for(
        "the answers held, back in the queue, the outage in the status line",
        |sc| sc.contains("database unreachable since") && sc.contains(", 1 held") && sc.contains("Follow-ups ("),
    );

    // Search keeps working, and so does the contact form.
    app.send(b"\x1b"); // back to search
    app.wait_for("the search screen", |sc| !sc.contains("Follow-ups ("));
    contact_form(&mut app, true, "Margaret, rent arrears");
    app.send(b"\x13"); // Ctrl-S
    app.wait_for("the contact held", |sc| {
        sc.contains("contact held, not yet saved") && sc.contains(", 2 held")
    });
    // Held in files only this account can read.
    let held = held_saves(&s.data_dir(1));
    assert_eq!(held.len(), 2, "{held:?}");
    for path in &held {
        assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    app.send(b"\r"); // the summary is done: back to search
    app.wait_for("the search screen", |sc| {
        sc.contains("Search services") && !sc.contains("Referral summary")
    });
    app.send(b"/"); // the query box
    std::thread::sleep(Duration::from_millis(100));
    app.send(b"\x15shelter"); // Ctrl-U, a new query
    app.wait_for("results for shelter while the database is down", |sc| {
        sc.contains("Emergency Shelter") && sc.contains("database unreachable")
    });

    ctl("start");
    app.wait_for("the held contact saved", |sc| sc.contains("Held contact saved as"));
    app.wait_for("the status line clear of the outage", |sc| {
        !sc.contains("database unreachable") && !sc.contains("saving ")
    });
    app.send(b"\x03");
    assert!(app.wait_exit());

    assert!(held_saves(&s.data_dir(1)).is_empty());
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    let mut count = |sql: &str| db.query_one(sql, &[]).unwrap().get::<_, i64>(0);
    assert_eq!(
        count("SELECT count(*) FROM contacts"),
        2,
        "exactly one contact saved by the app"
    );
    assert_eq!(
        count("SELECT count(*) FROM personal_data WHERE notes = 'Margaret, rent arrears'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM attempts"), 1, "the call recorded once");
    assert_eq!(count("SELECT count(*) FROM drafts"), 0, "the draft went with the save");
    let state: String = db
        .query_one("SELECT state FROM followups WHERE id = $1", &[&followup])
        .unwrap()
        .get(0);
    assert_eq!(state, "scheduled", "not reached: tried again later");

    // Started while the database is down: the app searches this server's index, and a form
    // typed then survives the app being killed.
    ctl("stop");
    let mut app = s.app(1, "ana");
    app.wait_for("the outage at start-up", |sc| sc.contains("database unreachable since"));
    contact_form(&mut app, false, "Joe, utilities");
    let draft = s.data_dir(1).join("held/0/draft-contact.json");
    let kept = std::time::Instant::now();
    while !std::fs::read_to_string(&draft).is_ok_and(|d| d.contains("Joe, utilities")) {
        assert!(
            kept.elapsed() < Duration::from_secs(30),
            "the draft was never kept here"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    app.child.kill().unwrap();
    let mut app = s.app(1, "ana");
    app.wait_for("the kept draft offered", |sc| sc.contains("Resume it?"));
    app.send(b"y");
    app.wait_for("the form as it was", |sc| sc.contains("Joe, utilities"));
    // The database comes back: the draft moves into it.
    ctl("start");
    app.wait_for("the outage over", |sc| !sc.contains("database unreachable"));
    let start = std::time::Instant::now();
    while draft.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the draft never left this server"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut db = navigator::store::postgres::connect(&s.url).unwrap();
    let drafts: i64 = db.query_one("SELECT count(*) FROM drafts", &[]).unwrap().get(0);
    assert_eq!(drafts, 1);
    app.child.kill().unwrap();
}
