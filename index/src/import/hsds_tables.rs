//! The core HSDS tables: organizations, locations with their addresses and
//! accessibility, and the service-at-location links. The first pass checks each row and
//! keeps an offset (organizations, locations) or spills it to its owner (addresses,
//! accessibility); the second builds values from the rows again.

use super::csv_table::{Col, Row, Table};
use super::hsds_join::{Handler, Join, Loc, Target};
use super::values::{self, Problems};
use super::ImportError;
use crate::model::{Address, Location, Organization, Phone};

/// organizations.csv -> the organization ids, each with its row's offset. Duplicate ids
/// keep the first row.
pub(crate) fn organizations(b: &mut Join, t: &Table) {
    let id = t.col("id");
    b.has_organizations = true;
    let ids = &mut b.org_ids;
    t.for_each_row(&mut b.problems, |row, problems| {
        let Some(oid) = values::id(row.get(id)) else {
            problems.skipped(&t.file, Some(row.line), Some("id"), "organization has no id".into());
            return;
        };
        let same = |(offset, _): (u64, u64)| same_id(t, offset, id, oid);
        if let Err((_, first)) = ids.insert(oid, (row.offset, row.line), same) {
            problems.skipped(
                &t.file,
                Some(row.line),
                Some("id"),
                format!("duplicate organization id {oid} (first on line {first})"),
            );
        }
    });
}

/// Whether the row at `offset` of `t` has the id `id` (two ids with one hash are rare).
pub(crate) fn same_id(t: &Table, offset: u64, col: Col, id: &str) -> bool {
    t.record_at(offset)
        .is_none_or(|r| values::id(Row::new(&r, 0).get(col)) == Some(id))
}

/// The columns of organizations.csv.
#[derive(Clone, Copy)]
pub(crate) struct OrganizationCols(Col, Col, Col, Col, Col, Col);

impl OrganizationCols {
    pub fn of(t: &Table) -> OrganizationCols {
        OrganizationCols(
            t.col("id"),
            t.col("name"),
            t.col("alternate_name"),
            t.col("description"),
            t.col("email"),
            t.col_any(&["url", "website"]),
        )
    }

    pub fn build(&self, row: &Row) -> Organization {
        Organization {
            id: values::id(row.get(self.0)).map(str::to_string),
            name: values::clean_line(row.get(self.1)).unwrap_or_default(),
            alternate_name: values::clean_line(row.get(self.2)),
            description: values::clean(row.get(self.3)),
            email: values::clean_line(row.get(self.4)),
            url: values::clean_line(row.get(self.5)),
        }
    }
}

/// The columns of locations.csv, including the single-line `address` and `phones`
/// columns some exports put on locations.
#[derive(Clone, Copy)]
pub(crate) struct LocationCols {
    id: Col,
    org: Col,
    name: Col,
    alt: Col,
    transport: Col,
    lat: Col,
    lon: Col,
    address: Col,
    phones: Col,
}

impl LocationCols {
    pub fn of(t: &Table) -> LocationCols {
        LocationCols {
            id: t.col("id"),
            org: t.col("organization_id"),
            name: t.col("name"),
            alt: t.col("alternate_name"),
            transport: t.col("transportation"),
            lat: t.col_any(&["latitude", "lat"]),
            lon: t.col_any(&["longitude", "lon", "lng"]),
            address: t.col("address"),
            phones: t.col("phones"),
        }
    }

    /// The location of a row; problems with its coordinates go to `problems`.
    /// The location's id, as [`LocationCols::build`] gives it.
    pub fn id_of<'r>(&self, row: &'r Row) -> Option<&'r str> {
        values::id(row.get(self.id))
    }

    pub fn build(&self, row: &Row, problems: &mut Problems) -> Loc {
        self.build_in(row, "", problems)
    }

    fn build_in(&self, row: &Row, file: &str, problems: &mut Problems) -> Loc {
        let line = Some(row.line);
        let (latitude, longitude) =
            values::coordinates(Some(row.get(self.lat)), Some(row.get(self.lon)), |field, reason| {
                problems.repaired(file, line, Some(field), reason)
            });
        let address = single_line_address(row.get(self.address));
        let address_rank = if address.is_some() { 1 } else { 0 };
        Loc {
            location: Location {
                id: self.id_of(row).map(str::to_string),
                name: values::clean_line(row.get(self.name)).or_else(|| values::clean_line(row.get(self.alt))),
                address,
                latitude,
                longitude,
                transportation: values::clean(row.get(self.transport)),
                ..Default::default()
            },
            org: values::id(row.get(self.org)).map(Into::into),
            address_rank,
            phones: labelled_phones(row.get(self.phones)),
            ..Default::default()
        }
    }
}

