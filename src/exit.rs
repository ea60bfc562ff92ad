//! Exit statuses (sysexits) and the error type commands return.

use std::fmt;

pub const OK: u8 = 0;
/// The command was used wrongly: an unknown place, say (EX_USAGE).
pub const USAGE: u8 = 64;
/// The input had nothing usable, or a value was invalid (EX_DATAERR).
pub const DATA_ERR: u8 = 65;
/// A named input does not exist (EX_NOINPUT).
pub const NO_INPUT: u8 = 66;
/// Internal error (EX_SOFTWARE).
pub const SOFTWARE: u8 = 70;
/// Reading or writing a file failed (EX_IOERR).
pub const IO_ERR: u8 = 74;
/// Try again later: something else holds the lock (EX_TEMPFAIL).
pub const TEMP_FAIL: u8 = 75;
/// The user is not allowed to do this (EX_NOPERM).
pub const NO_PERM: u8 = 77;

/// A failure to report on stderr, with its exit status. Messages name the file and what
/// went wrong; they never carry caller data.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: String) -> Failure {
        Failure { code, message }
    }
    pub fn usage(message: String) -> Failure {
        Failure::new(USAGE, message)
    }
    pub fn data(message: String) -> Failure {
        Failure::new(DATA_ERR, message)
    }
    pub fn no_input(message: String) -> Failure {
        Failure::new(NO_INPUT, message)
    }
    pub fn io(message: String) -> Failure {
        Failure::new(IO_ERR, message)
    }
    pub fn software(message: String) -> Failure {
        Failure::new(SOFTWARE, message)
    }
    pub fn temporary(message: String) -> Failure {
        Failure::new(TEMP_FAIL, message)
    }
    pub fn no_perm(message: String) -> Failure {
        Failure::new(NO_PERM, message)
    }
    /// A store failure: 75 when the database cannot be reached now (try again); a write
    /// refused because the database is read-only for this account is 77 naming the file,
    /// its owner and group; anything else 74.
    pub fn store(e: crate::store::StoreError) -> Failure {
        if let crate::store::StoreError::Sqlite { path, source } = &e {
            if source.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) {
                return Failure::no_perm(crate::access::denied(path, "write"));
            }
        }
        let code = if e.is_temporary() { TEMP_FAIL } else { IO_ERR };
        Failure::new(code, e.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
