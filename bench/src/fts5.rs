//! The baseline: the same corpus and the same keystrokes against SQLite FTS5 (rusqlite,
//! bundled), done the way one would do it without navigator's engine.
//!
//! Table: name, organization, description, taxonomy names, municipality (searched), plus
//! navigator's category slugs in their own column (filtered with a column filter), and a
//! plain `geo` table of coordinates for the radius variant (a bounding box: FTS5 cannot
//! rank by distance). Each keystroke: completed words AND-ed, the last word as a prefix
//! (`"word"*`), every word quoted, `ORDER BY rank LIMIT 20`, plus a `count(*)`.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use navigator_index::geo::Point;
use navigator_index::import::{import_path, Format};
use rusqlite::{params, Connection};

use crate::queries::{self, Keystrokes, Query, Variant, MUNICIPALITY, WITHIN_KM};

pub struct FtsFigures {
    pub services: usize,
    /// Reading the corpus + inserting in one transaction + `optimize`.
    pub import: Duration,
    pub read: Duration,
    pub insert: Duration,
    pub optimize: Duration,
    pub db_bytes: u64,
    pub keystrokes: Keystrokes,
}

const SCHEMA: &str = "
CREATE VIRTUAL TABLE fts USING fts5(
    name, organization, description, taxonomy, municipality, categories,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE TABLE geo(id INTEGER PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL);
";

/// The columns free text is matched against.
const TEXT_COLUMNS: &str = "{name organization description taxonomy municipality}";

pub fn check_fts5() -> anyhow::Result<()> {
    let conn = Connection::open_in_memory()?;
    let on: i64 = conn.query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| r.get(0))?;
    if on != 1 {
        bail!("this SQLite was compiled without FTS5 (ENABLE_FTS5): the baseline cannot run");
    }
    conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(x)")
        .context("FTS5 is listed as compiled in but CREATE VIRTUAL TABLE ... USING fts5 failed")?;
    Ok(())
}

/// A category slug as one token ("mental-health" would be two, and match "health").
fn category_token(slug: &str) -> String {
    slug.chars().filter(|c| c.is_alphanumeric()).collect()
}

pub fn build(corpus: &Path, db: &Path) -> anyhow::Result<(Connection, FtsFigures)> {
    check_fts5()?;
    if db.exists() {
        std::fs::remove_file(db)?;
    }
    let start = Instant::now();
    let import = import_path(corpus, Format::Auto).with_context(|| format!("reading {}", corpus.display()))?;
    let read = start.elapsed();
    let mut conn = Connection::open(db)?;
    insert(&mut conn, &import.services)?;
    let insert = start.elapsed() - read;
    let before_optimize = Instant::now();
    conn.execute("INSERT INTO fts(fts) VALUES('optimize')", [])?;
    let optimize = before_optimize.elapsed();
    let import_time = start.elapsed();
    let services = import.services.len();
    drop(import);
    let db_bytes = std::fs::metadata(db)?.len();
    Ok((
        conn,
        FtsFigures {
            services,
            import: import_time,
            read,
            insert,
            optimize,
            db_bytes,
            keystrokes: Keystrokes::default(),
        },
    ))
}

