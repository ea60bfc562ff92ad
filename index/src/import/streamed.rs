//! What the import pipeline hands on, and what it is told beforehand so that a nightly
//! re-import need not rebuild the services it already has: a reader that can digest
//! everything a service is built from (the HSDS CSV reader: its row, its detail rows,
//! its organization's and locations' rows, the tables' headers, the taxonomy, the
//! import's options and navigator's build) compares that digest with the one the
//! catalogue remembered for the same record, and when they are equal says the service
//! is unchanged instead of parsing and assembling it again.

use super::hsds_keys::key;
use crate::fast_map::FastMap;
use crate::model::Service;

/// One service out of the pipeline.
// Items are moved along in batches, never kept: boxing the service would cost a full
// import an allocation per service to save a re-import's batches a few hundred KB.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Streamed {
    /// A service as read, with the digest of what it was built from when the reader can
    /// make one that decides the record: remembered with the record, it lets the next
    /// import know the service unchanged without building it. `None` for readers that do
    /// not digest.
    Service(Service, Option<u64>),
    /// A service the catalogue has, read from exactly what its stored record was built
    /// from (its [`Known`] digest): it was not built (the problems its row has are
    /// reported all the same).
    Unchanged(Unchanged),
}

impl From<Service> for Streamed {
    fn from(s: Service) -> Streamed {
        Streamed::Service(s, None)
    }
}

/// A service found unchanged, as much as the pipeline and the catalogue need of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchanged {
    pub id: String,
    /// The hash of the stored record the digest was remembered with: the catalogue checks
    /// that its record is still that one.
    pub hash: i64,
    /// The keys its organization and locations are counted by (see `unique.rs`).
    pub(crate) organization: Option<u64>,
    pub(crate) locations: Vec<u64>,
}

impl Unchanged {
    /// An unchanged service as a reader would pass it on, for tests of what takes it.
    #[doc(hidden)]
    pub fn for_tests(id: &str, hash: i64) -> Unchanged {
        Unchanged {
            id: id.to_string(),
            hash,
            organization: None,
            locations: Vec::new(),
        }
    }
}

/// The digests the catalogue remembers, each with the hash of the record it was made
/// for, by service id. Kept as 64-bit keys of the ids (24 bytes a service): a key shared
/// by two ids could only make a service seem unchanged if its digest also equalled the
/// other one's, and digests cover the id itself.
#[derive(Debug, Default)]
pub struct Known {
    by_id: FastMap<u64, (u64, i64)>,
}

impl Known {
    pub fn insert(&mut self, id: &str, digest: u64, hash: i64) {
        self.by_id.insert(key(id), (digest, hash));
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The record hash `id` keeps when `digest` is the one remembered for it (its
    /// [`CLEAN`] bit aside), and whether the service was remembered clean.
    pub(crate) fn unchanged(&self, id: &str, digest: u64) -> Option<(i64, bool)> {
        self.by_id
            .get(&key(id))
            .filter(|(known, _)| known & !CLEAN == digest & !CLEAN)
            .map(|&(known, hash)| (hash, known & CLEAN != 0))
    }
}

/// The lowest bit of a digest a reader hands on says whether reading the service's row
/// reported no problem. Read from the same rows again (the same digest), it would report
/// none again, so a reader need not even parse a service remembered clean; one with
/// problems is parsed so that they are reported as before.
pub(crate) const CLEAN: u64 = 1;

/// `digest` as remembered, with its [`CLEAN`] bit.
pub(crate) fn remembered(digest: u64, clean: bool) -> u64 {
    (digest & !CLEAN) | u64::from(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_digest_matches_whatever_its_clean_bit_and_tells_it() {
        let mut known = Known::default();
        let digest = 0x1234_5678_9abc_def0;
        known.insert("clean", remembered(digest, true), 7);
        known.insert("with-problems", remembered(digest | 1, false), 8);
        assert_eq!(known.unchanged("clean", digest), Some((7, true)));
        assert_eq!(known.unchanged("clean", digest | 1), Some((7, true)));
        assert_eq!(known.unchanged("with-problems", digest), Some((8, false)));
        assert_eq!(known.unchanged("clean", digest ^ 2), None, "another digest");
        assert_eq!(known.unchanged("nobody", digest), None);
    }
}
