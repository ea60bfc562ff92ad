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
/// terms. Target populations (codes starting with `Y`) are left alone: "Age Groups" above
/// "Older Adults" tells a navigator nothing.
pub fn fill_from_codes(services: &mut [Service]) {
    let mut names: HashMap<String, (String, usize)> = HashMap::new();
    for s in services.iter() {
        for t in &s.taxonomy {
            for code in codes(&t.code) {
                if t.name.is_empty() {
                    continue;
                }
                // Keep the most common spelling of a code's name.
                let entry = names.entry(code.to_string()).or_insert_with(|| (t.name.clone(), 0));
                if entry.0 == t.name {
                    entry.1 += 1;
                }
            }
        }
    }
    if names.is_empty() {
        return;
    }
    for s in services.iter_mut() {
        let mut broader: Vec<String> = Vec::new();
        for t in &s.taxonomy {
            for code in codes(&t.code).filter(|c| !c.starts_with('Y')) {
                let mut at = parent_code(code);
                while let Some(up) = at {
                    if let Some((name, _)) = names.get(up) {
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
