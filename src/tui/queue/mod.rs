//! The follow-up queue and the outcome form: state only (keys in `keys.rs`, drawing in
//! `view.rs`). The store decides who holds what; this is what one navigator sees.

pub mod keys;
pub mod view;

use std::collections::BTreeMap;

use tui_input::Input;

use crate::followups::{
    FollowupDetail, HealthImproved, OutcomeInput, QueueItem, QueueState, ReferralOutcomeInput, BARRIERS, GOT_HELP,
    RESULTS, SATISFACTION,
};

/// The queue as last loaded.
#[derive(Debug, Clone, Default)]
pub struct Queue {
    pub items: Vec<QueueItem>,
    /// Who to ask for on each call (first name, best time), by follow-up id.
    pub callers: std::collections::HashMap<i64, crate::followups::Caller>,
    pub selected: usize,
    /// Only follow-ups of contacts I recorded or claims I hold.
    pub mine_only: bool,
    pub loaded: bool,
}

impl Queue {
    /// Items in display order: overdue, due today, upcoming, each by due date.
    pub fn visible(&self, me: &str, today: &str) -> Vec<&QueueItem> {
        let mut v: Vec<&QueueItem> = self
            .items
            .iter()
            .filter(|i| !self.mine_only || i.claimed_by.as_deref() == Some(me) || i.recorded_by == me)
            .collect();
        v.sort_by(|a, b| {
            section(a, today)
                .cmp(&section(b, today))
                .then_with(|| a.due.cmp(&b.due))
                .then(a.id.cmp(&b.id))
        });
        v
    }
}

/// 0 overdue, 1 due today, 2 upcoming, 3 closed. `today` is YYYY-MM-DD.
pub fn section(item: &QueueItem, today: &str) -> u8 {
    match item.state {
        QueueState::Overdue => 0,
        QueueState::Due => 1,
        QueueState::Claimed if item.due.as_str() < today => 0,
        QueueState::Claimed if item.due.as_str() == today => 1,
        QueueState::Scheduled | QueueState::Claimed => 2,
        _ => 3,
    }
}

/// One question of the outcome form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Row {
    Reached,
    Contacted(usize),
    GotHelp(usize),
    Barrier(usize),
    BetterPrepared,
    Health,
    Satisfaction,
    CallAgain,
    Notes,
}

pub const YES_NO: &[&str] = &["yes", "no"];
pub const HEALTH: &[&str] = &["yes", "no", "not applicable"];

impl Row {
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Row::Reached => RESULTS,
            Row::Contacted(_) | Row::BetterPrepared | Row::CallAgain => YES_NO,
            Row::GotHelp(_) => GOT_HELP,
            Row::Barrier(_) => BARRIERS,
            Row::Health => HEALTH,
            Row::Satisfaction => SATISFACTION,
            Row::Notes => &[],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Row::Reached => "Reached the caller",
            Row::Contacted(_) => "Contacted the service",
            Row::GotHelp(_) => "Got help",
            Row::Barrier(_) => "Barrier",
            Row::BetterPrepared => "Better prepared",
            Row::Health => "Health improved",
            Row::Satisfaction => "Satisfaction with 211",
            Row::CallAgain => "Would call 211 again",
            Row::Notes => "Notes",
        }
    }

    /// The form row a validation error's path belongs to.
    pub fn for_path(path: &str) -> Row {
        let index = path.split(['[', ']']).nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
        match path {
            p if p.ends_with("contacted") => Row::Contacted(index),
            p if p.ends_with("got_help") => Row::GotHelp(index),
            p if p.ends_with("barrier") => Row::Barrier(index),
            p if p.starts_with("referrals") => Row::Contacted(index),
            "better_prepared" => Row::BetterPrepared,
            "health_improved" => Row::Health,
            "satisfaction" => Row::Satisfaction,
            "would_call_again" => Row::CallAgain,
            "notes" => Row::Notes,
            _ => Row::Reached,
        }
    }
}

/// An open follow-up: the call's details and the outcome being recorded.
#[derive(Debug, Clone)]
pub struct OpenFollowup {
    pub detail: FollowupDetail,
    /// Someone else holds it: (who, since when). Read-only then.
    pub held_by: Option<(String, String)>,
    pub row: Row,
    pub answers: BTreeMap<Row, usize>,
    pub notes: Input,
    pub errors: BTreeMap<Row, String>,
    /// Ctrl-T: the date being typed for a reschedule.
    pub reschedule: Option<Input>,
    /// Ctrl-D: asking before cancelling.
    pub confirm_cancel: bool,
}

