//! Unit tests of the queue screen and an open follow-up: keys in, effects out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::queue::Row;
use super::state::{Screen, State};
use super::tests::state;
use super::update::{update, Effect, Event};
use crate::casework::{Need, Referral, SavedContact};
use crate::followups::{Counts, FollowupDetail, HealthImproved, QueueItem, QueueState};

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn item(id: i64, due: &str, state: QueueState, recorded_by: &str) -> QueueItem {
    QueueItem {
        id,
        contact_id: id * 10,
        due: due.into(),
        state,
        attempts: 0,
        claimed_by: None,
        claimed_at: None,
        lease_until: None,
        municipality: Some("Sudbury".into()),
        needs: vec!["food".into()],
        referrals: 2,
        last_attempt: None,
        last_attempt_at: None,
        recorded_by: recorded_by.into(),
    }
}

fn detail(id: i64) -> FollowupDetail {
    let referral = |sid: &str, name: &str| Referral {
        service_id: sid.into(),
        name: name.into(),
        phone: Some("705-555-0142".into()),
        address: None,
        hours: None,
    };
    FollowupDetail {
        item: item(id, "2026-11-25", QueueState::Claimed, "ana"),
        contact: SavedContact {
            id: id * 10,
            started_at: String::new(),
            ended_at: String::new(),
            navigator: "ana".into(),
            channel: "phone".into(),
            language: None,
            municipality: Some("Sudbury".into()),
            postal_fsa: None,
            age_group: None,
            office: None,
            needs: vec![Need {
                category: "food".into(),
                taxonomy_code: None,
                met: true,
                unmet_reason: None,
            }],
            referrals: vec![referral("S1", "Food Bank"), referral("S2", "Shelter")],
            follow_up: None,
        },
        first_name: Some("Ana".into()),
        phone: Some("705-555-0142".into()),
        best_time: None,
        contact_notes: None,
        notes: None,
        attempts: vec![],
        outcome: None,
    }
}

fn in_queue() -> State {
    let mut s = state();
    s.user = "ana".into();
    let u = update(&mut s, Event::Key(KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE)));
    assert!(matches!(u.effects[..], [Effect::LoadQueue, Effect::RefreshCounts]));
    assert_eq!(s.screen, Screen::Queue);
    let items = vec![
        item(3, "2026-11-30", QueueState::Scheduled, "bo"),
        item(1, "2026-11-20", QueueState::Overdue, "bo"),
        item(2, "2026-11-25", QueueState::Due, "ana"),
    ];
    update(&mut s, Event::Queue(items));
    s
}

fn open(s: &mut State, held_by: Option<(String, String)>) {
    update(
        s,
        Event::FollowupOpened {
            detail: Box::new(detail(1)),
            held_by,
        },
    );
    assert_eq!(s.screen, Screen::FollowUp);
}

fn answer(s: &mut State, row: Row, letter: char) {
    s.followup.as_mut().unwrap().row = row;
    update(s, key(KeyCode::Char(letter)));
}

#[test]
fn the_queue_lists_overdue_first_and_enter_claims() {
    let mut s = in_queue();
    let today = s.today.to_string();
    let order: Vec<i64> = s.queue.visible("ana", &today).iter().map(|i| i.id).collect();
    assert_eq!(order, [1, 2, 3], "overdue, due today, upcoming");
    update(&mut s, key(KeyCode::Char('j')));
    let u = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(u.effects[..], [Effect::ClaimFollowup(2)]));
    // "mine" keeps the follow-ups of my own contacts.
    update(&mut s, key(KeyCode::Char('m')));
    let mine: Vec<i64> = s.queue.visible("ana", &today).iter().map(|i| i.id).collect();
    assert_eq!(mine, [2]);
}

#[test]
fn counts_show_on_every_screen_and_redraw_only_when_they_change() {
    let mut s = state();
    let counts = Counts {
        overdue: 1,
        due_today: 2,
        upcoming: 5,
        done_today: 0,
        mine: 0,
    };
    assert!(update(&mut s, Event::Counts(counts)).redraw);
    assert!(
        !update(&mut s, Event::Counts(counts)).redraw,
        "same numbers: nothing to draw"
    );
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|f| super::view::view(&s, f)).unwrap();
    let screen = format!("{:?}", t.backend().buffer());
    assert!(screen.contains("3 follow-ups due"), "{screen}");
}

