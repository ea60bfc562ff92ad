//! HSDS detail tables that hang off services, locations and organizations: phones,
//! schedules, languages, taxonomy, eligibility, documents, service areas, cost options.

use super::csv_table::Table;
use super::fast_map::FastMap;
use super::hsds_join::{append_note, Build, Links, Target};
use super::schedule_rows;
use super::values;
use crate::languages;
use crate::model::{Language, Phone, TaxonomyTerm};

/// phones.csv: each phone goes to the most specific thing it names.
pub(crate) fn phones(b: &mut Build, t: &Table) {
    let links = Links::of(t, true);
    let (number, ext, kind, desc) = (t.col("number"), t.col("extension"), t.col("type"), t.col("description"));
    let mut problems = std::mem::take(&mut b.problems);
    t.for_each_row(&mut problems, |row, problems| {
        let Some(number) = values::phone_number(row.get(number)) else {
            problems.skipped(&t.file, Some(row.line), Some("number"), "phone has no number".into());
            return;
        };
        let target = b.target(problems, &t.file, row, &links);
        let phone = Phone {
            number,
            extension: values::clean_line(row.get(ext)),
            kind: values::clean_line(row.get(kind)).map(|k| k.to_lowercase()),
            description: values::clean(row.get(desc)),
            ..Default::default()
        };
        match target {
            Some(Target::Service(i)) => values::push_small(&mut b.services[i as usize].phones, phone),
            Some(Target::Location(j)) => values::push_small(&mut b.locations[j as usize].phones, phone),
            Some(Target::Organization(o)) => values::push_small(b.org_phones.entry(o).or_default(), phone),
            None => {}
        }
    });
    b.problems = problems;
}

/// regular_schedules.csv (1.x: weekday, opens_at, closes_at) or schedules.csv (2.0/3.0:
/// RRULE-like byday and freq, plus a free-text description and a time zone).
pub(crate) fn schedules(b: &mut Build, t: &Table) {
    let links = Links::of(t, false);
    let (weekday, byday, freq) = (t.col_any(&["weekday", "day"]), t.col("byday"), t.col("freq"));
    let (opens, closes) = (t.col_any(&["opens_at", "opens"]), t.col_any(&["closes_at", "closes"]));
    let (desc, notes, tz) = (t.col("description"), t.col("notes"), t.col("timezone"));
    let mut problems = std::mem::take(&mut b.problems);
    t.for_each_row(&mut problems, |row, problems| {
        let target = b.target(problems, &t.file, row, &links);
        let Some(target) = target else { return };
        let days = Some(row.get(byday))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| row.get(weekday));
        let hours = match schedule_rows::weekly_hours(days, row.get(freq), row.get(opens), row.get(closes)) {
            Ok(h) => h,
            Err((field, reason)) => {
                let field = if field == "byday" && byday.is_none() {
                    "weekday"
                } else {
                    field
                };
                problems.skipped(
                    &t.file,
                    Some(row.line),
                    Some(field),
                    format!("{reason}; hours not imported"),
                );
                Vec::new()
            }
        };
        let note = values::clean(row.get(desc)).or_else(|| values::clean(row.get(notes)));
        let zone = values::timezone(row.get(tz));
        let (schedules, hours_note, timezone) = match target {
            Target::Service(i) => {
                let s = &mut b.services[i as usize];
                (&mut s.schedules, &mut s.hours_note, &mut s.timezone)
            }
            Target::Location(j) => {
                let l = &mut b.locations[j as usize];
                (&mut l.schedules, &mut l.hours_note, &mut l.timezone)
            }
            Target::Organization(_) => return,
        };
        schedules.reserve_exact(hours.len());
        schedules.extend(hours);
        if let Some(note) = note {
            append_note(hours_note, note);
        }
        if timezone.is_none() {
            *timezone = zone;
        }
    });
    b.problems = problems;
}

