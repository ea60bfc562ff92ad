//! The relevance harness: judged queries against a real directory, navigator and SQLite
//! FTS5 over the same services and fields in the same run.
//!
//! navigator: `Engine::search` with the default synonyms and everyday terms, as a navigator
//! types the query (the last word still being typed), one row per program. FTS5: the same
//! table as the keystroke baseline (name, organization, description, taxonomy names,
//! municipality), every word AND-ed, the last one as a prefix, ranked by bm25.
//! Measures are in `judged`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use navigator_index::grouping::group_key;
use navigator_index::import::{import_path_with, Format, Options};
use navigator_index::{Engine, SearchRequest, Service, Synonyms};
use rusqlite::Connection;

use crate::judged::{self, Judged, Scored, Summary, DEPTH};

/// A directory with its judged queries.
pub struct Set {
    pub name: &'static str,
    pub path: PathBuf,
    pub judged: &'static str,
}

/// The judged directories: DC 211 from the shared data, the demo from assets.
pub fn sets(shared: &Path, workspace: &Path) -> Vec<Set> {
    vec![
        Set {
            name: "DC 211 (iCarol export)",
            path: shared.join("icarol-csv-dc211/211.csv"),
            judged: judged::DC211,
        },
        Set {
            name: "demo (French queries)",
            path: workspace.join("assets/demo"),
            judged: judged::DEMO,
        },
    ]
}

pub struct Engines {
    pub navigator: Vec<Scored>,
    pub fts5: Vec<Scored>,
}

impl Engines {
    pub fn navigator_summary(&self) -> Summary {
        judged::summarize(&self.navigator)
    }
    pub fn fts5_summary(&self) -> Summary {
        judged::summarize(&self.fts5)
    }
}

pub struct Directory {
    pub name: &'static str,
    pub path: PathBuf,
    /// Services imported, or why the directory was not measured.
    pub measured: Result<(usize, Engines), String>,
}

pub fn run(sets: Vec<Set>) -> anyhow::Result<Vec<Directory>> {
    let mut out = Vec::new();
    for set in sets {
        if !set.path.exists() {
            out.push(Directory {
                name: set.name,
                measured: Err(format!("{} is not there", set.path.display())),
                path: set.path,
            });
            continue;
        }
        crate::progress(&format!("  relevance: {}", set.name));
        let judged = judged::parse(set.judged).with_context(|| format!("judged queries of {}", set.name))?;
        let services = import_path_with(&set.path, Format::Auto, Options::default())
            .with_context(|| format!("importing {}", set.path.display()))?
            .services;
        let engines = measure(&services, &judged).with_context(|| set.name.to_string())?;
        out.push(Directory {
            name: set.name,
            path: set.path,
            measured: Ok((services.len(), engines)),
        });
    }
    Ok(out)
}

fn measure(services: &[Service], judged: &[Judged]) -> anyhow::Result<Engines> {
    let engine = Engine::in_memory()?;
    let mut writer = engine.writer()?;
    for s in services {
        writer.add(s)?;
    }
    writer.commit(1)?;
    engine.reload()?;
    let mut conn = Connection::open_in_memory()?;
    crate::fts5::insert(&mut conn, services)?;
    let synonyms = Synonyms::defaults();
    let mut navigator = Vec::new();
    let mut fts5 = Vec::new();
    for j in judged {
        let relevant: Vec<&Service> = services.iter().filter(|s| judged::relevant(s, &j.families)).collect();
        anyhow::ensure!(
            !relevant.is_empty(),
            "{:?}: nothing in the directory is filed under {:?}",
            j.query,
            j.families
        );
        let mut programs: Vec<u64> = relevant.iter().map(|s| group_key(s)).collect();
        programs.sort_unstable();
        programs.dedup();

        let mut request = SearchRequest::new(j.query.clone());
        request.limit = DEPTH;
        let hits = engine.search(&request, &synonyms)?.hits;
        let rows: Vec<bool> = hits.iter().map(|h| judged::relevant(&h.service, &j.families)).collect();
        if std::env::var("RELEVANCE_SHOW").is_ok_and(|q| q == j.query) {
            // For looking into one query: its rows, relevant ones marked.
            eprintln!("{:?} ({} relevant programs):", j.query, programs.len());
            for (h, r) in hits.iter().zip(&rows).take(10) {
                let codes: Vec<&str> = h
                    .service
                    .taxonomy
                    .iter()
                    .map(|t| t.code.as_str())
                    .filter(|c| !c.is_empty())
                    .collect();
                let mark = if *r { "+" } else { " " };
                eprintln!("  {mark} {:.2} {} {:?}", h.score, h.service.name, codes);
            }
        }
        navigator.push(judged::score(j, &rows, programs.len()));

        let ids = crate::fts5::ranked(&conn, &j.query, DEPTH)?;
        let rows: Vec<bool> = ids
            .iter()
            .filter_map(|id| services.get((*id - 1) as usize))
            .map(|s| judged::relevant(s, &j.families))
            .collect();
        fts5.push(judged::score(j, &rows, relevant.len()));
    }
    Ok(Engines { navigator, fts5 })
}

/// The share by which navigator's P@10 beats FTS5's (0.3 is 30% better).
pub fn gain(nav: f64, fts: f64) -> Option<f64> {
    (fts > 0.0).then(|| nav / fts - 1.0)
}
