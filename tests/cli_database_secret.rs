//! A database password written into the URL (config.toml or NAVIGATOR_DATABASE_URL) is
//! never shown: `config show` (table and JSON) redacts it, and neither the message of a
//! database that cannot be reached nor the log holds it. No PostgreSQL needed: the URL
//! points at a closed port.

mod common;

use common::Data;

const SECRET: &str = "Sesame-42-open";

fn url() -> String {
    format!("postgres://navigator:{SECRET}@127.0.0.1:9/navigator?sslmode=disable")
}

#[test]
fn config_show_the_error_and_the_log_never_hold_the_password() {
    let d = Data::new();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(
        d.path().join("config/config.toml"),
        format!("database = {:?}\noffice = \"Sudbury\"\n", url()),
    )
    .unwrap();
    for args in [&["config", "show"][..], &["config", "show", "--json"]] {
        let out = d.nav().args(args).output().unwrap();
        let shown = String::from_utf8(common::succeeded(out, "config show")).unwrap();
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(
            shown.contains("postgres://navigator:***@127.0.0.1:9/navigator"),
            "{shown}"
        );
    }
    // From the environment too, which wins over the file.
    let out = d
        .nav()
        .env("NAVIGATOR_DATABASE_URL", url().replace("/navigator?", "/other?"))
        .args(["config", "show", "--json"])
        .output()
        .unwrap();
    let shown = String::from_utf8(common::succeeded(out, "config show")).unwrap();
    assert!(
        !shown.contains(SECRET) && shown.contains(":***@127.0.0.1:9/other"),
        "{shown}"
    );

    // Nothing listens there: exit 75, a message naming the database without its password.
    let out = d
        .nav()
        .env("NAVIGATOR_DATABASE_PATIENCE_SECS", "0")
        .args(["contacts", "add", "--json"])
        .write_stdin(r#"{"channel": "phone", "needs": [{"category": "food", "met": true}]}"#)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("127.0.0.1:9") && !stderr.contains(SECRET), "{stderr}");
    let log = std::fs::read_to_string(d.path().join("data/navigator.log")).unwrap();
    assert!(log.contains("status=75"), "the failure is logged:\n{log}");
    assert!(!log.contains(SECRET), "the log holds the password:\n{log}");
}
