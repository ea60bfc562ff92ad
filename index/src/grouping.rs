//! One result per program. Real exports repeat a program at every site it serves (a
//! county-wide program at twelve locations), duplicate records outright, and name services
//! after the place they are in ("KEY LARGO") with no organization. The group key says
//! which records are the same program; [`row_context`] says what tells a row apart.

use crate::document::tiebreak;
use crate::model::Service;
use crate::text::fold;

/// The program a record belongs to, as a hash: its program id when the source gives one,
/// else its name and organization. A name that is only a place, or a record without an
/// organization, is not enough to call two records one program: their taxonomy codes and
/// description must agree too (then they are copies, and collapse).
pub fn group_key(s: &Service) -> u64 {
    if let Some(program) = s.program_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        return tiebreak(&format!("program\u{1f}{program}"));
    }
    let name = squeeze(&s.name);
    let org = squeeze(&s.organization.name);
    let mut key = format!("name\u{1f}{name}\u{1f}{org}");
    if org.is_empty() || name_is_place(s) {
        let mut codes: Vec<String> = s.taxonomy.iter().map(|t| t.code.to_ascii_uppercase()).collect();
        codes.sort();
        codes.dedup();
        key.push('\u{1f}');
        key.push_str(&codes.join(","));
        key.push('\u{1f}');
        key.push_str(&squeeze(s.description.as_deref().unwrap_or("")));
    }
    tiebreak(&key)
}

/// Folded, with runs of non-alphanumerics as one space: "EMERGENCY FOOD & SHELTER" and
/// "Emergency Food and Shelter " differ, "Emergency  food/shelter" and "emergency food shelter" do not.
fn squeeze(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when the service's name is just a place it is in or serves ("KEY LARGO").
pub fn name_is_place(s: &Service) -> bool {
    let name = squeeze(&s.name);
    if name.is_empty() {
        return false;
    }
    s.municipalities()
        .into_iter()
        .map(squeeze)
        .chain(s.service_areas.iter().map(|a| squeeze(a)))
        .chain(
            s.locations
                .iter()
                .filter_map(|l| l.address.as_ref()?.region.as_deref())
                .map(squeeze),
        )
        .any(|place| place == name)
}

/// What to show beside a row's name so rows can be told apart: the organization; and when
/// the name is only a place, or there is no organization, the location's own name or else
/// the first service term ("KEY LARGO · Food Pantries").
pub fn row_context(s: &Service) -> Vec<String> {
    let name = squeeze(&s.name);
    let org = s.organization.name.trim();
    let mut out: Vec<String> = Vec::new();
    if !org.is_empty() && squeeze(org) != name {
        out.push(org.to_string());
    }
    if org.is_empty() || name_is_place(s) {
        let location = s
            .locations
            .iter()
            .filter_map(|l| l.name.as_deref().map(str::trim))
            .find(|n| !n.is_empty() && squeeze(n) != name && squeeze(n) != squeeze(org));
        let term = || {
            let mut named = s.taxonomy.iter().filter(|t| !t.name.trim().is_empty());
            let service_type = named.clone().find(|t| !t.code.to_ascii_uppercase().starts_with('Y'));
            service_type.or_else(|| named.next()).map(|t| t.name.trim())
        };
        if let Some(extra) = location.or_else(term) {
            out.push(extra.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, Location, Organization, TaxonomyTerm};

    fn svc(id: &str, name: &str, org: &str, city: &str, code: &str, term: &str) -> Service {
        Service {
            id: id.into(),
            name: name.into(),
            organization: Organization {
                name: org.into(),
                ..Default::default()
            },
            locations: vec![Location {
                address: Some(Address {
                    city: Some(city.into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            taxonomy: vec![TaxonomyTerm {
                code: code.into(),
                name: term.into(),
                vocabulary: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn one_program_at_many_sites_is_one_group() {
        let a = svc(
            "1",
            "EMERGENCY FOOD AND SHELTER",
            "United Way",
            "Miami",
            "BH-1800",
            "Emergency Shelter",
        );
        let b = svc(
            "2",
            "Emergency Food and Shelter ",
            "UNITED WAY",
            "Homestead",
            "BH-3800",
            "Rent",
        );
        assert_eq!(group_key(&a), group_key(&b));
        let other = svc(
            "3",
            "Emergency Food and Shelter",
            "Another Org",
            "Miami",
            "BH-1800",
            "Emergency Shelter",
        );
        assert_ne!(group_key(&a), group_key(&other));
        let mut p1 = svc("4", "Meals", "X", "Miami", "", "");
        let mut p2 = svc("5", "Lunch program", "Y", "Miami", "", "");
        p1.program_id = Some("prog-9".into());
        p2.program_id = Some("prog-9".into());
        assert_eq!(group_key(&p1), group_key(&p2), "the same program id");
    }

    #[test]
    fn place_names_without_organizations_are_told_apart_by_what_they_do() {
        let pantry = svc("1", "KEY LARGO", "", "Key Largo", "BD-1800.2000", "Food Pantries");
        let clinic = svc("2", "KEY LARGO", "", "Key Largo", "LN-1500", "Community Clinics");
        assert!(name_is_place(&pantry));
        assert_ne!(group_key(&pantry), group_key(&clinic));
        let copy = Service {
            id: "3".into(),
            ..pantry.clone()
        };
        assert_eq!(group_key(&pantry), group_key(&copy), "identical records collapse");
        assert_eq!(row_context(&pantry), ["Food Pantries"]);
        assert_eq!(row_context(&clinic), ["Community Clinics"]);
        let mut named = clinic.clone();
        named.locations[0].name = Some("Upper Keys Health Centre".into());
        assert_eq!(row_context(&named), ["Upper Keys Health Centre"]);
        let normal = svc(
            "4",
            "Food Bank",
            "Harbour Aid",
            "Sudbury",
            "BD-1800.2000",
            "Food Pantries",
        );
        assert_eq!(row_context(&normal), ["Harbour Aid"]);
    }
}
