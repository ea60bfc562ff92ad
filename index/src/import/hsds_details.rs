//! HSDS detail tables that hang off services, locations and organizations: phones,
//! schedules, languages, taxonomy, eligibility, documents, service areas, cost options.
//! Each is read twice: the first pass checks a row (reporting what is wrong with it)
//! and spills it to its owner; the second builds its value from the spilled row.

use super::csv_table::{Col, Row, Table};
use super::hsds_join::{append_note, Handler, Join, Links, Target};
use super::hsds_tables::for_each_owned;
use super::schedule_rows;
use super::values::{self, Problems};
use super::ImportError;
use crate::fast_map::FastMap;
use crate::languages;
use crate::model::{Language, Phone, Service, TaxonomyTerm, WeeklyHours};

/// Taxonomy terms by id.
pub(crate) type Terms = FastMap<Box<str>, TaxonomyTerm>;

/// A package's taxonomy, held whole (it grows with the vocabulary, not the services).
pub(crate) struct Taxonomy {
    pub terms: Terms,
    /// The terms' file as problems name it.
    pub file: String,
    /// Names of each term's ancestors by `parent_id` (see [`broader_names`]).
    pub broader: FastMap<(String, String), Vec<String>>,
    /// Every code's name, for ancestors by code.
    pub code_names: super::broader::Names,
}

