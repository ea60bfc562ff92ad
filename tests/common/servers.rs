//! Servers sharing one PostgreSQL database: each a data directory of its own (its own
//! search index), all pointed at the same fresh database of the test cluster.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use navigator::store::testing::{fresh_pg, pg_admin_url};
use navigator::store::PgUrl;

pub struct Servers {
    pub dir: tempfile::TempDir,
    pub url: PgUrl,
    admin: PgUrl,
    name: String,
}

impl Servers {
    /// None (after saying so) when there is no test cluster.
    pub fn new() -> Option<Servers> {
        let admin = pg_admin_url()?;
        let (url, name) = fresh_pg(&admin);
        let dir = tempfile::tempdir().unwrap();
        if super::users::can_switch() {
            // Every test navigator (its own OS account, see `users`) writes here: the
            // folder is its group's, and each server's data directory a shared install.
            use std::os::unix::fs::PermissionsExt;
            std::os::unix::fs::chown(dir.path(), None, Some(super::users::GROUP)).unwrap();
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o2775)).unwrap();
            for server in [1, 2] {
                super::users::share(dir.path(), &dir.path().join(format!("server{server}")));
            }
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o2775)).unwrap();
        }
        Some(Servers { dir, url, admin, name })
    }

    pub fn data_dir(&self, server: usize) -> PathBuf {
        self.dir.path().join(format!("server{server}"))
    }

    /// `navigator` on server `server` (1 or 2) as test navigator `user`: its own OS
    /// account when this process is root (see `users`), with its own copy of the
    /// cluster's password file (libpq reads only a file its owner alone may read).
    pub fn nav(&self, server: usize, user: &str) -> Command {
        let switch = super::users::can_switch();
        let bin = match switch {
            true => super::users::navigator_bin(),
            false => assert_cmd::cargo::cargo_bin("navigator"),
        };
        let mut cmd = std::process::Command::new(bin);
        if switch {
            use std::os::unix::fs::PermissionsExt;
            use std::os::unix::process::CommandExt;
            let uid = super::users::uid_of(user);
            cmd.uid(uid).gid(super::users::GROUP);
            if let Some(pgpass) = std::env::var_os("PGPASSFILE") {
                let mine = self.dir.path().join(format!("pgpass-{uid}"));
                // Threads start navigators at once: one copies, the others find it done.
                static COPYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
                let _one = COPYING.lock().unwrap_or_else(|p| p.into_inner());
                if !mine.exists() {
                    std::fs::copy(&pgpass, &mine).unwrap();
                    std::os::unix::fs::chown(&mine, Some(uid), None).unwrap();
                    std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o600)).unwrap();
                }
                cmd.env("PGPASSFILE", mine);
            }
        }
        let mut cmd = Command::from_std(cmd);
        cmd.arg("--data-dir").arg(self.data_dir(server));
        cmd.env("NAVIGATOR_CONFIG_DIR", self.config_dir());
        cmd.env("NAVIGATOR_NO_PROGRESS", "1");
        cmd.env_remove("NAVIGATOR_DATA_DIR");
        cmd.envs(self.env(server, user));
        cmd
    }

    /// The environment of a navigator on `server` as `user`: the database, the office.
    pub fn env(&self, server: usize, user: &str) -> Vec<(String, String)> {
        vec![
            (
                "NAVIGATOR_SYSTEM_CONFIG".into(),
                self.dir.path().join("system-config.toml").display().to_string(),
            ),
            ("NAVIGATOR_DATABASE_URL".into(), self.url_text()),
            ("NAVIGATOR_OFFICE".into(), format!("office{server}")),
            ("USER".into(), user.into()),
        ]
    }

    /// `contacts add --json` of `input` on `server` as `user`; the saved contact.
    pub fn add_contact(&self, server: usize, user: &str, input: &serde_json::Value) -> serde_json::Value {
        let out = self
            .nav(server, user)
            .args(["contacts", "add", "--json"])
            .write_stdin(input.to_string())
            .output()
            .unwrap();
        serde_json::from_slice(&super::succeeded(out, "contacts add")).unwrap()
    }

    /// A synthetic directory of `services` in this test's folder, written by `navigator synth`.
    pub fn synth(&self, services: usize) -> PathBuf {
        let dir = self.path().join(format!("synth-{services}"));
        let out = self
            .nav(1, "setup")
            .args(["synth", "--services", &services.to_string(), "--out"])
            .arg(&dir)
            .output()
            .unwrap();
        super::succeeded(out, "synth");
        dir
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The app in a pseudo-terminal on `server` as `user`.
    pub fn app(&self, server: usize, user: &str) -> super::pty::App {
        super::pty::App::spawn(&self.data_dir(server), &self.config_dir(), &self.env(server, user), &[])
    }

    /// The URL for a child process (no password in it: that comes from PGPASSFILE).
    pub fn url_text(&self) -> String {
        self.url.to_string()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        if let Ok(mut c) = navigator::store::postgres::connect(&self.admin) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}
