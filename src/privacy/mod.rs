//! Callers' personal data: who may read it, its purge on a retention schedule, the audit
//! trail.
//!
//! Personal data is a caller's first name, phone, best time to call and the free-text notes
//! on a contact or a follow-up call. Only the accounts listed in `[privacy]
//! personal_data_readers` see it, wherever it is shown: `contacts show`, `followups show`,
//! the app's follow-up screen, `export contacts --with-personal-data`. Everyone else sees
//! [`WITHHELD`] where a value exists (and nothing where none was given), so they still know
//! that there is something to ask a reader about. The account is always the real uid's
//! ([`crate::user::name`]), never an environment variable.
//!
//! This is a rule navigator keeps, not a wall: on a shared install every member of the
//! group can read `navigator.db` itself, so group membership is the real boundary.

mod purge;

pub use purge::*;

use crate::casework::ContactRecord;
use crate::exit::Failure;
use crate::followups::FollowupDetail;

/// Said when a purge could not clear the write-ahead log (see [`crate::store::erase`]).
pub const WAL_BUSY: &str = "the purged values are gone from navigator.db, but copies may remain in \
    navigator.db-wal while other navigator processes keep reading: run `navigator admin purge` \
    again when they have finished (it clears them)";

/// What a personal value shows as to someone who may not read it.
pub const WITHHELD: &str = "withheld";

/// Whether one account may read personal data, decided once and applied to what it is
/// about to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    allowed: bool,
}

impl Access {
    /// `user`'s access given the readers list (`[privacy] personal_data_readers`).
    pub fn of(user: &str, readers: &[String]) -> Access {
        Access {
            allowed: readers.iter().any(|r| r == user),
        }
    }

    /// The access of the account running this process, from the configuration in effect.
    pub fn current() -> Result<Access, Failure> {
        Ok(Access::of(
            &crate::user::name(),
            &crate::config::personal_data_readers()?,
        ))
    }

    pub fn allowed(&self) -> bool {
        self.allowed
    }

    /// `value` itself for a reader; [`WITHHELD`] in its place for anyone else.
    pub fn show(&self, value: Option<String>) -> Option<String> {
        match value {
            Some(_) if !self.allowed => Some(WITHHELD.to_string()),
            other => other,
        }
    }

    /// A contact as this account may see it.
    pub fn contact(&self, record: &mut ContactRecord) {
        if let Some(p) = record.personal.as_mut() {
            p.first_name = self.show(p.first_name.take());
            p.phone = self.show(p.phone.take());
            p.best_time = self.show(p.best_time.take());
            p.notes = self.show(p.notes.take());
        }
    }

    /// A follow-up as this account may see it.
    pub fn followup(&self, detail: &mut FollowupDetail) {
        detail.first_name = self.show(detail.first_name.take());
        detail.phone = self.show(detail.phone.take());
        detail.best_time = self.show(detail.best_time.take());
        detail.contact_notes = self.show(detail.contact_notes.take());
        detail.notes = self.show(detail.notes.take());
    }

    /// A queue row's caller as this account may see it: the name withheld, and the best
    /// time left out (one "withheld" on a row says there is someone to ask a reader about).
    pub fn caller(&self, caller: &mut crate::followups::Caller) {
        caller.first_name = self.show(caller.first_name.take());
        if !self.allowed {
            caller.best_time = None;
        }
    }

    /// Refuses (exit 77) unless this account may read personal data; `what` names the
    /// request (`--with-personal-data`).
    pub fn require(&self, what: &str) -> Result<(), Failure> {
        if self.allowed {
            return Ok(());
        }
        let user = crate::user::name();
        tracing::warn!(user = %user, "personal data refused");
        Err(Failure::no_perm(format!(
            "{what}: user {user} may not read personal data; an administrator can add \
             them to personal_data_readers under [privacy] in config.toml"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_readers_see_values_and_others_see_withheld() {
        let readers = vec!["ana".to_string()];
        let ana = Access::of("ana", &readers);
        let bob = Access::of("bob", &readers);
        assert!(ana.allowed() && !bob.allowed());
        assert_eq!(ana.show(Some("Zelda".into())).as_deref(), Some("Zelda"));
        assert_eq!(bob.show(Some("Zelda".into())).as_deref(), Some(WITHHELD));
        assert_eq!(bob.show(None), None, "nothing given stays nothing");
        assert!(!Access::of("root", &readers).allowed(), "root is not special");
        assert!(!Access::of("ana", &[]).allowed(), "nobody by default");
    }
}
