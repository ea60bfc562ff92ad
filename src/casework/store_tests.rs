//! Casework storage: all-or-nothing saves, snapshots, personal data kept apart, drafts,
//! audit, and concurrent writers.

use navigator_index::{Address, Location, Phone, WeeklyHours};

use super::*;
use crate::args;
use crate::casework::input::{FollowUpInput, NeedInput};
use crate::store::testing::{each_backend, TestDb};
use crate::store::ImportRecord;

const TABLES: &[&str] = &[
    "contacts",
    "needs",
    "referrals",
    "personal_data",
    "followups",
    "drafts",
    "audit",
];

fn now() -> Timestamp {
    "2026-11-25T15:30:00Z".parse().unwrap()
}

fn today() -> Date {
    "2026-11-25".parse().unwrap()
}

fn food_bank() -> Service {
    Service {
        id: "svc-1".into(),
        name: "Elm Street Food Bank".into(),
        phones: vec![
            Phone {
                number: "705-555-0100".into(),
                ..Default::default()
            },
            Phone {
                number: "705-555-0101".into(),
                extension: Some("2".into()),
                ..Default::default()
            },
        ],
        locations: vec![Location {
            address: Some(Address {
                lines: vec!["1 Elm St".into()],
                city: Some("Sudbury".into()),
                ..Default::default()
            }),
            ..Default::default()
        }],
        schedules: vec![WeeklyHours {
            weekday: Weekday::Monday,
            opens: 540,
            closes: 1020,
        }],
        ..Default::default()
    }
}

fn store_with_services(db: &TestDb) -> Store {
    let mut store = db.open();
    let bare = Service {
        id: "svc-2".into(),
        name: "Bare Service".into(),
        ..Default::default()
    };
    store
        .apply_import(&[food_bank(), bare], false, ImportRecord::for_tests(), "test")
        .unwrap();
    store
}

fn input() -> ContactInput {
    ContactInput {
        channel: "phone".into(),
        language: Some("French".into()),
        municipality: Some("Sudbury".into()),
        postal_fsa: Some("p3a".into()),
        postal_code: None,
        age_group: Some("25-44".into()),
        needs: vec![
            NeedInput {
                category: "food".into(),
                met: true,
                ..Default::default()
            },
            NeedInput {
                category: "housing".into(),
                met: false,
                unmet_reason: Some("waitlist".into()),
                taxonomy_code: Some("BH-1800".into()),
            },
        ],
        referrals: vec!["svc-1".into(), "svc-2".into()],
        follow_up: Some(FollowUpInput {
            consent: true,
            due: Some("2026-12-01".into()),
            first_name: Some("Ana".into()),
            phone: Some("(705) 555-0142".into()),
            best_time: Some("mornings".into()),
        }),
        notes: Some("rent arrears".into()),
        started_at: Some("2026-11-25T15:00:00Z".into()),
        ended_at: Some("2026-11-25T15:12:00Z".into()),
    }
}

fn counts(store: &Store) -> Vec<i64> {
    TABLES
        .iter()
        .map(|t| store.sql_int(&format!("SELECT count(*) FROM {t}"), &[]))
        .collect()
}

