//! Confidential addresses and phones never reach a reader who is not in the system
//! config's `[privacy] confidential_readers`: not `search` (table or `--json`), not
//! `show` (text or `--json`), not a distance precise enough to find the place, not the
//! referral kept with a contact. A confidential reader sees them, marked.

mod common;

use common::{fixture, Data};
use serde_json::Value;

/// What must not be seen: the shelter's street, postal code, private line, coordinates.
const SECRETS: &[&str] = &["Hidden Lane", "V2C 1A1", "555-0111", "50.674", "120.327"];

fn shelter(d: &Data) {
    d.ok(&["import", fixture("airs/shelter-3.0.xml").to_str().unwrap()]);
}

fn assert_withheld(output: &str) {
    for secret in SECRETS {
        assert!(!output.contains(secret), "{secret:?} shown:\n{output}");
    }
}

/// Names the user running the tests as a confidential reader in the system config.
fn make_reader(d: &Data) {
    std::fs::write(
        d.path().join("system-config.toml"),
        format!("[privacy]\nconfidential_readers = [{:?}]\n", navigator::user::name()),
    )
    .unwrap();
}

#[test]
fn search_shows_the_withheld_address_not_the_street() {
    let d = Data::new();
    shelter(&d);
    let json = d.ok(&["search", "shelter", "--json"]);
    assert_withheld(&json);
    let hit: Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(hit["id"], "7110");
    assert_eq!(hit["address"], "address confidential: call the service");
    assert_eq!(hit["municipality"], "Kamloops");
    assert_eq!(hit["phones"], serde_json::json!(["1-800-555-0199"]));
    let table = d.ok(&["search", "shelter"]);
    assert_withheld(&table);
    assert!(table.contains("1-800-555-0199"), "{table}");
}

#[test]
fn show_withholds_in_text_and_json() {
    let d = Data::new();
    shelter(&d);
    let text = d.ok(&["show", "7110"]);
    assert_withheld(&text);
    assert!(
        text.contains("Harbour House: address confidential: call the service"),
        "{text}"
    );
    assert!(text.contains("PO Box 40"), "the public mailing address stays:\n{text}");
    let json = d.ok(&["show", "7110", "--json"]);
    assert_withheld(&json);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["locations"][0]["address"]["confidential"], true);
    assert_eq!(v["locations"][0]["address"]["city"], "Kamloops");
    assert_eq!(v["locations"][0]["latitude"], Value::Null);
}

#[test]
fn distances_only_know_the_neighbourhood() {
    let d = Data::new();
    shelter(&d);
    // Searching from the shelter's door: the distance is to the centre of its 0.05° cell,
    // the same from every point of the cell, so no set of searches finds the door.
    let from_door = d.json_lines(&["search", "shelter", "--near", "50.6745,-120.3273", "--json"]);
    let hit = from_door.iter().find(|h| h["id"] == "7110").unwrap();
    let km = hit["distance_km"].as_f64().unwrap();
    assert!((0.1..1.0).contains(&km), "{km} km from the door");
    let from_centre = d.json_lines(&["search", "shelter", "--near", "50.675,-120.325", "--json"]);
    let hit = from_centre.iter().find(|h| h["id"] == "7110").unwrap();
    assert_eq!(hit["distance_km"], 0.0, "the cell centre is all that is known");
}

#[test]
fn a_referral_kept_with_a_contact_is_the_public_view() {
    let d = Data::new();
    shelter(&d);
    make_reader(&d);
    let contact = r#"{"channel": "phone", "needs": [{"category": "housing", "met": true}], "referrals": ["7110"]}"#;
    let out = d
        .nav()
        .args(["contacts", "add", "--json"])
        .write_stdin(contact)
        .output()
        .unwrap();
    let saved = String::from_utf8(common::succeeded(out, "contacts add")).unwrap();
    assert_withheld(&saved);
    let id = serde_json::from_str::<Value>(&saved).unwrap()["id"].as_i64().unwrap();
    let shown = d.ok(&["contacts", "show", &id.to_string(), "--json"]);
    assert_withheld(&shown);
    assert!(shown.contains("address confidential: call the service"), "{shown}");
}

#[test]
fn a_confidential_reader_sees_everything_marked() {
    let d = Data::new();
    shelter(&d);
    make_reader(&d);
    let text = d.ok(&["show", "7110"]);
    assert!(
        text.contains("1410 Hidden Lane, Kamloops, BC V2C 1A1 (confidential)"),
        "{text}"
    );
    assert!(text.contains("250-555-0111 (confidential)"), "{text}");
    let hit = &d.json_lines(&["search", "shelter", "--json"])[0];
    assert_eq!(hit["address"], "1410 Hidden Lane, Kamloops, BC V2C 1A1 (confidential)");
    // A user's own config cannot make them a reader.
    std::fs::remove_file(d.path().join("system-config.toml")).unwrap();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(
        d.path().join("config/config.toml"),
        format!("[privacy]\nconfidential_readers = [{:?}]\n", navigator::user::name()),
    )
    .unwrap();
    assert_withheld(&d.ok(&["show", "7110"]));
}