/// locations.csv -> location ids and offsets, with coordinates checked (and, for a
/// package that needs links inferred, each location's organization and phones).
pub(crate) fn locations(b: &mut Join, t: &Table) {
    let cols = LocationCols::of(t);
    b.location_ids.reserve(t.estimated_rows());
    let Join {
        problems,
        location_ids,
        location_offsets,
        infer,
        ..
    } = b;
    t.for_each_row(problems, |row, problems| {
        let line = Some(row.line);
        let Some(lid) = values::id(row.get(cols.id)) else {
            problems.skipped(&t.file, line, Some("id"), "location has no id".into());
            return;
        };
        let same = |j: u32| same_id(t, location_offsets[j as usize].0, cols.id, lid);
        if let Err(first) = location_ids.insert(lid, location_offsets.len() as u32, same) {
            let first = location_offsets[first as usize].1;
            problems.skipped(
                &t.file,
                line,
                Some("id"),
                format!("duplicate location id {lid} (first on line {first})"),
            );
            return;
        }
        let loc = cols.build_in(row, &t.file, problems);
        if let Some(clues) = infer {
            clues.location(location_offsets.len() as u32, &loc);
        }
        location_offsets.push((row.offset, row.line));
    });
}

/// "491 N. State Road 7, Plantation, FL 33317" or "State: FL" as an address.
fn single_line_address(raw: &str) -> Option<Address> {
    let text = values::clean_line(raw)?;
    if let Some(state) = text.strip_prefix("State:") {
        return Some(Address {
            state_province: values::clean_line(state),
            ..Default::default()
        });
    }
    let mut parts: Vec<String> = text.split(',').filter_map(values::clean_line).collect();
    let mut address = Address::default();
    if parts.len() >= 3 {
        let last = parts.last().expect("3 parts");
        let (region, postal) = last.split_once(' ').unwrap_or((last, ""));
        if region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase()) {
            address.state_province = Some(region.to_string());
            address.postal_code = values::clean_line(postal);
            parts.pop();
            address.city = parts.pop();
        }
    }
    address.lines = parts;
    Some(address)
}

/// "main: 954-765-8950, tollfree: 800-625-2257, tdd: 800-955-8771" as phones.
fn labelled_phones(raw: &str) -> Vec<Phone> {
    let mut phones = Vec::new();
    for part in raw.split([',', ';']) {
        let (label, number) = match part.split_once(':') {
            Some((l, n)) => (values::clean_line(l), n),
            None => (None, part),
        };
        let Some(number) = values::phone_number(number) else {
            continue;
        };
        let kind = match label.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("tdd" | "tty") => "tty",
            Some("fax") => "fax",
            _ => "voice",
        };
        phones.push(Phone {
            number,
            extension: None,
            kind: Some(kind.into()),
            description: label,
            ..Default::default()
        });
    }
    phones
}

/// The columns of an address table, and how much it is preferred (physical 2, postal 1;
/// for the HSDS 3.0 `addresses.csv`, its `address_type` column decides).
#[derive(Clone, Copy)]
pub(crate) struct AddressCols {
    kind: Col,
    lines: [Col; 4],
    city: Col,
    region: Col,
    state: Col,
    postal: Col,
    country: Col,
    rank: u8,
}

impl AddressCols {
    /// The rank of a row, or `None` for a virtual address (not a place).
    fn rank(&self, row: &Row) -> Option<u8> {
        match row.get(self.kind).to_ascii_lowercase().as_str() {
            "" | "physical" => Some(self.rank),
            "postal" | "mailing" => Some(1),
            _ => None,
        }
    }

    pub fn apply(&self, target: &mut Loc, row: &Row) {
        let Some(rank) = self.rank(row) else { return };
        if target.address_rank >= rank {
            return;
        }
        target.address_rank = rank;
        target.location.address = Some(Address {
            lines: self
                .lines
                .iter()
                .filter_map(|&c| values::clean_line(row.get(c)))
                .collect(),
            city: values::clean_line(row.get(self.city)),
            region: values::clean_line(row.get(self.region)),
            state_province: values::clean_line(row.get(self.state)),
            postal_code: values::clean_line(row.get(self.postal)),
            country: values::clean_line(row.get(self.country)),
            ..Default::default()
        });
    }
}

