//! `navigator contacts add|list|show`: JSON in and out, validation that writes nothing,
//! referral snapshots, and concurrent writers.

mod common;

use std::path::Path;

use common::Data;
use serde_json::{json, Value};

const TABLES: &[&str] = &[
    "contacts",
    "needs",
    "referrals",
    "personal_data",
    "followups",
    "drafts",
    "audit",
];

/// Runs `contacts add --json` with `body` on stdin.
fn add(d: &Data, body: &str) -> std::process::Output {
    d.nav()
        .args(["contacts", "add", "--json"])
        .write_stdin(body.to_string())
        .output()
        .unwrap()
}

fn add_ok(d: &Data, body: &Value) -> Value {
    let out = add(d, &body.to_string());
    serde_json::from_slice(&common::succeeded(out, "contacts add")).unwrap()
}

fn counts(d: &Data) -> Vec<i64> {
    d.row_counts(TABLES)
}

/// A demo service id that offers food.
fn food_service(d: &Data) -> String {
    d.search_ids("food", 1).remove(0)
}

fn tomorrow() -> String {
    let today = jiff::ZonedDateTime::now().date();
    today.tomorrow().unwrap().to_string()
}

/// 2026-01-15T14:00:00Z as `contacts list` shows it: local time.
fn local_start() -> String {
    let t: jiff::Timestamp = "2026-01-15T14:00:00Z".parse().unwrap();
    t.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

fn contact(service: &str) -> Value {
    json!({
        "channel": "phone", "language": "fr", "municipality": "Sudbury", "postal_fsa": "p3a",
        "age_group": "25-44",
        "needs": [{"category": "food", "met": true},
                  {"category": "housing", "met": false, "unmet_reason": "waitlist",
                   "taxonomy_code": "BH-1800"}],
        "referrals": [service],
        "follow_up": {"consent": true, "due": tomorrow(), "first_name": "Ana",
                      "phone": "(705) 555-0177", "best_time": "mornings"},
        "notes": "rent arrears since October",
        "started_at": "2026-01-15T14:00:00Z", "ended_at": "2026-01-15T14:12:00Z"
    })
}

/// Phones as `show --json` stores them, written as the snapshot writes them.
fn phones(service: &Value) -> Option<String> {
    let list: Vec<String> = service["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| match p["extension"].as_str() {
            Some(ext) if !ext.is_empty() => format!("{} ext. {ext}", p["number"].as_str().unwrap()),
            _ => p["number"].as_str().unwrap().to_string(),
        })
        .collect();
    (!list.is_empty()).then(|| list.join("; "))
}

#[test]
fn add_list_and_show_a_contact() {
    let d = Data::new();
    let id = food_service(&d);
    let service: Value = serde_json::from_str(&d.ok(&["show", &id, "--json"])).unwrap();

    let saved = add_ok(&d, &contact(&id));
    let contact_id = saved["id"].as_i64().unwrap();
    assert!(contact_id > 0);
    assert_eq!(saved["started_at"], "2026-01-15T14:00:00Z");
    assert_eq!(saved["channel"], "phone");
    assert_eq!(saved["language"], "fr");
    assert_eq!(saved["postal_fsa"], "P3A");
    assert_eq!(saved["age_group"], "25-44");
    assert!(saved["navigator"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(saved["needs"][1]["unmet_reason"], "waitlist");
    assert_eq!(saved["needs"][1]["taxonomy_code"], "BH-1800");
    assert!(saved["follow_up"]["id"].as_i64().is_some());
    assert_eq!(saved["follow_up"]["due"], tomorrow().as_str());
    assert_eq!(saved["follow_up"]["state"], "scheduled");
    // The referral is a snapshot of the service as it was.
    let r = &saved["referrals"][0];
    assert_eq!(r["service_id"], id.as_str());
    assert_eq!(r["name"], service["name"]);
    assert_eq!(r["phone"].as_str().map(String::from), phones(&service));
    // Nothing personal is printed by add.
    let text = saved.to_string();
    for secret in ["Ana", "0177", "mornings", "arrears"] {
        assert!(!text.contains(secret), "{text}");
    }

    let list = d.json_lines(&["contacts", "list", "--json"]);
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(c["id"], contact_id);
    assert_eq!(c["started_at"], "2026-01-15T14:00:00Z");
    assert_eq!(c["navigator"], saved["navigator"]);
    assert_eq!(c["channel"], "phone");
    assert_eq!(c["municipality"], "Sudbury");
    assert_eq!(c["needs"], json!(["food", "housing"]));
    assert_eq!(c["unmet"], 1);
    assert_eq!(c["referrals"], 1);
    assert_eq!(c["follow_up"], saved["follow_up"]);
    assert!(!c.to_string().contains("Ana"));

    let human = d.ok(&["contacts", "list"]);
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        [
            "ID",
            "Started",
            "Channel",
            "Municipality",
            "Needs",
            "Unmet",
            "Refs",
            "Follow-up",
            "Navigator"
        ],
        "{human}"
    );
    let row: Vec<&str> = lines[1].split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(
        row[..8],
        [
            contact_id.to_string().as_str(),
            &local_start(),
            "phone",
            "Sudbury",
            "food, housing",
            "1",
            "1",
            &tomorrow(),
        ],
        "{human}"
    );
    assert!(!human.contains("Ana"));

    // Only [privacy] personal_data_readers see the caller's details; others see that there
    // are some, withheld.
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &contact_id.to_string(), "--json"])).unwrap();
    assert_eq!(
        shown["personal"],
        json!({"first_name": "withheld", "phone": "withheld", "best_time": "withheld",
               "notes": "withheld"})
    );
    let human = d.ok(&["contacts", "show", &contact_id.to_string()]);
    assert!(human.contains("  First name: withheld"), "{human}");
    for secret in ["Ana", "705-555-0177", "mornings", "rent arrears"] {
        assert!(!human.contains(secret), "{secret} shown to a non-reader:\n{human}");
    }
    d.allow_personal_data(&[&navigator::user::name()]);
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &contact_id.to_string(), "--json"])).unwrap();
    assert_eq!(shown["id"], contact_id);
    assert_eq!(shown["referrals"], saved["referrals"]);
    assert_eq!(shown["needs"], saved["needs"]);
    assert_eq!(
        shown["personal"],
        json!({"first_name": "Ana", "phone": "705-555-0177", "best_time": "mornings",
               "notes": "rent arrears since October"})
    );
    let human = d.ok(&["contacts", "show", &contact_id.to_string()]);
    assert!(human.contains("housing (BH-1800): not met: waitlist"), "{human}");
    assert!(
        human.contains("  First name: Ana\n  Phone:      705-555-0177\n"),
        "{human}"
    );
    assert!(human.contains(service["name"].as_str().unwrap()), "{human}");
}

