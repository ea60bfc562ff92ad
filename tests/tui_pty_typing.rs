//! Typing in the real binary never runs commands: printable keys go to the query whatever
//! has focus, Esc never throws work away, a paste is one line, quitting with a basket asks,
//! and the resume prompt is answered only by a plain letter.

mod common;

use std::time::Duration;

use common::pty::{shows_results, App};
use common::Data;

fn query_line(screen: &str) -> String {
    screen.lines().nth(1).unwrap_or("").trim_matches(['│', ' ']).to_string()
}

#[test]
fn letters_typed_with_the_results_focused_go_to_the_query() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", |s| {
        s.contains("Search services") && shows_results(s)
    });
    app.send(b"food");
    app.wait_for("food results", |s| query_line(s) == "food");
    app.send(b"\t"); // the results have focus
    std::thread::sleep(Duration::from_millis(100));
    // Today "r" opens the form, "e" sets its channel, "q" quits: none of that here.
    app.send(b" rent");
    app.wait_for("the query with rent", |s| query_line(s) == "food rent");
    let screen = app.contents();
    assert!(!screen.contains("New contact"), "{screen}");
    app.send(b"\x15"); // Ctrl-U
    app.wait_for("the query cleared", |s| s.contains("Query cleared"));
    app.send(b"\r"); // details
    app.send(b"key largo q");
    app.wait_for("key largo with its k", |s| query_line(s) == "key largo q");
    // Esc walks back and never clears the query.
    app.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    app.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    app.send(b"\x1b");
    app.settle(Duration::from_millis(300));
    assert_eq!(query_line(&app.contents()), "key largo q");
    // Ctrl-U clears it, Ctrl-Z brings it back.
    app.send(b"\x15");
    app.wait_for("the query cleared", |s| {
        query_line(s).starts_with("type what the caller needs")
    });
    app.send(b"\x1a");
    app.wait_for("the query back", |s| query_line(s) == "key largo q");
    // A paste with a line break is two words, not "foodbank".
    app.send(b"\x15");
    app.send(b"\x1b[200~food\r\nbank\x1b[201~");
    app.wait_for("the pasted query", |s| query_line(s) == "food bank");
    app.wait_for("its results", |s| s.contains("Food Bank"));
    // Mark a service: quitting now asks first.
    app.send(b"\x00"); // Ctrl-Space
    app.wait_for("the basket", |s| s.contains("basket 1"));
    app.send(b"\x03");
    app.wait_for("the quit question", |s| s.contains("Quit now?"));
    app.send(b"\r");
    app.send(b"n");
    app.wait_for("the question gone", |s| !s.contains("Quit now?"));
    assert!(app.child.try_wait().unwrap().is_none(), "still running");
    app.send(b"\x03");
    app.wait_for("the quit question", |s| s.contains("Quit now?"));
    app.send(b"y");
    assert!(app.wait_exit());
}

#[test]
fn ctrl_j_and_enter_do_not_answer_the_resume_prompt() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", shows_results);
    app.send(b"\x12"); // Ctrl-R: the form
    app.wait_for("the form", |s| s.contains("New contact"));
    app.send(b"t"); // channel: text (a change, so a draft)
    app.wait_for("the channel", |s| s.contains("[text]"));
    std::thread::sleep(Duration::from_millis(1000));
    let pid = app.child.process_id().unwrap() as i32;
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    assert!(app.wait_exit());

    let mut next = App::start(&data, &[]);
    next.wait_for("the resume prompt", |s| s.contains("Resume it?"));
    next.send(b"\n"); // Ctrl-J, which some terminals report as Enter
    next.send(b"\r");
    next.settle(Duration::from_millis(400));
    let screen = next.contents();
    assert!(
        screen.contains("Resume it?") && !screen.contains("New contact"),
        "{screen}"
    );
    next.send(b"y");
    next.wait_for("the form resumed", |s| {
        s.contains("New contact") && s.contains("[text]")
    });
    next.send(b"\x03");
    next.wait_for("the quit question", |s| s.contains("Quit now?"));
    next.send(b"y");
    assert!(next.wait_exit());
}

#[test]
fn inside_tmux_the_clipboard_sequence_is_wrapped_to_reach_the_outer_terminal() {
    let data = Data::new();
    let mut app = App::start_with_env(&data, &[], &[("TMUX", "/tmp/tmux-0/default,1,0")]);
    app.wait_for("the search screen", shows_results);
    app.send(b"food");
    app.wait_for("food results", |s| s.contains("Food"));
    app.send(b"\x19"); // Ctrl-Y
    app.wait_for("the notice", |s| s.contains("to the terminal's clipboard"));
    let raw = app.raw();
    assert!(
        common::pty::contains(&raw, b"\x1bPtmux;\x1b\x1b]52;c;"),
        "OSC 52 inside tmux's passthrough"
    );
    assert!(
        !app.contents().contains("Copied"),
        "it cannot know the terminal took it"
    );
    app.send(b"\x03");
    assert!(app.wait_exit());
}
