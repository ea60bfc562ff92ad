//! The log records what happened, never what was typed: a failed `show ARG` or
//! `import PATH` leaves neither in `navigator.log`. `synth` and `admin init` log into the
//! directory they work on, not the default data directory.

mod common;

use common::Data;

fn log(d: &Data) -> String {
    std::fs::read_to_string(d.path().join("data/navigator.log")).unwrap_or_default()
}

#[test]
fn failed_commands_log_their_status_not_their_arguments() {
    let d = Data::new();
    d.ok(&["index", "stats"]);
    let show = d.nav().args(["show", "Zorba-Quintessa-705-555-0199"]).output().unwrap();
    assert_eq!(show.status.code(), Some(66));
    let import = d
        .nav()
        .args(["import", "/tmp/Pelagia-Ostrowska-notes.csv"])
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(66));
    let fifo_dir = tempfile::tempdir().unwrap();
    let bad = fifo_dir.path().join("Ignatius-Barrow.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let import = d.nav().arg("import").arg(&bad).output().unwrap();
    assert_eq!(import.status.code(), Some(65));
    let text = log(&d);
    for typed in [
        "Zorba",
        "Quintessa",
        "705-555-0199",
        "Pelagia",
        "Ostrowska",
        "Ignatius",
        "Barrow",
    ] {
        assert!(!text.contains(typed), "{typed:?} is in the log:\n{text}");
    }
    assert!(text.contains("command=show status=66"), "{text}");
    assert!(text.contains("command=import status=65"), "{text}");
}

#[test]
fn synth_and_admin_init_log_where_they_work() {
    let d = Data::new();
    let out = d.path().join("synth-out");
    d.ok(&[
        "synth",
        "--services",
        "20",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    let synth_log = std::fs::read_to_string(out.join("navigator.log")).unwrap();
    assert!(synth_log.contains("command=synth status=0"), "{synth_log}");
    assert!(
        !d.path().join("data/navigator.log").exists(),
        "synth touched the data directory"
    );

    // SAFETY: getegid has no preconditions.
    let gid = unsafe { libc::getegid() };
    let group = navigator::user::group_name(gid).unwrap();
    let shared = d.path().join("office");
    d.ok(&["admin", "init", shared.to_str().unwrap(), "--group", &group]);
    let init_log = std::fs::read_to_string(shared.join("navigator.log")).unwrap();
    assert!(init_log.contains("command=admin init status=0"), "{init_log}");
    assert!(
        !d.path().join("data/navigator.log").exists(),
        "admin init logged elsewhere"
    );
}