#[test]
fn list_since_a_date() {
    let d = Data::new();
    let mut early = contact(&food_service(&d));
    early["follow_up"] = Value::Null;
    early["started_at"] = json!("2025-03-01T15:00:00Z");
    early["ended_at"] = json!("2025-03-01T15:10:00Z");
    let early = add_ok(&d, &early);
    let late = add_ok(&d, &contact(&food_service(&d)));
    let ids = |args: &[&str]| -> Vec<Value> { d.json_lines(args).iter().map(|c| c["id"].clone()).collect() };
    assert_eq!(
        ids(&["contacts", "list", "--json"]),
        [early["id"].clone(), late["id"].clone()]
    );
    assert_eq!(
        ids(&["contacts", "list", "--since", "2025-06-01", "--json"]),
        [late["id"].clone()]
    );
    let out = d
        .nav()
        .args(["contacts", "list", "--since", "June 1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn invalid_contacts_print_each_field_and_write_nothing() {
    let d = Data::new();
    let id = food_service(&d);
    add_ok(&d, &contact(&id));
    let before = counts(&d);

    let mut bad = contact(&id);
    bad["channel"] = json!("fax");
    bad["postal_fsa"] = json!("P3A 1A1");
    bad["needs"][1]["unmet_reason"] = Value::Null;
    bad["referrals"] = json!([id, "svc-nope"]);
    bad["follow_up"]["phone"] = json!("555-0177");
    bad["follow_up"]["due"] = json!("2020-01-01");
    let out = add(&d, &bad.to_string());
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let fields: Vec<&str> = stderr.lines().map(|l| l.split_once(": ").unwrap().0).collect();
    assert_eq!(
        fields,
        [
            "channel",
            "postal_fsa",
            "needs[1].unmet_reason",
            "referrals[1]",
            "follow_up.due",
            "follow_up.phone"
        ],
        "{stderr}"
    );
    assert!(stderr.contains("channel: expected one of phone, chat, email, text, walk-in\n"));
    assert!(stderr.contains("referrals[1]: no service with id \"svc-nope\"\n"));
    assert!(!stderr.contains("1A1") && !stderr.contains("0177"), "{stderr}");
    assert_eq!(counts(&d), before);

    let mut no_consent = contact(&id);
    no_consent["follow_up"]["consent"] = json!(false);
    let out = add(&d, &no_consent.to_string());
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("follow_up.first_name: "));
    assert_eq!(counts(&d), before);
}

#[test]
fn malformed_json_fails_with_its_position() {
    let d = Data::new();
    let out = add(&d, "{\"channel\": \"phone\",\n \"needs\": [}");
    assert_eq!(out.status.code(), Some(65));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2 column"), "{stderr}");

    let out = add(&d, r#"{"channel":"phone","needz":[]}"#);
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `needz`"));

    let out = add(&d, "");
    assert_eq!(out.status.code(), Some(65));

    let out = d.nav().args(["contacts", "add"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_an_unknown_contact_is_no_input() {
    let d = Data::new();
    let out = d.nav().args(["contacts", "show", "999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no contact with id 999"));
}

/// A one-service HSDS 3.0 datapackage whose service has one phone.
fn package(dir: &Path, name: &str, phone: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let files = [
        (
            "services.csv",
            format!("id,organization_id,name,description\ns1,org-1,{name},groceries\n"),
        ),
        ("organizations.csv", "id,name\norg-1,Test Org\n".into()),
        (
            "locations.csv",
            "id,organization_id,name,latitude,longitude\nloc-1,org-1,Main,46.49,-80.99\n".into(),
        ),
        (
            "service_at_location.csv",
            "id,service_id,location_id\nsal-1,s1,loc-1\n".into(),
        ),
        (
            "addresses.csv",
            "id,location_id,address_1,city,state_province,postal_code,country,address_type\n\
             a1,loc-1,1 Elm St,Sudbury,ON,P3A 1A1,CA,physical\n"
                .into(),
        ),
        ("phones.csv", format!("id,service_id,number\np1,s1,{phone}\n")),
    ];
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
}

#[test]
fn the_referral_snapshot_survives_a_catalogue_change() {
    let d = Data::new();
    let v1 = d.path().join("v1");
    package(&v1, "Alpha Food Bank", "705-555-0100");
    d.ok(&["import", v1.to_str().unwrap()]);
    let mut body = contact("s1");
    body["follow_up"] = Value::Null;
    let saved = add_ok(&d, &body);
    assert_eq!(saved["referrals"][0]["name"], "Alpha Food Bank");
    assert_eq!(saved["referrals"][0]["phone"], "705-555-0100");
    assert_eq!(saved["referrals"][0]["address"], "1 Elm St, Sudbury, ON P3A 1A1");

    let v2 = d.path().join("v2");
    package(&v2, "Alpha Pantry", "705-555-0199");
    d.ok(&["import", v2.to_str().unwrap()]);
    let now: Value = serde_json::from_str(&d.ok(&["show", "s1", "--json"])).unwrap();
    assert_eq!(now["name"], "Alpha Pantry");

    let id = saved["id"].to_string();
    d.allow_personal_data(&[&navigator::user::name()]);
    let shown: Value = serde_json::from_str(&d.ok(&["contacts", "show", &id, "--json"])).unwrap();
    assert_eq!(shown["referrals"], saved["referrals"]);
    // Notes alone make a personal row; no follow-up without consent.
    assert_eq!(shown["follow_up"], Value::Null);
    assert_eq!(shown["personal"]["notes"], "rent arrears since October");
    assert_eq!(shown["personal"]["first_name"], Value::Null);
}

#[test]
fn parallel_writers_lose_nothing() {
    let d = Data::new();
    let id = food_service(&d); // installs the demo before the writers start
    let body = contact(&id).to_string();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..10 {
                    let out = add(&d, &body);
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(out.status.success(), "{stderr}");
                    assert!(!stderr.contains("locked"), "{stderr}");
                }
            });
        }
    });
    let list = d.json_lines(&["contacts", "list", "--json"]);
    assert_eq!(list.len(), 40);
    let mut ids: Vec<i64> = list.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    assert_eq!(counts(&d), [40, 80, 40, 40, 40, 0, 40]);
}

/// A shared server is often on UTC while its navigators are hours away: with no `TZ` in
/// the session, times read in the office's zone (`[catalogue] timezone`); a session's own
/// `TZ` wins.
#[test]
fn times_read_in_the_offices_zone_not_the_servers() {
    let d = Data::new();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(
        d.path().join("config/config.toml"),
        "[catalogue]\ntimezone = \"Asia/Kathmandu\"\n",
    )
    .unwrap();
    let service = food_service(&d);
    let saved = add_ok(&d, &contact(&service));
    assert_eq!(saved["started_at"], "2026-01-15T14:00:00Z");
    let list = |tz: Option<&str>| {
        let mut cmd = d.nav();
        cmd.args(["contacts", "list"]);
        match tz {
            Some(zone) => cmd.env("TZ", zone),
            None => cmd.env_remove("TZ"),
        };
        String::from_utf8(common::succeeded(cmd.output().unwrap(), "contacts list")).unwrap()
    };
    // 14:00 UTC is 19:45 in Kathmandu (UTC+5:45).
    assert!(list(None).contains("2026-01-15 19:45"), "{}", list(None));
    assert!(list(Some("UTC")).contains("2026-01-15 14:00"), "{}", list(Some("UTC")));
}
