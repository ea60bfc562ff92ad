//! Helpers for running the real binary against a throwaway data directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod followups;
pub mod pty;
pub mod servers;
pub mod users;

pub struct Data {
    pub dir: tempfile::TempDir,
}

impl Data {
    pub fn new() -> Data {
        Data {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A data directory that several test navigators (OS accounts, see [`users`]) share:
    /// setgid and owned by their group, as `admin init` makes it.
    pub fn shared() -> Data {
        let data = Data::new();
        if users::can_switch() {
            users::share(data.path(), &data.path().join("data"));
        }
        data
    }

    /// `navigator --data-dir <tmp>` with a clean environment for config lookups.
    pub fn nav(&self) -> Command {
        Command::from_std(self.std_nav())
    }

    /// [`Data::nav`] as test navigator `user`: the real uid of [`users::uid_of`] when this
    /// process is root (see [`Data::shared`]), else this process's own account.
    pub fn nav_as(&self, user: &str) -> Command {
        let mut cmd = self.std_nav();
        if users::can_switch() {
            use std::os::unix::process::CommandExt;
            cmd = self.std_nav_with(users::navigator_bin());
            cmd.uid(users::uid_of(user)).gid(users::GROUP);
        }
        Command::from_std(cmd)
    }

    /// [`Data::nav`] as a plain `std::process::Command`, for redirections assert_cmd lacks.
    pub fn std_nav(&self) -> std::process::Command {
        self.std_nav_with(assert_cmd::cargo::cargo_bin("navigator"))
    }

    fn std_nav_with(&self, bin: std::path::PathBuf) -> std::process::Command {
        let mut cmd = std::process::Command::new(bin);
        cmd.arg("--data-dir").arg(self.path().join("data"));
        cmd.env("NAVIGATOR_CONFIG_DIR", self.path().join("config"));
        // Never the machine's /etc/navigator/config.toml; a test may write this file.
        cmd.env("NAVIGATOR_SYSTEM_CONFIG", self.path().join("system-config.toml"));
        cmd.env("NAVIGATOR_NO_PROGRESS", "1");
        cmd.env_remove("NAVIGATOR_DATA_DIR");
        cmd.env_remove("NAVIGATOR_DATABASE_URL");
        cmd.env_remove("NAVIGATOR_OFFICE");
        cmd
    }

    /// Lets `accounts` read callers' personal data (`[privacy] personal_data_readers` in the
    /// system config file this test's commands read).
    pub fn allow_personal_data(&self, accounts: &[&str]) {
        let list: Vec<String> = accounts.iter().map(|a| format!("{a:?}")).collect();
        std::fs::write(
            self.path().join("system-config.toml"),
            format!("[privacy]\npersonal_data_readers = [{}]\n", list.join(", ")),
        )
        .unwrap();
    }

    /// The ids of the first `n` services `search TEXT` finds.
    pub fn search_ids(&self, text: &str, n: usize) -> Vec<String> {
        self.json_lines(&["search", text, "--json"])
            .iter()
            .take(n)
            .map(|hit| hit["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// The casework database, opened directly.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.path().join("data/navigator.db")).unwrap()
    }

    /// Rows in each of `tables`.
    pub fn row_counts(&self, tables: &[&str]) -> Vec<i64> {
        let conn = self.db();
        tables
            .iter()
            .map(|t| {
                conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap()
            })
            .collect()
    }

    /// Runs and returns stdout, asserting success.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.nav().args(args).output().unwrap();
        String::from_utf8(succeeded(out, &format!("navigator {args:?}"))).unwrap()
    }

    /// Runs with --json and parses one JSON value per line.
    pub fn json_lines(&self, args: &[&str]) -> Vec<serde_json::Value> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// The stdout of a run that must have succeeded; a failure names `what` and shows stderr.
pub fn succeeded(out: std::process::Output, what: &str) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{what} failed with {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Writes a tiny HSDS 3.0 datapackage: one service per (id, name, description).
pub fn hsds_package(dir: &Path, services: &[(&str, &str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut s = String::from("id,organization_id,name,description,fees_description\n");
    let mut sal = String::from("id,service_id,location_id\n");
    for (id, name, desc) in services {
        s.push_str(&format!("{id},org-1,{name},\"{desc}\",Free\n"));
        sal.push_str(&format!("sal-{id},{id},loc-1\n"));
    }
    std::fs::write(dir.join("services.csv"), s).unwrap();
    std::fs::write(dir.join("organizations.csv"), "id,name\norg-1,Test Org\n").unwrap();
    std::fs::write(
        dir.join("locations.csv"),
        "id,organization_id,name,latitude,longitude\nloc-1,org-1,Main,46.49,-80.99\n",
    )
    .unwrap();
    std::fs::write(dir.join("service_at_location.csv"), sal).unwrap();
    std::fs::write(
        dir.join("addresses.csv"),
        "id,location_id,address_1,city,state_province,postal_code,country,address_type\n\
         a1,loc-1,1 Elm St,Sudbury,ON,P3A 1A1,CA,physical\n",
    )
    .unwrap();
    std::fs::write(dir.join("phones.csv"), "id,service_id,number\n").unwrap();
}

/// A fixture folder of the index crate's importer tests.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("index/tests/fixtures")
        .join(name)
}

/// `../shared/data` when it exists (it does not on a user's fresh clone).
/// `NAVIGATOR_SHARED_DATA` points elsewhere (a worktree one level deeper, say).
pub fn shared_data() -> Option<PathBuf> {
    let p = std::env::var_os("NAVIGATOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    p.exists().then_some(p)
}