#[test]
fn a_contact_is_saved_with_snapshots_follow_up_and_audit() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        let saved = store.add_contact(&input(), "nav1", now(), today()).unwrap();
        assert_eq!(saved.started_at, "2026-11-25T15:00:00Z");
        assert_eq!(saved.ended_at, "2026-11-25T15:12:00Z");
        assert_eq!(saved.navigator, "nav1");
        assert_eq!(saved.language.as_deref(), Some("fr"));
        assert_eq!(saved.postal_fsa.as_deref(), Some("P3A"));
        assert_eq!(
            saved.needs[1],
            Need {
                category: "housing".into(),
                taxonomy_code: Some("BH-1800".into()),
                met: false,
                unmet_reason: Some("waitlist".into()),
            }
        );
        assert_eq!(
            saved.referrals,
            [
                Referral {
                    service_id: "svc-1".into(),
                    name: "Elm Street Food Bank".into(),
                    phone: Some("705-555-0100; 705-555-0101 ext. 2".into()),
                    address: Some("1 Elm St, Sudbury".into()),
                    hours: Some(
                        "Mon 9:00-17:00; Tue closed; Wed closed; Thu closed; Fri closed; \
                         Sat closed; Sun closed"
                            .into()
                    ),
                },
                Referral {
                    service_id: "svc-2".into(),
                    name: "Bare Service".into(),
                    phone: None,
                    address: None,
                    hours: None,
                },
            ]
        );
        let f = saved.follow_up.clone().unwrap();
        assert_eq!((f.due.as_str(), f.state.as_str()), ("2026-12-01", "scheduled"));
        // What `contacts add` prints carries no personal value.
        let json = serde_json::to_string(&saved).unwrap();
        for secret in ["Ana", "0142", "mornings", "rent arrears"] {
            assert!(!json.contains(secret), "{json}");
        }

        let record = store.contact(saved.id).unwrap().unwrap();
        assert_eq!(record.contact, saved);
        assert_eq!(record.created_at, "2026-11-25T15:30:00Z");
        assert_eq!(
            record.personal,
            Some(Personal {
                first_name: Some("Ana".into()),
                phone: Some("705-555-0142".into()),
                best_time: Some("mornings".into()),
                notes: Some("rent arrears".into()),
            })
        );
        let audit: Vec<(String, String, String, String)> = store
            .sql("SELECT at, \"user\", action, record FROM audit", &[])
            .iter()
            .map(|r| {
                (
                    r.text(0).unwrap(),
                    r.text(1).unwrap(),
                    r.text(2).unwrap(),
                    r.text(3).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            audit,
            [(
                "2026-11-25T15:30:00Z".to_string(),
                "nav1".to_string(),
                "contact.create".to_string(),
                format!("contact:{}", saved.id)
            )]
        );
        assert_eq!(store.contact(saved.id + 1).unwrap(), None);
    });
}

#[test]
fn invalid_input_writes_nothing() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        store.add_contact(&input(), "nav1", now(), today()).unwrap();
        store.save_draft("nav1", "contact", "{}").unwrap();
        let before = counts(&store);
        let mut bad = input();
        bad.referrals.push("svc-404".into());
        bad.follow_up.as_mut().unwrap().phone = Some("555".into());
        match store.add_contact(&bad, "nav1", now(), today()) {
            Err(AddContactError::Invalid(errors)) => assert_eq!(
                errors,
                [
                    FieldError::new("referrals[2]", "no service with id \"svc-404\""),
                    FieldError::new(
                        "follow_up.phone",
                        "expected a 10-digit North American phone number such as 705-555-0142"
                    ),
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(counts(&store), before);
    });
}

#[test]
fn personal_data_only_when_there_is_some() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        let mut plain = input();
        plain.follow_up = Some(FollowUpInput::default()); // consent declined
        plain.notes = None;
        let a = store.add_contact(&plain, "nav1", now(), today()).unwrap();
        assert!(a.follow_up.is_none());
        assert!(store.contact(a.id).unwrap().unwrap().personal.is_none());

        plain.notes = Some("asked about bus passes".into());
        let b = store.add_contact(&plain, "nav1", now(), today()).unwrap();
        let personal = store.contact(b.id).unwrap().unwrap().personal.unwrap();
        assert_eq!(personal.notes.as_deref(), Some("asked about bus passes"));
        assert_eq!(personal.first_name, None);
        let followups: i64 = store.sql_int("SELECT count(*) FROM followups", &[]);
        assert_eq!(followups, 0);
    });
}

#[test]
fn missing_times_default_to_now() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        let mut i = input();
        i.started_at = None;
        i.ended_at = None;
        let s = store.add_contact(&i, "nav1", now(), today()).unwrap();
        assert_eq!(
            (s.started_at.as_str(), s.ended_at.as_str()),
            ("2026-11-25T15:30:00Z", "2026-11-25T15:30:00Z")
        );
        i.started_at = Some("2026-11-25T10:00:00-05:00".into());
        let s = store.add_contact(&i, "nav1", now(), today()).unwrap();
        assert_eq!(
            (s.started_at.as_str(), s.ended_at.as_str()),
            ("2026-11-25T15:00:00Z", "2026-11-25T15:30:00Z")
        );
    });
}

