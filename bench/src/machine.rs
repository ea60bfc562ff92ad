//! What the figures were measured on and with: machine, date, commit, command.

use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu_model: String,
    /// Logical CPUs available to this process.
    pub cores: usize,
    pub memory_bytes: Option<u64>,
    pub os: String,
    /// Local date and time of the run, RFC 3339-ish.
    pub date: String,
    /// `git rev-parse --short HEAD`, "unknown" when it fails, with a note on a dirty tree.
    pub commit: String,
    /// The command that produced the file, as typed.
    pub command: String,
}

impl Machine {
    pub fn probe(workspace: &Path, args: &[String]) -> Machine {
        Machine {
            cpu_model: cpu_model().unwrap_or_else(|| "unknown".into()),
            cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            memory_bytes: mem_total(),
            os: os_line(),
            date: jiff::ZonedDateTime::now().strftime("%Y-%m-%d %H:%M:%S %Z").to_string(),
            commit: commit(workspace),
            command: command_line(args),
        }
    }
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name") || l.starts_with("Model"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

fn mem_total() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn os_line() -> String {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!("{} {kernel}", std::env::consts::OS).trim().to_string()
}

fn git(workspace: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(workspace).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn commit(workspace: &Path) -> String {
    match git(workspace, &["rev-parse", "--short", "HEAD"]) {
        Some(hash) if !hash.is_empty() => {
            let dirty =
                git(workspace, &["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{hash} (with uncommitted changes)")
            } else {
                hash
            }
        }
        _ => "unknown".into(),
    }
}

/// The one command that reproduces the file: `cargo run --release -p navigator-bench -- ARGS`.
fn command_line(args: &[String]) -> String {
    let profile = if cfg!(debug_assertions) { "" } else { " --release" };
    let mut line = format!("cargo run{profile} -p navigator-bench --");
    for a in args {
        line.push(' ');
        line.push_str(&shell_quote(a));
    }
    line
}

fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./,=:+".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// "23.4 GiB", "812.0 MiB".
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GiB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_plain_arguments_and_quotes_the_rest() {
        assert_eq!(shell_quote("--sizes"), "--sizes");
        assert_eq!(shell_quote("demo,60000"), "demo,60000");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn bytes_read_like_a_person_would() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(150 * 1024 * 1024), "150.0 MiB");
    }
}
