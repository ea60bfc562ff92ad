//! What the import pipeline keeps about the services it has passed on: their ids (a
//! second service with the same id is left out, an upsert by id cannot hold two) and
//! hashes of their organizations and locations (for the report's counts). Hashes, not
//! the keys themselves, so a million services cost a few tens of megabytes whatever
//! their ids' length: an id is kept as its 64-bit hash and where its text was written in
//! a scratch file, which is read back only when a later id has the same hash (a repeat,
//! or, rarely, another id: then both are kept).

use std::collections::HashSet;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Write};

use super::hsds_keys::key;
use super::{ImportError, ImportReport, Problem, ProblemKind, Unchanged};
use crate::fast_map::FastMap;
use crate::model::{Location, Organization, Service};

pub(super) struct Unique {
    /// Hash of each id passed on -> where its text starts in `texts`.
    ids: FastMap<u64, u64>,
    /// Ids whose hash an earlier, different id already had.
    exact: HashSet<Box<str>>,
    texts: Texts,
    organizations: HashSet<u64>,
    locations: HashSet<u64>,
}

/// The ids passed on, one after the other (length, then text), in an unnamed scratch file.
struct Texts {
    file: BufWriter<File>,
    len: u64,
}

fn scratch_error(source: std::io::Error) -> ImportError {
    ImportError::Io {
        path: format!("{} (a scratch file for the import)", std::env::temp_dir().display()),
        source,
    }
}

impl Texts {
    fn append(&mut self, id: &str) -> Result<u64, ImportError> {
        let at = self.len;
        let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
        self.file.write_all(&len.to_le_bytes()).map_err(scratch_error)?;
        self.file
            .write_all(&id.as_bytes()[..len as usize])
            .map_err(scratch_error)?;
        self.len += 4 + len as u64;
        Ok(at)
    }

    fn read(&mut self, at: u64) -> Result<Vec<u8>, ImportError> {
        use std::os::unix::fs::FileExt;
        self.file.flush().map_err(scratch_error)?;
        let file = self.file.get_ref();
        let mut len = [0u8; 4];
        file.read_exact_at(&mut len, at).map_err(scratch_error)?;
        let mut text = vec![0u8; u32::from_le_bytes(len) as usize];
        file.read_exact_at(&mut text, at + 4).map_err(scratch_error)?;
        Ok(text)
    }
}

/// The key an organization is counted by: its id, else its name (`None`: not counted).
pub(super) fn organization_key(o: &Organization) -> Option<u64> {
    id_or_name_key(o.id.as_deref(), &o.name)
}

/// [`organization_key`] of an organization with this id and name.
pub(super) fn id_or_name_key(id: Option<&str>, name: &str) -> Option<u64> {
    let id_or_name = id.unwrap_or(name);
    (!id_or_name.is_empty()).then(|| hash_of(id_or_name))
}

/// The key a location with an id is counted by.
pub(super) fn location_id_key(id: &str) -> u64 {
    hash_of((0u8, id))
}

/// The key a location is counted by: its id, else its name, address and coordinates.
pub(super) fn location_key(l: &Location) -> u64 {
    match &l.id {
        Some(id) => location_id_key(id),
        None => {
            let address = l.address.as_ref().map(crate::model::Address::one_line);
            let coordinates = (l.latitude.map(f64::to_bits), l.longitude.map(f64::to_bits));
            hash_of((1u8, l.name.as_deref().unwrap_or(""), address, coordinates))
        }
    }
}

fn hash_of(parts: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

impl Unique {
    /// Nothing seen yet; the scratch file is made in the system's temporary folder (and
    /// is gone when this is dropped, or the process ends).
    pub(super) fn new() -> Result<Unique, ImportError> {
        let file = tempfile::tempfile().map_err(scratch_error)?;
        Ok(Unique {
            ids: FastMap::default(),
            exact: HashSet::new(),
            texts: Texts {
                file: BufWriter::with_capacity(64 << 10, file),
                len: 0,
            },
            organizations: HashSet::new(),
            locations: HashSet::new(),
        })
    }

    /// True for the first service with its id (counted), false for a repeat.
    pub(super) fn admit(&mut self, s: &Service) -> Result<bool, ImportError> {
        if !self.first(&s.id)? {
            return Ok(false);
        }
        self.organizations.extend(organization_key(&s.organization));
        self.locations.extend(s.locations.iter().map(location_key));
        Ok(true)
    }

    /// [`Unique::admit`] for a service found unchanged, by the keys it came with.
    pub(super) fn admit_unchanged(&mut self, u: &Unchanged) -> Result<bool, ImportError> {
        if !self.first(&u.id)? {
            return Ok(false);
        }
        self.organizations.extend(u.organization);
        self.locations.extend(u.locations.iter().copied());
        Ok(true)
    }

    /// Whether `id` is seen for the first time (it is then kept).
    fn first(&mut self, id: &str) -> Result<bool, ImportError> {
        use std::collections::hash_map::Entry;
        if !self.exact.is_empty() && self.exact.contains(id) {
            return Ok(false);
        }
        match self.ids.entry(key(id)) {
            Entry::Vacant(e) => {
                e.insert(self.texts.append(id)?);
                Ok(true)
            }
            Entry::Occupied(e) => {
                let at = *e.get();
                if self.texts.read(at)? == id.as_bytes() {
                    return Ok(false);
                }
                self.exact.insert(id.into());
                Ok(true)
            }
        }
    }

    /// Puts the counts and the repeated ids (one problem each) in the report.
    pub(super) fn finish(self, report: &mut ImportReport, repeated: Vec<String>) {
        for id in repeated {
            report.problems.push(Problem {
                kind: ProblemKind::Skipped,
                file: report.files.first().cloned().unwrap_or_default(),
                line: None,
                field: Some("id".into()),
                reason: format!("a second service with id {id}; the first was kept"),
            });
        }
        report.organizations = self.organizations.len();
        report.locations = self.locations.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_and_ids_sharing_a_hash_are_both_kept() {
        let mut u = Unique::new().unwrap();
        assert!(u.first("svc-1").unwrap());
        assert!(u.first("svc-2").unwrap());
        assert!(!u.first("svc-1").unwrap());
        // As if "other" had "svc-2"'s hash: its text read back is not "other".
        let at = u.ids[&key("svc-2")];
        u.ids.insert(key("other"), at);
        assert!(u.first("other").unwrap());
        assert!(!u.first("other").unwrap());
        assert!(!u.first("svc-2").unwrap());
        assert!(u.first("svc-3").unwrap());
    }
}
