//! `sslmode` in the database URL is honoured, against a test server that takes TLS
//! connections only (`.ci/postgres.sh` starts it with a certificate for 127.0.0.1 signed by
//! a throwaway CA): `require` connects encrypted, `verify-full` connects with the CA that
//! signed the certificate and is refused with another, and `disable` is refused by a
//! server that requires TLS. A refusal is a clear message and no "try again later".
//! Skipped, with a line saying so, without that server.

mod common;

use assert_cmd::Command;
use navigator::store::testing::{fresh_pg, with_database};
use navigator::store::{Location, PgUrl, Store, StoreError};

/// The TLS server's URL (its `postgres` database), its CA and another CA.
fn tls() -> Option<(String, String, String)> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (
        var("NAVIGATOR_TEST_PG_TLS_URL"),
        var("NAVIGATOR_TEST_PG_TLS_CA"),
        var("NAVIGATOR_TEST_PG_TLS_OTHER_CA"),
    ) {
        (Some(url), Some(ca), Some(other)) => Some((url, ca, other)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("NAVIGATOR_TEST_PG_TLS_URL is not set: under CI the TLS tests must run (.ci/run starts the server)")
        }
        _ => {
            eprintln!(
                "skipping the TLS tests: NAVIGATOR_TEST_PG_TLS_URL is not set (.ci/run starts a TLS test server)"
            );
            None
        }
    }
}

/// A fresh database on the TLS server, and its URL with `query` appended.
struct Fresh {
    admin: PgUrl,
    name: String,
}

impl Fresh {
    fn new(url: &str) -> Fresh {
        let admin = PgUrl::new(&format!("{url}?sslmode=require"));
        let (_, name) = fresh_pg(&admin);
        Fresh { admin, name }
    }

    fn url(&self, query: &str) -> String {
        let base = with_database(
            &PgUrl::new(&self.admin.to_string().replace("?sslmode=require", "")),
            &self.name,
        );
        format!("{base}?{query}")
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Ok(mut c) = navigator::store::postgres::connect(&self.admin) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

fn open(url: &str) -> Result<Store, StoreError> {
    Store::open_patient(&Location::Postgres(PgUrl::new(url)), std::time::Duration::ZERO)
}

/// Whether the connection to `url` is encrypted, as the server sees it.
fn encrypted(url: &str) -> bool {
    let mut client = navigator::store::postgres::connect(&PgUrl::new(url)).unwrap();
    client
        .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
        .unwrap()
        .get(0)
}

#[test]
fn require_and_verify_full_connect_encrypted() {
    let Some((url, ca, _)) = tls() else { return };
    let db = Fresh::new(&url);
    let require = db.url("sslmode=require");
    let store = open(&require).unwrap_or_else(|e| panic!("{e}"));
    assert!(store.now().is_ok());
    assert!(encrypted(&require));
    // The CA that signed the certificate for 127.0.0.1: the name and the chain check out.
    let full = db.url(&format!("sslmode=verify-full&sslrootcert={ca}"));
    open(&full).unwrap_or_else(|e| panic!("{e}"));
    assert!(encrypted(&full));
    open(&db.url(&format!("sslmode=verify-ca&sslrootcert={ca}"))).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn verify_full_with_another_ca_is_refused_with_a_clear_message() {
    let Some((url, _, other)) = tls() else { return };
    let db = Fresh::new(&url);
    for mode in ["verify-full", "verify-ca"] {
        let err = open(&db.url(&format!("sslmode={mode}&sslrootcert={other}")))
            .err()
            .unwrap_or_else(|| panic!("{mode} trusted a certificate another CA signed"));
        assert!(
            !err.is_temporary(),
            "a refused certificate is not a link to retry: {err}"
        );
        let message = err.to_string();
        assert!(
            message.contains("certificate verify failed") && message.contains("TLS step"),
            "{message}"
        );
    }
}

#[test]
fn disable_is_refused_by_a_server_that_requires_tls() {
    let Some((url, _, _)) = tls() else { return };
    let db = Fresh::new(&url);
    let err = open(&db.url("sslmode=disable"))
        .err()
        .expect("a plain connection to a TLS-only server");
    assert!(!err.is_temporary(), "{err}");
    assert!(err.to_string().contains("no encryption"), "{err}");
}

#[test]
fn the_cli_names_a_refused_certificate_and_does_not_say_try_again() {
    let Some((url, _, other)) = tls() else { return };
    let db = Fresh::new(&url);
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("navigator")
        .unwrap()
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("NAVIGATOR_CONFIG_DIR", dir.path().join("config"))
        .env("NAVIGATOR_SYSTEM_CONFIG", dir.path().join("system-config.toml"))
        .env(
            "NAVIGATOR_DATABASE_URL",
            db.url(&format!("sslmode=verify-full&sslrootcert={other}")),
        )
        .args(["contacts", "list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("certificate verify failed"), "{stderr}");
    assert!(!stderr.contains("try again"), "{stderr}");
}
