//! A data directory this account may only read: searches, reports and lists work
//! (read-only), and a write fails naming the file, the permission and who owns it. One it
//! may not enter at all names the owner and the group to join.
//!
//! Runs navigator as another uid, which needs root (root itself may write anything).

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::users::{account, skip_without_root};
use common::Data;

fn chmod_tree(path: &Path, dir_mode: u32, file_mode: u32) {
    let meta = std::fs::metadata(path).unwrap();
    if meta.is_dir() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(dir_mode)).unwrap();
        for entry in std::fs::read_dir(path).unwrap() {
            chmod_tree(&entry.unwrap().path(), dir_mode, file_mode);
        }
    } else {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(file_mode)).unwrap();
    }
}

#[test]
fn a_read_only_data_directory_searches_and_refuses_writes_by_name() {
    if skip_without_root("a_read_only_data_directory_searches_and_refuses_writes_by_name") {
        return;
    }
    let d = Data::new();
    let service = common::followups::food_service(&d);
    common::followups::add_followup(&d, &service);
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    chmod_tree(&d.path().join("data"), 0o755, 0o644);

    let run = |args: &[&str], stdin: &str| {
        d.nav_as("reader")
            .args(args)
            .write_stdin(stdin.to_string())
            .output()
            .unwrap()
    };
    for args in [
        &["search", "food"][..],
        &["search", "food", "--json"],
        &["show", &service],
        &["report", "needs"],
        &["report", "outcomes", "--format", "json"],
        &["contacts", "list", "--json"],
        &["followups", "due"],
        &["index", "stats"],
    ] {
        let out = run(args, "");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let contact = common::followups::contact(&service).to_string();
    let out = run(&["contacts", "add", "--json"], &contact);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(77), "{stderr}");
    let db = d.path().join("data/navigator.db");
    assert!(
        stderr.contains(&format!(
            "cannot write {}: permission denied (owner root, group root, mode 0644)",
            db.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("ask an administrator to add you ({})", account("reader"))),
        "{stderr}"
    );
    let out = run(&["import", d.path().join("data").to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(77), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("import.lock: permission denied"));
}

#[test]
fn a_directory_of_another_user_names_the_owner_and_the_group_to_join() {
    if skip_without_root("a_directory_of_another_user_names_the_owner_and_the_group_to_join") {
        return;
    }
    let d = Data::new();
    d.ok(&["index", "stats"]);
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = d.path().join("data");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let out = d.nav_as("outsider").args(["search", "food"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(77), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot read {}: permission denied (owner root, group root, mode 2770); ask an administrator to add you ({}) to group root",
            data.display(),
            account("outsider")
        )),
        "{stderr}"
    );
}
