//! Who is running navigator: the OS user, recorded on imports and (later) casework.

/// The login name, from the environment the shell gives (USER, then LOGNAME), else the uid.
pub fn name() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(v) = std::env::var(var) {
            let v = v.trim();
            if !v.is_empty() {
                return v.to_string();
            }
        }
    }
    // SAFETY: getuid has no preconditions and cannot fail.
    format!("uid-{}", unsafe { libc::getuid() })
}