impl Taxonomy {
    /// The broader terms of a service's taxonomy by parent ids (by codes: `code_names`,
    /// once navigator's own attributes are applied).
    pub fn fill_broader(&self, s: &mut Service) {
        if !self.broader.is_empty() {
            let mut names = Vec::new();
            for t in &s.taxonomy {
                names.extend(
                    self.broader
                        .get(&(t.code.clone(), t.name.clone()))
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
            }
            for name in names {
                values::push_unique(&mut s.broader_terms, name);
            }
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct PhoneCols {
    number: Col,
    ext: Col,
    kind: Col,
    desc: Col,
}

impl PhoneCols {
    pub fn phone(&self, row: &Row) -> Phone {
        Phone {
            number: values::phone_number(row.get(self.number)).unwrap_or_default(),
            extension: values::clean_line(row.get(self.ext)),
            kind: values::clean_line(row.get(self.kind)).map(|k| k.to_lowercase()),
            description: values::clean(row.get(self.desc)),
            ..Default::default()
        }
    }
}

/// phones.csv: each phone goes to the most specific thing it names.
pub(crate) fn phones(b: &mut Join, t: &Table) -> Result<(), ImportError> {
    let links = Links::of(t, true);
    let cols = PhoneCols {
        number: t.col("number"),
        ext: t.col("extension"),
        kind: t.col("type"),
        desc: t.col("description"),
    };
    let kind = b.handler(Handler::Phone(cols));
    let mut failed = None;
    for_each_owned(b, t, |b, row, problems| {
        if values::phone_number(row.get(cols.number)).is_none() {
            problems.skipped(&t.file, Some(row.line), Some("number"), "phone has no number".into());
            return None;
        }
        let target = b.target(problems, &t.file, row, &links).unwrap_or_else(|e| {
            failed.get_or_insert(e);
            None
        })?;
        if let Some(clues) = &mut b.infer {
            clues.phone(&target, &cols.phone(row));
        }
        if let Target::Organization(o) = &target {
            values::push_small(b.org_phones.entry(o.clone()).or_default(), cols.phone(row));
        }
        Some((target, kind))
    })?;
    failed.map_or(Ok(()), Err)
}

#[derive(Clone, Copy)]
pub(crate) struct ScheduleCols {
    weekday: Col,
    byday: Col,
    freq: Col,
    opens: Col,
    closes: Col,
    desc: Col,
    notes: Col,
    tz: Col,
}

impl ScheduleCols {
    fn hours(&self, row: &Row) -> Result<Vec<WeeklyHours>, (&'static str, String)> {
        let days = Some(row.get(self.byday))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| row.get(self.weekday));
        schedule_rows::weekly_hours(days, row.get(self.freq), row.get(self.opens), row.get(self.closes))
    }

    pub fn apply(
        &self,
        row: &Row,
        schedules: &mut Vec<WeeklyHours>,
        hours_note: &mut Option<String>,
        timezone: &mut Option<String>,
    ) {
        let hours = self.hours(row).unwrap_or_default();
        schedules.reserve_exact(hours.len());
        schedules.extend(hours);
        if let Some(note) = values::clean(row.get(self.desc)).or_else(|| values::clean(row.get(self.notes))) {
            append_note(hours_note, note);
        }
        if timezone.is_none() {
            *timezone = values::timezone(row.get(self.tz));
        }
    }
}

/// regular_schedules.csv (1.x: weekday, opens_at, closes_at) or schedules.csv (2.0/3.0:
/// RRULE-like byday and freq, plus a free-text description and a time zone).
pub(crate) fn schedules(b: &mut Join, t: &Table) -> Result<(), ImportError> {
    let links = Links::of(t, false);
    let cols = ScheduleCols {
        weekday: t.col_any(&["weekday", "day"]),
        byday: t.col("byday"),
        freq: t.col("freq"),
        opens: t.col_any(&["opens_at", "opens"]),
        closes: t.col_any(&["closes_at", "closes"]),
        desc: t.col("description"),
        notes: t.col("notes"),
        tz: t.col("timezone"),
    };
    let kind = b.handler(Handler::Schedule(cols));
    let mut failed = None;
    for_each_owned(b, t, |b, row, problems| {
        let target = b.target(problems, &t.file, row, &links).unwrap_or_else(|e| {
            failed.get_or_insert(e);
            None
        })?;
        if let Err((field, reason)) = cols.hours(row) {
            let field = if field == "byday" && cols.byday.is_none() {
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
        }
        match target {
            Target::Organization(_) => None,
            target => Some((target, kind)),
        }
    })?;
    failed.map_or(Ok(()), Err)
}

#[derive(Clone, Copy)]
pub(crate) struct LanguageCols {
    name: Col,
    code: Col,
}

impl LanguageCols {
    /// The languages a row names: a code (a code navigator does not know keeps the name
    /// the row gives it), else a name or a list of names.
    fn found(&self, row: &Row) -> Vec<(String, String)> {
        let (code, name) = (row.get(self.code), row.get(self.name));
        if !code.is_empty() {
            languages::resolve(code)
                .map(|(c, n)| match values::clean_line(name) {
                    Some(given) if languages::known(&c).is_none() => (c, given),
                    _ => (c, n),
                })
                .into_iter()
                .collect()
        } else {
            languages::split_list(name)
        }
    }

    pub fn apply(&self, row: &Row, list: &mut Vec<Language>) {
        for (code, name) in self.found(row) {
            if !list.iter().any(|l| l.code == code) {
                values::push_small(list, Language { code, name });
            }
        }
    }
}

/// languages.csv: 1.1 `language` (a name or a list of names), 3.0 `name` and `code`.
pub(crate) fn languages(b: &mut Join, t: &Table) -> Result<(), ImportError> {
    let links = Links::of(t, false);
    let cols = LanguageCols {
        name: t.col_any(&["language", "name"]),
        code: t.col("code"),
    };
    let kind = b.handler(Handler::Language(cols));
    // The same few languages repeat on every row: check each distinct cell once.
    let mut named: FastMap<Box<str>, bool> = FastMap::default();
    let mut failed = None;
    for_each_owned(b, t, |b, row, problems| {
        let key = format!("{}\u{1f}{}", row.get(cols.code), row.get(cols.name));
        let any = match named.get(key.as_str()) {
            Some(&any) => any,
            None => *named.entry(key.into()).or_insert(!cols.found(row).is_empty()),
        };
        if !any {
            problems.skipped(&t.file, Some(row.line), Some("name"), "no language named".into());
            return None;
        }
        match b.target(problems, &t.file, row, &links) {
            Ok(Some(target @ (Target::Service(_) | Target::Location(_)))) => Some((target, kind)),
            Ok(_) => None,
            Err(e) => {
                failed.get_or_insert(e);
                None
            }
        }
    })?;
    failed.map_or(Ok(()), Err)
}

/// Terms by id, each term's parent id, and the terms in file order.
pub(crate) type TermTable = (Terms, FastMap<Box<str>, Box<str>>, Vec<TaxonomyTerm>);

/// Taxonomy terms by id: taxonomy.csv (1.1: id, name, vocabulary), taxonomy_terms.csv
/// (2.0: term, taxonomy; 3.0: code, name, taxonomy_id), with taxonomies.csv names.
/// Held whole: a taxonomy grows with its vocabulary, not with the services.
pub(crate) fn taxonomy_terms(b: &mut Join, t: &Table, vocabularies: &FastMap<Box<str>, String>) -> TermTable {
    let (id, code, name) = (t.col("id"), t.col("code"), t.col_any(&["name", "term"]));
    let (vocab, vocab_id) = (t.col_any(&["vocabulary", "taxonomy"]), t.col("taxonomy_id"));
    let parent = t.col_any(&["parent_id", "parent"]);
    let mut terms = Terms::default();
    let mut parents: FastMap<Box<str>, Box<str>> = FastMap::default();
    let mut ordered = Vec::new();
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
        if !terms.contains_key(tid) {
            ordered.push(term.clone());
            terms.insert(tid.into(), term);
        }
    });
    (terms, parents, ordered)
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
pub(crate) fn vocabularies(b: &mut Join, t: &Table) -> FastMap<Box<str>, String> {
    let (id, name) = (t.col("id"), t.col("name"));
    let mut out = FastMap::default();
    t.for_each_row(&mut b.problems, |row, _| {
        if let (Some(id), Some(name)) = (values::id(row.get(id)), values::clean_line(row.get(name))) {
            out.entry(id.into()).or_insert(name);
        }
    });
    out
}

#[derive(Clone, Copy)]
pub(crate) struct TaxonomyCols {
    term: Col,
}

impl TaxonomyCols {
    pub fn apply(&self, row: &Row, s: &mut Service, terms: &Terms) {
        if let Some(found) = values::id(row.get(self.term)).and_then(|tid| resolve_term(tid, terms)) {
            values::push_unique(&mut s.taxonomy, found);
        }
    }
}

/// A link table from services to taxonomy terms: services_taxonomy.csv (1.1),
/// service_attributes.csv (2.0), or attributes.csv (3.0, `link_id` with `link_entity`).
pub(crate) fn taxonomy_links(b: &mut Join, t: &Table, terms: &Terms, terms_file: &str) -> Result<(), ImportError> {
    let service = t.col("service_id").or_else(|| t.col("link_id"));
    let term = t.col_any(&["taxonomy_term_id", "taxonomy_id"]);
    let entity = t.col_any(&["link_entity", "link_type"]);
    let generic = t.col("link_id").is_some() && t.col("service_id").is_none();
    let kind = b.handler(Handler::Taxonomy(TaxonomyCols { term }));
    for_each_owned(b, t, |b, row, problems| {
        let line = Some(row.line);
        let Some(sid) = values::id(row.get(service)) else {
            problems.skipped(&t.file, line, Some("service_id"), "row has no service_id".into());
            return None;
        };
        let Some(i) = b.service(sid) else {
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
            return None;
        };
        let Some(tid) = values::id(row.get(term)) else {
            problems.skipped(
                &t.file,
                line,
                Some("taxonomy_term_id"),
                "row has no taxonomy term".into(),
            );
            return None;
        };
        if resolve_term(tid, terms).is_none() {
            problems.repaired(
                &t.file,
                line,
                Some("taxonomy_term_id"),
                format!("taxonomy term {tid} not in {terms_file}; dropped"),
            );
            return None;
        }
        Some((Target::Service(i), kind))
    })
}

fn resolve_term(id: &str, terms: &Terms) -> Option<TaxonomyTerm> {
    terms.get(id).cloned().or_else(|| {
        crate::categories::looks_like_airs(id).then(|| TaxonomyTerm {
            code: id.to_string(),
            ..Default::default()
        })
    })
}

/// HSDS 1.1 `services.taxonomy_ids`: a list of taxonomy ids in the service row.
pub(crate) fn taxonomy_ids(
    s: &mut Service,
    ids: &str,
    line: u64,
    (services_file, terms_file): (&str, &str),
    terms: &Terms,
    problems: &mut Problems,
) {
    for tid in ids.split([',', ';']).filter_map(values::id) {
        match resolve_term(tid, terms) {
            Some(term) => values::push_unique(&mut s.taxonomy, term),
            None => problems.repaired(
                services_file,
                Some(line),
                Some("taxonomy_ids"),
                format!("taxonomy term {tid} not in {terms_file}; dropped"),
            ),
        }
    }
}

/// A table of one text value per service row: eligibility.csv, required_documents.csv,
/// service_areas.csv, cost_options.csv.
#[derive(Clone, Copy)]
pub(crate) enum PerService {
    Eligibility,
    RequiredDocuments,
    ServiceAreas,
    CostOptions,
}

#[derive(Clone, Copy)]
pub(crate) struct PerServiceCols {
    text: Col,
    desc: Col,
    amount: Col,
    currency: Col,
    min_age: Col,
    max_age: Col,
}

impl PerServiceCols {
    /// Applies a row to its service; problems with its ages go to `problems`.
    fn apply_in(&self, kind: PerService, row: &Row, s: &mut Service, file: &str, problems: &mut Problems) {
        let line = Some(row.line);
        match kind {
            PerService::Eligibility => {
                if let Some(e) = values::clean(row.get(self.text)) {
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
                    (self.min_age, "minimum_age", &mut s.min_age),
                    (self.max_age, "maximum_age", &mut s.max_age),
                ] {
                    match values::age(row.get(c)) {
                        Ok(Some(a)) if slot.is_none() => *slot = Some(a),
                        Ok(_) => {}
                        Err(reason) => problems.repaired(file, line, Some(field), format!("{reason}; dropped")),
                    }
                }
            }
            PerService::RequiredDocuments => {
                if let Some(d) = values::clean(row.get(self.text)) {
                    values::push_unique(&mut s.required_documents, d);
                }
            }
            PerService::ServiceAreas => {
                if let Some(a) =
                    values::clean_line(row.get(self.text)).or_else(|| values::clean_line(row.get(self.desc)))
                {
                    values::push_unique(&mut s.service_areas, a);
                }
            }
            PerService::CostOptions => {
                if values::amount_is_zero(row.get(self.amount)) {
                    s.free = Some(true);
                }
                if let Some(line) = values::cost_option_text(
                    row.get(self.text),
                    row.get(self.amount),
                    row.get(self.currency),
                    row.get(self.desc),
                ) {
                    append_note(&mut s.fees, line);
                }
            }
        }
    }

    pub fn apply(&self, kind: PerService, row: &Row, s: &mut Service) {
        self.apply_in(kind, row, s, "", &mut Problems::default());
    }
}

pub(crate) fn per_service(b: &mut Join, t: &Table, kind: PerService) -> Result<(), ImportError> {
    let service = t.col("service_id");
    let cols = PerServiceCols {
        text: match kind {
            PerService::Eligibility => t.col("eligibility"),
            PerService::RequiredDocuments => t.col("document"),
            PerService::ServiceAreas => t.col_any(&["service_area", "name"]),
            PerService::CostOptions => t.col("option"),
        },
        desc: t.col_any(&["description", "amount_description"]),
        amount: t.col("amount"),
        currency: t.col("currency"),
        min_age: t.col("minimum_age"),
        max_age: t.col("maximum_age"),
    };
    let handler = b.handler(Handler::PerService(kind, cols));
    for_each_owned(b, t, |b, row, problems| {
        let line = Some(row.line);
        let Some(sid) = values::id(row.get(service)) else {
            problems.skipped(&t.file, line, Some("service_id"), "row has no service_id".into());
            return None;
        };
        let Some(i) = b.service(sid) else {
            problems.skipped(
                &t.file,
                line,
                Some("service_id"),
                format!("service {sid} not in services.csv"),
            );
            return None;
        };
        if let PerService::Eligibility = kind {
            // The ages' problems, reported now; the value is built in the second pass.
            cols.apply_in(kind, row, &mut Service::default(), &t.file, problems);
        }
        Some((Target::Service(i), handler))
    })
}
