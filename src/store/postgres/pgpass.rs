//! Where a PostgreSQL password comes from when the URL has none, as libpq does it:
//! `PGPASSWORD`, else the password file (`PGPASSFILE`, else `~/.pgpass`), whose lines are
//! `host:port:database:user:password` with `*` matching anything and `\:` / `\\` escaped.
//! Like libpq, a password file others can read is ignored, with a warning.

use std::path::{Path, PathBuf};

/// What a password file line is matched against.
pub struct Want<'a> {
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

pub fn lookup(want: &Want) -> Option<String> {
    if let Some(p) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
        return Some(p.to_string_lossy().into_owned());
    }
    let path = file_path()?;
    let text = read_private(&path)?;
    find(&text, want)
}

fn file_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass"))
}

fn read_private(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().mode() & 0o077 != 0 {
        eprintln!(
            "navigator: {}: ignored, since group or others can read it (chmod 600 it)",
            path.display()
        );
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The fields of one line, unescaped.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("never empty").push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut().expect("never empty").push(c),
        }
    }
    out
}

pub fn find(text: &str, want: &Want) -> Option<String> {
    let port = want.port.to_string();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f = fields(line);
        if f.len() != 5 {
            continue;
        }
        let hit = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        // libpq: "localhost" in the file also matches a connection over the default socket.
        let host_hit = hit(&f[0], want.host) || (f[0] == "localhost" && want.host.starts_with('/'));
        if host_hit && hit(&f[1], &port) && hit(&f[2], want.database) && hit(&f[3], want.user) {
            return Some(f[4].clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    db.example:5432:other:nav:wrong\n\
                    db.example:*:navigator:nav:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        let want = Want {
            host: "db.example",
            port: 5432,
            database: "navigator",
            user: "nav",
        };
        assert_eq!(find(text, &want).as_deref(), Some("pa:ss\\word"));
        let other = Want {
            host: "elsewhere",
            ..want
        };
        assert_eq!(find(text, &other).as_deref(), Some("fallback"));
        assert_eq!(find("h:1:d:u:p\n", &other), None);
    }
}