#[test]
fn list_summarizes_and_filters_by_date() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        let mut old = input();
        old.follow_up = None;
        old.started_at = Some("2026-10-01T12:00:00Z".into());
        old.ended_at = Some("2026-10-01T12:05:00Z".into());
        old.referrals.clear();
        old.needs.truncate(1);
        let first = store.add_contact(&old, "nav2", now(), today()).unwrap();
        let second = store.add_contact(&input(), "nav1", now(), today()).unwrap();

        let all = store.contacts(None).unwrap();
        assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), [first.id, second.id]);
        assert_eq!(
            all[0],
            ContactSummary {
                id: first.id,
                started_at: "2026-10-01T12:00:00Z".into(),
                navigator: "nav2".into(),
                channel: "phone".into(),
                municipality: Some("Sudbury".into()),
                office: None,
                needs: vec!["food".into()],
                unmet: 0,
                referrals: 0,
                follow_up: None,
            }
        );
        assert_eq!(all[1].needs, ["food", "housing"]);
        assert_eq!((all[1].unmet, all[1].referrals), (1, 2));
        assert_eq!(all[1].follow_up, second.follow_up);

        let recent = store.contacts(Some("2026-11-01".parse().unwrap())).unwrap();
        assert_eq!(recent.iter().map(|c| c.id).collect::<Vec<_>>(), [second.id]);
        assert!(store.contacts(Some("2027-01-01".parse().unwrap())).unwrap().is_empty());
    });
}