/// Resolved languages by the cell they were read from.
type LanguageCache = FastMap<Box<str>, Vec<(String, String)>>;

/// languages.csv: 1.1 `language` (a name or a list of names), 3.0 `name` and `code`.
pub(crate) fn languages(b: &mut Build, t: &Table) {
    let links = Links::of(t, false);
    let (name, code) = (t.col_any(&["language", "name"]), t.col("code"));
    // The same few languages repeat on every row: resolve each distinct cell once.
    let (mut by_code, mut by_name): (LanguageCache, LanguageCache) = Default::default();
    let mut problems = std::mem::take(&mut b.problems);
    t.for_each_row(&mut problems, |row, problems| {
        let (code, name) = (row.get(code), row.get(name));
        let key = format!("{code}\u{1f}{name}");
        let found: &[(String, String)] = if !code.is_empty() {
            if !by_code.contains_key(key.as_str()) {
                // A code navigator does not know keeps the name the row gives it.
                let found = languages::resolve(code).map(|(c, n)| match values::clean_line(name) {
                    Some(given) if languages::known(&c).is_none() => (c, given),
                    _ => (c, n),
                });
                by_code.insert(key.as_str().into(), found.into_iter().collect());
            }
            &by_code[key.as_str()]
        } else {
            if !by_name.contains_key(name) {
                by_name.insert(name.into(), languages::split_list(name));
            }
            &by_name[name]
        };
        if found.is_empty() {
            problems.skipped(&t.file, Some(row.line), Some("name"), "no language named".into());
            return;
        }
        let target = b.target(problems, &t.file, row, &links);
        let list = match target {
            Some(Target::Service(i)) => &mut b.services[i as usize].languages,
            Some(Target::Location(j)) => &mut b.locations[j as usize].languages,
            _ => return,
        };
        for (code, name) in found {
            if !list.iter().any(|l| l.code == *code) {
                values::push_small(
                    list,
                    Language {
                        code: code.clone(),
                        name: name.clone(),
                    },
                );
            }
        }
    });
    b.problems = problems;
}

/// Terms by id, and each term's parent id.
type TermTable = (FastMap<Box<str>, TaxonomyTerm>, FastMap<Box<str>, Box<str>>);

/// Taxonomy terms by id: taxonomy.csv (1.1: id, name, vocabulary), taxonomy_terms.csv
/// (2.0: term, taxonomy; 3.0: code, name, taxonomy_id), with taxonomies.csv names.
pub(crate) fn taxonomy_terms(b: &mut Build, t: &Table, vocabularies: &FastMap<Box<str>, String>) -> TermTable {
    let (id, code, name) = (t.col("id"), t.col("code"), t.col_any(&["name", "term"]));
    let (vocab, vocab_id) = (t.col_any(&["vocabulary", "taxonomy"]), t.col("taxonomy_id"));
    let parent = t.col_any(&["parent_id", "parent"]);
    let mut terms: FastMap<Box<str>, TaxonomyTerm> = FastMap::default();
    let mut parents: FastMap<Box<str>, Box<str>> = FastMap::default();
    t.for_each_row(&mut b.problems, |row, problems| {
        let Some(tid) = values::id(row.get(id)) else {
            problems.skipped(&t.file, Some(row.line), Some("id"), "taxonomy term has no id".into());
            return;
        };
        let code = values::clean_line(row.get(code))
            .or_else(|| crate::categories::looks_like_airs(tid).then(|| tid.to_string()));
        let vocabulary = values::clean_line(row.get(vocab))
            .or_else(|| values::id(row.get(vocab_id)).and_then(|v| vocabularies.get(v).cloned()));
        let term = TaxonomyTerm {
            code: code.unwrap_or_default(),
            name: values::clean_line(row.get(name)).unwrap_or_default(),
            vocabulary,
        };
        if let Some(p) = values::id(row.get(parent)).filter(|p| *p != tid) {
            parents.entry(tid.into()).or_insert_with(|| p.into());
        }
        terms.entry(tid.into()).or_insert(term);
    });
    (terms, parents)
}

