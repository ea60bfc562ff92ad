//! The real binary in a pseudo-terminal: keys in, screen (parsed by vt100) and raw bytes out.

mod common;

use std::time::Duration;

use common::pty::{contains, shows_results, App};
use common::Data;

#[test]
fn search_with_a_typo_move_open_filter_copy_and_quit() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", |s| {
        s.contains("Search services") && shows_results(s)
    });
    app.send(b"mental helth");
    app.wait_for("a mental health service despite the typo", |s| {
        s.to_lowercase().contains("mental health")
    });
    app.send(b"\x1b[B"); // Down
    app.send(b"\r"); // Enter: details
    app.wait_for("the detail pane with a phone", |s| {
        s.contains("Main") && s.contains("Esc back")
    });
    app.send(b"\x1b"); // Esc: back to results
    app.wait_for("the results again", |s| s.contains("Results"));
    app.send(b"\x06"); // Ctrl-F
    app.wait_for("the filter menu", |s| s.contains("type to narrow"));
    app.send(b"mental");
    app.wait_for("narrowed menu", |s| s.contains("narrow: mental"));
    app.send(b" ");
    app.wait_for("the category ticked", |s| s.contains("[x] Mental health"));
    app.send(b"\x15"); // Ctrl-U: clear the narrowing
    app.wait_for("the narrowing cleared", |s| s.contains("type to narrow"));
    app.send(b"\x1b"); // Esc: close the menu
    app.wait_for("the filter line", |s| s.contains("Filters: Mental health"));
    app.send(b"\x19"); // Ctrl-Y: copy
    app.wait_for("the copy notice", |s| s.contains("to the terminal's clipboard"));
    assert!(contains(&app.raw(), b"\x1b]52;c;"), "an OSC 52 sequence was written");
    app.send(b"\x03"); // Ctrl-C
    assert!(app.wait_exit(), "navigator exits on Ctrl-C");
    let raw = app.raw();
    assert!(contains(&raw, b"\x1b[?1049l"), "left the alternate screen");
    assert!(contains(&raw, b"\x1b[?2004l"), "bracketed paste turned off");
    assert!(
        contains(&raw, b"\x1b[?2026h") && contains(&raw, b"\x1b[?2026l"),
        "frames are synchronized updates"
    );
    assert!(
        !contains(&raw, b"\x1b[6n"),
        "never asks for the cursor position (it times out over slow links)"
    );
    assert!(!contains(&raw, b"\x1b[?1000h"), "mouse capture stays off");
    let s = app.shared.lock().unwrap();
    assert!(!s.parser.screen().alternate_screen());
    assert!(!s.parser.screen().hide_cursor(), "cursor visible again");
}

#[test]
fn sighup_restores_the_terminal_and_exits() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", |s| s.contains("Search services"));
    let pid = app.child.process_id().unwrap() as i32;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    assert!(app.wait_exit(), "navigator exits on SIGHUP");
    assert!(contains(&app.raw(), b"\x1b[?1049l"), "left the alternate screen");
}

#[test]
fn idle_screen_sends_nothing_and_keystrokes_send_little() {
    let data = Data::new();
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", shows_results);
    app.settle(Duration::from_millis(500));
    let mut per_key = Vec::new();
    for c in "food bank".bytes() {
        let before = app.raw_len();
        app.send(&[c]);
        app.settle(Duration::from_millis(150));
        per_key.push(app.raw_len() - before);
    }
    app.wait_for("results for food bank", |s| {
        s.contains("food bank") && s.contains("Food")
    });
    // The detail pane catches up once typing pauses ([tui] details_delay_ms, 300 ms).
    app.settle(Duration::from_millis(1000));
    let before = app.raw_len();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(app.raw_len() - before, 0, "an idle screen writes nothing");
    per_key.sort();
    let median = per_key[per_key.len() / 2];
    assert!(median < 4000, "median bytes per keystroke {median} ({per_key:?})");
    app.send(b"\x03");
    assert!(app.wait_exit());
}

#[test]
fn escape_sequences_from_a_record_cannot_reach_the_terminal() {
    let data = Data::new();
    let dir = data.path().join("evil");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("services.csv"),
        "id,name,description\ne1,Evil Shelter,\"Beds \u{1b}[2J\u{1b}[31mred \u{1b}]0;pwned\u{7}tonight\"\n",
    )
    .unwrap();
    data.ok(&["import", dir.to_str().unwrap()]);
    let mut app = App::start(&data, &[]);
    app.send(b"evil");
    app.wait_for("the evil record", |s| s.contains("Evil Shelter"));
    app.send(b"\r");
    app.wait_for("its description", |s| s.contains("Beds red tonight"));
    let raw = app.raw();
    let clears = raw.windows(4).filter(|w| w == b"\x1b[2J").count();
    assert_eq!(clears, 1, "only the app's own clear at start-up, none from data");
    assert!(!contains(&raw, b"pwned"), "no title-setting OSC from data");
    app.send(b"\x03");
    assert!(app.wait_exit());
}

#[test]
fn the_detail_pane_catches_up_when_typing_pauses() {
    let data = Data::new();
    let top = data.json_lines(&["search", "food bank", "--limit", "1", "--json"]);
    // The details show its address near the top (the id is at the end of the record).
    let address = top[0]["address"].as_str().unwrap().to_string();
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", shows_results);
    // Typed in one burst: the detail pane holds while the results change, then shows the
    // first result once typing has paused (300 ms by default).
    app.send(b"food bank");
    app.wait_for("the first result's details", |s| s.contains(&address));
    let screen = app.contents();
    let first_row = screen
        .lines()
        .find(|l| l.contains("open") || l.contains("closed") || l.contains("hours"));
    let name = top[0]["name"].as_str().unwrap();
    assert!(first_row.is_some_and(|row| row.contains(name)), "{screen}");
    app.send(b"\x03");
    assert!(app.wait_exit());
}
