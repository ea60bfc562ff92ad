//! The digests an import remembers (see `navigator_index::import::Known`): for a service,
//! the digest of what its record was built from, with the hash of that record. The pair
//! is a fact about the inputs, true whatever the catalogue holds now, so it is written
//! outside the import's staging and never needs to be undone; it is used only while the
//! service's stored record still has that hash. A cache: losing it costs one import that
//! builds every service.

use navigator_index::import::Known;

use super::{Store, StoreError, Tx};
use crate::args;

/// Removed services' digests forgotten per transaction.
const PAGE: usize = 5000;

/// One digest to remember: the service's id, the digest, its record's hash.
pub struct Remembered<'a> {
    pub id: &'a str,
    pub digest: u64,
    pub hash: i64,
}

impl Store {
    /// The digests of the services whose stored record is still the one they were made for.
    pub fn known_digests(&self) -> Result<Known, StoreError> {
        self.read(|tx| tx.known_digests())
    }

    /// Remembers digests (one transaction), replacing what was remembered for those ids.
    pub fn remember_digests(&mut self, rows: &[Remembered]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        self.write_bulk(|tx| {
            for r in rows {
                tx.execute(
                    "INSERT INTO import_digests (id, digest, hash) VALUES (?1, ?2, ?3)
                     ON CONFLICT (id) DO UPDATE SET digest = ?2, hash = ?3",
                    args![r.id, r.digest as i64, r.hash],
                )?;
            }
            Ok(())
        })
    }

    /// Forgets the digests of services no longer in the catalogue.
    pub fn forget_digests(&mut self, ids: &[String]) -> Result<(), StoreError> {
        for page in ids.chunks(PAGE) {
            self.write_bulk(|tx| {
                for id in page {
                    tx.execute("DELETE FROM import_digests WHERE id = ?1", args![id.as_str()])?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}

impl Tx<'_> {
    fn known_digests(&mut self) -> Result<Known, StoreError> {
        let mut known = Known::default();
        self.conn.each(
            "SELECT d.id, d.digest, d.hash FROM import_digests d
             JOIN services s ON s.id = d.id AND s.hash = d.hash",
            &[],
            &mut |r| {
                known.insert(&r.text(0)?, r.int(1)? as u64, r.int(2)?);
                Ok(())
            },
        )?;
        Ok(known)
    }
}