#[test]
fn drafts_save_replace_load_and_discard() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        assert_eq!(store.load_draft("nav1", "contact").unwrap(), None);
        store.save_draft("nav1", "contact", r#"{"channel":"phone"}"#).unwrap();
        store.save_draft("nav1", "contact", r#"{"channel":"chat"}"#).unwrap();
        store.save_draft("nav2", "contact", r#"{"channel":"text"}"#).unwrap();
        let (body, updated_at) = store.load_draft("nav1", "contact").unwrap().unwrap();
        assert_eq!(body, r#"{"channel":"chat"}"#);
        assert!(updated_at.parse::<Timestamp>().is_ok(), "{updated_at}");
        assert!(store.delete_draft("nav1", "contact").unwrap());
        assert!(!store.delete_draft("nav1", "contact").unwrap());
        assert_eq!(store.load_draft("nav1", "contact").unwrap(), None);
        assert!(store.load_draft("nav2", "contact").unwrap().is_some());
        let audit: Vec<(String, String, String)> = store
            .sql("SELECT \"user\", action, record FROM audit", &[])
            .iter()
            .map(|r| (r.text(0).unwrap(), r.text(1).unwrap(), r.text(2).unwrap()))
            .collect();
        assert_eq!(audit, [("nav1".into(), "draft.discard".into(), "draft:contact".into())]);
    });
}

#[test]
fn the_schema_refuses_what_validation_refuses_and_cascades() {
    each_backend(|db| {
        let mut store = store_with_services(db);
        let saved = store.add_contact(&input(), "nav1", now(), today()).unwrap();
        let insert = |fsa: &str, channel: &str| {
            store.try_sql(
                "INSERT INTO contacts (started_at, ended_at, navigator, channel, postal_fsa, created_at)
                 VALUES ('t', 't', 'n', ?1, ?2, 't')",
                args![channel, fsa],
            )
        };
        assert!(insert("P3A1A1", "phone").is_err());
        assert!(insert("P3A", "fax").is_err());
        assert!(store
            .try_sql(
                "INSERT INTO needs (contact_id, position, category, met) VALUES (?1, 9, 'food', 0)",
                args![saved.id],
            )
            .is_err());
        assert!(store
            .try_sql(
                "UPDATE followups SET state = 'attempted' WHERE contact_id = ?1",
                args![saved.id],
            )
            .is_err());
        store.sql("DELETE FROM contacts WHERE id = ?1", args![saved.id]);
        assert_eq!(counts(&store), [0, 0, 0, 0, 0, 0, 1]);
    });
}

#[test]
fn concurrent_writers_lose_nothing() {
    each_backend(|db| {
        drop(store_with_services(db));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let location = db.location.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open_at(&location).unwrap();
                    for _ in 0..25 {
                        store.add_contact(&input(), &format!("nav{t}"), now(), today()).unwrap();
                        // Reads between writes, as the TUI does.
                        store.contacts(None).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let store = db.open();
        assert_eq!(store.contacts(None).unwrap().len(), 100);
        assert_eq!(counts(&store), [100, 200, 200, 100, 100, 0, 100]);
    });
}

#[test]
fn a_save_made_once_under_a_key_is_never_made_twice() {
    each_backend(|db| {
        drop(store_with_services(db));
        let mut first = db.open();
        let saved = first
            .once("held-1", |s| s.add_contact(&input(), "nav1", now(), today()))
            .unwrap();
        // Another connection (the app restarted after a crash) replays the same save: the
        // answer is the first save's, and nothing new is written.
        let mut second = db.open();
        let again = second
            .once("held-1", |s| s.add_contact(&input(), "nav1", now(), today()))
            .unwrap();
        assert_eq!(again, saved);
        assert_eq!(counts(&second), [1, 2, 2, 1, 1, 0, 1]);
        // A refusal records nothing: the same key may then save for real.
        let mut bad = input();
        bad.channel = "fax".into();
        assert!(second
            .once("held-2", |s| s.add_contact(&bad, "nav1", now(), today()))
            .is_err());
        second
            .once("held-2", |s| s.add_contact(&input(), "nav1", now(), today()))
            .unwrap();
        // The key is spent by the one write: the next write is an ordinary one.
        second.add_contact(&input(), "nav1", now(), today()).unwrap();
        assert_eq!(second.contacts(None).unwrap().len(), 3);

        // Four processes racing to replay one held save: one contact.
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let location = db.location.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open_at(&location).unwrap();
                    store
                        .once("held-3", |s| s.add_contact(&input(), "nav1", now(), today()))
                        .unwrap()
                        .id
                })
            })
            .collect();
        let ids: Vec<i64> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
        assert_eq!(db.open().contacts(None).unwrap().len(), 4);
    });
}

