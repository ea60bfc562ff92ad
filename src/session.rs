//! This running navigator as one session of its user: the process, its terminal and when
//! it started. Drafts are owned by a session (the user from `crate::user::name()`, plus
//! this), so a second session of the same navigator (a half-dead SSH login, a second tmux
//! window) never edits, deletes or saves the first one's contact.

/// One session: `id` is unique across hosts and pid reuse; `label` is what a person
/// recognises ("pts/3").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub label: String,
}

impl Session {
    /// This process.
    pub fn current() -> Session {
        let pid = std::process::id();
        let id = format!("{}:{pid}:{}", host(), start_ticks(pid).unwrap_or(0));
        Session { id, label: tty() }
    }

    /// Whether the session `id` still runs: on this host, its process with the same start
    /// time; on another host nobody can tell, so it counts as running (taking its draft
    /// over stays an explicit choice).
    pub fn alive(id: &str) -> bool {
        let mut parts = id.rsplitn(3, ':');
        let (Some(start), Some(pid), Some(host_name)) = (parts.next(), parts.next(), parts.next()) else {
            return false; // no session recorded: a draft from before sessions
        };
        if host_name != host() {
            return true;
        }
        match (pid.parse::<u32>(), start.parse::<u64>()) {
            (Ok(pid), Ok(start)) => start_ticks(pid) == Some(start),
            _ => false,
        }
    }
}

fn host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into a buffer we own.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    if ok {
        String::from_utf8_lossy(&buf[..end]).replace(':', "_")
    } else {
        "localhost".into()
    }
}

/// The process's start time in clock ticks after boot (field 22 of /proc/PID/stat): with
/// the pid, it tells this process from a later one that reused the pid.
fn start_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count fields after its closing paren.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

/// The terminal of standard input, as "pts/3"; "no terminal" when there is none.
fn tty() -> String {
    // SAFETY: ttyname returns a pointer to a static buffer or null; we copy it at once.
    let name = unsafe {
        let p = libc::ttyname(0);
        if p.is_null() {
            return "no terminal".into();
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    };
    name.strip_prefix("/dev/").unwrap_or(&name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_session_is_alive_and_a_finished_one_is_not() {
        let me = Session::current();
        assert!(Session::alive(&me.id), "{me:?}");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = start_ticks(pid);
        child.wait().unwrap();
        let gone = format!("{}:{pid}:{}", host(), start.unwrap_or(1));
        assert!(!Session::alive(&gone));
        assert!(!Session::alive(""), "a draft from before sessions has none");
        assert!(Session::alive("elsewhere:1:1"), "another host cannot be checked");
    }
}
