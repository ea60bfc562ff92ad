//! The core HSDS tables: organizations, services, locations with their addresses and
//! accessibility, and the service-at-location links. Each reader adds to a [`Build`].

use super::csv_table::Table;
use super::hsds_join::{Build, Loc};
use super::values;
use crate::model::{Address, Location, Organization, Phone};

/// organizations.csv -> the organization map. Duplicate ids keep the first row.
pub(crate) fn organizations(b: &mut Build, t: &Table) {
    let c = (
        t.col("id"),
        t.col("name"),
        t.col("alternate_name"),
        t.col("description"),
        t.col("email"),
        t.col_any(&["url", "website"]),
    );
    b.has_organizations = true;
    let mut lines = super::fast_map::FastMap::<Box<str>, u64>::default();
    let orgs = &mut b.orgs;
    t.for_each_row(&mut b.problems, |row, problems| {
        let Some(id) = values::id(row.get(c.0)) else {
            problems.skipped(&t.file, Some(row.line), Some("id"), "organization has no id".into());
            return;
        };
        if let Some(first) = lines.get(id) {
            problems.skipped(
                &t.file,
                Some(row.line),
                Some("id"),
                format!("duplicate organization id {id} (first on line {first})"),
            );
            return;
        }
        lines.insert(id.into(), row.line);
        let org = Organization {
            id: Some(id.to_string()),
            name: values::clean_line(row.get(c.1)).unwrap_or_default(),
            alternate_name: values::clean_line(row.get(c.2)),
            description: values::clean(row.get(c.3)),
            email: values::clean_line(row.get(c.4)),
            url: values::clean_line(row.get(c.5)),
        };
        orgs.insert(id.into(), org);
    });
}