/// Creates the tables and inserts `services` in one transaction, service `i` as rowid `i + 1`.
pub fn insert(conn: &mut Connection, services: &[navigator_index::Service]) -> anyhow::Result<()> {
    conn.execute_batch(SCHEMA)?;
    let tx = conn.transaction()?;
    {
        let mut fts = tx.prepare(
            "INSERT INTO fts(rowid, name, organization, description, taxonomy, municipality, categories)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut geo = tx.prepare("INSERT INTO geo(id, lat, lon) VALUES (?1, ?2, ?3)")?;
        for (i, s) in services.iter().enumerate() {
            let rowid = i as i64 + 1;
            let taxonomy: Vec<&str> = s.taxonomy.iter().map(|t| t.name.as_str()).collect();
            let categories: Vec<String> = s.categories.iter().map(|c| category_token(c)).collect();
            fts.execute(params![
                rowid,
                s.name,
                s.organization.name,
                s.description.as_deref().unwrap_or(""),
                taxonomy.join(" "),
                s.municipality().unwrap_or(""),
                categories.join(" "),
            ])?;
            if let Some((lat, lon)) = s.coordinates() {
                geo.execute(params![rowid, lat, lon])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// The best `limit` rowids for typed text, by FTS5's own rank (bm25), no filter.
pub fn ranked(conn: &Connection, text: &str, limit: usize) -> anyhow::Result<Vec<i64>> {
    let any = queries::QUERIES[0];
    let Some(expr) = match_expr(text, &any, Variant::Plain) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached("SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2")?;
    let rows = stmt.query_map(params![expr, limit as i64], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The MATCH expression for what is typed: words AND-ed, the last one a prefix unless a
/// space follows it, each quoted (doubling quotes) so nothing typed is query syntax.
pub fn match_expr(text: &str, query: &Query, variant: Variant) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    if words.is_empty() {
        return None;
    }
    let last_is_prefix = !text.ends_with(char::is_whitespace);
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let quoted = format!("\"{}\"", w.replace('"', "\"\""));
            if last_is_prefix && i == words.len() - 1 {
                format!("{quoted}*")
            } else {
                quoted
            }
        })
        .collect();
    let mut expr = format!("{TEXT_COLUMNS} : ({})", terms.join(" AND "));
    match variant {
        Variant::Category => {
            expr.push_str(&format!(" AND categories : \"{}\"", category_token(query.category)));
        }
        Variant::Municipality => {
            expr.push_str(&format!(
                " AND municipality : \"{}\"",
                MUNICIPALITY.replace('"', "\"\"")
            ));
        }
        Variant::Plain | Variant::Near => {}
    }
    Some(expr)
}

/// A box of `km` around `origin` (lat/lon bounds).
fn bounding_box(origin: Point, km: f64) -> [f64; 4] {
    let dlat = km / 111.32;
    let dlon = km / (111.32 * origin.lat.to_radians().cos().max(0.01));
    [
        origin.lat - dlat,
        origin.lat + dlat,
        origin.lon - dlon,
        origin.lon + dlon,
    ]
}

/// One keystroke: the top 20 (name and organization read, as a screen would) and the count.
fn search(
    conn: &Connection,
    text: &str,
    query: &Query,
    variant: Variant,
    bbox: Option<[f64; 4]>,
) -> anyhow::Result<usize> {
    let Some(expr) = match_expr(text, query, variant) else {
        return Ok(0);
    };
    let read_rows = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> anyhow::Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            let org: String = row.get(2)?;
            std::hint::black_box((name, org));
        }
        Ok(())
    };
    let count: i64 = match (variant, bbox) {
        (Variant::Near, Some([la0, la1, lo0, lo1])) => {
            // CROSS JOIN keeps FTS5 as the outer loop: match, then look coordinates up.
            read_rows(
                "SELECT fts.rowid, fts.name, fts.organization FROM fts CROSS JOIN geo ON geo.id = fts.rowid
                 WHERE fts MATCH ?1 AND geo.lat BETWEEN ?2 AND ?3 AND geo.lon BETWEEN ?4 AND ?5
                 ORDER BY fts.rank LIMIT 20",
                &[&expr, &la0, &la1, &lo0, &lo1],
            )?;
            conn.prepare_cached(
                "SELECT count(*) FROM fts CROSS JOIN geo ON geo.id = fts.rowid
                 WHERE fts MATCH ?1 AND geo.lat BETWEEN ?2 AND ?3 AND geo.lon BETWEEN ?4 AND ?5",
            )?
            .query_row(params![expr, la0, la1, lo0, lo1], |r| r.get(0))?
        }
        _ => {
            read_rows(
                "SELECT rowid, name, organization FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT 20",
                &[&expr],
            )?;
            conn.prepare_cached("SELECT count(*) FROM fts WHERE fts MATCH ?1")?
                .query_row(params![expr], |r| r.get(0))?
        }
    };
    Ok(count as usize)
}

/// Builds the FTS5 database from the corpus and runs the keystroke workload on it.
/// `origin` is the centre navigator resolved for the radius variant.
pub fn run(corpus: &Path, db: &Path, origin: Option<Point>) -> anyhow::Result<FtsFigures> {
    let (conn, mut figures) = build(corpus, db)?;
    crate::progress(&format!(
        "  FTS5 import: {} services in {:.1} s (read {:.1} s, insert {:.1} s, optimize {:.1} s)",
        figures.services,
        figures.import.as_secs_f64(),
        figures.read.as_secs_f64(),
        figures.insert.as_secs_f64(),
        figures.optimize.as_secs_f64()
    ));
    let bbox = origin.map(|o| bounding_box(o, WITHIN_KM));
    figures.keystrokes = queries::run("FTS5", &mut |text, query, variant| {
        search(&conn, text, query, variant, bbox)
            .with_context(|| format!("FTS5 query for {text:?} ({})", variant.label()))
    })?;
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> Query {
        queries::QUERIES[3] // "mental helth", mental-health
    }

    #[test]
    fn last_word_is_a_prefix_until_a_space_follows() {
        assert_eq!(
            match_expr("food ba", &q(), Variant::Plain).unwrap(),
            format!("{TEXT_COLUMNS} : (\"food\" AND \"ba\"*)")
        );
        assert_eq!(
            match_expr("food ", &q(), Variant::Plain).unwrap(),
            format!("{TEXT_COLUMNS} : (\"food\")")
        );
        assert_eq!(match_expr("  ", &q(), Variant::Plain), None);
    }

    #[test]
    fn quotes_are_text_and_filters_are_column_filters() {
        let e = match_expr("a\"b", &q(), Variant::Category).unwrap();
        assert!(e.contains("\"a\"\"b\"*"), "{e}");
        assert!(e.ends_with("AND categories : \"mentalhealth\""), "{e}");
        let e = match_expr("x", &q(), Variant::Municipality).unwrap();
        assert!(e.ends_with("AND municipality : \"Toronto\""), "{e}");
    }

    #[test]
    fn fts5_is_compiled_in_and_answers_prefix_queries() {
        check_fts5().unwrap();
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn.execute(
            "INSERT INTO fts(rowid, name, organization, description, taxonomy, municipality, categories)
             VALUES (1, 'Hôpital Food Bank', 'Org', '', '', 'Toronto', 'food')",
            [],
        )
        .unwrap();
        conn.execute("INSERT INTO geo VALUES (1, 43.65, -79.38)", []).unwrap();
        let bbox = Some(bounding_box(Point { lat: 43.7, lon: -79.4 }, 25.0));
        let food = queries::QUERIES[0];
        for variant in Variant::ALL {
            assert_eq!(
                search(&conn, "food ba", &food, variant, bbox).unwrap(),
                1,
                "{variant:?}"
            );
        }
        assert_eq!(search(&conn, "hopital", &food, Variant::Plain, bbox).unwrap(), 1);
        assert_eq!(search(&conn, "mental helth", &q(), Variant::Plain, bbox).unwrap(), 0);
    }
}
