//! The HSDS CSV join's second pass: services.csv streamed in file order, each service
//! built from its row, the rows spilled for it (one bucket of services read back at a
//! time), its organization's and locations' rows read back by offset, and handed on; or,
//! when the digest of all that is the one the catalogue remembers for the service, handed
//! on as unchanged without being built.

use std::path::Path;

use super::csv_table::Table;
use super::facts;
use super::hsds_csv_extension::Extension;
use super::hsds_details::{taxonomy_ids, Taxonomy};
use super::hsds_digest::Digest;
use super::hsds_join::{apply_to_service, assemble, links_of, Join, Loc, Locations, RawLoc, LINK};
use super::hsds_services::{self as services, Orgs};
use super::hsds_spill::{Bucket, Sorted};
use super::hsds_tables::{LocationCols, OrganizationCols};
use super::streamed::remembered;
use super::values::{self, Problems};
use super::{unique, ImportError, Known, Problem, Streamed, Unchanged};
use crate::model::Service;

/// Services handed to the second thread at a time.
const BATCH: usize = 128;

/// Services between two releases of the pages random reads made resident.
const RELEASE_EVERY: u32 = 1024;

/// The folder for the join's scratch files: in `dir` (the caller's choice, never the
/// index folder), else the system's temporary folder. It and its files are removed when
/// it is dropped: after the import, on an error, and when a panic unwinds. A folder left
/// by an import that was killed (its process is gone) is removed by the next one.
pub(crate) fn scratch(dir: Option<&Path>) -> Result<tempfile::TempDir, ImportError> {
    let root = dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
    remove_abandoned(&root);
    tempfile::Builder::new()
        .prefix(&format!("{SCRATCH}{}-", std::process::id()))
        .tempdir_in(&root)
        .map_err(|source| ImportError::Io {
            path: format!("{} (a scratch folder for the import)", root.display()),
            source,
        })
}

const SCRATCH: &str = ".navigator-import-";

/// Removes the scratch folders in `root` whose import's process no longer runs.
fn remove_abandoned(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(SCRATCH))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let gone =
            unsafe { libc::kill(pid, 0) } != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            // Another account's folder is not ours to remove: the error is ignored.
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// What the second pass reads.
pub(crate) struct Stream<'a> {
    pub services: &'a Table,
    pub services_file: &'a str,
    pub organizations: Option<&'a Table>,
    pub locations: Option<&'a Table>,
    pub taxonomy: &'a Taxonomy,
    pub extension: Option<&'a Extension>,
    /// What every service's digest starts from; `None`: services are not digested.
    pub seed: Option<u64>,
    /// The digests the catalogue remembers: a service whose digest is there is passed on
    /// as unchanged, not built.
    pub known: &'a Known,
}

/// One service on its way to the second thread: to be finished (its organization's id
/// and its locations with it, and its digest), or found unchanged. Moved in batches,
/// never kept (see [`Streamed`]).
#[allow(clippy::large_enum_variant)]
enum Part {
    Build(Service, Option<Box<str>>, Vec<Loc>, Option<u64>),
    Unchanged(Unchanged),
}