/// locations.csv -> locations, with coordinates checked. Also reads the single-line
/// `address` and `phones` columns some exports put on locations.
pub(crate) fn locations(b: &mut Build, t: &Table) {
    let col = |n: &str| t.col(n);
    let (id, org, name, alt) = (col("id"), col("organization_id"), col("name"), col("alternate_name"));
    let (transport, lat, lon) = (
        col("transportation"),
        t.col_any(&["latitude", "lat"]),
        t.col_any(&["longitude", "lon", "lng"]),
    );
    let (address, phones) = (col("address"), col("phones"));
    let Build {
        problems,
        locations,
        location_index,
        ..
    } = b;
    locations.reserve(t.estimated_rows());
    location_index.reserve(t.estimated_rows());
    let mut lines = Vec::new();
    t.for_each_row(problems, |row, problems| {
        let line = Some(row.line);
        let Some(lid) = values::id(row.get(id)) else {
            problems.skipped(&t.file, line, Some("id"), "location has no id".into());
            return;
        };
        if let Some(&first) = location_index.get(lid) {
            let first: u64 = lines[first as usize];
            problems.skipped(
                &t.file,
                line,
                Some("id"),
                format!("duplicate location id {lid} (first on line {first})"),
            );
            return;
        }
        let (latitude, longitude) = values::coordinates(Some(row.get(lat)), Some(row.get(lon)), |field, reason| {
            problems.repaired(&t.file, line, Some(field), reason)
        });
        let address = single_line_address(row.get(address));
        let address_rank = if address.is_some() { 1 } else { 0 };
        location_index.insert(lid.into(), locations.len() as u32);
        lines.push(row.line);
        locations.push(Loc {
            location: Location {
                id: Some(lid.to_string()),
                name: values::clean_line(row.get(name)).or_else(|| values::clean_line(row.get(alt))),
                address,
                latitude,
                longitude,
                transportation: values::clean(row.get(transport)),
                ..Default::default()
            },
            org: values::id(row.get(org)).map(Into::into),
            address_rank,
            phones: labelled_phones(row.get(phones)),
            ..Default::default()
        });
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

/// An address table. `rank` says how much it is preferred (physical 2, postal 1); for the
/// HSDS 3.0 `addresses.csv`, its `address_type` column decides.
pub(crate) fn addresses(b: &mut Build, t: &Table, rank: u8) {
    let col = |n: &str| t.col(n);
    let (loc, org, kind) = (col("location_id"), col("organization_id"), col("address_type"));
    let lines = [col("address_1"), col("address_2"), col("address_3"), col("address_4")];
    let (city, region, state, postal, country) = (
        col("city"),
        col("region"),
        col("state_province"),
        col("postal_code"),
        col("country"),
    );
    let Build {
        problems,
        locations,
        location_index,
        ..
    } = b;
    t.for_each_row(problems, |row, problems| {
        let line = Some(row.line);
        let rank = match row.get(kind).to_ascii_lowercase().as_str() {
            "" | "physical" => rank,
            "postal" | "mailing" => 1,
            _ => return, // virtual addresses are not places
        };
        let Some(lid) = values::id(row.get(loc)) else {
            if values::id(row.get(org)).is_none() {
                problems.skipped(
                    &t.file,
                    line,
                    Some("location_id"),
                    "address is not linked to a location".into(),
                );
            }
            return; // an organization's mailing address: not part of a service record
        };
        let Some(&j) = location_index.get(lid) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                format!("location {lid} not in locations.csv"),
            );
            return;
        };
        let target = &mut locations[j as usize];
        if target.address_rank >= rank {
            return;
        }
        target.address_rank = rank;
        target.location.address = Some(Address {
            lines: lines.iter().filter_map(|&c| values::clean_line(row.get(c))).collect(),
            city: values::clean_line(row.get(city)),
            region: values::clean_line(row.get(region)),
            state_province: values::clean_line(row.get(state)),
            postal_code: values::clean_line(row.get(postal)),
            country: values::clean_line(row.get(country)),
            ..Default::default()
        });
    });
}

/// accessibility_for_disabilities.csv (1.1/2.0) or accessibility.csv (3.0): notes per location.
pub(crate) fn accessibility(b: &mut Build, t: &Table) {
    let (loc, what, details) = (
        t.col("location_id"),
        t.col_any(&["accessibility", "description"]),
        t.col("details"),
    );
    let Build {
        problems,
        locations,
        location_index,
        ..
    } = b;
    t.for_each_row(problems, |row, problems| {
        let line = Some(row.line);
        let Some(lid) = values::id(row.get(loc)) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                "accessibility is not linked to a location".into(),
            );
            return;
        };
        let Some(&j) = location_index.get(lid) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                format!("location {lid} not in locations.csv"),
            );
            return;
        };
        let notes = &mut locations[j as usize].accessibility;
        // 1.1 writes a code such as "disabled_parking".
        let what = row.get(what);
        let what = if what.contains('_') && !what.contains(' ') {
            what.replace('_', " ")
        } else {
            what.to_string()
        };
        for note in [values::clean(&what), values::clean(row.get(details))]
            .into_iter()
            .flatten()
        {
            values::push_unique(notes, note);
        }
    });
}

/// services_at_location.csv / service_at_location.csv: which service is offered where.
pub(crate) fn service_at_location(b: &mut Build, t: &Table) {
    let (id, svc, loc) = (t.col("id"), t.col("service_id"), t.col("location_id"));
    let mut rows: Vec<(Option<Box<str>>, u32, u32)> = Vec::with_capacity(t.estimated_rows());
    let (services, locations) = (&b.service_index, &b.location_index);
    t.for_each_row(&mut b.problems, |row, problems| {
        let line = Some(row.line);
        let (s, l) = (values::id(row.get(svc)), values::id(row.get(loc)));
        let (Some(s), Some(l)) = (s, l) else {
            let field = if s.is_none() { "service_id" } else { "location_id" };
            problems.skipped(&t.file, line, Some(field), format!("row has no {field}"));
            return;
        };
        let Some(&i) = services.get(s) else {
            problems.skipped(
                &t.file,
                line,
                Some("service_id"),
                format!("service {s} not in services.csv"),
            );
            return;
        };
        let Some(&j) = locations.get(l) else {
            problems.skipped(
                &t.file,
                line,
                Some("location_id"),
                format!("location {l} not in locations.csv"),
            );
            return;
        };
        rows.push((values::id(row.get(id)).map(Into::into), i, j));
    });
    b.has_sal = true;
    b.sal.reserve(rows.len());
    for (id, i, j) in rows {
        b.link(i, j);
        if let Some(id) = id {
            b.sal.entry(id).or_insert((i, j));
        }
    }
}
