//! Navigators as real operating-system accounts. navigator takes its identity from the
//! real uid (never from USER), so a test of two navigators runs the binary under two uids.
//! That needs root; without it such a test says so and passes without testing anything.
//!
//! The uids have no entry in the password database (no useradd, nothing to clean up):
//! navigator calls such an account `uid-N`, which is what [`account`] predicts.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The group every test navigator belongs to; it owns the shared data directory.
pub const GROUP: u32 = 61_999;

/// True when this process may run commands as other uids.
pub fn can_switch() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Says why a test that needs other accounts did nothing; returns true when it must stop.
pub fn skip_without_root(test: &str) -> bool {
    if can_switch() {
        return false;
    }
    eprintln!("skipped {test}: running navigator as other accounts needs root");
    true
}

/// The uid a test navigator called `name` runs as: stable, and apart from real accounts.
pub fn uid_of(name: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    61_000 + hash % 900
}

/// The name navigator records for test navigator `name` (without root, every test
/// navigator is this process's own account).
pub fn account(name: &str) -> String {
    if !can_switch() {
        return navigator::user::name();
    }
    let uid = uid_of(name);
    navigator::user::account_name(uid).unwrap_or_else(|| format!("uid-{uid}"))
}

/// Makes `base` enterable by every account and `data` a shared (setgid, group) data
/// directory that every test navigator can write.
pub fn share(base: &Path, data: &Path) {
    std::fs::set_permissions(base, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::create_dir_all(data).unwrap();
    std::os::unix::fs::chown(data, None, Some(GROUP)).unwrap();
    std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o2770)).unwrap();
}

/// The `navigator` binary to run as another account: cargo's own when every account can
/// reach it, else a copy in the system's temporary folder (a checkout inside a folder only
/// its owner may enter, as `mktemp -d` makes, would stop the test accounts at the door).
pub fn navigator_bin() -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    static BIN: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let built = assert_cmd::cargo::cargo_bin("navigator");
        let reachable = built
            .ancestors()
            .skip(1)
            .all(|dir| std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
            && std::fs::metadata(&built).is_ok_and(|m| m.permissions().mode() & 0o001 != 0);
        if reachable {
            return built;
        }
        // One copy per build of the binary (its size and time), shared by test processes:
        // written under a temporary name and renamed, so none runs a half-written copy.
        let meta = std::fs::metadata(&built).expect("the navigator binary is built");
        let stamp = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let copy = std::env::temp_dir().join(format!("navigator-test-{}-{stamp}", meta.len()));
        if !copy.exists() {
            let partial = copy.with_extension(format!("partial-{}", std::process::id()));
            std::fs::copy(&built, &partial).expect("copying the navigator binary");
            std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            std::fs::rename(&partial, &copy).expect("renaming the copy");
        }
        copy
    })
    .clone()
}
