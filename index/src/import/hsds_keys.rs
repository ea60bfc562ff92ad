//! Compact id maps for the HSDS CSV join: an id is kept as a 64-bit hash of it, not as a
//! string, so a million services cost 16 bytes each instead of the id and a string
//! header. Two different ids with the same hash are told apart when the second is added
//! (the caller says whether it is the same id); the second is then kept by its text.

use std::hash::{Hash, Hasher};

use crate::fast_map::FastMap;

/// The hash an id is kept under (SipHash with fixed keys: the same on every run).
pub(crate) fn key(id: &str) -> u64 {
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x6e61_7669_6761_746f, 0x7220_6873_6473_2031);
    id.hash(&mut h);
    h.finish()
}

/// Ids to a value (an ordinal, an offset).
pub(crate) struct Ids<V> {
    hashed: FastMap<u64, V>,
    /// Ids whose hash an earlier, different id already had.
    exact: FastMap<Box<str>, V>,
}

impl<V> Default for Ids<V> {
    fn default() -> Self {
        Ids {
            hashed: FastMap::default(),
            exact: FastMap::default(),
        }
    }
}

impl<V: Copy> Ids<V> {
    pub fn get(&self, id: &str) -> Option<V> {
        if !self.exact.is_empty() {
            if let Some(&v) = self.exact.get(id) {
                return Some(v);
            }
        }
        self.hashed.get(&key(id)).copied()
    }

    /// Adds `id` unless it is there: `Err` with the value it has. `same(v)` says whether
    /// the id already kept with `id`'s hash (as value `v`) is `id` itself.
    pub fn insert(&mut self, id: &str, value: V, same: impl FnOnce(V) -> bool) -> Result<(), V> {
        use std::collections::hash_map::Entry;
        if let Some(&v) = self.exact.get(id) {
            return Err(v);
        }
        match self.hashed.entry(key(id)) {
            Entry::Vacant(e) => {
                e.insert(value);
                Ok(())
            }
            Entry::Occupied(e) => {
                let v = *e.get();
                if same(v) {
                    return Err(v);
                }
                self.exact.insert(id.into(), value);
                Ok(())
            }
        }
    }

    pub fn reserve(&mut self, n: usize) {
        self.hashed.reserve(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_shared_by_two_ids_keeps_both() {
        let mut ids: Ids<u32> = Ids::default();
        assert_eq!(ids.insert("a", 1, |_| true), Ok(()));
        assert_eq!(ids.insert("a", 2, |_| true), Err(1));
        // As if "b" had "c"'s hash: the caller finds the kept id is not "b".
        ids.hashed.insert(key("b"), 3);
        assert_eq!(ids.insert("b", 4, |_| false), Ok(()));
        assert_eq!(ids.get("b"), Some(4));
        assert_eq!(ids.insert("b", 5, |_| false), Err(4));
        assert_eq!(ids.get("a"), Some(1));
        assert_eq!(ids.get("z"), None);
    }
}
