//! A shared install used by two real OS users of one group: `admin init` makes the data
//! directory, user A imports, user B searches, records a contact and imports in turn, and
//! every file stays group read/write whatever their umask (022 here).
//!
//! Needs root (to create the throwaway users and group) and useradd, groupadd, userdel,
//! groupdel and setpriv; without them it says why and passes without testing anything.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tool(name: &str) -> Option<PathBuf> {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

/// Removes the throwaway users and group, even when the test fails.
struct Accounts {
    users: Vec<String>,
    group: String,
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for u in &self.users {
            let _ = Command::new(tool("userdel").unwrap()).arg(u).output();
        }
        let _ = Command::new(tool("groupdel").unwrap()).arg(&self.group).output();
    }
}

fn check(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed with {:?}:\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn two_users_of_one_group_share_a_data_directory() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: creating throwaway users needs root");
        return;
    }
    let tools = ["useradd", "groupadd", "userdel", "groupdel", "setpriv"];
    if let Some(missing) = tools.iter().find(|t| tool(t).is_none()) {
        eprintln!("skipped: {missing} is not installed");
        return;
    }
    let n = std::process::id() % 100_000;
    let group = format!("navtest{n}");
    let (alice, bob) = (format!("navta{n}"), format!("navtb{n}"));
    let out = Command::new(tool("groupadd").unwrap()).arg(&group).output().unwrap();
    check(&out, "groupadd");
    let accounts = Accounts {
        users: vec![],
        group: group.clone(),
    };
    let mut accounts = accounts;
    for user in [&alice, &bob] {
        let out = Command::new(tool("useradd").unwrap())
            .args([
                "--no-create-home",
                "--no-user-group",
                "--gid",
                &group,
                "--shell",
                "/bin/false",
                user,
            ])
            .output()
            .unwrap();
        check(&out, "useradd");
        accounts.users.push(user.clone());
    }

    // Everything the users run or read sits in a folder anyone may enter.
    let base = tempfile::tempdir().unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = base.path().join("navigator");
    std::fs::copy(assert_cmd::cargo::cargo_bin("navigator"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let shared = base.path().join("shared");
    let synth = base.path().join("synth");

    let nav = |user: Option<&str>, args: &[&str], stdin: Option<&str>| -> Output {
        let mut cmd = match user {
            Some(u) => {
                let mut c = Command::new(tool("setpriv").unwrap());
                c.args(["--reuid", u, "--regid", &group, "--init-groups", "--"])
                    .arg(&bin);
                c
            }
            None => Command::new(&bin),
        };
        cmd.arg("--data-dir")
            .arg(&shared)
            .args(args)
            .env("HOME", base.path())
            .env("NAVIGATOR_CONFIG_DIR", base.path().join("no-config"))
            .env("NAVIGATOR_SYSTEM_CONFIG", base.path().join("no-system-config.toml"))
            .env("NAVIGATOR_NO_PROGRESS", "1")
            .current_dir(base.path())
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: umask is async-signal-safe. The users' umask would lock each other out.
        unsafe {
            cmd.pre_exec(|| {
                libc::umask(0o022);
                Ok(())
            });
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    };

    check(
        &nav(
            None,
            &["admin", "init", shared.to_str().unwrap(), "--group", &group],
            None,
        ),
        "admin init",
    );
    let gid = std::fs::metadata(&shared).unwrap().gid();
    assert_eq!(mode(&shared), 0o2770);
    check(
        &nav(
            None,
            &[
                "synth",
                "--services",
                "300",
                "--seed",
                "5",
                "--out",
                synth.to_str().unwrap(),
            ],
            None,
        ),
        "synth",
    );
    // synth writes its folder privately; the navigators must read it.
    let mut stack = vec![synth.clone()];
    while let Some(path) = stack.pop() {
        let dir = path.is_dir();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(if dir { 0o755 } else { 0o644 })).unwrap();
        if dir {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
    }

    // A imports; B searches, records a contact, then imports in turn; A searches and records.
    check(
        &nav(Some(&alice), &["import", synth.to_str().unwrap(), "--replace"], None),
        "alice: import",
    );
    let out = nav(Some(&bob), &["search", "food", "--json", "--limit", "2"], None);
    check(&out, "bob: search");
    let hit: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    let service = hit["id"].as_str().unwrap();
    let contact = serde_json::json!({
        "channel": "phone",
        "needs": [{"category": "food", "met": true}],
        "referrals": [service],
        "notes": "shared install test"
    })
    .to_string();
    let out = nav(Some(&bob), &["contacts", "add", "--json"], Some(&contact));
    check(&out, "bob: contacts add");
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["navigator"], bob.as_str());
    check(
        &nav(Some(&bob), &["import", synth.to_str().unwrap(), "--replace"], None),
        "bob: import over alice's index",
    );
    let out = nav(Some(&alice), &["contacts", "list", "--json"], None);
    check(&out, "alice: contacts list");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&bob),
        "alice sees bob's contact"
    );
    check(
        &nav(Some(&alice), &["search", "food", "--limit", "2"], None),
        "alice: search after bob's import",
    );
    check(
        &nav(Some(&alice), &["contacts", "add", "--json"], Some(&contact)),
        "alice: contacts add",
    );
    check(&nav(Some(&alice), &["index", "rebuild"], None), "alice: index rebuild");
    check(
        &nav(Some(&bob), &["search", "food", "--limit", "2"], None),
        "bob: search after alice's rebuild",
    );

    // Every file in the data directory belongs to the group and is group read/write.
    let mut stack = vec![shared.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::metadata(&path).unwrap();
            assert_eq!(meta.gid(), gid, "{} is not the group's", path.display());
            if meta.is_dir() {
                assert_eq!(
                    mode(&path) & 0o2070,
                    0o2070,
                    "{} is not a group setgid folder",
                    path.display()
                );
                stack.push(path);
            } else {
                assert_eq!(mode(&path) & 0o060, 0o060, "{} is {:o}", path.display(), mode(&path));
            }
        }
    }
    for file in [
        "navigator.db",
        "navigator.log",
        "import.lock",
        "index/meta.json",
        "index/.managed.json",
    ] {
        assert_eq!(mode(&shared.join(file)) & 0o777, 0o660, "{file}");
    }
    drop(accounts);
}
