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

/// This server's name (for the import lock's holder and the write log): the host name.
pub fn host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "unknown-host".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}
