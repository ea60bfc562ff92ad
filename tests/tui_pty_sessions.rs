//! Two sessions of the same navigator (a second tmux window, a half-dead SSH login): each
//! owns its draft; the second sees the first one's contact as open elsewhere, takes it
//! over only when asked, and the first is told and stops saving it.

mod common;

use std::time::Duration;

use common::pty::{shows_results, App};
use common::Data;

#[test]
fn a_second_session_takes_a_live_draft_over_only_explicitly() {
    let data = Data::new();
    let mut first = App::start(&data, &[]);
    first.wait_for("the search screen", shows_results);
    first.send(b"\x12"); // Ctrl-R
    first.wait_for("the form", |s| s.contains("New contact"));
    first.send(b"t");
    first.wait_for("channel text", |s| s.contains("[text]"));
    std::thread::sleep(Duration::from_millis(800));

    // The second session is not offered the live draft for resuming, only for taking over.
    let mut second = App::start(&data, &[]);
    second.wait_for("the draft open elsewhere", |s| {
        s.contains("open in another session") && s.contains("since ")
    });
    let screen = second.contents();
    assert!(!screen.contains("Resume it?"), "{screen}");
    second.send(b"\r"); // Enter does not answer
    second.send(b"n");
    second.wait_for("left where it is", |s| !s.contains("open in another session"));
    let drafts = || data.row_counts(&["drafts"])[0];
    assert_eq!(drafts(), 1, "n leaves the first session's draft alone");
    second.send(b"\x03");
    assert!(second.wait_exit());

    // A third start takes it over explicitly.
    let mut third = App::start(&data, &[]);
    third.wait_for("the draft open elsewhere", |s| s.contains("open in another session"));
    third.send(b"y");
    third.wait_for("the form taken over", |s| {
        s.contains("New contact") && s.contains("[text]")
    });
    std::thread::sleep(Duration::from_millis(500));

    // The first session is told on its next keystroke, and its draft is not written again.
    first.send(b"\t");
    first.send(b"fr");
    first.wait_for("the first session told", |s| {
        s.contains("taken over by another session")
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(drafts(), 1, "one draft, the third session's");
    first.send(b"\x03");
    assert!(first.wait_exit(), "nothing open any more: quits at once");
    third.send(b"\x03");
    third.wait_for("the quit question", |s| s.contains("Quit now?"));
    third.send(b"y");
    assert!(third.wait_exit());
    assert_eq!(drafts(), 1, "the taken-over draft stays for the next start");
}
