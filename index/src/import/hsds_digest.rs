//! The digest of what one service of an HSDS CSV package is built from, so that a re-import
//! can tell a service unchanged before parsing and assembling it (see `streamed.rs`).
//!
//! A service's record is a function of its services.csv row, the detail rows spilled for
//! it, its organization's row and main phones, and its locations' rows with their own
//! detail rows; and of what every service shares: which tables the package has and their
//! headers (the columns a value is read from), the taxonomy tables, the import's options
//! and navigator's own code. The shared part is the [`Seed`]; the rest is hashed per
//! service by content, not by position (a row inserted higher up in a table moves every
//! ordinal after it but changes no other service's digest). A package carrying
//! navigator's own attributes (an export from another navigator) is not digested: those
//! attributes link to rows of any table.

use std::hash::Hasher;
use std::path::Path;

use csv::ByteRecord;

use super::csv_table::Table;
use super::hsds_spill::{RawRow, Spilled};
use super::ImportError;

/// Bump when what a service is built from changes in a way the other parts do not show
/// (any other build of navigator already has another build identity).
const VERSION: u64 = 2;

/// A digest in progress: foldhash's quality hasher with a fixed seed, the same on every
/// run of one build (a build's digests are only ever compared with its own: see [`Seed`]).
/// Several times faster than SipHash over the rows of a whole export.
pub(crate) struct Digest(foldhash::quality::FoldHasher<'static>);

impl Digest {
    pub fn new(seed: u64) -> Digest {
        use std::hash::BuildHasher;
        let mut h = foldhash::quality::FixedState::with_seed(0x6469_6765_7374_2d31).build_hasher();
        h.write_u64(seed);
        Digest(h)
    }

    /// A CSV record, field by field (lengths first, so fields cannot run into each other).
    pub fn record(&mut self, r: &ByteRecord) {
        self.0.write_usize(r.len());
        for field in r {
            self.bytes(field);
        }
    }

    /// Spilled detail rows: their kind and fields, not their line (a line moves when rows
    /// above it change; problems, which cite lines, are never skipped).
    pub fn spilled<'a>(&mut self, rows: impl IntoIterator<Item = &'a Spilled>) {
        for s in rows {
            self.0.write_u8(s.kind);
            self.record(&s.record);
        }
        self.end_of_rows();
    }

    /// [`Digest::spilled`] of rows as they lie in a bucket, undecoded: the same digest.
    pub fn raw_spilled<'a>(&mut self, rows: impl IntoIterator<Item = RawRow<'a>>) {
        for row in rows {
            self.0.write_u8(row.kind);
            self.0.write_usize(row.count);
            row.fields().for_each(|field| self.bytes(field));
        }
        self.end_of_rows();
    }

    /// The end of a list: the next part cannot pass for one more row of it.
    fn end_of_rows(&mut self) {
        self.0.write_u8(0xfe);
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.0.write_usize(b.len());
        self.0.write(b);
    }

    pub fn u64(&mut self, v: u64) {
        self.0.write_u64(v);
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// What every service's digest starts from.
pub(crate) struct Seed(Digest);

impl Seed {
    /// `None` when navigator's build cannot be told apart from another one: then nothing
    /// is digested.
    pub fn new(options: &super::Options) -> Option<Seed> {
        let mut d = Digest::new(VERSION);
        d.bytes(env!("CARGO_PKG_VERSION").as_bytes());
        d.bytes(&crate::build_identity::build_identity()?);
        d.bytes(format!("{options:?}").as_bytes());
        Some(Seed(d))
    }

    /// A table the package has: its name and its header.
    pub fn table(&mut self, t: &Table) {
        self.0.bytes(t.file.as_bytes());
        self.0.u64(t.headers().len() as u64);
        for h in t.headers() {
            self.0.bytes(h.as_bytes());
        }
    }

    /// A table whose every row may reach any service (the taxonomy): all of its bytes.
    pub fn whole_file(&mut self, path: &Path) -> Result<(), ImportError> {
        let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.0.bytes(&bytes);
        Ok(())
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> ByteRecord {
        ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        let digest = |fields: &[&str]| {
            let mut d = Digest::new(7);
            d.record(&record(fields));
            d.finish()
        };
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
        assert_ne!(digest(&["a", ""]), digest(&["a"]));
        assert_eq!(digest(&["a", "bc"]), digest(&["a", "bc"]));
        let mut other_seed = Digest::new(8);
        other_seed.record(&record(&["a", "bc"]));
        assert_ne!(other_seed.finish(), digest(&["a", "bc"]));
    }

    #[test]
    fn spilled_rows_count_by_kind_and_content_not_by_line() {
        let row = |kind, line, fields: &[&str]| Spilled {
            owner: 0,
            kind,
            line,
            record: record(fields),
        };
        let digest = |rows: &[Spilled]| {
            let mut d = Digest::new(1);
            d.spilled(rows);
            d.finish()
        };
        let base = digest(&[row(1, 10, &["555-0100"])]);
        assert_eq!(base, digest(&[row(1, 99, &["555-0100"])]));
        assert_ne!(base, digest(&[row(2, 10, &["555-0100"])]));
        assert_ne!(base, digest(&[row(1, 10, &["555-0101"])]));
        assert_ne!(base, digest(&[row(1, 10, &["555-0100"]), row(1, 11, &["555-0100"])]));
    }

    #[test]
    fn rows_digested_where_they_lie_in_a_bucket_digest_as_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = super::super::hsds_spill::Buckets::new(dir.path(), "t", 3);
        let rows: [(u32, u8, &[&str]); 6] = [
            (1, 3, &["a", "", "long field, with a comma"]),
            (0, 3, &["other owner"]),
            (1, 4, &[]),
            (2, 3, &["x"]),
            (1, 3, &["é", "b"]),
            (1, 5, &[""]),
        ];
        for (line, (owner, kind, fields)) in rows.iter().enumerate() {
            spill.push(*owner, *kind, line as u64, &record(fields)).unwrap();
        }
        spill.finish().unwrap();
        let mut bucket = spill.read(0).unwrap();
        let _ = bucket.take(0);
        let owner = bucket.take(1);
        let (mut raw, mut decoded) = (Digest::new(3), Digest::new(3));
        raw.raw_spilled(owner.raw().filter(|r| r.kind != 5));
        decoded.spilled(owner.all().iter().filter(|r| r.kind != 5));
        assert_eq!(owner.all().len(), 4, "owner 1's rows, in the order spilled");
        assert_eq!(owner.of_kind(3).len(), 2);
        assert_eq!(raw.finish(), decoded.finish());
        let mut fewer = Digest::new(3);
        fewer.raw_spilled(owner.raw().filter(|r| r.kind == 3));
        assert_ne!(fewer.finish(), decoded.finish(), "a row left out shows");
    }
}
