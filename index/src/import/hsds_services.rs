//! services.csv, read twice: the first pass keeps the id, offset and line of every
//! service it will import (a row with no id or no name is skipped, a repeated id keeps
//! the first row); the second builds each [`Service`] from its row as the join streams.

use super::csv_table::{Col, Row, Table};
use super::hsds_digest::Digest;
use super::hsds_join::Join;
use super::hsds_tables::{same_id, OrganizationCols};
use super::values::{self, Problems};
use crate::model::{Organization, Service};

/// The columns of services.csv, under any of the names exports use.
pub(crate) struct Cols {
    id: Col,
    pub org_id: Col,
    org_name: Col,
    name: Col,
    alternate_name: Col,
    description: Col,
    url: Col,
    email: Col,
    status: Col,
    interpretation: Col,
    application: Col,
    wait: Col,
    fees: Col,
    eligibility: Col,
    min_age: Col,
    max_age: Col,
    assured: Col,
    modified: Col,
    taxonomy_ids: Col,
    areas: Col,
    program: Col,
}

impl Cols {
    pub fn of(t: &Table) -> Cols {
        Cols {
            id: t.col("id"),
            org_id: t.col("organization_id"),
            org_name: t.col("organization_name"),
            name: t.col("name"),
            alternate_name: t.col("alternate_name"),
            description: t.col("description"),
            url: t.col("url"),
            email: t.col("email"),
            status: t.col("status"),
            interpretation: t.col("interpretation_services"),
            application: t.col("application_process"),
            wait: t.col("wait_time"),
            fees: t.col_any(&["fees_description", "fees"]),
            eligibility: t.col_any(&["eligibility_description", "eligibility"]),
            min_age: t.col_any(&["minimum_age", "min_age"]),
            max_age: t.col_any(&["maximum_age", "max_age"]),
            assured: t.col_any(&["assured_date", "last_verified", "last_verified_on"]),
            modified: t.col_any(&["last_modified", "updated_at"]),
            taxonomy_ids: t.col("taxonomy_ids"),
            areas: t.col("service_areas").or_else(|| t.col("areas")),
            program: t.col("program_id"),
        }
    }
}

/// The first pass: the services to import, by id, with their rows' offsets and lines.
pub(crate) fn index(b: &mut Join, t: &Table) {
    let cols = Cols::of(t);
    let Join {
        problems,
        services_read,
        service_ids,
        service_offsets,
        linked,
        infer,
        ..
    } = b;
    t.for_each_row(problems, |row, problems| {
        *services_read += 1;
        let line = Some(row.line);
        let Some(sid) = values::id(row.get(cols.id)) else {
            problems.skipped(&t.file, line, Some("id"), "service has no id".into());
            return;
        };
        let ordinal = service_offsets.len() as u32;
        let same = |i: u32| same_id(t, service_offsets[i as usize].0, cols.id, sid);
        if let Some(first) = service_ids.get(sid).filter(|&i| same(i)) {
            let first = service_offsets[first as usize].1;
            let reason = format!("duplicate service id {sid} (first on line {first})");
            problems.skipped(&t.file, line, Some("id"), reason);
            return;
        }
        if values::clean_line(row.get(cols.name))
            .or_else(|| values::clean_line(row.get(cols.alternate_name)))
            .is_none()
        {
            problems.skipped(&t.file, line, Some("name"), format!("service {sid} has no name"));
            return;
        }
        let same = |i: u32| same_id(t, service_offsets[i as usize].0, cols.id, sid);
        let _ = service_ids.insert(sid, ordinal, same);
        service_offsets.push((row.offset, row.line));
        linked.push(false);
        if let Some(clues) = infer {
            clues.service(values::id(row.get(cols.org_id)));
        }
    });
}

/// Whether the row is the one the first pass kept for its id (its ordinal is the next):
/// the row that starts where the next kept one did (the id map is gone by then).
pub(crate) fn kept(b: &Join, row: &Row, next: u32) -> bool {
    b.service_offsets.get(next as usize).map(|o| o.0) == Some(row.offset)
}

/// The organizations of services: each read back from organizations.csv by its offset,
/// the last one kept (services of one organization are usually together).
pub(crate) struct Orgs<'a> {
    pub table: Option<super::csv_table::ReaderAt<'a>>,
    pub cols: Option<OrganizationCols>,
    pub last: Option<Organization>,
    /// The last organization digested, and its digest.
    pub last_digest: Option<(Box<str>, u64)>,
}

