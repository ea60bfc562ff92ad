//! `navigator admin move-to-postgres URL`: an office's SQLite catalogue and casework
//! copied into PostgreSQL. The rules: a target that already holds a catalogue or
//! casework is refused unless `--merge` (another office moving in, or this office's
//! earlier move being finished); services upsert by id; every contact, with its needs,
//! referrals, personal data, follow-up, outcome, attempts and notes, moves in one
//! transaction under a new id, remembered in the target so a second run after an
//! interruption carries on where the first stopped; audit rows follow with their records
//! pointing at the new ids; the counts are verified at the end.

use serde::Serialize;

use crate::exit::Failure;
use crate::store::{Row, Store, StoreError};

/// Contacts written per transaction.
const BATCH: usize = 200;

/// What a move copied, and the verified totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MoveReport {
    pub services: u64,
    pub contacts: u64,
    pub followups: u64,
    pub audit: u64,
    pub drafts: u64,
    /// Contacts (follow-ups, audit rows) already there from an earlier run.
    pub already_moved: u64,
}

fn store_err(e: StoreError) -> Failure {
    Failure::store(e)
}

/// The source store's id: the same on every run, so a re-run knows what it moved.
fn origin(source: &Store) -> Result<String, Failure> {
    source
        .catalogue_meta("store_id")
        .map_err(store_err)?
        .ok_or_else(|| Failure::software("the SQLite store has no store_id (schema older than 4?)".into()))
}

pub fn move_to_postgres(
    source: &mut Store,
    target: &mut Store,
    merge: bool,
    office: Option<&str>,
) -> Result<MoveReport, Failure> {
    let origin = origin(source)?;
    let (services, contacts, moved_before) = target
        .read(|tx| {
            Ok((
                tx.table_count("services")?,
                tx.table_count("contacts")?,
                tx.moved_count(&origin, "contact")?,
            ))
        })
        .map_err(store_err)?;
    // The demo catalogue a first start installs does not make a target "in use".
    let demo_only =
        target.catalogue_meta("source").map_err(store_err)?.as_deref() == Some(crate::catalogue::SOURCE_DEMO);
    let in_use = contacts > 0 || (services > 0 && !demo_only);
    if in_use && !merge && moved_before == 0 {
        return Err(Failure::data(format!(
            "{}: already holds {services} services and {contacts} contacts; use --merge to add this office's to them",
            target.target()
        )));
    }
    let mut report = MoveReport::default();
    copy_services(source, target, &mut report)?;
    copy_contacts(source, target, &origin, office, &mut report)?;
    copy_audit(source, target, &origin, &mut report)?;
    let drafts = source.read(|tx| tx.drafts()).map_err(store_err)?;
    target
        .write_unrecorded(|tx| {
            for d in &drafts {
                tx.insert_draft_if_absent(d)?;
            }
            Ok(())
        })
        .map_err(store_err)?;
    report.drafts = drafts.len() as u64;
    verify(source, target, &origin)?;
    Ok(report)
}

fn copy_services(source: &mut Store, target: &mut Store, report: &mut MoveReport) -> Result<(), Failure> {
    let mut after = String::new();
    loop {
        let rows = source.read(|tx| tx.services_after(&after, 2000)).map_err(store_err)?;
        let Some(last) = rows.last() else { break };
        after = last.text(0).map_err(store_err)?;
        target
            .write_unrecorded(|tx| {
                for r in &rows {
                    tx.upsert_service_row(r)?;
                }
                Ok(())
            })
            .map_err(store_err)?;
        report.services += rows.len() as u64;
    }
    if report.services > 0 {
        let source_meta = source.catalogue_meta("source").map_err(store_err)?;
        target
            .write_unrecorded(|tx| {
                // Every server's index rebuilds from the new catalogue.
                tx.bump_generation()?;
                if let Some(s) = &source_meta {
                    if tx.meta("source")?.as_deref() != Some(crate::catalogue::SOURCE_IMPORT) {
                        tx.set_meta("source", s)?;
                    }
                }
                Ok(())
            })
            .map_err(store_err)?;
    }
    Ok(())
}

