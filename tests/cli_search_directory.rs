//! `navigator search` on a directory shaped like a real export (issue 14): a funding
//! program at twelve sites beside services tagged Emergency Shelter, partial matches, the
//! home area, postal codes, and hours read in the catalogue's time zone on a UTC machine.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::Data;
use serde_json::Value;

/// Writes the HSDS 3.0 package and imports it.
fn directory(d: &Data) {
    let dir = d.path().join("export");
    std::fs::create_dir_all(&dir).unwrap();
    let mut services = String::from("id,organization_id,name,description\n");
    let mut sal = String::from("id,service_id,location_id\n");
    let mut locations = String::from("id,organization_id,name,latitude,longitude\n");
    let mut addresses = String::from("id,location_id,address_1,city,state_province,postal_code,country,address_type\n");
    let mut attributes = String::from("id,link_id,taxonomy_term_id,link_type,link_entity,value\n");
    let mut add = |id: &str, org: &str, name: &str, desc: &str, city: &str, lat: f64, pc: &str, term: Option<&str>| {
        let _ = writeln!(services, "{id},{org},{name},\"{desc}\"");
        let _ = writeln!(sal, "sal-{id},{id},loc-{id}");
        let _ = writeln!(locations, "loc-{id},{org},{name},{lat},-81.0");
        let _ = writeln!(addresses, "a-{id},loc-{id},1 Main St,{city},ON,{pc},CA,physical");
        if let Some(t) = term {
            let _ = writeln!(attributes, "at-{id},{id},{t},,service,");
        }
    };
    for i in 0..12 {
        add(
            &format!("efs-{i:02}"),
            "org-uw",
            "EMERGENCY FOOD AND SHELTER",
            "Federal funding for emergency food and shelter programs",
            if i < 6 { "Sudbury" } else { "Timmins" },
            46.0 + i as f64 * 0.1,
            &format!("P3A {i}A{i}"),
            Some("t-money"),
        );
    }
    for (i, name) in ["Harbour House", "Night Beds", "Safe Haven"].iter().enumerate() {
        add(
            &format!("shelter-{i}"),
            "org-s",
            name,
            "Beds and a hot meal",
            "Sudbury",
            46.5,
            "P3A 1B1",
            Some("t-shelter"),
        );
    }
    add(
        "office",
        "org-o",
        "Benefits Office",
        "Walk in for benefits",
        "Sudbury",
        46.5,
        "P3A 1C1",
        None,
    );
    std::fs::write(dir.join("services.csv"), services).unwrap();
    std::fs::write(dir.join("service_at_location.csv"), sal).unwrap();
    std::fs::write(dir.join("locations.csv"), locations).unwrap();
    std::fs::write(dir.join("addresses.csv"), addresses).unwrap();
    std::fs::write(dir.join("attributes.csv"), attributes).unwrap();
    std::fs::write(
        dir.join("organizations.csv"),
        "id,name\norg-uw,United Way\norg-s,Shelter Society\norg-o,Benefits Agency\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("taxonomy_terms.csv"),
        "id,code,name\nt-shelter,BH-1800,Emergency Shelter\nt-money,BR-9000,Emergency Financial Assistance\n",
    )
    .unwrap();
    // The office is open from an hour before now to two hours after, every day, in UTC
    // wall-clock terms: open on a UTC catalogue, closed on one twelve hours ahead.
    let hour = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).hour() as i64;
    let at = |h: i64| format!("{:02}:00", h.rem_euclid(24));
    std::fs::write(
        dir.join("schedules.csv"),
        format!(
            "id,service_id,freq,byday,opens_at,closes_at\nsch-1,office,WEEKLY,\"MO,TU,WE,TH,FR,SA,SU\",{},{}\n",
            at(hour - 1),
            at(hour + 2)
        ),
    )
    .unwrap();
    d.ok(&["import", dir.to_str().unwrap()]);
}

fn config(d: &Data, toml: &str) {
    let dir = d.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), toml).unwrap();
}

