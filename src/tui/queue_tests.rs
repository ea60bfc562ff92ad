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
        language: Some("fr".into()),
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
            postal_code: None,
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
    let callers = [(
        2,
        crate::followups::Caller {
            first_name: Some("Bea".into()),
            best_time: Some("mornings".into()),
        },
    )]
    .into_iter()
    .collect();
    update(&mut s, Event::Queue(items, callers));
    s
}

fn open(s: &mut State, held_by: Option<(String, String)>) {
    update(
        s,
        Event::FollowupOpened {
            detail: Box::new(detail(1)),
            held_by,
            draft: None,
        },
    );
    assert_eq!(s.screen, Screen::FollowUp);
}

/// A new session opening follow-up 1 with `draft` (held by `held_by`, if anyone).
fn reopened(draft: String, held_by: Option<(String, String)>) -> State {
    let mut s = in_queue();
    update(
        &mut s,
        Event::FollowupOpened {
            detail: Box::new(detail(1)),
            held_by,
            draft: Some(draft),
        },
    );
    s
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
    update(&mut s, key(KeyCode::Down));
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

#[test]
fn answers_are_kept_as_a_draft_and_come_back_after_a_drop() {
    let mut s = in_queue();
    open(&mut s, None);
    s.followup.as_mut().unwrap().row = Row::Reached;
    let effects = update(&mut s, key(KeyCode::Char('r'))).effects;
    let body = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveFollowupDraft(1, body) => Some(body.clone()),
            _ => None,
        })
        .expect("the answer is kept at once");
    s.followup.as_mut().unwrap().row = Row::Contacted(0);
    let effects = update(&mut s, key(KeyCode::Char('y'))).effects;
    let body = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveFollowupDraft(1, body) => Some(body.clone()),
            _ => None,
        })
        .unwrap_or(body);
    // Moving without answering writes nothing.
    assert!(!update(&mut s, key(KeyCode::Down))
        .effects
        .iter()
        .any(|e| matches!(e, Effect::SaveFollowupDraft(..))));
    // The SSH link drops; a new session opens the same follow-up with the draft.
    let next = reopened(body, None);
    let open = next.followup.as_ref().unwrap();
    assert!(open.reached());
    assert_eq!(open.answers.get(&Row::Contacted(0)), Some(&0));
    // The focus is on the first question not answered yet, not where the draft was kept.
    assert_eq!(open.row, Row::GotHelp(0));
    // Someone else's follow-up never takes a draft.
    let other = reopened(
        serde_json::to_string(&open.draft()).unwrap(),
        Some(("bo".into(), "14:00".into())),
    );
    assert!(other.followup.as_ref().unwrap().answers.is_empty());
}

#[test]
fn a_call_taken_up_again_after_a_note_answers_the_next_question_not_the_note() {
    // The call was left while the navigator typed a note, with "Contacted" unanswered.
    let mut s = in_queue();
    open(&mut s, None);
    answer(&mut s, Row::Reached, 'r');
    answer(&mut s, Row::GotHelp(0), 'y');
    s.followup.as_mut().unwrap().row = Row::Notes;
    update(&mut s, key(KeyCode::Char('x')));
    let draft = serde_json::to_string(&s.followup.as_ref().unwrap().draft()).unwrap();
    let mut next = reopened(draft, None);
    // "y" answers "Contacted the service", and the note stays as it was.
    update(&mut next, key(KeyCode::Char('y')));
    let open = next.followup.as_ref().unwrap();
    assert_eq!(open.answers.get(&Row::Contacted(0)), Some(&0));
    assert_eq!(open.notes.value(), "x");
    // Every question answered: the focus goes back where the draft left it.
    let mut done = open.clone();
    for row in done.rows() {
        done.answers.entry(row).or_insert(0);
    }
    done.answers.remove(&Row::Notes);
    done.row = Row::Notes;
    let mut again = done.clone();
    again.row = Row::Reached;
    again.restore(done.draft());
    assert_eq!(again.row, Row::Notes);
}

pub(super) fn screen(s: &State) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| super::view::view(s, f)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..24)
        .map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_call_shows_language_referrals_from_the_start_and_notes_only_to_readers() {
    let mut s = in_queue();
    let mut d = detail(1);
    d.contact.language = Some("fr".into());
    d.contact_notes = Some("Prefers text messages".into());
    update(
        &mut s,
        Event::FollowupOpened {
            detail: Box::new(d.clone()),
            held_by: None,
            draft: None,
        },
    );
    let text = screen(&s);
    assert!(text.contains("Language    French"), "{text}");
    assert!(
        text.contains("Referred    1. Food Bank (705-555-0142)"),
        "before any answer:\n{text}"
    );
    assert!(text.contains("2. Shelter"), "{text}");
    assert!(!text.contains("Prefers text"), "not a personal-data reader:\n{text}");
    assert!(text.contains("personal-data readers only"), "{text}");
    s.personal_data_reader = true;
    assert!(screen(&s).contains("Notes       Prefers text messages"));
}

#[test]
fn every_choice_of_every_row_is_visible_at_80_columns() {
    let mut s = in_queue();
    open(&mut s, None);
    let open = s.followup.as_mut().unwrap();
    open.answers.insert(Row::Reached, 0);
    open.answers.insert(Row::Contacted(0), 1); // not contacted: a barrier is asked
    open.row = Row::Satisfaction;
    let text = screen(&s);
    for choice in [
        "very dissatisfied",
        "language",
        "hours",
        "other",
        "no answer",
        "transportation",
    ] {
        assert!(text.contains(choice), "{choice:?} is off-screen:\n{text}");
    }
}

#[test]
fn queue_rows_show_first_name_language_and_best_time() {
    let s = in_queue();
    let text = screen(&s);
    let row = text.lines().find(|l| l.contains("#2")).unwrap();
    assert!(row.contains("Bea · French · mornings"), "{row}");
}
