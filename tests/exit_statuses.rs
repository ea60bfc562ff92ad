//! Every exit status navigator uses is documented, in the README and in navigator(1): the
//! constants of src/exit.rs, and 2 for usage errors (clap).

use std::path::Path;

fn statuses() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exit = std::fs::read_to_string(root.join("src/exit.rs")).unwrap();
    let mut codes: Vec<u8> = exit
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split_once(": u8 = "))
        .map(|(_, v)| v.trim_end_matches(';').parse().unwrap())
        .collect();
    codes.push(2);
    codes.sort();
    codes
}

#[test]
fn every_exit_status_is_in_the_readme_and_the_man_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let codes = statuses();
    assert!(codes.contains(&70) && codes.contains(&77), "{codes:?}");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("## Exit statuses")
        .nth(1)
        .expect("README has an Exit statuses section");
    let section = section.split("\n## ").next().unwrap();
    let man = std::fs::read_to_string(root.join("man/navigator.1")).unwrap();
    let man = man.split(".SH EXIT STATUS").nth(1).expect("an EXIT STATUS section");
    for code in codes {
        assert!(
            section.contains(&format!("| {code} |")),
            "README lacks exit status {code}"
        );
        assert!(
            man.contains(&format!("\\fB{code}\\fR")),
            "navigator(1) lacks exit status {code}"
        );
    }
}