/// An address table: each row that names a known location is kept for it.
pub(crate) fn addresses(b: &mut Join, t: &Table, rank: u8) -> Result<(), ImportError> {
    let col = |n: &str| t.col(n);
    let cols = AddressCols {
        kind: col("address_type"),
        lines: [col("address_1"), col("address_2"), col("address_3"), col("address_4")],
        city: col("city"),
        region: col("region"),
        state: col("state_province"),
        postal: col("postal_code"),
        country: col("country"),
        rank,
    };
    let (loc, org) = (col("location_id"), col("organization_id"));
    let kind = b.handler(Handler::Address(cols));
    for_each_owned(b, t, |b, row, problems| {
        let line = Some(row.line);
        cols.rank(row)?;
        let Some(lid) = values::id(row.get(loc)) else {
            if values::id(row.get(org)).is_none() {
                problems.skipped(
                    &t.file,
                    line,
                    Some("location_id"),
                    "address is not linked to a location".into(),
                );
            }
            return None; // an organization's mailing address: not part of a service record
        };
        let Some(j) = b.location(lid) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                format!("location {lid} not in locations.csv"),
            );
            return None;
        };
        Some((Target::Location(j), kind))
    })
}

/// Runs `check` on every row and spills each row it gives an owner to.
pub(crate) fn for_each_owned(
    b: &mut Join,
    t: &Table,
    mut check: impl FnMut(&mut Join, &Row, &mut Problems) -> Option<(Target, u8)>,
) -> Result<(), ImportError> {
    let mut problems = std::mem::take(&mut b.problems);
    let mut failed = None;
    t.for_each_row(&mut problems, |row, problems| {
        if failed.is_some() {
            return;
        }
        if let Some((target, kind)) = check(b, row, problems) {
            if let Err(e) = b.spill(&target, kind, row) {
                failed = Some(e);
            }
        }
    });
    b.problems = problems;
    failed.map_or(Ok(()), Err)
}

/// The columns of an accessibility table.
#[derive(Clone, Copy)]
pub(crate) struct AccessibilityCols {
    what: Col,
    details: Col,
}

impl AccessibilityCols {
    pub fn apply(&self, notes: &mut Vec<String>, row: &Row) {
        // 1.1 writes a code such as "disabled_parking".
        let what = row.get(self.what);
        let what = if what.contains('_') && !what.contains(' ') {
            what.replace('_', " ")
        } else {
            what.to_string()
        };
        for note in [values::clean(&what), values::clean(row.get(self.details))]
            .into_iter()
            .flatten()
        {
            values::push_unique(notes, note);
        }
    }
}

/// accessibility_for_disabilities.csv (1.1/2.0) or accessibility.csv (3.0): notes per location.
pub(crate) fn accessibility(b: &mut Join, t: &Table) -> Result<(), ImportError> {
    let loc = t.col("location_id");
    let cols = AccessibilityCols {
        what: t.col_any(&["accessibility", "description"]),
        details: t.col("details"),
    };
    let kind = b.handler(Handler::Accessibility(cols));
    for_each_owned(b, t, |b, row, problems| {
        let line = Some(row.line);
        let Some(lid) = values::id(row.get(loc)) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                "accessibility is not linked to a location".into(),
            );
            return None;
        };
        let Some(j) = b.location(lid) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                format!("location {lid} not in locations.csv"),
            );
            return None;
        };
        Some((Target::Location(j), kind))
    })
}

/// services_at_location.csv / service_at_location.csv: which service is offered where.
pub(crate) fn service_at_location(b: &mut Join, t: &Table) -> Result<(), ImportError> {
    let (id, svc, loc) = (t.col("id"), t.col("service_id"), t.col("location_id"));
    b.has_sal = true;
    let mut problems = std::mem::take(&mut b.problems);
    let mut failed = None;
    t.for_each_row(&mut problems, |row, problems| {
        let line = Some(row.line);
        let (s, l) = (values::id(row.get(svc)), values::id(row.get(loc)));
        let (Some(s), Some(l)) = (s, l) else {
            let field = if s.is_none() { "service_id" } else { "location_id" };
            problems.skipped(&t.file, line, Some(field), format!("row has no {field}"));
            return;
        };
        let Some(i) = b.service(s) else {
            problems.skipped(
                &t.file,
                line,
                Some("service_id"),
                format!("service {s} not in services.csv"),
            );
            return;
        };
        let Some(j) = b.location(l) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                format!("location {l} not in locations.csv"),
            );
            return;
        };
        if let Err(e) = b.link(i, j) {
            failed.get_or_insert(e);
        }
        if let Some(sal) = values::id(row.get(id)) {
            // A repeated id keeps its first row (as does one whose hash another had).
            let _ = b.sal.insert(sal, (i, j), |_| true);
        }
    });
    b.problems = problems;
    failed.map_or(Ok(()), Err)
}
