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
    match state.keymap.resolve(&key, Context::List) {
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
        Some(Action::Help) => state.overlay = Some(Overlay::Help(0)),
        Some(Action::Quit) => state.quit = true,
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
    match keys::handle(open, key, &state.keymap, &retry) {
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
        Some(CallAction::Quit) => {
            state.quit = true;
            with(if held {
                vec![]
            } else {
                vec![Effect::ReleaseFollowup(id)]
            })
        }
        Some(CallAction::Say(message)) => {
            state.notice = Some(message);
            Update::redraw_only()
        }
        None => Update::redraw_only(),
    }
}

pub fn loaded(state: &mut State, items: Vec<QueueItem>) -> Update {
    state.queue.items = items;
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
pub fn opened(state: &mut State, detail: FollowupDetail, held_by: Option<(String, String)>) -> Update {
    state.notice = held_by
        .as_ref()
        .map(|(u, since)| format!("{u} has held this follow-up since {since}: read-only"));
    state.followup = Some(OpenFollowup::new(detail, held_by));
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
    let message =
        format!("Follow-up #{id}: the answers are held on this server and recorded when the database is back");
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
