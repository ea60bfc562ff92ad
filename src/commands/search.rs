//! `navigator search QUERY...`: the catalogue from the command line.

use std::io::Write;
use std::path::Path;

use navigator_index::geo::parse_lat_lon;
use navigator_index::search::Facets;
use navigator_index::{categories, grouping, languages, Filters, Hit, Near, SearchError, SearchRequest, SearchResults};
use serde::Serialize;

use crate::catalogue::{index_failure, Catalogue, Searchable};
use crate::cli::SearchArgs;
use crate::exit::{Failure, OK};
use crate::output::{width, Table};

/// One search hit as `--json` prints it, one object per line. Stable: fields are only added.
#[derive(Serialize)]
pub struct JsonHit<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub organization: &'a str,
    pub categories: &'a [String],
    pub audiences: &'a [String],
    pub municipality: Option<&'a str>,
    pub address: Option<String>,
    pub phones: Vec<String>,
    pub languages: Vec<&'a str>,
    pub open_now: Option<bool>,
    /// When a closed service opens next, "Wed 8:30" in its zone; null when open or unknown.
    pub opens_next: Option<String>,
    pub distance_km: Option<f64>,
    pub score: f32,
    /// What the source says against referring: "inactive", "do not refer", "not public".
    pub marks: Vec<&'static str>,
    /// True when the service answers only some of the query's words.
    pub partial: bool,
    /// Distinct locations of the program this object stands for (1 for one site).
    pub locations: usize,
    /// The program's other records, nearest (or best) first.
    pub sites: Vec<JsonSite<'a>>,
}

/// Another site of a program, in `sites`.
#[derive(Serialize)]
pub struct JsonSite<'a> {
    pub id: &'a str,
    pub municipality: Option<&'a str>,
    pub address: Option<&'a str>,
    pub distance_km: Option<f64>,
}

fn km(d: Option<f64>) -> Option<f64> {
    d.map(|d| (d * 100.0).round() / 100.0)
}

impl<'a> JsonHit<'a> {
    pub fn new(hit: &'a Hit) -> JsonHit<'a> {
        let s = &hit.service;
        JsonHit {
            id: &s.id,
            name: &s.name,
            organization: &s.organization.name,
            categories: &s.categories,
            audiences: &s.audiences,
            municipality: s.municipality(),
            address: s.address_line(),
            phones: s.phones.iter().map(|p| p.display()).collect(),
            languages: s.languages.iter().map(|l| l.code.as_str()).collect(),
            open_now: hit.open_now,
            opens_next: hit.opens_next.map(navigator_index::hours::opening_text),
            distance_km: km(hit.distance_km),
            score: hit.score,
            marks: crate::record::short_marks(s),
            partial: hit.partial,
            locations: hit.locations,
            sites: hit
                .sites
                .iter()
                .map(|site| JsonSite {
                    id: &site.id,
                    municipality: site.municipality.as_deref(),
                    address: site.address.as_deref(),
                    distance_km: km(site.distance_km),
                })
                .collect(),
        }
    }
}

pub fn run(args: &SearchArgs, data_dir: &Path) -> Result<u8, Failure> {
    let mut request = request(args)?;
    // Bounded before any work: a limit past the maximum is an error, a long query is cut.
    let cut = navigator_index::request_limits::bound(&mut request).map_err(|e| Failure::data(e.to_string()))?;
    if !cut.is_empty() {
        crate::say!("navigator: {}", cut.note());
    }
    let config = crate::config::Config::load()?;
    let mut settings = config.search_settings()?;
    if args.anywhere {
        settings.home = None;
    }
    let mut opened = Searchable::open(data_dir)?;
    opened.engine_mut().set_settings(settings);
    match &opened {
        Searchable::IndexOnly { location, .. } => crate::say!(
            "navigator: {location}: the database cannot be reached; searching this server's index as it was last updated"
        ),
        Searchable::Catalogue(catalogue) => {
            if let Some(warning) = &catalogue.index_warning {
                crate::say!("navigator: warning: {warning}");
            }
        }
    }
    let synonyms = Catalogue::synonyms()?;
    let mut results = opened.engine().search(&request, &synonyms);
    if let (Err(SearchError::Engine(e)), Searchable::Catalogue(catalogue)) = (&results, &mut opened) {
        if e.needs_rebuild() {
            // Damage only reading could find: rebuild from the catalogue (one rebuild at a
            // time, under the lock) and search again.
            crate::say!("navigator: {e}; rebuilding it from the catalogue");
            tracing::warn!(error = %e, "rebuilding the search index from the catalogue");
            let lock = crate::import_lock::acquire_local(data_dir, std::time::Duration::from_secs(120))?;
            catalogue.rebuild(&lock)?;
            results = catalogue.engine.search(&request, &synonyms);
        }
    }
    let results = results.map_err(|e| match e {
        SearchError::UnknownPlace(_) => Failure::usage(format!("--near: {e}")),
        SearchError::Engine(e) => index_failure(e),
    })?;
    if let Some(home) = &results.unknown_home {
        let file = config.home_origin().detail();
        return Err(Failure::usage(format!(
            "[search] home ({file}): {}; or search with --near PLACE or --anywhere",
            SearchError::UnknownPlace(home.clone())
        )));
    }
    let mut results = crate::confidential::Reader::current()?.results(results);
    // The other sites of each program, for scripts (searching itself does not list them;
    // a confidential site's street is never among what they carry).
    let origin = results.origin.as_ref().map(|o| o.0);
    for hit in results.hits.iter_mut().filter(|h| h.locations > 1) {
        hit.sites = opened.engine().sites(&hit.service.id, origin).map_err(|e| match e {
            SearchError::Engine(e) => index_failure(e),
            other => Failure::software(other.to_string()),
        })?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        for hit in &results.hits {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&JsonHit::new(hit)).expect("hit serializes")
            );
        }
        if let Some(facets) = &results.facets {
            let line = serde_json::json!({
                "total": results.total,
                "complete": results.complete,
                "partial": results.partial,
                "facets": facets,
            });
            let _ = writeln!(out, "{line}");
        }
        return Ok(OK);
    }
    let _ = write_table(&mut out, &results, request.now);
    if let Some(facets) = &results.facets {
        print_facets(&mut out, facets);
    }
    Ok(OK)
}

