//! services.csv: one [`Service`] per row, in file order. Rows are built on several
//! threads (a million-service package spends most of its reading time here) and merged
//! in order, so ids, duplicates and problems come out exactly as a sequential read.

use super::csv_table::{Col, Row, Table};
use super::fast_map::FastMap;
use super::hsds_join::{Build, SvcExtra};
use super::values::{self, Problems};
use super::Problem;
use crate::model::{Organization, Service};

/// The columns of services.csv, under any of the names exports use.
struct Cols {
    id: Col,
    org_id: Col,
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
    fn of(t: &Table) -> Cols {
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

/// One row, read on its own: the id (when it has one), the service (when it is usable),
/// and what was wrong with it.
struct Parsed {
    line: u64,
    id: Option<String>,
    service: Option<(Service, SvcExtra)>,
    problems: Vec<Problem>,
}

/// Reads services.csv into `b`. A row with no id or no name is skipped, and a repeated
/// id keeps the first row.
pub(crate) fn services(b: &mut Build, t: &Table) {
    let cols = Cols::of(t);
    let (orgs, has_orgs) = (&b.orgs, b.has_organizations);
    let parsed = t.map_rows(&mut b.problems, |row| parse(row, &cols, orgs, has_orgs, &t.file));
    b.svc.reserve_exact(parsed.len());
    b.service_index.reserve(parsed.len());
    let Build {
        problems,
        services_read,
        service_index,
        svc,
        ..
    } = b;
    // Collected from the parsed rows' own buffer where the standard library can (it
    // reuses it in place), so a million services are not held twice.
    let services: Vec<Service> = parsed
        .into_iter()
        .filter_map(|p| {
            *services_read += 1;
            let Some(id) = p.id else {
                problems.list.extend(p.problems);
                return None;
            };
            if let Some(&first) = service_index.get(id.as_str()) {
                let first = svc[first as usize].line;
                let reason = format!("duplicate service id {id} (first on line {first})");
                problems.skipped(&t.file, Some(p.line), Some("id"), reason);
                return None;
            }
            problems.list.extend(p.problems);
            let (service, extra) = p.service?;
            service_index.insert(id.into(), svc.len() as u32);
            svc.push(extra);
            Some(service)
        })
        .collect();
    b.services = services;
    b.services.shrink_to_fit();
}

fn parse(row: &Row, c: &Cols, orgs: &FastMap<Box<str>, Organization>, has_orgs: bool, file: &str) -> Parsed {
    let mut problems = Problems::default();
    let line = Some(row.line);
    let mut parsed = Parsed {
        line: row.line,
        id: None,
        service: None,
        problems: Vec::new(),
    };
    let Some(sid) = values::id(row.get(c.id)) else {
        problems.skipped(file, line, Some("id"), "service has no id".into());
        parsed.problems = problems.list;
        return parsed;
    };
    parsed.id = Some(sid.to_string());
    let alternate_name = values::clean_line(row.get(c.alternate_name));
    let Some(name) = values::clean_line(row.get(c.name)).or_else(|| alternate_name.clone()) else {
        problems.skipped(file, line, Some("name"), format!("service {sid} has no name"));
        parsed.problems = problems.list;
        return parsed;
    };
    let org = values::id(row.get(c.org_id));
    let organization = match org.map(|o| (o, orgs.get(o))) {
        Some((_, Some(found))) => found.clone(),
        Some((o, None)) => {
            if has_orgs {
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
    let extra = SvcExtra {
        line: row.line,
        org: org.map(Into::into),
        links: Vec::new(),
        taxonomy_ids: values::id(row.get(c.taxonomy_ids)).map(Into::into),
    };
    parsed.service = Some((service, extra));
    parsed.problems = problems.list;
    parsed
}