impl Stream<'_> {
    /// Streams every service to `emit`; returns the problems found with services.csv's
    /// values and those with its `taxonomy_ids`, each in line order.
    pub fn run(
        &self,
        b: &mut Join,
        emit: &mut dyn FnMut(Streamed),
    ) -> Result<(Vec<Problem>, Vec<Problem>), ImportError> {
        let spill = b.service_spill.as_mut().expect("made in the first pass");
        spill.finish()?;
        let location_details = match b.location_spill.as_mut() {
            Some(spill) => {
                spill.finish()?;
                Some(Sorted::from(spill, b.location_offsets.len() as u32)?)
            }
            None => None,
        };
        let inferred = b.infer.take().map(|clues| clues.infer(&b.linked)).unwrap_or_default();
        let b = &*b;
        let spill = b.service_spill.as_ref().expect("made in the first pass");
        let cols = services::Cols::of(self.services);
        let mut orgs = Orgs {
            table: self.organizations.map(Table::reader_at),
            cols: self.organizations.map(OrganizationCols::of),
            last: None,
            last_digest: None,
        };
        let mut locations = Locations {
            table: self.locations.map(Table::reader_at),
            offsets: &b.location_offsets,
            details: location_details,
            handlers: &b.handlers,
            cols: self.locations.map(LocationCols::of),
            buf: Vec::new(),
        };
        let mut late = Problems::with_limits(b.problems.limits);
        let mut taxonomy_problems = Problems::with_limits(b.problems.limits);
        let (mut bucket, mut bucket_no) = (Bucket::default(), u32::MAX);
        let mut next = 0u32;
        let mut failed: Option<ImportError> = None;
        // This thread reads and joins; a second derives categories and assembles, and
        // hands the services back in order to be emitted here.
        let finish = |part: Part| match part {
            Part::Build(mut s, org, linked, digest) => {
                facts::derive_text(&s.name, s.description.as_deref(), &s.taxonomy).apply(&mut s);
                assemble(&mut s, org.as_deref(), &linked, &b.org_phones);
                if let Some(extension) = self.extension {
                    extension.apply(&mut s);
                }
                self.taxonomy.code_names.fill(&mut s);
                Streamed::Service(s, digest)
            }
            Part::Unchanged(u) => Streamed::Unchanged(u),
        };
        std::thread::scope(|scope| {
            let (to_worker, work) = std::sync::mpsc::sync_channel::<Vec<Part>>(1);
            let (to_main, done) = std::sync::mpsc::channel::<Vec<Streamed>>();
            scope.spawn(move || {
                for batch in work {
                    if to_main.send(batch.into_iter().map(finish).collect()).is_err() {
                        return;
                    }
                }
            });
            let mut batch: Vec<Part> = Vec::with_capacity(BATCH);
            let hand_on = |batch: Vec<Part>, emit: &mut dyn FnMut(Streamed)| {
                // A worker that stopped (it panicked) is found out at the end of the scope.
                let _ = to_worker.send(batch);
                done.try_iter().flatten().for_each(&mut *emit);
            };
            // The first pass reported what is wrong with the rows themselves.
            self.services
                .for_each_row(&mut Problems::with_limits(b.problems.limits), |row, _| {
                    if failed.is_some() || !services::kept(b, row, next) {
                        return;
                    }
                    let i = next;
                    next += 1;
                    if i / spill.per_bucket() != bucket_no {
                        bucket_no = i / spill.per_bucket();
                        // The last bucket goes before the next is read.
                        bucket = Bucket::default();
                        bucket = match spill.read(bucket_no) {
                            Ok(next) => next,
                            Err(e) => {
                                failed = Some(e);
                                return;
                            }
                        };
                    }
                    let rows = bucket.take(i);
                    let mut links = links_of(&rows.of_kind(LINK));
                    if links.is_empty() {
                        links.extend(inferred.get(&i));
                    }
                    let raw: Result<Vec<RawLoc>, ImportError> = links.iter().map(|&j| locations.raw(j)).collect();
                    let raw = match raw {
                        Ok(r) => r,
                        Err(e) => {
                            failed = Some(e);
                            return;
                        }
                    };
                    if i % RELEASE_EVERY == 0 {
                        self.organizations
                            .into_iter()
                            .chain(self.locations)
                            .for_each(Table::release);
                    }
                    let org_id = values::id(row.get(cols.org_id));
                    let digest = self.seed.map(|seed| {
                        let mut d = Digest::new(seed);
                        d.record(row.record());
                        // Links by their locations' content, below, not by ordinal.
                        d.raw_spilled(rows.raw().filter(|r| r.kind != LINK));
                        d.u64(orgs.digest(b, org_id));
                        raw.iter().for_each(|r| Locations::digest(r, &mut d));
                        d.finish()
                    });
                    let sid = services::service_id(row, &cols);
                    let known = digest.zip(sid).and_then(|(d, id)| self.known.unchanged(id, d));
                    // What the pipeline needs of a service found unchanged.
                    let unchanged = |id: String, hash: i64| {
                        Part::Unchanged(Unchanged {
                            organization: services::organization_key(row, &cols),
                            locations: raw.iter().map(|r| locations.count_key(r)).collect(),
                            id,
                            hash,
                        })
                    };
                    let part = if let (Some((hash, true)), Some(id)) = (known, sid) {
                        // Its rows are those it was built from and parsed without a
                        // problem from: parsing them again would report none.
                        unchanged(id.to_string(), hash)
                    } else {
                        // Otherwise parsed, built or not: a service's problems are reported
                        // from its row whether it is built or found unchanged, so the report
                        // is the same.
                        let problems_before = late.list.len() + taxonomy_problems.list.len();
                        let Some((mut s, taxonomy)) =
                            services::parse(row, &cols, b, &mut orgs, self.services_file, &mut late)
                        else {
                            return;
                        };
                        debug_assert_eq!(
                            services::organization_key(row, &cols),
                            unique::organization_key(&s.organization),
                            "the organization's key from the row alone is the parsed one's"
                        );
                        let files = (self.services_file, self.taxonomy.file.as_str());
                        let terms = &self.taxonomy.terms;
                        if known.is_none() {
                            apply_to_service(&mut s, &rows.all(), &b.handlers, terms);
                        }
                        if let Some(ids) = taxonomy {
                            taxonomy_ids(&mut s, &ids, row.line, files, terms, &mut taxonomy_problems);
                        }
                        match known {
                            Some((hash, _)) => unchanged(s.id, hash),
                            None => {
                                self.taxonomy.fill_broader(&mut s);
                                let linked = raw.iter().map(|r| locations.build(r)).collect();
                                let clean = late.list.len() + taxonomy_problems.list.len() == problems_before;
                                let digest = digest.map(|d| remembered(d, clean));
                                Part::Build(s, org_id.map(Into::into), linked, digest)
                            }
                        }
                    };
                    batch.push(part);
                    if batch.len() == BATCH {
                        hand_on(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)), emit);
                    }
                });
            hand_on(batch, emit);
            drop(to_worker);
            done.iter().flatten().for_each(&mut *emit);
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let mut late = late.list;
        late.sort_by_key(|p| p.line);
        Ok((late, taxonomy_problems.list))
    }
}