fn json(d: &Data, args: &[&str]) -> Vec<Value> {
    let mut cmd = d.nav();
    cmd.env("TZ", "UTC").args(args);
    let out = common::succeeded(cmd.output().unwrap(), &format!("{args:?}"));
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn tagged_services_rank_first_and_a_program_is_one_object_with_its_locations() {
    let d = Data::new();
    directory(&d);
    let hits = json(&d, &["search", "emergency", "shelter", "--json"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids[..3].iter().all(|id| id.starts_with("shelter-")), "{ids:?}");
    let program: Vec<&Value> = hits
        .iter()
        .filter(|h| h["id"].as_str().unwrap().starts_with("efs-"))
        .collect();
    assert_eq!(program.len(), 1, "one object per program: {ids:?}");
    assert_eq!(program[0]["locations"], 12);
    assert_eq!(program[0]["sites"].as_array().unwrap().len(), 11);
    assert_eq!(hits[0]["partial"], false);
    // Near a postal code: the nearest site is the one shown, its distance the row's.
    let near = json(&d, &["search", "funding", "--near", "P3A 5A5", "--json"]);
    assert_eq!(near.len(), 1);
    assert_eq!(near[0]["id"], "efs-05");
    assert_eq!(near[0]["distance_km"], 0.0);
    // The human table says how many sites.
    let table = d.ok(&["search", "funding"]);
    assert!(table.contains("Sites") && table.contains(" 12 "), "{table}");
}

#[test]
fn partial_matches_are_said_in_json_and_in_the_table() {
    let d = Data::new();
    directory(&d);
    let lines = json(&d, &["search", "shelter", "zanzibar", "--json", "--facets"]);
    let (last, hits) = lines.split_last().unwrap();
    assert!(
        !hits.is_empty() && hits.iter().all(|h| h["partial"] == true),
        "{hits:?}"
    );
    assert_eq!(
        (last["partial"].clone(), last["complete"].clone()),
        (Value::Bool(true), 0.into())
    );
    let table = d.ok(&["search", "shelter", "zanzibar"]);
    assert!(
        table.contains("partial matches") && table.contains("no service answers every word"),
        "{table}"
    );
    assert!(table.lines().nth(1).unwrap().starts_with("~ "), "{table}");
}

#[test]
fn the_home_area_is_used_when_no_place_is_given() {
    let d = Data::new();
    directory(&d);
    config(&d, "[search]\nhome = \"Timmins\"\n");
    let hits = json(&d, &["search", "funding", "--json"]);
    assert!(hits[0]["distance_km"].as_f64().is_some(), "{:?}", hits[0]);
    assert_eq!(hits[0]["municipality"], "Timmins");
    let table = d.ok(&["search", "funding"]);
    assert!(table.contains("near Timmins (home area)"), "{table}");
    let anywhere = json(&d, &["search", "funding", "--json", "--anywhere"]);
    assert_eq!(anywhere[0]["distance_km"], Value::Null);
    let shown = d.ok(&["config", "show"]);
    assert!(
        shown.contains("search.home") && shown.contains("\"Timmins\""),
        "{shown}"
    );
    // A home area the directory does not know: exit 64, naming it and the setting.
    config(&d, "[search]\nhome = \"Atlantis\"\n");
    let out = d.nav().args(["search", "funding"]).output().unwrap();
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[search] home") && err.contains("\"Atlantis\""), "{err}");
}

