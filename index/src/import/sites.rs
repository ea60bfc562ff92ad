//! A service offered at several sites, as the I&R formats describe it: each site may have
//! its own phones and hours. The service takes the first site's where it has none of its
//! own, and a site keeps its phones and hours on its location only where they differ from
//! the service's, so a read-out of one site never gives another's.

use super::values;
use crate::model::{Phone, Service};

pub(crate) fn settle(s: &mut Service) {
    if s.phones.is_empty() {
        if let Some(l) = s.locations.iter().find(|l| !l.phones.is_empty()) {
            s.phones = l.phones.clone();
        }
    }
    if s.schedules.is_empty() && s.hours_note.is_none() {
        if let Some(l) = s
            .locations
            .iter()
            .find(|l| !l.schedules.is_empty() || l.hours_note.is_some())
        {
            s.schedules = l.schedules.clone();
            s.hours_note = l.hours_note.clone();
        }
    }
    let (phones, schedules, note) = (s.phones.clone(), s.schedules.clone(), s.hours_note.clone());
    for l in &mut s.locations {
        if same_phones(&l.phones, &phones) {
            l.phones.clear();
        }
        if l.schedules == schedules && l.hours_note == note {
            l.schedules.clear();
            l.hours_note = None;
        }
    }
}

fn same_phones(a: &[Phone], b: &[Phone]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| values::phone_digits(&p.number) == values::phone_digits(&q.number))
}