impl Orgs<'_> {
    /// What a service takes from its organization `id`, digested: its row in
    /// organizations.csv (or that it has none) and its main phones.
    pub fn digest(&mut self, b: &Join, id: Option<&str>) -> u64 {
        let Some(id) = id else { return 0 };
        if let Some((_, d)) = self.last_digest.as_ref().filter(|(last, _)| &**last == id) {
            return *d;
        }
        let mut d = Digest::new(1);
        let record = self
            .table
            .as_mut()
            .zip(b.org_ids.get(id))
            .and_then(|(table, (offset, _))| table.record_at(offset));
        match record {
            Some(record) => d.record(&record),
            None => d.bytes(id.as_bytes()),
        }
        if let Some(phones) = b.org_phones.get(id) {
            d.bytes(format!("{phones:?}").as_bytes());
        }
        let digest = d.finish();
        self.last_digest = Some((id.into(), digest));
        digest
    }

    fn get(&mut self, b: &Join, id: &str) -> Option<Organization> {
        if let Some(last) = self.last.as_ref().filter(|o| o.id.as_deref() == Some(id)) {
            return Some(last.clone());
        }
        let (table, cols) = (self.table.as_mut()?, self.cols?);
        let (offset, _) = b.org_ids.get(id)?;
        let record = table.record_at(offset)?;
        let org = cols.build(&Row::new(&record, 0));
        self.last = Some(org.clone());
        Some(org)
    }
}

/// The id a row gives its service.
pub(crate) fn service_id<'r>(row: &'r Row, c: &Cols) -> Option<&'r str> {
    values::id(row.get(c.id))
}

/// The key the organization of a service is counted by (see `unique.rs`), from its row
/// alone: [`parse`]'s organization carries the row's organization id whether
/// organizations.csv has it or not, else the name the row gives. For services not parsed
/// (see `streamed::CLEAN`); checked against the parsed organization's key in debug builds.
pub(crate) fn organization_key(row: &Row, c: &Cols) -> Option<u64> {
    let name = || values::clean_line(row.get(c.org_name)).unwrap_or_default();
    match values::id(row.get(c.org_id)) {
        Some(id) => super::unique::id_or_name_key(Some(id), ""),
        None => super::unique::id_or_name_key(None, &name()),
    }
}

/// The service of a row the first pass kept, and its services.csv `taxonomy_ids`;
/// problems with its values go to `problems`.
pub(crate) fn parse(
    row: &Row,
    c: &Cols,
    b: &Join,
    orgs: &mut Orgs,
    file: &str,
    problems: &mut Problems,
) -> Option<(Service, Option<Box<str>>)> {
    let line = Some(row.line);
    let sid = service_id(row, c)?;
    let alternate_name = values::clean_line(row.get(c.alternate_name));
    let name = values::clean_line(row.get(c.name)).or_else(|| alternate_name.clone())?;
    let org = values::id(row.get(c.org_id));
    let organization = match org.map(|o| (o, orgs.get(b, o))) {
        Some((_, Some(found))) => found,
        Some((o, None)) => {
            if b.has_organizations {
                let reason = format!("organization {o} not in organizations.csv");
                problems.repaired(file, line, Some("organization_id"), reason);
            }
            Organization {
                id: Some(o.to_string()),
                name: values::clean_line(row.get(c.org_name)).unwrap_or_default(),
                ..Default::default()
            }
        }
        None => Organization {
            name: values::clean_line(row.get(c.org_name)).unwrap_or_default(),
            ..Default::default()
        },
    };
    let mut age = |col, field: &str| match values::age(row.get(col)) {
        Ok(a) => a,
        Err(reason) => {
            problems.repaired(file, line, Some(field), format!("{reason}; dropped"));
            None
        }
    };
    let (min_age, max_age) = (age(c.min_age, "minimum_age"), age(c.max_age, "maximum_age"));
    let mut last_verified = None;
    for (col, field) in [(c.assured, "assured_date"), (c.modified, "last_modified")] {
        match values::date(row.get(col)) {
            Ok(Some(d)) if last_verified.is_none() => last_verified = Some(d),
            Ok(_) => {}
            Err(reason) => problems.repaired(file, line, Some(field), format!("{reason}; dropped")),
        }
    }
    let service = Service {
        id: sid.to_string(),
        name,
        alternate_name,
        description: values::clean(row.get(c.description)),
        organization,
        url: values::clean_line(row.get(c.url)),
        email: values::clean_line(row.get(c.email)),
        status: values::clean_line(row.get(c.status)),
        interpretation_services: values::clean(row.get(c.interpretation)),
        application_process: values::clean(row.get(c.application)),
        wait_time: values::clean(row.get(c.wait)),
        fees: values::clean(row.get(c.fees)),
        eligibility: values::clean(row.get(c.eligibility)),
        min_age,
        max_age,
        last_verified,
        service_areas: row.get(c.areas).split(';').filter_map(values::clean_line).collect(),
        program_id: values::id(row.get(c.program)).map(str::to_string),
        ..Default::default()
    };
    Some((service, values::id(row.get(c.taxonomy_ids)).map(Into::into)))
}
