//! A reader that goes away (`navigator ... | head -1`) ends a command quietly: no panic,
//! no "Broken pipe" message, for the completion scripts and every command that prints.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::Data;

/// Runs `navigator ARGS`, reads one byte of its output and closes the pipe; returns
/// (exit status, stderr).
fn read_one_byte(d: &Data, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("navigator"));
    cmd.arg("--data-dir")
        .arg(d.path().join("data"))
        .args(args)
        .env("NAVIGATOR_CONFIG_DIR", d.path().join("config"))
        .env("NAVIGATOR_SYSTEM_CONFIG", d.path().join("system-config.toml"))
        .env("NAVIGATOR_NO_PROGRESS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    stdout.read_exact(&mut one).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["completions", "fish"],
        &["search", "food", "--limit", "200", "--json"],
        &["show", "svc-000001", "--json"],
        &["config", "show"],
        &["report", "needs"],
    ] {
        let (code, stderr) = read_one_byte(&d, args);
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_ne!(code, Some(101), "{args:?}: {stderr}");
    }
}
