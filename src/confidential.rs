//! Who sees confidential addresses and phones. The one place that decides: every output
//! of a service (search rows and `--json`, the detail pane, `show`, the read-out and copy,
//! exports) takes the service through [`Reader::view`] or [`Reader::results`] first.
//!
//! A reader is the OS user running navigator (see [`crate::user::name`]); the users
//! named in the system config's `[privacy] confidential_readers` see everything, marked
//! "(confidential)"; everyone else sees the public view, where a withheld address reads
//! "address confidential: call the service" and confidential phones are left out.

use std::borrow::Cow;

use navigator_index::confidential::public_view;
use navigator_index::{SearchResults, Service};

use crate::exit::Failure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    sees_confidential: bool,
}

impl Reader {
    /// The user running navigator, judged by the configuration in effect.
    pub fn current() -> Result<Reader, Failure> {
        let readers = crate::config::Config::load()?.confidential_readers()?;
        Ok(Reader::named(&crate::user::name(), &readers))
    }

    /// `user`, given the configured readers.
    pub fn named(user: &str, confidential_readers: &[String]) -> Reader {
        Reader {
            sees_confidential: confidential_readers.iter().any(|r| r == user),
        }
    }

    /// Anyone: the public view. For what is stored for others to read later (the
    /// referral as given to a caller).
    pub const PUBLIC: Reader = Reader {
        sees_confidential: false,
    };

    pub fn sees_confidential(&self) -> bool {
        self.sees_confidential
    }

    /// The service as this reader may see it.
    pub fn view<'a>(&self, s: &'a Service) -> Cow<'a, Service> {
        if self.sees_confidential {
            Cow::Borrowed(s)
        } else {
            public_view(s)
        }
    }

    /// The service as this reader may see it, owned.
    pub fn own(&self, s: Service) -> Service {
        match self.view(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(v) => v,
        }
    }

    /// Search results as this reader may see them: every hit's service.
    pub fn results(&self, mut results: SearchResults) -> SearchResults {
        if !self.sees_confidential {
            for hit in &mut results.hits {
                if let Cow::Owned(v) = public_view(&hit.service) {
                    hit.service = v;
                }
            }
        }
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use navigator_index::{Address, Location, Phone};

    fn shelter() -> Service {
        Service {
            phones: vec![Phone {
                number: "250-555-0111".into(),
                confidential: true,
                ..Default::default()
            }],
            locations: vec![Location {
                address: Some(Address {
                    lines: vec!["1410 Hidden Lane".into()],
                    city: Some("Kamloops".into()),
                    confidential: true,
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn only_named_readers_see_confidential_values() {
        let readers = vec!["ana".to_string()];
        let s = shelter();
        let ana = Reader::named("ana", &readers).view(&s);
        assert_eq!(ana.phones.len(), 1);
        assert_eq!(
            ana.address_line().as_deref(),
            Some("1410 Hidden Lane, Kamloops (confidential)")
        );
        for reader in [Reader::named("bob", &readers), Reader::PUBLIC] {
            let v = reader.view(&s);
            assert!(v.phones.is_empty());
            assert_eq!(
                v.address_line().as_deref(),
                Some("address confidential: call the service")
            );
        }
    }
}
