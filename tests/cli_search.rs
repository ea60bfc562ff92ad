//! `navigator search`, `show` and `index` on the built-in demo directory.

mod common;

use common::Data;
use serde_json::Value;

#[test]
fn first_use_installs_the_demo_and_says_so_once() {
    let d = Data::new();
    let out = d.nav().args(["search", "food", "bank", "--json"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("built-in demo directory"), "{stderr}");
    assert!(stderr.contains("navigator import PATH"), "{stderr}");
    let again = d.nav().args(["search", "food", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).is_empty(), "said only once");
}

#[test]
fn json_hits_have_every_documented_field() {
    let d = Data::new();
    let hits = d.json_lines(&["search", "food", "bank", "--json", "--limit", "5"]);
    assert_eq!(hits.len(), 5);
    for hit in &hits {
        for key in [
            "id",
            "name",
            "organization",
            "categories",
            "audiences",
            "municipality",
            "address",
            "phones",
            "languages",
            "open_now",
            "distance_km",
            "score",
        ] {
            assert!(hit.get(key).is_some(), "missing {key} in {hit}");
        }
        assert!(hit["id"].as_str().unwrap().starts_with("svc-"));
        assert!(hit["phones"].as_array().unwrap().iter().all(Value::is_string));
        assert!(hit["distance_km"].is_null(), "no --near, no distance");
        assert!(hit["open_now"].is_boolean() || hit["open_now"].is_null());
        assert!(hit["score"].as_f64().unwrap() > 0.0);
    }
    assert!(
        hits[0]["categories"].as_array().unwrap().iter().any(|c| c == "food"),
        "{}",
        hits[0]
    );
}

#[test]
fn filters_and_geo_from_the_command_line() {
    let d = Data::new();
    let hits = d.json_lines(&[
        "search",
        "--category",
        "housing",
        "--municipality",
        "Toronto",
        "--json",
        "--limit",
        "50",
    ]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(h["categories"].as_array().unwrap().iter().any(|c| c == "housing"));
        assert_eq!(h["municipality"], "Toronto");
    }
    let near = d.json_lines(&[
        "search", "food", "--near", "Sudbury", "--within", "30", "--json", "--limit", "50",
    ]);
    assert!(!near.is_empty());
    let distances: Vec<f64> = near.iter().filter_map(|h| h["distance_km"].as_f64()).collect();
    assert!(distances.iter().all(|&d| d <= 30.0), "{distances:?}");
    let french = d.json_lines(&["search", "--language", "French", "--json", "--limit", "100"]);
    assert!(!french.is_empty());
    assert!(french
        .iter()
        .all(|h| h["languages"].as_array().unwrap().iter().any(|l| l == "fr")));
}

#[test]
fn french_accents_and_hostile_text() {
    let d = Data::new();
    let hits = d.json_lines(&["search", "hopital", "--json"]);
    assert!(
        hits.iter()
            .any(|h| h["name"].as_str().unwrap().to_lowercase().contains("hôpital")),
        "{hits:?}"
    );
    for hostile in [
        "\"food",
        "name:food",
        "(food",
        "food*",
        "food -bank",
        "[",
        "\u{1b}[2J",
        "a:b\"(*",
    ] {
        d.ok(&["search", hostile]);
    }
    // A word that starts with "-" follows the usual rule for command lines: after "--".
    d.ok(&["search", "--json", "--", "-food"]);
}

#[test]
fn bad_values_are_clear_errors() {
    let d = Data::new();
    let out = d.nav().args(["search", "--category", "fod"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--category fod: expected one of food,"), "{err}");
    // An unknown place is a usage error naming it, never a filter that filters nothing.
    let out = d.nav().args(["search", "--near", "Atlantis"]).output().unwrap();
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown place \"Atlantis\""));
    let out = d.nav().args(["search", "food", "--near", "33125"]).output().unwrap();
    assert_eq!(out.status.code(), Some(64), "the demo is in Ontario");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"33125\"") && err.contains("ZIP code 33125"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn facets_in_human_and_json_output() {
    let d = Data::new();
    let lines = d.json_lines(&["search", "shelter", "--facets", "--json"]);
    let last = lines.last().unwrap();
    assert!(last["total"].as_u64().unwrap() >= (lines.len() - 1) as u64);
    let cats = last["facets"]["categories"].as_array().unwrap();
    assert!(
        cats.iter()
            .any(|c| c["value"] == "housing" && c["count"].as_u64().unwrap() > 0),
        "{cats:?}"
    );
    let human = d.ok(&["search", "shelter", "--facets"]);
    assert!(
        human.contains("Categories") && human.contains("Municipalities"),
        "{human}"
    );
}

#[test]
fn show_prints_the_whole_record() {
    let d = Data::new();
    let id = d.json_lines(&["search", "food", "bank", "--json", "--limit", "1"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let text = d.ok(&["show", &id]);
    for label in [
        "Organization",
        "Main",
        "Address",
        "Today",
        "Monday",
        "Languages",
        "Categories",
        "Last verified",
    ] {
        assert!(text.contains(label), "missing {label}:\n{text}");
    }
    let json: Value = serde_json::from_str(&d.ok(&["show", &id, "--json"])).unwrap();
    assert_eq!(json["id"], id.as_str());
    let out = d.nav().args(["show", "no-such-id"]).output().unwrap();
    assert_eq!(out.status.code(), Some(66));
}

#[test]
fn index_stats_and_rebuild() {
    let d = Data::new();
    let stats: Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    for key in [
        "services",
        "organizations",
        "locations",
        "index_bytes",
        "last_import",
        "schema_version",
    ] {
        assert!(stats.get(key).is_some(), "missing {key}");
    }
    let services = stats["services"].as_u64().unwrap();
    assert!((400..=600).contains(&services), "{services}");
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    assert_eq!(stats["source"], "demo");
    d.ok(&["index", "rebuild"]);
    let after: Value = serde_json::from_str(&d.ok(&["index", "stats", "--json"])).unwrap();
    assert_eq!(after["services"], stats["services"]);
    assert_eq!(d.json_lines(&["search", "food", "--json", "--limit", "3"]).len(), 3);
}

#[test]
fn a_deleted_index_is_rebuilt_from_the_catalogue() {
    let d = Data::new();
    let before = d.json_lines(&["search", "shelter", "--json"]);
    std::fs::remove_dir_all(d.path().join("data/index")).unwrap();
    let after = d.json_lines(&["search", "shelter", "--json"]);
    let ids = |v: &[Value]| v.iter().map(|h| h["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&before), ids(&after));
}

#[test]
fn a_bad_keys_config_is_a_clear_error_naming_the_key() {
    let d = Data::new();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    let config = d.path().join("config/config.toml");
    std::fs::write(&config, "[keys]\nselect-next = [\"ctrl-banana\"]\n").unwrap();
    let out = d.nav().output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml") && err.contains("[keys] select-next") && err.contains("ctrl-banana"),
        "{err}"
    );
    std::fs::write(&config, "[keys\nbroken").unwrap();
    let out = d.nav().output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml") && err.contains("line"), "{err}");
}