/// The names of each term's ancestors (nearest first) from `parent_id` links, keyed by the
/// term as services carry it. A cycle or a dangling parent ends the chain.
pub(crate) fn broader_names(
    terms: &FastMap<Box<str>, TaxonomyTerm>,
    parents: &FastMap<Box<str>, Box<str>>,
) -> FastMap<(String, String), Vec<String>> {
    let mut out: FastMap<(String, String), Vec<String>> = FastMap::default();
    for (id, term) in terms {
        let mut names: Vec<String> = Vec::new();
        let mut at: &str = id;
        for _ in 0..12 {
            let Some(up) = parents.get(at) else { break };
            let Some(parent) = terms.get(up) else { break };
            if !parent.name.is_empty() && !names.contains(&parent.name) {
                names.push(parent.name.clone());
            }
            at = up;
        }
        if !names.is_empty() {
            out.insert((term.code.clone(), term.name.clone()), names);
        }
    }
    out
}

/// taxonomies.csv (3.0): vocabulary names by id.
pub(crate) fn vocabularies(b: &mut Build, t: &Table) -> FastMap<Box<str>, String> {
    let (id, name) = (t.col("id"), t.col("name"));
    let mut out = FastMap::default();
    t.for_each_row(&mut b.problems, |row, _| {
        if let (Some(id), Some(name)) = (values::id(row.get(id)), values::clean_line(row.get(name))) {
            out.entry(id.into()).or_insert(name);
        }
    });
    out
}

/// A link table from services to taxonomy terms: services_taxonomy.csv (1.1),
/// service_attributes.csv (2.0), or attributes.csv (3.0, `link_id` with `link_entity`).
pub(crate) fn taxonomy_links(b: &mut Build, t: &Table, terms: &FastMap<Box<str>, TaxonomyTerm>, terms_file: &str) {
    let service = t.col("service_id").or_else(|| t.col("link_id"));
    let term = t.col_any(&["taxonomy_term_id", "taxonomy_id"]);
    let entity = t.col_any(&["link_entity", "link_type"]);
    let generic = t.col("link_id").is_some() && t.col("service_id").is_none();
    let Build {
        problems,
        services,
        service_index,
        ..
    } = b;
    t.for_each_row(problems, |row, problems| {
        let line = Some(row.line);
        let Some(sid) = values::id(row.get(service)) else {
            problems.skipped(&t.file, line, Some("service_id"), "row has no service_id".into());
            return;
        };
        let Some(&i) = service_index.get(sid) else {
            // attributes.csv links organizations and locations too; only a row that says it
            // is about a service is news when its service is missing.
            if !generic || row.get(entity).eq_ignore_ascii_case("service") {
                problems.skipped(
                    &t.file,
                    line,
                    Some(if generic { "link_id" } else { "service_id" }),
                    format!("service {sid} not in services.csv"),
                );
            }
            return;
        };
        let Some(tid) = values::id(row.get(term)) else {
            problems.skipped(
                &t.file,
                line,
                Some("taxonomy_term_id"),
                "row has no taxonomy term".into(),
            );
            return;
        };
        if let Some(found) = resolve_term(tid, terms) {
            values::push_unique(&mut services[i as usize].taxonomy, found);
        } else {
            problems.repaired(
                &t.file,
                line,
                Some("taxonomy_term_id"),
                format!("taxonomy term {tid} not in {terms_file}; dropped"),
            );
        }
    });
}

fn resolve_term(id: &str, terms: &FastMap<Box<str>, TaxonomyTerm>) -> Option<TaxonomyTerm> {
    terms.get(id).cloned().or_else(|| {
        crate::categories::looks_like_airs(id).then(|| TaxonomyTerm {
            code: id.to_string(),
            ..Default::default()
        })
    })
}