/// A casework save in the middle of an import's stream goes through at once on either
/// backend (the import's chunks commit one by one; none holds a lock while the reader
/// goes on), snapshots the catalogue as it is seen (the import's versions are not), and
/// the import then finishes with everything.
#[test]
fn a_contact_is_saved_while_an_import_is_held_mid_stream() {
    use crate::store::CHUNK;
    each_backend(|db| {
        let mut before = store_with_services(db);
        let generation = before.generation().unwrap();
        let mut importer = db.open();
        let mut handed_on = 0;
        let mut saved = None;
        let applied = importer
            .apply_import_stream(
                true,
                Some("import"),
                |sink| {
                    let mut renamed = food_bank();
                    renamed.name = "Elm Street Food Bank (moved)".into();
                    sink(renamed.into());
                    let filler = |i: usize| Service {
                        id: format!("new-{i:05}"),
                        name: format!("New service {i}"),
                        ..Default::default()
                    };
                    (0..CHUNK * 2).map(filler).map(Into::into).for_each(&mut *sink);
                    // Two chunks are committed as staged versions; the stream is held here.
                    let seen = db.open();
                    assert_eq!(seen.generation().unwrap(), generation);
                    assert_eq!(seen.catalogue_stats().unwrap().services, 2, "nothing staged is seen");
                    assert!(seen.service("new-00001").unwrap().is_none());
                    let staged = seen.sql_int("SELECT count(*) FROM service_versions", &[]);
                    assert!(staged >= 2 + CHUNK as i64, "{staged} versions");
                    // A save through another connection is never made to wait for the import.
                    let mut casework = db.open();
                    casework.set_patience(std::time::Duration::ZERO);
                    saved = Some(casework.add_contact(&input(), "nav1", now(), today()).unwrap());
                    (CHUNK * 2..CHUNK * 2 + 7)
                        .map(filler)
                        .map(Into::into)
                        .for_each(&mut *sink);
                    Ok(((), ImportRecord::for_tests()))
                },
                &mut |chunk| {
                    handed_on += chunk.len();
                    Ok(())
                },
            )
            .unwrap()
            .expect("services were pushed");
        let ((), stats) = applied;
        let n = CHUNK * 2 + 7;
        assert_eq!((stats.added, stats.updated, stats.removed), (n, 1, 1));
        assert_eq!(handed_on, n + 1);
        assert_eq!(stats.generation, generation + 1);
        // The contact snapshotted the food bank as it was seen when it was saved.
        let saved = saved.unwrap();
        assert_eq!(saved.referrals[0].name, "Elm Street Food Bank");
        assert!(before.contact(saved.id).unwrap().is_some());
        // And the import is all there: the renamed food bank, the new ones, no svc-2.
        let stats_now = before.catalogue_stats().unwrap();
        assert_eq!(
            (stats_now.services, stats_now.generation),
            (n as u64 + 1, generation + 1)
        );
        assert_eq!(
            before.service("svc-1").unwrap().unwrap().name,
            "Elm Street Food Bank (moved)"
        );
        assert!(before.service("svc-2").unwrap().is_none());
        // The replaced and removed versions go when collected.
        before.collect_garbage().unwrap();
        assert_eq!(
            before.sql_int("SELECT count(*) FROM service_versions", &[]),
            n as i64 + 1
        );
    });
}

/// An import that stops half-way (killed, or its reader failed) leaves staged versions
/// nobody sees; the next import removes them before it stages its own.
#[test]
fn what_an_unfinished_import_staged_is_never_seen_and_is_removed_by_the_next() {
    use crate::store::CHUNK;
    each_backend(|db| {
        let mut store = store_with_services(db);
        let generation = store.generation().unwrap();
        let (staging, _) = store.begin_staging().unwrap();
        let row = |id: &'static str| crate::store::StagedRow {
            id,
            record: "{}",
            hash: 1,
            organization: "",
            locations: 0,
            replaces: id == "svc-1",
        };
        store.stage(&staging, &[row("svc-1"), row("half-1")]).unwrap();
        store.stage_removals(&staging, &["svc-2".to_string()]).unwrap();
        // As if killed here: a new connection sees the catalogue as it was.
        let mut after = db.open();
        assert_eq!(after.catalogue_stats().unwrap().services, 2);
        assert_eq!(after.service("svc-1").unwrap().unwrap().name, "Elm Street Food Bank");
        assert!(after.service("half-1").unwrap().is_none());
        let stats = after
            .apply_import_stream(
                false,
                None,
                |sink| {
                    (0..CHUNK + 1)
                        .map(|i| Service {
                            id: format!("next-{i}"),
                            name: "Next".into(),
                            ..Default::default()
                        })
                        .map(Into::into)
                        .for_each(sink);
                    Ok(((), ImportRecord::for_tests()))
                },
                &mut |_| Ok(()),
            )
            .unwrap()
            .unwrap()
            .1;
        assert_eq!((stats.added, stats.generation), (CHUNK + 1, generation + 1));
        // The killed import's versions are gone, its removal of svc-2 undone.
        assert!(after.service("half-1").unwrap().is_none());
        assert_eq!(after.service("svc-2").unwrap().unwrap().name, "Bare Service");
        assert_eq!(after.service("svc-1").unwrap().unwrap().name, "Elm Street Food Bank");
        assert_eq!(
            after.sql_int("SELECT count(*) FROM service_versions", &[]),
            CHUNK as i64 + 3
        );
        // The killed import cannot come back and finish: its staging is gone.
        assert!(store.stage(&staging, &[row("late")]).is_err());
    });
}
