//! Broader terms from the AIRS/211 code hierarchy: "BH-1800.8500" (Homeless Shelter) sits
//! under "BH-1800" (Emergency Shelter), "BH" (Housing/Shelter) and "B" (Basic Needs). An
//! export names the codes it uses; wherever one of a service's codes has an ancestor whose
//! name the import carries (on another service, or in a taxonomy table), the service gets
//! that name as a broader term. No taxonomy is bundled: only names the data gives are used.

use std::collections::HashMap;

use crate::model::Service;

/// The code one level up, `None` at the top: "BH-1800.8500-100" -> "BH-1800.8500" ->
/// "BH-1800" -> "BH" -> "B".
pub fn parent_code(code: &str) -> Option<&str> {
    if let Some(cut) = code.rfind(['.', '-']) {
        return Some(&code[..cut]);
    }
    let letters = code.chars().count();
    (letters == 2 && code.is_ascii()).then(|| &code[..1])
}

/// Adds the names of the ancestors of each service's service-type codes to its broader
/// terms, with every name the whole set carries. Target populations (codes starting with
/// `Y`) are left alone: "Age Groups" above "Older Adults" tells a navigator nothing.
pub fn fill_from_codes(services: &mut [Service]) {
    let mut names = Names::default();
    services.iter().for_each(|s| names.learn(s));
    services.iter_mut().for_each(|s| names.fill(s));
}

/// Code names seen so far: the first spelling of each code's name. The streamed import
/// learns each service's names and fills it from what is known at its turn (an ancestor
/// named only by a later service is not given to an earlier one; a reader that holds the
/// whole export fills from all of it first, with [`fill_from_codes`]).
#[derive(Default)]
pub(super) struct Names {
    names: HashMap<String, String>,
}

impl Names {
    pub(super) fn learn(&mut self, s: &Service) {
        for t in s.taxonomy.iter().filter(|t| !t.name.is_empty()) {
            for code in codes(&t.code) {
                if !self.names.contains_key(code) {
                    self.names.insert(code.to_string(), t.name.clone());
                }
            }
        }
    }

    pub(super) fn fill(&self, s: &mut Service) {
        if self.names.is_empty() {
            return;
        }
        let mut broader: Vec<String> = Vec::new();
        for t in &s.taxonomy {
            for code in codes(&t.code).filter(|c| !c.starts_with('Y')) {
                let mut at = parent_code(code);
                while let Some(up) = at {
                    if let Some(name) = self.names.get(up) {
                        let own = s.taxonomy.iter().any(|t| &t.name == name);
                        if !own && !broader.contains(name) && !s.broader_terms.contains(name) {
                            broader.push(name.clone());
                        }
                    }
                    at = parent_code(up);
                }
            }
        }
        s.broader_terms.extend(broader);
    }
}

/// The AIRS-looking codes in a code cell ("TM-5100 * TM-5100" holds one, twice).
fn codes(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('*')
        .map(str::trim)
        .filter(|c| crate::categories::looks_like_airs(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TaxonomyTerm;

    fn service(terms: &[(&str, &str)]) -> Service {
        Service {
            taxonomy: terms
                .iter()
                .map(|(code, name)| TaxonomyTerm {
                    code: code.to_string(),
                    name: name.to_string(),
                    vocabulary: None,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn parent_codes_climb_every_level() {
        let mut chain = vec![];
        let mut at = Some("BH-1800.8500-100");
        while let Some(c) = at {
            chain.push(c);
            at = parent_code(c);
        }
        assert_eq!(chain, ["BH-1800.8500-100", "BH-1800.8500", "BH-1800", "BH", "B"]);
    }

    #[test]
    fn ancestors_named_anywhere_in_the_import_become_broader_terms() {
        let mut services = vec![
            service(&[("BH-1800.8500", "Homeless Shelter"), ("YV-3000", "Homeless People")]),
            service(&[("BH-1800", "Emergency Shelter")]),
            service(&[("BH", "Housing/Shelter"), ("YV", "Homeless")]),
        ];
        fill_from_codes(&mut services);
        assert_eq!(services[0].broader_terms, ["Emergency Shelter", "Housing/Shelter"]);
        assert_eq!(services[1].broader_terms, ["Housing/Shelter"]);
        assert!(services[2].broader_terms.is_empty(), "nothing above BH is named");
    }
}