/// HSDS 1.1 `services.taxonomy_ids`: a list of taxonomy ids in the service row.
pub(crate) fn taxonomy_ids(
    b: &mut Build,
    services_file: &str,
    terms: &FastMap<Box<str>, TaxonomyTerm>,
    terms_file: &str,
) {
    let Build {
        problems,
        services,
        svc,
        ..
    } = b;
    for (s, extra) in services.iter_mut().zip(svc.iter_mut()) {
        let Some(ids) = extra.taxonomy_ids.take() else {
            continue;
        };
        for tid in ids.split([',', ';']).filter_map(values::id) {
            match resolve_term(tid, terms) {
                Some(term) => values::push_unique(&mut s.taxonomy, term),
                None => problems.repaired(
                    services_file,
                    Some(extra.line),
                    Some("taxonomy_ids"),
                    format!("taxonomy term {tid} not in {terms_file}; dropped"),
                ),
            }
        }
    }
}

/// A table of one text value per service row: eligibility.csv, required_documents.csv,
/// service_areas.csv, cost_options.csv.
pub(crate) enum PerService {
    Eligibility,
    RequiredDocuments,
    ServiceAreas,
    CostOptions,
}

pub(crate) fn per_service(b: &mut Build, t: &Table, kind: PerService) {
    let service = t.col("service_id");
    let text = match kind {
        PerService::Eligibility => t.col("eligibility"),
        PerService::RequiredDocuments => t.col("document"),
        PerService::ServiceAreas => t.col_any(&["service_area", "name"]),
        PerService::CostOptions => t.col("option"),
    };
    let (desc, amount, currency) = (
        t.col_any(&["description", "amount_description"]),
        t.col("amount"),
        t.col("currency"),
    );
    let (min_age, max_age) = (t.col("minimum_age"), t.col("maximum_age"));
    let Build {
        problems,
        services,
        service_index,
        ..
    } = b;
    t.for_each_row(problems, |row, problems| {
        let line = Some(row.line);
        let Some(sid) = values::id(row.get(service)) else {
            problems.skipped(&t.file, line, Some("service_id"), "row has no service_id".into());
            return;
        };
        let Some(&i) = service_index.get(sid) else {
            problems.skipped(
                &t.file,
                line,
                Some("service_id"),
                format!("service {sid} not in services.csv"),
            );
            return;
        };
        let s = &mut services[i as usize];
        match kind {
            PerService::Eligibility => {
                if let Some(e) = values::clean(row.get(text)) {
                    match &mut s.eligibility {
                        Some(all) if !all.contains(&e) => {
                            all.push_str("; ");
                            all.push_str(&e);
                        }
                        Some(_) => {}
                        None => s.eligibility = Some(e),
                    }
                }
                for (c, field, slot) in [
                    (min_age, "minimum_age", &mut s.min_age),
                    (max_age, "maximum_age", &mut s.max_age),
                ] {
                    match values::age(row.get(c)) {
                        Ok(Some(a)) if slot.is_none() => *slot = Some(a),
                        Ok(_) => {}
                        Err(reason) => problems.repaired(&t.file, line, Some(field), format!("{reason}; dropped")),
                    }
                }
            }
            PerService::RequiredDocuments => {
                if let Some(d) = values::clean(row.get(text)) {
                    values::push_unique(&mut s.required_documents, d);
                }
            }
            PerService::ServiceAreas => {
                if let Some(a) = values::clean_line(row.get(text)).or_else(|| values::clean_line(row.get(desc))) {
                    values::push_unique(&mut s.service_areas, a);
                }
            }
            PerService::CostOptions => {
                if values::amount_is_zero(row.get(amount)) {
                    s.free = Some(true);
                }
                if let Some(line) =
                    values::cost_option_text(row.get(text), row.get(amount), row.get(currency), row.get(desc))
                {
                    append_note(&mut s.fees, line);
                }
            }
        }
    });
}