#[test]
fn hours_are_read_in_the_catalogue_zone_not_the_machines() {
    let d = Data::new();
    directory(&d);
    let open = |d: &Data| json(d, &["search", "benefits", "--json"])[0]["open_now"].clone();
    // No zone anywhere: the machine's (UTC here), and index stats says so.
    assert_eq!(open(&d), Value::Bool(true));
    let mut stats = d.nav();
    let stats = String::from_utf8(stats.env("TZ", "UTC").args(["index", "stats"]).output().unwrap().stdout).unwrap();
    assert!(
        stats.contains("the machine's zone") && stats.contains("Set [catalogue] timezone"),
        "{stats}"
    );
    // A catalogue twelve hours ahead of the server: the same instant is outside the hours.
    let opens_next = |d: &Data| json(d, &["search", "benefits", "--json"])[0]["opens_next"].clone();
    assert_eq!(opens_next(&d), Value::Null, "open now: no next opening");
    config(&d, "[catalogue]\ntimezone = \"Etc/GMT-12\"\n");
    assert_eq!(open(&d), Value::Bool(false));
    // Closed now says when it opens next, at the hour of the day the hours give.
    let next = opens_next(&d);
    let next = next.as_str().unwrap_or_else(|| panic!("{next:?}"));
    assert!(
        (8..=9).contains(&next.len()) && next[..3].chars().all(char::is_alphabetic) && next.ends_with(":00"),
        "{next}"
    );
    // The table says the same, in the catalogue's zone (not the machine's, where it is open).
    let mut table = d.nav();
    let table = String::from_utf8(
        table
            .env("TZ", "UTC")
            .args(["search", "benefits"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(table.contains("opens "), "{table}");
    assert!(!table.contains("open to"), "{table}");
    let stats = json(&d, &["index", "stats", "--json"]);
    assert_eq!(stats[0]["timezone"], "Etc/GMT-12");
    assert_eq!(stats[0]["timezone_source"], "config");
    let shown = json(&d, &["config", "show", "--json"]);
    let tz = shown[0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "catalogue.timezone")
        .unwrap()
        .clone();
    assert_eq!(
        (tz["value"].clone(), tz["source"].clone()),
        ("Etc/GMT-12".into(), "user".into())
    );
    // A zone that is not one is an error naming the file and key.
    config(&d, "[catalogue]\ntimezone = \"Mars/Olympus\"\n");
    let out = d.nav().args(["search", "benefits"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml") && err.contains("[catalogue] timezone"),
        "{err}"
    );
    // It is also the office's zone for casework: no command shows the server's times as
    // the office's; `config show` still runs, to look into it.
    let out = d.nav().args(["contacts", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[catalogue] timezone"));
    let out = d.nav().args(["config", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn everyday_terms_and_languages_come_from_the_config_directory() {
    let d = Data::new();
    directory(&d);
    let dir = d.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("everyday-terms.txt"),
        "money for the county => Emergency Financial Assistance\n",
    )
    .unwrap();
    let hits = json(&d, &["search", "money", "for", "the", "county", "--json"]);
    assert!(hits[0]["id"].as_str().unwrap().starts_with("efs-"), "{hits:?}");
    std::fs::write(dir.join("everyday-terms.txt"), "# ok\nno arrow here\n").unwrap();
    let out = d.nav().args(["search", "shelter"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("everyday-terms.txt: line 2"), "{err}");
    std::fs::remove_file(dir.join("everyday-terms.txt")).unwrap();
    config(&d, "[search]\nlanguages = [\"en\", \"klingon\"]\n");
    let out = d.nav().args(["search", "shelter"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[search] languages"));
    config(&d, "[search]\nlanguages = [\"en\", \"es\"]\n");
    let stats = json(&d, &["index", "stats", "--json"]);
    assert_eq!(stats[0]["search_languages"], serde_json::json!(["en", "es"]));
    assert!(Path::new(&d.path().join("data")).exists());
}

#[test]
fn a_query_broader_than_the_count_budget_says_at_least() {
    // The built-in demo directory (500 services), counting at most 100 matches.
    let d = Data::new();
    config(&d, "[search]\ncount_budget = 100\n");
    let lines = json(&d, &["search", "s", "--json", "--facets"]);
    let (last, hits) = lines.split_last().unwrap();
    assert_eq!(hits.len(), 20, "a full page all the same");
    assert_eq!(
        (last["total"].clone(), last["total_is_lower_bound"].clone()),
        (Value::from(100), Value::Bool(true))
    );
    assert_eq!(last["facets"]["lower_bound"], true);
    let table = d.ok(&["search", "s"]);
    assert!(table.contains("20 of 100+ services"), "{table}");
    // A narrow query counts exactly.
    let lines = json(&d, &["search", "food bank", "--json", "--facets"]);
    assert_eq!(lines.last().unwrap()["total_is_lower_bound"], false);
    // A budget too small to rank a page from is refused, naming the key.
    config(&d, "[search]\ncount_budget = 5\n");
    let out = d.nav().args(["search", "food"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[search] count_budget"), "{err}");
}
