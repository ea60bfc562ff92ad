//! Links for services a package does not place anywhere, when it has no
//! service_at_location table (HSDS 1.1 and 2.0 exports): to the only location of their
//! organization, or to the one location of their organization that shares a phone
//! number with the service and with no other service or location of that organization.
//! The clues (organizations and phone numbers of services and locations) are gathered
//! in the first pass and held: only packages without service_at_location need them.

use super::hsds_join::{Loc, Target};
use super::values;
use crate::fast_map::FastMap;
use crate::model::Phone;

#[derive(Default)]
pub(crate) struct Clues {
    /// Per service ordinal: its organization id.
    service_org: Vec<Option<Box<str>>>,
    /// (service, phone digits), in the order read.
    service_phones: Vec<(u32, String)>,
    /// (organization, location), in location order.
    location_org: Vec<(Box<str>, u32)>,
    /// (location, phone digits).
    location_phones: Vec<(u32, String)>,
}

impl Clues {
    pub fn service(&mut self, org: Option<&str>) {
        self.service_org.push(org.map(Into::into));
    }

    pub fn location(&mut self, j: u32, loc: &Loc) {
        if let Some(org) = &loc.org {
            self.location_org.push((org.clone(), j));
        }
        for p in &loc.phones {
            self.location_phones.push((j, values::phone_digits(&p.number)));
        }
    }

    pub fn phone(&mut self, target: &Target, phone: &Phone) {
        let digits = values::phone_digits(&phone.number);
        match target {
            Target::Service(i) => self.service_phones.push((*i, digits)),
            Target::Location(j) => self.location_phones.push((*j, digits)),
            Target::Organization(_) => {}
        }
    }

    /// The inferred location of each service not `linked` to one.
    pub fn infer(self, linked: &[bool]) -> FastMap<u32, u32> {
        let mut org_locations: FastMap<&str, Vec<u32>> = FastMap::default();
        let mut location_org: FastMap<u32, &str> = FastMap::default();
        for (org, j) in &self.location_org {
            org_locations.entry(org).or_default().push(*j);
            location_org.insert(*j, org);
        }
        let org_of = |i: u32| self.service_org.get(i as usize).and_then(|o| o.as_deref());
        let mut by_service: FastMap<u32, Vec<&str>> = FastMap::default();
        for (i, d) in &self.service_phones {
            by_service.entry(*i).or_default().push(d);
        }
        // (organization, digits) -> (services with it, locations with it, last location)
        let mut numbers: FastMap<(&str, &str), (u32, u32, u32)> = FastMap::default();
        for (&i, digits) in &by_service {
            let Some(org) = org_of(i) else { continue };
            let mut seen: Vec<&str> = Vec::new();
            for &d in digits.iter().filter(|d| d.len() >= 7) {
                if !seen.contains(&d) {
                    seen.push(d);
                    numbers.entry((org, d)).or_default().0 += 1;
                }
            }
        }
        let mut by_location: FastMap<u32, Vec<&str>> = FastMap::default();
        for (j, d) in &self.location_phones {
            by_location.entry(*j).or_default().push(d);
        }
        for (&j, digits) in &by_location {
            let Some(org) = location_org.get(&j) else { continue };
            let mut seen: Vec<&str> = Vec::new();
            for &d in digits.iter().filter(|d| d.len() >= 7) {
                if !seen.contains(&d) {
                    seen.push(d);
                    if let Some(e) = numbers.get_mut(&(*org, d)) {
                        (e.1, e.2) = (e.1 + 1, j);
                    }
                }
            }
        }
        let mut inferred = FastMap::default();
        for i in 0..self.service_org.len() as u32 {
            let Some(org) = org_of(i) else { continue };
            if linked.get(i as usize).copied().unwrap_or(false) {
                continue;
            }
            match org_locations.get(org).map(Vec::as_slice) {
                Some([only]) => {
                    inferred.insert(i, *only);
                }
                Some([_, _, ..]) => {
                    let mut found: Option<u32> = None;
                    let mut ambiguous = false;
                    for &d in by_service.get(&i).into_iter().flatten() {
                        if let Some(&(1, 1, loc)) = numbers.get(&(org, d)) {
                            ambiguous |= found.is_some_and(|f| f != loc);
                            found = Some(loc);
                        }
                    }
                    if let (Some(loc), false) = (found, ambiguous) {
                        inferred.insert(i, loc);
                    }
                }
                _ => {}
            }
        }
        inferred
    }
}