/// A call's answers in progress, as kept in the store (`followup-ID` drafts).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CallDraft {
    pub answers: Vec<(Row, usize)>,
    pub notes: String,
    pub row: Row,
}

impl OpenFollowup {
    /// The answers so far, for a draft.
    pub fn draft(&self) -> CallDraft {
        CallDraft {
            answers: self.answers.iter().map(|(r, v)| (*r, *v)).collect(),
            notes: self.notes.value().to_string(),
            row: self.row,
        }
    }

    /// Puts back answers from a draft (those that still fit this call's questions), with
    /// the focus on the first question still unanswered: the navigator picks the call up
    /// where it stands, and an answer key typed at once answers it instead of landing in
    /// the notes, where a draft saved while typing a note had left the focus. With every
    /// question answered the focus goes back where it was.
    pub fn restore(&mut self, draft: CallDraft) {
        for (row, value) in draft.answers {
            if value < row.options().len() {
                self.answers.insert(row, value);
            }
        }
        self.notes = Input::new(draft.notes);
        let rows = self.rows();
        let unanswered = rows.iter().find(|r| **r != Row::Notes && !self.answers.contains_key(r));
        if let Some(row) = unanswered {
            self.row = *row;
        } else if rows.contains(&draft.row) {
            self.row = draft.row;
        }
    }

    pub fn new(detail: FollowupDetail, held_by: Option<(String, String)>) -> OpenFollowup {
        OpenFollowup {
            detail,
            held_by,
            row: Row::Reached,
            answers: BTreeMap::new(),
            notes: Input::default(),
            errors: BTreeMap::new(),
            reschedule: None,
            confirm_cancel: false,
        }
    }

    pub fn reached(&self) -> bool {
        self.answers.get(&Row::Reached) == Some(&0)
    }

    /// The questions shown: all of them once the caller was reached.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = vec![Row::Reached];
        if self.reached() {
            for i in 0..self.detail.contact.referrals.len() {
                rows.push(Row::Contacted(i));
                rows.push(Row::GotHelp(i));
                if self.needs_barrier(i) {
                    rows.push(Row::Barrier(i));
                }
            }
            rows.extend([Row::BetterPrepared, Row::Health, Row::Satisfaction, Row::CallAgain]);
        }
        rows.push(Row::Notes);
        rows
    }

    /// A barrier is asked for when the caller did not contact the service or got no help.
    fn needs_barrier(&self, i: usize) -> bool {
        let not_contacted = self.answers.get(&Row::Contacted(i)) == Some(&1);
        let no_help = matches!(
            self.answers.get(&Row::GotHelp(i)).map(|&v| GOT_HELP[v]),
            Some("no" | "waitlisted")
        );
        not_contacted || no_help
    }

    fn choice(&self, row: Row) -> Option<&'static str> {
        self.answers.get(&row).map(|&v| row.options()[v])
    }

    fn yes(&self, row: Row) -> Option<bool> {
        self.choice(row).map(|v| v == "yes")
    }

    /// The answers as the outcome `followups complete --json` reads.
    pub fn to_input(&self) -> OutcomeInput {
        let notes = Some(self.notes.value().trim().to_string()).filter(|n| !n.is_empty());
        if !self.reached() {
            return OutcomeInput {
                reached: false,
                result: self.choice(Row::Reached).map(String::from),
                notes,
                ..Default::default()
            };
        }
        let referrals = self
            .detail
            .contact
            .referrals
            .iter()
            .enumerate()
            .map(|(i, r)| ReferralOutcomeInput {
                service_id: r.service_id.clone(),
                contacted: self.yes(Row::Contacted(i)),
                got_help: self.choice(Row::GotHelp(i)).map(String::from),
                barrier: if self.needs_barrier(i) {
                    self.choice(Row::Barrier(i)).map(String::from)
                } else {
                    None
                },
            })
            .collect();
        let health = self.choice(Row::Health).map(|h| match h {
            "yes" => HealthImproved::Answer(true),
            "no" => HealthImproved::Answer(false),
            _ => HealthImproved::Text("not_applicable".into()),
        });
        OutcomeInput {
            reached: true,
            result: None,
            referrals,
            better_prepared: self.yes(Row::BetterPrepared),
            health_improved: health,
            satisfaction: self.choice(Row::Satisfaction).map(String::from),
            would_call_again: self.yes(Row::CallAgain),
            notes,
        }
    }
}
