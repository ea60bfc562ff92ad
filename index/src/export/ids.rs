//! HSDS 3.0 wants every id to be a UUID. A source's own id that is one is kept; any other
//! (iCarol's `373463`, AIRS keys) becomes a name-based UUID (version 5), the same on every
//! export, and the original travels as a `source-id` attribute so an import restores it.

use uuid::Uuid;

/// navigator's namespace for name-based UUIDs (a fixed, random UUID).
const NAMESPACE: Uuid = Uuid::from_u128(0x6e61_7669_6761_7465_8c1f_3a5e_9b20_d4c7);

/// The UUID for a record of `kind` ("service", "location", "organization") with `id`;
/// `id` itself when it already is a UUID.
pub fn record(kind: &str, id: &str) -> (String, bool) {
    match Uuid::parse_str(id.trim()) {
        Ok(u) => (u.hyphenated().to_string(), true),
        Err(_) => (named(&format!("{kind}:{id}")), false),
    }
}

/// A UUID for a part of a record that has no id of its own (a phone, a schedule row):
/// its kind, its owner's UUID and its position.
pub fn part(kind: &str, owner: &str, index: usize) -> String {
    named(&format!("{kind}:{owner}:{index}"))
}

fn named(name: &str) -> String {
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuids() {
        let (a, kept) = record("service", "373463");
        assert!(!kept);
        assert_eq!(a, record("service", "373463").0, "the same on every export");
        assert_ne!(a, record("location", "373463").0, "kinds never collide");
        assert!(Uuid::parse_str(&a).is_ok());
        let u = "ac148810-d857-441c-9679-408f346de14b";
        assert_eq!(record("service", u), (u.to_string(), true));
        assert_ne!(part("phone", &a, 0), part("phone", &a, 1));
    }
}
