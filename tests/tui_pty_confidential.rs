//! The full-screen app never shows a confidential address or phone to a navigator who is
//! not a confidential reader: not in the results, not in the detail pane, not in what
//! Ctrl-Y copies through the terminal.

mod common;

use base64::Engine as _;
use common::pty::App;
use common::{fixture, Data};

const SECRETS: &[&str] = &["Hidden Lane", "V2C 1A1", "555-0111", "50.674", "120.327"];

/// Every OSC 52 payload in `raw`, decoded.
fn copied(raw: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(i) = rest.windows(7).position(|w| w == b"\x1b]52;c;") {
        let after = &rest[i + 7..];
        let end = after
            .iter()
            .position(|&b| b == 0x07 || b == 0x1b)
            .unwrap_or(after.len());
        let text = base64::engine::general_purpose::STANDARD.decode(&after[..end]).unwrap();
        out.push(String::from_utf8(text).unwrap());
        rest = &after[end..];
    }
    out
}

#[test]
fn results_details_and_copy_withhold_the_shelters_address() {
    let data = Data::new();
    data.ok(&["import", fixture("airs/shelter-3.0.xml").to_str().unwrap()]);
    let mut app = App::start(&data, &[]);
    app.wait_for("the search screen", |s| s.contains("Search services"));
    app.send(b"transition shelter");
    app.wait_for("the shelter", |s| s.contains("Transition Shelter"));
    app.send(b"\r"); // Enter: details
    app.wait_for("its details", |s| {
        s.contains("address confidential") && s.contains("Esc back")
    });
    let screen = app.contents();
    for secret in SECRETS {
        assert!(!screen.contains(secret), "{secret:?} on screen:\n{screen}");
    }
    app.send(b"\x19"); // Ctrl-Y: copy the referral
    app.wait_for("the copy notice", |s| s.contains("Sent the referral"));
    let raw = app.raw();
    let texts = copied(&raw);
    assert_eq!(texts.len(), 1, "one copy");
    assert!(
        texts[0].contains("address confidential: call the service"),
        "{}",
        texts[0]
    );
    assert!(texts[0].contains("1-800-555-0199 (hotline, toll-free)"), "{}", texts[0]);
    for secret in SECRETS {
        assert!(!texts[0].contains(secret), "{secret:?} copied: {}", texts[0]);
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret:?} written to the terminal"
        );
    }
    app.send(b"\x03");
    assert!(app.wait_exit());
}
