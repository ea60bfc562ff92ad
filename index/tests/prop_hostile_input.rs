//! Property tests: importers and the query path take whatever they are given. Real exports
//! are valid skeletons with damage mixed in (stray bytes, cut files, wrong types), so the
//! inputs here are the fixtures with random bytes and random JSON spliced in. Whatever
//! happens: no panic, the call returns, and an error is an `ImportError` naming the input.

mod common;

use std::path::{Path, PathBuf};

use navigator_index::import::{import_path, Format, ImportError};
use navigator_index::{Engine, Near, SearchRequest, Synonyms};
use proptest::prelude::*;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The error names the import path (a folder's errors may name a file inside it).
fn assert_names_input(e: &ImportError, path: &Path) {
    let text = e.to_string();
    let named = path.display().to_string();
    assert!(text.contains(&named), "the error does not name {named}: {text}");
}

/// One change to a file of the skeleton.
#[derive(Debug, Clone)]
enum Damage {
    /// Splice these bytes in at this fraction of the file.
    Insert(f64, Vec<u8>),
    /// Cut the file at this fraction.
    Truncate(f64),
    /// Overwrite a stretch at this fraction with these bytes.
    Overwrite(f64, Vec<u8>),
    /// Replace the whole file.
    Replace(Vec<u8>),
}

fn damage() -> impl Strategy<Value = Damage> {
    // Bytes that matter to CSV and JSON parsers, plus anything at all.
    let interesting = prop::sample::select(vec![
        b",".to_vec(),
        b"\"".to_vec(),
        b"\n".to_vec(),
        b"\r\n".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xFF\xFE".to_vec(),
        b"\0".to_vec(),
        b"{".to_vec(),
        b"]".to_vec(),
        b"\x1b[2J".to_vec(),
        "é".as_bytes().to_vec(),
        b"9999999999999999999999".to_vec(),
        b"-1".to_vec(),
    ]);
    let bytes = prop_oneof![prop::collection::vec(any::<u8>(), 0..40), interesting,];
    prop_oneof![
        4 => (0.0..1.0f64, bytes.clone()).prop_map(|(at, b)| Damage::Insert(at, b)),
        1 => (0.0..1.0f64).prop_map(Damage::Truncate),
        2 => (0.0..1.0f64, bytes).prop_map(|(at, b)| Damage::Overwrite(at, b)),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Damage::Replace),
    ]
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    let at = |f: f64, len: usize| ((len as f64) * f) as usize;
    match damage {
        Damage::Insert(f, b) => {
            let i = at(*f, bytes.len()).min(bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Damage::Truncate(f) => {
            let i = at(*f, bytes.len());
            bytes.truncate(i);
        }
        Damage::Overwrite(f, b) => {
            let i = at(*f, bytes.len()).min(bytes.len());
            let end = (i + b.len()).min(bytes.len());
            bytes.splice(i..end, b.iter().copied());
        }
        Damage::Replace(b) => *bytes = b.clone(),
    }
}

/// A copy of a fixture folder with damage applied to some of its files.
fn damaged_folder(fixture_name: &str, damages: &[(usize, Damage)]) -> tempfile::TempDir {
    let src = fixture(fixture_name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let dir = tempfile::tempdir().unwrap();
    let mut contents: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    for (which, d) in damages {
        let i = which % contents.len();
        apply(&mut contents[i], d);
    }
    for (file, bytes) in files.iter().zip(contents) {
        std::fs::write(dir.path().join(file.file_name().unwrap()), bytes).unwrap();
    }
    dir
}

/// Any JSON value, small.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path (object keys and array indexes) in `v`.
fn paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(k.clone());
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                prefix.push(i.to_string());
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn replace_at(v: &mut Value, path: &[String], new: Value) {
    let mut cur = v;
    for key in path {
        cur = match cur {
            Value::Object(m) => match m.get_mut(key) {
                Some(c) => c,
                None => return,
            },
            Value::Array(a) => match key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(c) => c,
                None => return,
            },
            _ => return,
        };
    }
    *cur = new;
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // Shrinking re-runs imports many times; the first failure is informative enough.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_folders_with_damage_import_or_fail_cleanly(
        which in prop::sample::select(vec!["hsds-3.0-csv", "hsds-1.1", "hsds-2.0", "quirks"]),
        damages in prop::collection::vec((any::<usize>(), damage()), 1..6),
    ) {
        let dir = damaged_folder(which, &damages);
        if let Err(e) = import_path(dir.path(), Format::Auto) {
            assert_names_input(&e, dir.path());
        }
    }

    #[test]
    fn json_with_random_values_spliced_in_imports_or_fails_cleanly(
        which in prop::sample::select(vec!["service.json", "services.json", "service_list.json"]),
        picks in prop::collection::vec((any::<usize>(), json_value()), 1..6),
        lines in any::<bool>(),
    ) {
        let text = std::fs::read_to_string(fixture("hsds-3.0-json").join(which)).unwrap();
        let mut value: Value = serde_json::from_str(&text).unwrap();
        for (pick, new) in picks {
            let mut all = Vec::new();
            paths(&value, &mut Vec::new(), &mut all);
            if all.is_empty() {
                value = new;
                continue;
            }
            let path = all[pick % all.len()].clone();
            replace_at(&mut value, &path, new);
        }
        let dir = tempfile::tempdir().unwrap();
        let (name, body) = if lines {
            // JSON Lines: each element of an array (or the value) on its own line.
            let items = match &value {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            let body: Vec<String> = items.iter().map(|v| v.to_string()).collect();
            ("services.jsonl", body.join("\n"))
        } else {
            ("services.json", serde_json::to_string_pretty(&value).unwrap())
        };
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        if let Err(e) = import_path(&path, Format::Auto) {
            assert_names_input(&e, &path);
        }
    }

    #[test]
    fn json_files_with_damaged_bytes_import_or_fail_cleanly(
        which in prop::sample::select(vec!["service.json", "services.json", "services.jsonl", "service_list.json"]),
        damages in prop::collection::vec(damage(), 1..5),
    ) {
        let mut bytes = std::fs::read(fixture("hsds-3.0-json").join(which)).unwrap();
        for d in &damages {
            apply(&mut bytes, d);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(which);
        std::fs::write(&path, bytes).unwrap();
        if let Err(e) = import_path(&path, Format::Auto) {
            assert_names_input(&e, &path);
        }
    }

    #[test]
    fn any_query_text_searches_without_panicking(
        text in prop_oneof![
            ".{0,60}",
            "[\"':()\\[\\]*~^+\\-!&|\\\\/ ]{0,30}",
            prop::collection::vec(any::<char>(), 0..40).prop_map(|c| c.into_iter().collect::<String>()),
        ],
        place in prop::option::of(".{0,12}"),
        within in prop::option::of(0.0..500.0f64),
        offset in 0usize..30,
    ) {
        let engine = engine();
        let mut request = SearchRequest::new(text);
        request.near = place.map(Near::Place);
        request.within_km = within;
        request.offset = offset;
        request.facets = true;
        // Unknown places are an error, not a panic; everything else returns results.
        if let Ok(results) = engine.search(&request, &Synonyms::defaults()) {
            prop_assert!(results.hits.len() <= request.limit);
        }
    }
}

/// A small catalogue, built once per process.
fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        use common::svc;
        common::engine(vec![
            svc("food", "Northside Food Bank", "Groceries for families").at("Sudbury", Some(46.49), Some(-80.99)),
            svc("shelter", "Emergency Shelter", "Beds for people who are homeless").at(
                "Ottawa",
                Some(45.42),
                Some(-75.69),
            ),
            svc("hopital", "Hôpital Montfort", "Soins de santé en français").fr(),
        ])
    })
}