#[test]
fn a_reached_call_needs_every_answer_before_it_saves() {
    let mut s = in_queue();
    open(&mut s, None);
    answer(&mut s, Row::Reached, 'r');
    assert!(s.followup.as_ref().unwrap().rows().contains(&Row::Contacted(1)));
    let u = update(&mut s, ctrl('s'));
    assert!(u.effects.is_empty());
    assert!(s.notice.as_deref().unwrap().contains("Not saved yet"), "{:?}", s.notice);
    answer(&mut s, Row::Contacted(0), 'y');
    answer(&mut s, Row::GotHelp(0), 'y');
    answer(&mut s, Row::Contacted(1), 'n');
    answer(&mut s, Row::GotHelp(1), 'n');
    assert!(
        s.followup.as_ref().unwrap().rows().contains(&Row::Barrier(1)),
        "not contacted: ask why"
    );
    answer(&mut s, Row::Barrier(1), 'w');
    answer(&mut s, Row::BetterPrepared, 'y');
    answer(&mut s, Row::Health, 'n');
    answer(&mut s, Row::Satisfaction, 'v');
    answer(&mut s, Row::CallAgain, 'y');
    let u = update(&mut s, ctrl('s'));
    match &u.effects[..] {
        [Effect::CompleteFollowup(1, input)] => {
            assert!(input.reached);
            assert_eq!(input.referrals[1].barrier.as_deref(), Some("waitlist"));
            assert_eq!(input.referrals[0].got_help.as_deref(), Some("yes"));
            assert_eq!(input.health_improved, Some(HealthImproved::Answer(false)));
            assert_eq!(input.satisfaction.as_deref(), Some("very_satisfied"));
        }
        other => panic!("{other:?}"),
    }
    let u = update(&mut s, Event::FollowupDone("Follow-up #1: completed".into()));
    assert_eq!(s.screen, Screen::Queue);
    assert!(matches!(u.effects[..], [Effect::LoadQueue, Effect::RefreshCounts]));
}

#[test]
fn not_reached_records_an_attempt_reschedule_and_cancel_are_one_key() {
    let mut s = in_queue();
    open(&mut s, None);
    answer(&mut s, Row::Reached, 'n');
    let u = update(&mut s, ctrl('s'));
    match &u.effects[..] {
        [Effect::CompleteFollowup(1, input)] => {
            assert!(!input.reached);
            assert_eq!(input.result.as_deref(), Some("no_answer"));
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, ctrl('t'));
    assert_eq!(
        s.followup.as_ref().unwrap().reschedule.as_ref().unwrap().value(),
        "2026-11-26",
        "next business day"
    );
    let u = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&u.effects[..], [Effect::RescheduleFollowup(1, d)] if d == "2026-11-26"));
    update(&mut s, ctrl('d'));
    let u = update(&mut s, key(KeyCode::Char('y')));
    assert!(matches!(u.effects[..], [Effect::CancelFollowup(1)]));
}

#[test]
fn someone_elses_follow_up_is_read_only_and_not_released() {
    let mut s = in_queue();
    open(&mut s, Some(("bo".into(), "2026-11-25 09:15".into())));
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("bo has held this follow-up since 2026-11-25 09:15"));
    answer(&mut s, Row::Reached, 'r');
    assert!(s.followup.as_ref().unwrap().answers.is_empty(), "read-only");
    assert!(update(&mut s, ctrl('s')).effects.is_empty());
    let u = update(&mut s, key(KeyCode::Esc));
    assert!(!u.effects.iter().any(|e| matches!(e, Effect::ReleaseFollowup(_))));
    assert_eq!(s.screen, Screen::Queue);
}

#[test]
fn leaving_releases_and_the_timer_renews_without_drawing() {
    let mut s = in_queue();
    assert!(
        update(&mut s, Event::RenewTick).effects.is_empty(),
        "nothing open, nothing to renew"
    );
    open(&mut s, None);
    let u = update(&mut s, Event::RenewTick);
    assert!(matches!(u.effects[..], [Effect::RenewLease(1)]));
    assert!(!u.redraw, "renewing draws nothing");
    let u = update(&mut s, key(KeyCode::Esc));
    assert!(matches!(u.effects[0], Effect::ReleaseFollowup(1)));
}
