//! What the import pipeline keeps about the services it has passed on: their ids (a
//! second service with the same id is left out, an upsert by id cannot hold two) and
//! hashes of their organizations and locations (for the report's counts). Hashes, not
//! the keys themselves, so a million services cost a few tens of megabytes.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::{ImportReport, Problem, ProblemKind};
use crate::model::Service;

#[derive(Default)]
pub(super) struct Unique {
    ids: HashSet<String>,
    organizations: HashSet<u64>,
    locations: HashSet<u64>,
}

fn hash_of(parts: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

impl Unique {
    /// True for the first service with its id (counted), false for a repeat.
    pub(super) fn admit(&mut self, s: &Service) -> bool {
        if self.ids.contains(&s.id) {
            return false;
        }
        self.ids.insert(s.id.clone());
        let org = s.organization.id.as_deref().unwrap_or(&s.organization.name);
        if !org.is_empty() {
            self.organizations.insert(hash_of(org));
        }
        for l in &s.locations {
            let key = match &l.id {
                Some(id) => hash_of((0u8, id)),
                None => {
                    let address = l.address.as_ref().map(crate::model::Address::one_line);
                    let coordinates = (l.latitude.map(f64::to_bits), l.longitude.map(f64::to_bits));
                    hash_of((1u8, l.name.as_deref().unwrap_or(""), address, coordinates))
                }
            };
            self.locations.insert(key);
        }
        true
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