/// The results as an aligned table, then a line saying how many and from where.
fn write_table(out: &mut impl Write, results: &SearchResults, now: jiff::Timestamp) -> std::io::Result<()> {
    let with_distance = results.origin.is_some();
    let with_sites = results.hits.iter().any(|h| h.locations > 1);
    let mut columns = vec![("Name", true), ("Organization", true), ("Municipality", true)];
    if with_distance {
        columns.push(("km", false));
    }
    if with_sites {
        columns.push(("Sites", false));
    }
    columns.extend([("Open", false), ("Phone", false), ("Id", false)]);
    let mut table = Table::new(&columns);
    for hit in &results.hits {
        let s = &hit.service;
        let marks = crate::record::short_marks(s);
        let partial = if hit.partial { "~ " } else { "" };
        let name = if marks.is_empty() {
            format!("{partial}{}", s.name)
        } else {
            format!("{partial}[{}] {}", marks.join(", "), s.name)
        };
        let mut row = vec![
            name,
            grouping::row_context(s).join(" · "),
            s.municipality().unwrap_or("").to_string(),
        ];
        if with_distance {
            row.push(hit.distance_km.map(|d| format!("{d:.1}")).unwrap_or_else(|| "-".into()));
        }
        if with_sites {
            row.push(hit.locations.to_string());
        }
        // "open to 17:00", "opens Wed 8:30", "?": judged at the moment searched for, in
        // the zone the search judged it in (the record's, else the catalogue's).
        let open = crate::hours_text::short(s, now);
        row.extend([
            open,
            s.phones.first().map(|p| p.display()).unwrap_or_default(),
            s.id.clone(),
        ]);
        table.row(row);
    }
    table.write(out, width())?;
    let shown = results.hits.len();
    let origin = match &results.origin {
        Some((_, Some(name))) if results.home => format!(" near {name} (home area)"),
        Some((p, Some(name))) => format!(" near {name} ({:.3}, {:.3})", p.lat, p.lon),
        Some((p, None)) => format!(" near {:.3}, {:.3}", p.lat, p.lon),
        None => String::new(),
    };
    writeln!(out, "{shown} of {} services{origin}", results.total)?;
    if results.partial {
        let says = match results.complete {
            0 => "no service answers every word".to_string(),
            1 => "1 service answers every word".to_string(),
            n => format!("{n} services answer every word"),
        };
        writeln!(out, "partial matches (~ answers only some of the words): {says}")?;
    }
    Ok(())
}

fn request(args: &SearchArgs) -> Result<SearchRequest, Failure> {
    for c in &args.categories {
        if categories::category(c).is_none() {
            let known: Vec<&str> = categories::CATEGORIES.iter().map(|c| c.slug).collect();
            return Err(Failure::data(format!(
                "--category {c}: expected one of {}",
                known.join(", ")
            )));
        }
    }
    for a in &args.audiences {
        if categories::audience(a).is_none() {
            let known: Vec<&str> = categories::AUDIENCES.iter().map(|c| c.slug).collect();
            return Err(Failure::data(format!(
                "--audience {a}: expected one of {}",
                known.join(", ")
            )));
        }
    }
    if let Some(km) = args.within {
        if !(km.is_finite() && km > 0.0) {
            return Err(Failure::data(format!(
                "--within {km}: expected a positive number of kilometres"
            )));
        }
    }
    let near = args.near.as_deref().map(|n| match parse_lat_lon(n) {
        Some(point) => Near::Point(point),
        None => Near::Place(n.trim().to_string()),
    });
    Ok(SearchRequest {
        text: args.query.join(" "),
        filters: Filters {
            categories: args.categories.clone(),
            audiences: args.audiences.clone(),
            municipalities: args.municipalities.clone(),
            languages: args
                .languages
                .iter()
                .filter_map(|l| languages::resolve(l))
                .map(|l| l.0)
                .collect(),
            open_now: args.open_now,
            free: args.free,
            accessible: args.accessible,
            age: args.age,
        },
        near,
        within_km: args.within,
        limit: args.limit,
        offset: 0,
        facets: args.facets,
        now: crate::clock::now(),
    })
}

fn print_facets(out: &mut impl Write, facets: &Facets) {
    for (title, list) in [
        ("Categories", &facets.categories),
        ("Audiences", &facets.audiences),
        ("Municipalities", &facets.municipalities),
        ("Languages", &facets.languages),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        let mut table = Table::new(&[("Value", true), ("Count", false)]);
        for f in list.iter().take(15) {
            table.row(vec![f.value.clone(), f.count.to_string()]);
        }
        let _ = table.write(out, 40);
    }
}
