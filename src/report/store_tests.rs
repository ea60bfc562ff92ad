//! The reports read through the store: the same figures from both backends, for every
//! office by default and split by office.

use crate::casework::input::{FollowUpInput, NeedInput};
use crate::casework::ContactInput;
use crate::followups::test_support::{at, day, each_backend, followup, reached, store, today};
use crate::followups::Policy;
use crate::report::needs::{needs_report, needs_report_by_office};
use crate::report::outcomes::outcomes_report;
use crate::report::{Period, Ratio};
use crate::store::Store;

fn need(category: &str, unmet: Option<&str>) -> NeedInput {
    NeedInput {
        category: category.into(),
        met: unmet.is_none(),
        unmet_reason: unmet.map(String::from),
        ..Default::default()
    }
}

/// A contact at `office` referred to S1 and S2, with a follow-up due today; its
/// follow-up's id.
fn contact_at(store: &mut Store, office: &str, municipality: &str, needs: Vec<NeedInput>) -> i64 {
    let input = ContactInput {
        channel: "phone".into(),
        municipality: Some(municipality.into()),
        needs,
        referrals: vec!["S1".into(), "S2".into()],
        follow_up: Some(FollowUpInput {
            consent: true,
            due: Some(today().to_string()),
            first_name: Some("Ana".into()),
            phone: Some("705-555-0142".into()),
            best_time: None,
        }),
        ..Default::default()
    };
    let saved = store
        .add_contact_at(&input, "intake", Some(office), at(-60), today())
        .unwrap();
    saved.follow_up.unwrap().id
}

#[test]
fn reports_cover_every_office_and_split_by_office_on_both_backends() {
    each_backend(|db| {
        let mut store = store(db);
        let sudbury = contact_at(
            &mut store,
            "Sudbury",
            "Sudbury",
            vec![need("food", None), need("housing", Some("waitlist"))],
        );
        contact_at(&mut store, "Sudbury", "Sudbury", vec![need("food", None)]);
        contact_at(&mut store, "Ottawa", "Ottawa", vec![need("housing", Some("cost"))]);
        // Recorded without an office (housing unmet for waitlist, food met).
        followup(&mut store, 0, "Ottawa");

        let all = needs_report(&store, &Period::all(), None).unwrap();
        assert_eq!((all.contacts, all.contacts_with_needs, all.office), (4, 4, None));
        let needs: Vec<_> = all
            .needs
            .iter()
            .map(|n| (n.category.as_str(), n.total, n.met, n.unmet))
            .collect();
        assert_eq!(needs, [("food", 3, 3, 0), ("housing", 3, 0, 3)]);
        assert_eq!(
            (all.unmet_reasons.get("waitlist"), all.unmet_reasons.get("cost")),
            (2, 1)
        );
        let places: Vec<_> = all
            .by_municipality
            .iter()
            .map(|m| (m.municipality.as_deref(), m.contacts, m.needs, m.unmet))
            .collect();
        assert_eq!(places, [(Some("Ottawa"), 2, 3, 2), (Some("Sudbury"), 2, 3, 1)]);

        let split = needs_report_by_office(&store, &Period::all(), None).unwrap();
        let offices: Vec<_> = split.iter().map(|r| (r.office.as_deref(), r.contacts)).collect();
        assert_eq!(offices, [(Some("Ottawa"), 1), (Some("Sudbury"), 2), (None, 1)]);
        assert_eq!(split[1].needs[0].category, "food");
        assert_eq!(split[1].needs[0].total, 2);
        // The split adds up to the whole.
        assert_eq!(split.iter().map(|r| r.contacts).sum::<u64>(), all.contacts);
        // A municipality filter applies within each office.
        let ottawa = needs_report_by_office(&store, &Period::all(), Some("ottawa")).unwrap();
        let offices: Vec<_> = ottawa.iter().map(|r| (r.office.as_deref(), r.contacts)).collect();
        assert_eq!(offices, [(Some("Ottawa"), 1), (None, 1)]);

        // A follow-up started in Sudbury, finished by a navigator in Ottawa.
        store
            .complete(sudbury, "ottawa-nav", &reached(), at(0), today(), &Policy::default())
            .unwrap();
        let outcomes = outcomes_report(&store, &Period::all(), None, today()).unwrap();
        assert_eq!(
            (
                outcomes.followups_due,
                outcomes.followups_completed,
                outcomes.reached,
                outcomes.unreachable
            ),
            (4, 1, 1, 0)
        );
        assert_eq!(outcomes.connected, Ratio::new(1, 2));
        assert_eq!(outcomes.barriers.get("waitlist"), 1);
        let sudbury_only = outcomes_report(&store, &Period::all(), Some("SUDBURY"), today()).unwrap();
        assert_eq!((sudbury_only.followups_due, sudbury_only.reached), (2, 1));
        // Outside the period: nothing due, nothing completed.
        let later = Period::parse(Some(&day(1).to_string()), Some(&day(2).to_string())).unwrap();
        let none = outcomes_report(&store, &later, None, today()).unwrap();
        assert_eq!((none.followups_due, none.reached), (0, 0));
    });
}
