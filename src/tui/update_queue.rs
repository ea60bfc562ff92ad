//! The follow-up half of `update`: the queue screen, an open follow-up, and the events the
//! store sends back (the queue, claims, recorded calls). Pure like the rest of `update`.

use crossterm::event::KeyEvent;

use super::keymap::{Action, Context};
use super::queue::keys::{self, CallAction};
use super::queue::OpenFollowup;
use super::state::{Focus, Overlay, Screen, State};
use super::update::{Effect, Update};
use crate::followups::{Counts, FollowupDetail, QueueItem};

fn with(effects: Vec<Effect>) -> Update {
    Update { effects, redraw: true }
}

/// F2 / g: the queue, freshly loaded.
pub fn open_queue(state: &mut State) -> Update {
    state.screen = Screen::Queue;
    with(vec![Effect::LoadQueue, Effect::RefreshCounts])
}

pub fn queue_key(state: &mut State, key: KeyEvent) -> Update {
    let today = state.today.to_string();
    let visible = state.queue.visible(&state.user, &today).len();
    let page = state.list_rows() as isize;
    let mut move_by = |delta: isize| {
        if visible > 0 {
            state.queue.selected = (state.queue.selected as isize + delta).clamp(0, visible as isize - 1) as usize;
        }
    };
    match state.keymap.resolve(&key, Context::Queue) {
        Some(Action::SelectNext) => move_by(1),
        Some(Action::SelectPrevious) => move_by(-1),
        Some(Action::PageDown) => move_by(page),
        Some(Action::PageUp) => move_by(-page),
        Some(Action::OpenDetails) => {
            let item = state
                .queue
                .visible(&state.user, &today)
                .get(state.queue.selected)
                .map(|i| i.id);
            if let Some(id) = item {
                state.notice = Some(format!("Opening follow-up #{id}…"));
                return with(vec![Effect::ClaimFollowup(id)]);
            }
        }
        Some(Action::ToggleMine) => {
            state.queue.mine_only = !state.queue.mine_only;
            state.queue.selected = 0;
        }
        Some(Action::Back | Action::OpenQueue) => state.screen = Screen::Search,
        Some(Action::FocusQuery) => {
            state.screen = Screen::Search;
            state.focus = Focus::Query;
        }
        Some(Action::OpenReports) => return super::update_reports::open(state),
        Some(Action::Help) => state.overlay = Some(Overlay::Help(0)),
        Some(Action::Quit) => return super::update::request_quit(state),
        _ => return Update::default(),
    }
    Update::redraw_only()
}

pub fn followup_key(state: &mut State, key: KeyEvent) -> Update {
    let retry = crate::followups::policy::retry_date(state.today, state.retry).to_string();
    let Some(open) = state.followup.as_mut() else {
        state.screen = Screen::Queue;
        return Update::redraw_only();
    };
    let id = open.detail.item.id;
    let held = open.held_by.is_some();
    let before = open.draft();
    let action = keys::handle(open, key, &state.keymap, &retry);
    // Every answer is kept as it is given: an SSH drop mid-call loses nothing.
    let after = open.draft();
    let answered = after.answers != before.answers || after.notes != before.notes;
    let keep = (!held && answered)
        .then(|| Effect::SaveFollowupDraft(id, serde_json::to_string(&after).expect("a call draft serializes")));
    let mut update = followup_action(state, id, held, action);
    update.effects.extend(keep);
    update
}

fn followup_action(state: &mut State, id: i64, held: bool, action: Option<CallAction>) -> Update {
    match action {
        Some(CallAction::Complete(input)) => {
            state.notice = Some("Saving…".into());
            with(vec![Effect::CompleteFollowup(id, input)])
        }
        Some(CallAction::Reschedule(date)) => with(vec![Effect::RescheduleFollowup(id, date)]),
        Some(CallAction::Cancel) => with(vec![Effect::CancelFollowup(id)]),
        Some(CallAction::Back) => {
            state.followup = None;
            state.screen = Screen::Queue;
            let mut effects = vec![Effect::LoadQueue, Effect::RefreshCounts];
            if !held {
                effects.insert(0, Effect::ReleaseFollowup(id));
            }
            with(effects)
        }
        Some(CallAction::Quit) => super::update::request_quit(state),
        Some(CallAction::Say(message)) => {
            state.notice = Some(message);
            Update::redraw_only()
        }
        None => Update::redraw_only(),
    }
}

/// A paste on a follow-up call: its notes or the reschedule date.
pub fn paste(state: &mut State, text: &str) -> Update {
    match state.followup.as_mut() {
        Some(open) if open.held_by.is_none() => {
            keys::paste(open, text);
            Update::redraw_only()
        }
        _ => Update::default(),
    }
}

pub fn loaded(
    state: &mut State,
    items: Vec<QueueItem>,
    callers: std::collections::HashMap<i64, crate::followups::Caller>,
) -> Update {
    state.queue.items = items;
    state.queue.callers = callers;
    state.queue.loaded = true;
    let visible = state.queue.visible(&state.user, &state.today.to_string()).len();
    state.queue.selected = state.queue.selected.min(visible.saturating_sub(1));
    Update {
        effects: Vec::new(),
        redraw: state.screen == Screen::Queue,
    }
}

pub fn counts(state: &mut State, counts: Counts) -> Update {
    let changed = state.counts != counts;
    state.counts = counts;
    Update {
        effects: Vec::new(),
        redraw: changed,
    }
}

/// The store answered a claim: open it (read-only when someone else holds it).
pub fn opened(
    state: &mut State,
    detail: FollowupDetail,
    held_by: Option<(String, String)>,
    draft: Option<String>,
) -> Update {
    state.notice = held_by
        .as_ref()
        .map(|(u, since)| format!("{u} has held this follow-up since {since}: read-only"));
    let mut open = OpenFollowup::new(detail, held_by);
    if let Some(draft) = draft.filter(|_| open.held_by.is_none()) {
        if let Ok(draft) = serde_json::from_str(&draft) {
            open.restore(draft);
            state.notice = Some("The answers given so far on this call are back".into());
        }
    }
    state.followup = Some(open);
    state.screen = Screen::FollowUp;
    with(vec![Effect::RefreshCounts])
}

/// A call was recorded, rescheduled or cancelled: back to the queue.
pub fn done(state: &mut State, message: String) -> Update {
    state.notice = Some(message);
    state.followup = None;
    state.screen = Screen::Queue;
    with(vec![Effect::LoadQueue, Effect::RefreshCounts])
}

/// The database could not be reached: the call's answers are held on this server.
pub fn held(state: &mut State, id: i64) -> Update {
    let message = format!("Follow-up #{id}: answers held on this server until the database is back");
    done(state, message)
}

pub fn rejected(state: &mut State, errors: Vec<(String, String)>) -> Update {
    if let Some(open) = state.followup.as_mut() {
        for (path, message) in &errors {
            open.errors.insert(super::queue::Row::for_path(path), message.clone());
        }
    }
    let first = errors.first().map(|(p, m)| format!("{p}: {m}")).unwrap_or_default();
    state.notice = Some(format!("Not saved: {first}"));
    Update::redraw_only()
}

/// The lease timer: renew the claim of the follow-up that is open. Draws nothing.
pub fn renew_tick(state: &State) -> Update {
    match &state.followup {
        Some(open) if open.held_by.is_none() => Update {
            effects: vec![Effect::RenewLease(open.detail.item.id)],
            redraw: false,
        },
        _ => Update::default(),
    }
}
