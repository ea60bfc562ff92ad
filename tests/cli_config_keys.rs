//! `config show` checks `[keys]` the way the app does: a key bound to two actions in one
//! context, an unknown action or key, or a bad `[tui] keymap` is an error (exit 65) that
//! names the file and both actions, after the values are shown.

mod common;

use common::Data;

fn write_config(data: &Data, text: &str) {
    let dir = data.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

#[test]
fn config_show_refuses_a_key_bound_to_two_actions_like_the_app() {
    let data = Data::new();
    write_config(&data, "[keys]\nquit = \"ctrl-s\"\n");
    let out = data.nav().args(["config", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config.toml: [keys] quit") && stderr.contains("quit and save in the contact form"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("keys.quit"), "the values are still shown: {stdout}");
    // The app refuses the same file with the same words.
    let app = data.nav().output().unwrap();
    assert_eq!(app.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&app.stderr).contains("quit and save"));
    // --json carries the problems.
    let out = data.nav().args(["config", "show", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["problems"][0].as_str().unwrap().contains("save"), "{json}");
}

#[test]
fn config_show_accepts_a_good_keymap_and_the_modal_style() {
    let data = Data::new();
    write_config(
        &data,
        "[tui]\nkeymap = \"modal\"\n[keys]\nquit = \"ctrl-q\"\nsave = [\"ctrl-s\", \"f10\"]\n",
    );
    let out = data.ok(&["config", "show", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["problems"], serde_json::json!([]));
    let keymap = json["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "tui.keymap")
        .unwrap();
    assert_eq!(keymap["value"], "modal");
    write_config(&data, "[keys]\nsave = \"s\"\n");
    let out = data.nav().args(["config", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is text"));
}
