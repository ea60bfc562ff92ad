//! iCarol's taxonomy cells: `TaxonomyCodes` ("BD-1800.2000; YF-1800 * BD-1800"), the leaf
//! names in `TaxonomyTerm` ("Food Pantries; Disabilities Issues * Food Pantries; ") and
//! full paths in `TaxonomyTerms` ("Basic Needs - Food - Food Pantries; ..."), all three in
//! the same order. Exports cut each cell at 255 characters, so the last name of a long
//! list may be cut off: a name is only trusted when its list was not cut there.

use crate::import::values;
use crate::model::TaxonomyTerm;

/// The longest a cell gets before iCarol cuts it.
const CELL_LIMIT: usize = 255;

/// The vocabulary recorded with AIRS codes.
pub(crate) const AIRS: &str = "AIRS";

/// Terms from the codes cell and the two name cells. A linked code ("YF-1800 * BD-1800")
/// becomes one term per code, each with its own name when the names are linked the same way.
pub(crate) fn terms(codes: &str, leaf_names: &str, full_names: &str) -> Vec<TaxonomyTerm> {
    let leaves = names(leaf_names, false);
    let paths = names(full_names, true);
    let mut out: Vec<TaxonomyTerm> = Vec::new();
    for (i, entry) in codes.split(';').map(str::trim).filter(|c| !c.is_empty()).enumerate() {
        let parts: Vec<&str> = entry.split('*').map(str::trim).filter(|c| !c.is_empty()).collect();
        let linked_leaves = leaves.get(i).map(|n| split_linked(n));
        let linked_paths = paths.get(i).map(|n| split_linked(n));
        for (j, code) in parts.iter().enumerate() {
            let from =
                |list: &Option<Vec<String>>| list.as_ref().filter(|l| l.len() == parts.len()).map(|l| l[j].clone());
            let name = from(&linked_leaves)
                .or_else(|| from(&linked_paths))
                // An unlinked name goes with the first code of a linked pair.
                .or_else(|| (j == 0).then(|| leaves.get(i).cloned()).flatten())
                .unwrap_or_default();
            let term = TaxonomyTerm {
                code: code.to_string(),
                name,
                vocabulary: Some(AIRS.into()),
            };
            if !out.iter().any(|t| t.code == term.code) {
                out.push(term);
            }
        }
    }
    out
}

/// The names of a `;` list, the last dropped when the cell was cut at the limit. Full
/// paths keep only their last level ("Basic Needs - Food - Food Pantries" -> "Food Pantries").
fn names(cell: &str, paths: bool) -> Vec<String> {
    let trimmed = cell.trim();
    let mut list: Vec<&str> = trimmed.split(';').map(str::trim).collect();
    // A trailing ";" ends a complete list; a full cell without one was cut mid-name.
    if list.last().is_some_and(|l| l.is_empty()) || cell.chars().count() >= CELL_LIMIT {
        list.pop();
    }
    list.into_iter()
        .map(|n| {
            let name = if paths {
                n.split('*')
                    .map(|p| last_level(p.trim()))
                    .collect::<Vec<_>>()
                    .join(" * ")
            } else {
                n.to_string()
            };
            values::clean_line(&name).unwrap_or_default()
        })
        .collect()
}

/// The levels above each leaf of the full paths ("Basic Needs - Food - Food Pantries" gives
/// "Food" and "Basic Needs"), nearest first, for the service's broader terms. Target
/// population paths are left out: "Target Populations" says nothing a navigator searches for.
pub(crate) fn broader(full_names: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in names(full_names, false).iter().flat_map(|n| split_linked(n)) {
        let levels: Vec<&str> = path.split(" - ").map(str::trim).filter(|l| !l.is_empty()).collect();
        if levels
            .first()
            .is_some_and(|l| l.eq_ignore_ascii_case("Target Populations"))
        {
            continue;
        }
        for level in levels.iter().rev().skip(1) {
            if !out.iter().any(|o| o == level) {
                out.push(level.to_string());
            }
        }
    }
    out
}

fn last_level(path: &str) -> &str {
    path.rsplit(" - ").next().unwrap_or(path).trim()
}

fn split_linked(names: &str) -> Vec<String> {
    names.split(" * ").map(|n| n.trim().to_string()).collect()
}

/// Names from a free category list ("Shelter General; Housing*; Food Pantries;"), the
/// last dropped when the cell was cut at the limit.
pub(crate) fn category_names(cell: &str) -> Vec<String> {
    names(cell, false)
        .into_iter()
        .map(|n| n.trim_end_matches('*').trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(terms: &[TaxonomyTerm]) -> Vec<(&str, &str)> {
        terms.iter().map(|t| (t.code.as_str(), t.name.as_str())).collect()
    }

    #[test]
    fn codes_pair_with_their_names_in_order() {
        let t = terms(
            "BD-1800.2000; YF-1800",
            "Food Pantries; Disabilities Issues; ",
            "Basic Needs - Food - Food Pantries; Target Populations - Disabilities Issues",
        );
        assert_eq!(
            pairs(&t),
            [("BD-1800.2000", "Food Pantries"), ("YF-1800", "Disabilities Issues")]
        );
        assert_eq!(t[0].vocabulary.as_deref(), Some("AIRS"));
    }

    #[test]
    fn linked_codes_become_one_term_each() {
        let t = terms(
            "P; TM-5100 * YN-0500; TM-5100",
            "Individual and Family Life; Military Family Service/Support Centers; Military Family Service/Support Centers; ",
            "Individual and Family Life; Org - Military Service - Military Family Service/Support Centers * Target Populations - Active Military; Org - Military Family Service/Support Centers",
        );
        assert_eq!(
            pairs(&t),
            [
                ("P", "Individual and Family Life"),
                ("TM-5100", "Military Family Service/Support Centers"),
                ("YN-0500", "Active Military"),
            ]
        );
    }

    #[test]
    fn a_name_cut_at_the_cell_limit_is_not_trusted() {
        let mut leaves = String::from("Employment; ");
        while leaves.len() < 240 {
            leaves.push_str("Job Finding Assistance; ");
        }
        leaves.push_str("Independent Livin");
        let leaves: String = leaves.chars().take(255).collect();
        let count = leaves.split(';').count();
        let codes: Vec<String> = (0..count).map(|i| format!("ND-{:04}", 1000 + i)).collect();
        let t = terms(&codes.join("; "), &leaves, "");
        assert_eq!(t.len(), count);
        assert_eq!(t[0].name, "Employment");
        assert_eq!(t.last().unwrap().name, "", "the cut name is dropped, the code kept");
        assert!(t.iter().all(|term| !term.name.contains("Livin")));
    }

    #[test]
    fn the_levels_of_full_paths_are_broader_terms() {
        let paths = "Basic Needs - Food - Food Pantries; Basic Needs - Housing/Shelter - Emergency Shelter * \
                     Target Populations - Homeless People; Target Populations - Seniors - Older Adults";
        assert_eq!(broader(paths), ["Food", "Basic Needs", "Housing/Shelter"]);
        assert!(broader("Food Pantries;").is_empty());
    }

    #[test]
    fn codes_without_names_and_repeats() {
        let t = terms("BR-9000; BR-0900; BR-9000", "", "");
        assert_eq!(pairs(&t), [("BR-9000", ""), ("BR-0900", "")]);
        assert_eq!(
            category_names("Shelter General; Housing*; Food Pantries;"),
            ["Shelter General", "Housing", "Food Pantries"]
        );
    }
}
