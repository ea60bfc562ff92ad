//! `report needs --by office`: every contact records the office it was taken at
//! (`office` in config.toml, or NAVIGATOR_OFFICE); reports cover every office by default
//! and split by office when asked, in JSON Lines, CSV and the table. On one SQLite
//! office, and on two servers sharing PostgreSQL (skipped without a test cluster).

mod common;

use common::servers::Servers;
use common::Data;
use serde_json::{json, Value};

fn contact(category: &str, unmet: Option<&str>) -> String {
    let need = match unmet {
        Some(reason) => json!({"category": category, "met": false, "unmet_reason": reason}),
        None => json!({"category": category, "met": true}),
    };
    json!({"channel": "phone", "needs": [need]}).to_string()
}

/// The `report needs --by office` forms agree: (office, contacts) from JSON, the CSV's
/// office groups and the table's headings.
fn check_split(json_lines: &str, csv: &str, table: &str, want: &[(Option<&str>, u64)]) {
    let reports: Vec<Value> = json_lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let got: Vec<(Option<&str>, u64)> = reports
        .iter()
        .map(|r| (r["office"].as_str(), r["contacts"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, want, "{json_lines}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let group = headers.iter().position(|h| h == "group").expect("a group column");
    let groups: Vec<String> = reader.records().map(|r| r.unwrap()[group].to_string()).collect();
    for (office, _) in want {
        let name = office.unwrap_or("(no office)");
        assert!(groups.iter().any(|g| g == name), "no group {name} in {csv}");
        assert!(table.contains(&format!("Office: {name}")), "{table}");
    }
}

#[test]
fn one_office_reports_split_by_the_office_each_contact_was_taken_at() {
    let d = Data::new();
    let add = |office: Option<&str>, body: String| {
        let mut cmd = d.nav();
        match office {
            Some(o) => cmd.env("NAVIGATOR_OFFICE", o),
            None => cmd.env_remove("NAVIGATOR_OFFICE"),
        };
        let out = cmd
            .args(["contacts", "add", "--json"])
            .write_stdin(body)
            .output()
            .unwrap();
        common::succeeded(out, "contacts add");
    };
    add(Some("Sudbury"), contact("food", None));
    add(Some("Sudbury"), contact("housing", Some("cost")));
    add(Some("Ottawa"), contact("food", None));
    add(None, contact("food", None));
    // Every office by default, office null.
    let all: Value = serde_json::from_str(&d.ok(&["report", "needs", "--format", "json"])).unwrap();
    assert_eq!((all["contacts"].as_u64(), all["office"].is_null()), (Some(4), true));
    let json_lines = d.ok(&["report", "needs", "--by", "office", "--format", "json"]);
    let csv = d.ok(&["report", "needs", "--by", "office", "--format", "csv"]);
    let table = d.ok(&["report", "needs", "--by", "office"]);
    check_split(
        &json_lines,
        &csv,
        &table,
        &[(Some("Ottawa"), 1), (Some("Sudbury"), 2), (None, 1)],
    );
    let sudbury: Value = serde_json::from_str(json_lines.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        sudbury["needs"],
        json!([
            {"category": "food", "total": 1, "met": 1, "unmet": 0},
            {"category": "housing", "total": 1, "met": 0, "unmet": 1}
        ])
    );
}

#[test]
fn either_server_reports_for_the_whole_province() {
    let Some(s) = Servers::new() else { return };
    // Server n is office n ("office1", "office2").
    for (server, body) in [
        (1, contact("food", None)),
        (2, contact("food", None)),
        (2, contact("housing", Some("waitlist"))),
    ] {
        let out = s
            .nav(server, "ana")
            .args(["contacts", "add", "--json"])
            .write_stdin(body)
            .output()
            .unwrap();
        common::succeeded(out, "contacts add");
    }
    for server in [1, 2] {
        let run = |args: &[&str]| {
            let out = s.nav(server, "ana").args(args).output().unwrap();
            String::from_utf8(common::succeeded(out, "report needs")).unwrap()
        };
        let all: Value = serde_json::from_str(&run(&["report", "needs", "--format", "json"])).unwrap();
        assert_eq!(all["contacts"].as_u64(), Some(3), "server {server}");
        check_split(
            &run(&["report", "needs", "--by", "office", "--format", "json"]),
            &run(&["report", "needs", "--by", "office", "--format", "csv"]),
            &run(&["report", "needs", "--by", "office"]),
            &[(Some("office1"), 1), (Some("office2"), 2)],
        );
    }
}