fn copy_contacts(
    source: &mut Store,
    target: &mut Store,
    origin: &str,
    office: Option<&str>,
    report: &mut MoveReport,
) -> Result<(), Failure> {
    let ids = source.read(|tx| tx.contact_ids()).map_err(store_err)?;
    let done = target.read(|tx| tx.moved_map(origin, "contact")).map_err(store_err)?;
    let todo: Vec<i64> = ids
        .into_iter()
        .filter(|id| !done.contains_key(&id.to_string()))
        .collect();
    report.already_moved = done.len() as u64;
    let progress = crate::progress::Progress::new("moving contacts", todo.len() as u64);
    for (n, chunk) in todo.chunks(BATCH).enumerate() {
        let bundles = source
            .read(|tx| {
                chunk
                    .iter()
                    .filter_map(|id| tx.contact_bundle(*id).transpose())
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(store_err)?;
        let followups = target
            .write_unrecorded(|tx| {
                let mut followups = 0;
                for b in &bundles {
                    // A run cut off after its commit is not repeated.
                    if tx.moved(origin, "contact", &b.id.to_string())?.is_some() {
                        continue;
                    }
                    followups += u64::from(tx.insert_bundle(origin, b, office)?.1.is_some());
                }
                Ok(followups)
            })
            .map_err(store_err)?;
        report.contacts += bundles.len() as u64;
        report.followups += followups;
        progress.set(((n + 1) * BATCH).min(todo.len()) as u64);
    }
    progress.finish();
    Ok(())
}

/// `contact:12` / `followup:7` in an audit record, pointed at the new ids.
fn remap(
    record: &str,
    contacts: &std::collections::HashMap<String, String>,
    followups: &std::collections::HashMap<String, String>,
) -> String {
    let Some((kind, id)) = record.split_once(':') else {
        return record.to_string();
    };
    let map = match kind {
        "contact" => contacts,
        "followup" => followups,
        _ => return record.to_string(),
    };
    map.get(id)
        .map_or_else(|| record.to_string(), |new| format!("{kind}:{new}"))
}

fn copy_audit(source: &mut Store, target: &mut Store, origin: &str, report: &mut MoveReport) -> Result<(), Failure> {
    let (contacts, followups, done) = target
        .read(|tx| {
            Ok((
                tx.moved_map(origin, "contact")?,
                tx.moved_map(origin, "followup")?,
                tx.moved_map(origin, "audit")?,
            ))
        })
        .map_err(store_err)?;
    let mut after = 0;
    loop {
        let rows: Vec<Row> = source.read(|tx| tx.audit_after(after, 2000)).map_err(store_err)?;
        let Some(last) = rows.last() else { break };
        after = last.int(0).map_err(store_err)?;
        target
            .write_unrecorded(|tx| {
                for r in &rows {
                    let old = r.int(0)?;
                    if done.contains_key(&old.to_string()) || tx.moved(origin, "audit", &old.to_string())?.is_some() {
                        continue;
                    }
                    let record = remap(&r.text(4)?, &contacts, &followups);
                    tx.insert_moved_audit(origin, old, r, &record)?;
                }
                Ok(())
            })
            .map_err(store_err)?;
        report.audit += rows.len() as u64;
    }
    Ok(())
}

/// Every source contact, follow-up and audit row has its copy, and every service is there.
fn verify(source: &mut Store, target: &mut Store, origin: &str) -> Result<(), Failure> {
    let (contacts, followups, audit) = source
        .read(|tx| {
            Ok((
                tx.table_count("contacts")?,
                tx.table_count("followups")?,
                tx.table_count("audit")?,
            ))
        })
        .map_err(store_err)?;
    let (moved_contacts, moved_followups, moved_audit) = target
        .read(|tx| {
            Ok((
                tx.moved_count(origin, "contact")?,
                tx.moved_count(origin, "followup")?,
                tx.moved_count(origin, "audit")?,
            ))
        })
        .map_err(store_err)?;
    let mut missing = 0;
    let mut after = String::new();
    loop {
        let rows = source.read(|tx| tx.services_after(&after, 5000)).map_err(store_err)?;
        let Some(last) = rows.last() else { break };
        after = last.text(0).map_err(store_err)?;
        let ids: Vec<String> = rows.iter().filter_map(|r| r.text(0).ok()).collect();
        missing += target
            .read(|tx| {
                Ok(ids
                    .iter()
                    .map(|id| tx.has_service(id))
                    .collect::<Result<Vec<_>, _>>()?
                    .iter()
                    .filter(|h| !**h)
                    .count())
            })
            .map_err(store_err)?;
    }
    if (contacts, followups, audit) != (moved_contacts, moved_followups, moved_audit) || missing > 0 {
        return Err(Failure::software(format!(
            "the move is incomplete: contacts {moved_contacts} of {contacts}, follow-ups {moved_followups} of {followups}, \
             audit rows {moved_audit} of {audit}, {missing} services missing; run it again to finish"
        )));
    }
    Ok(())
}
