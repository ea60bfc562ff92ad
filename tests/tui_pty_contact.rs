//! The contact form in the real binary: fill it, save it, find it from the CLI; and a
//! SIGKILL mid-form that the next start resumes with every field.

mod common;

use std::time::Duration;

use common::pty::{shows_results, App};
use common::Data;

const TAB: &[u8] = b"\t";

/// Marks the first result for "food bank" and opens the form.
fn start_form(app: &mut App) {
    app.wait_for("the search screen", |s| {
        s.contains("Search services") && shows_results(s)
    });
    app.send(b"food bank");
    // The first row a food bank: the answer to "food bank", not to the empty query.
    app.wait_for("food bank results", |s| {
        s.lines().nth(4).is_some_and(|row| row.contains("Food"))
    });
    app.send(b"\x00"); // Ctrl-Space: mark the first result
    app.wait_for("the basket count", |s| s.contains("basket 1"));
    app.send(b"\x12"); // Ctrl-R: the form
    app.wait_for("the form", |s| s.contains("New contact") && s.contains("Channel"));
}

/// Tabs to a field by pressing Tab `n` times from Channel.
fn tab(app: &mut App, n: usize) {
    for _ in 0..n {
        app.send(TAB);
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn fill_the_form_save_and_find_the_contact_from_the_cli() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    start_form(&mut app);
    app.send(b"p"); // channel: phone
    tab(&mut app, 1);
    app.send(b"fr"); // language
    tab(&mut app, 1);
    app.send(b"Sudbury"); // municipality
    tab(&mut app, 1);
    app.send(b"p3a"); // FSA
    tab(&mut app, 1);
    app.send(b"2"); // age group 25-44
    tab(&mut app, 1);
    app.send(b"food\r"); // needs: add food (met)
    app.wait_for("the food need", |s| s.contains("Food: met"));
    app.send(b"housing\r");
    app.wait_for("the housing need", |s| s.contains("Housing and shelter: met"));
    app.send(b"\x1b[B\x1b[B"); // down to the housing need
    std::thread::sleep(Duration::from_millis(50));
    app.send(b"\x1b[C"); // Right: unmet, first reason
    app.wait_for("an unmet reason", |s| s.contains("unmet: no-service"));
    app.send(b"\x1b[C\x1b[C"); // -> waitlist
    app.wait_for("waitlist", |s| s.contains("unmet: waitlist"));
    tab(&mut app, 1); // referrals: search for one more service without leaving the form
    app.send(b"legal");
    app.wait_for("services to add", |s| s.contains("add: legal") && s.contains("+ "));
    app.send(b"\r");
    app.wait_for("the second referral", |s| s.contains("basket 2") && s.contains("2. "));
    tab(&mut app, 1); // consent
    app.send(b"y");
    app.wait_for("personal fields", |s| s.contains("First name"));
    tab(&mut app, 1);
    app.send(b"Ana");
    tab(&mut app, 1);
    app.send(b"705 555 0142");
    tab(&mut app, 1);
    app.wait_for("the phone normalized", |s| s.contains("705-555-0142"));
    app.send(b"\x13"); // Ctrl-S
    app.wait_for("the summary", |s| s.contains("Referral summary"));
    app.wait_for("the follow-up line", |s| {
        s.contains("Nous vous rappellerons") || s.contains("We will call you back")
    });
    // w writes the read-out and the notice says where, whole.
    app.send(b"w");
    let written = data.path().canonicalize().unwrap();
    app.wait_for("the path of the read-out", |s| s.contains("Wrote the read-out to /"));
    let file = std::fs::read_dir(&written)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("referral-"))
        .expect("the read-out file in the folder navigator was started from");
    assert!(std::fs::read_to_string(file.path()).unwrap().contains("Food"));
    app.send(b"\x03");
    assert!(app.wait_exit());

    let contacts = data.json_lines(&["contacts", "list", "--json"]);
    assert_eq!(contacts.len(), 1);
    let c = &contacts[0];
    assert_eq!(c["channel"], "phone");
    assert_eq!(c["municipality"], "Sudbury");
    assert_eq!(c["needs"], serde_json::json!(["food", "housing"]));
    assert_eq!(c["unmet"], 1);
    assert_eq!(c["referrals"], 2, "the basket's service and the one added in the form");
    assert_eq!(c["follow_up"]["state"], "scheduled");
    let id = c["id"].to_string();
    data.allow_personal_data(&[&navigator::user::name()]);
    let full: serde_json::Value = serde_json::from_str(&data.ok(&["contacts", "show", &id, "--json"])).unwrap();
    assert_eq!(full["postal_fsa"], "P3A");
    assert_eq!(full["age_group"], "25-44");
    assert_eq!(full["language"], "fr");
    assert_eq!(full["personal"]["first_name"], "Ana");
    assert_eq!(full["personal"]["phone"], "705-555-0142");
    // The draft is gone: a new start offers nothing to resume.
    let mut again = App::start(&data, &[]);
    again.wait_for("the search screen", shows_results);
    assert!(!again.contents().contains("Resume"));
    again.send(b"\x03");
    assert!(again.wait_exit());
}

#[test]
fn sigkill_mid_form_then_resume_with_every_field() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    start_form(&mut app);
    app.send(b"t"); // channel: text
    tab(&mut app, 2);
    app.send(b"Timmins");
    tab(&mut app, 1);
    app.send(b"P4N");
    tab(&mut app, 2);
    app.send(b"legal\r");
    app.wait_for("the legal need", |s| s.contains("Legal: met"));
    tab(&mut app, 2);
    app.send(b"y");
    tab(&mut app, 1);
    app.send(b"Bea");
    tab(&mut app, 1);
    app.send(b"807-555-0101");
    app.wait_for("the phone typed", |s| s.contains("807-555-0101"));
    // Drafts are written within a second; give the writer that second, then kill -9.
    std::thread::sleep(Duration::from_millis(1000));
    let pid = app.child.process_id().unwrap() as i32;
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    assert!(app.wait_exit());

    let mut next = App::start(&data, &[]);
    next.wait_for("the resume prompt", |s| s.contains("Resume it?"));
    next.send(b"y");
    next.wait_for("the form again", |s| s.contains("New contact"));
    let screen = next.contents();
    for value in ["[text]", "Timmins", "P4N", "Legal: met", "[yes]", "Bea", "807-555-0101"] {
        assert!(screen.contains(value), "resumed form lacks {value:?}:\n{screen}");
    }
    next.send(b"\x12"); // Ctrl-R: back to the search, the basket is there
    next.wait_for("the basket", |s| s.contains("basket 1"));
    next.send(b"\x03");
    next.wait_for("the quit question", |s| s.contains("Quit now?"));
    next.send(b"y");
    assert!(next.wait_exit());
}
