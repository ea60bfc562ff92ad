//! Everything the screen shows, as plain data. No handles, no I/O: `update` changes it,
//! `view` draws it, and tests build it by hand.

use navigator_index::search::Facets;
use navigator_index::{Filters, Hit, Service};
use tui_input::Input;

use super::filter_menu::FilterMenu;
use super::form::{ContactForm, Draft};
use super::keymap::{Context, Keymap, Style};
use super::queue::{OpenFollowup, Queue};
use crate::followups::{Counts, Retry};

/// The smallest terminal navigator draws in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;
/// From this width the detail pane sits beside the results instead of below them.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Query,
    Results,
    Details,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    /// The keys, scrolled this many lines.
    Help(u16),
    Filters(FilterMenu),
    /// A draft from an earlier session: resume it?
    ResumeDraft(Box<Draft>, String),
    /// Discard the open contact?
    ConfirmDiscard,
    /// Quit with a basket or an open contact?
    ConfirmQuit,
    /// A draft open in another live session of this navigator: take it over? (the draft,
    /// that session's id, and "since 14:02, pts/3")
    DraftElsewhere(Box<Draft>, String, String),
}

/// Which screen fills the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Search,
    Form,
    Summary,
    /// The follow-up queue.
    Queue,
    /// One follow-up call in progress.
    FollowUp,
    /// Needs and outcome reports.
    Reports,
}

/// What the detail pane beside or below the results shows.
#[derive(Debug, Clone, Default)]
pub enum Preview {
    /// The selected result.
    #[default]
    Live,
    /// What it showed when the navigator started typing, kept until typing pauses: each
    /// keystroke brings a new first result, and redrawing its details every time would cost
    /// more bytes than the results themselves (see `[tui] details_delay_ms`).
    Held { hit: Option<Box<Hit>>, scroll: u16 },
}

/// After saving: the referral summary to read out, copy or write.
#[derive(Debug, Clone)]
pub struct Summary {
    /// None while the contact is held on this server (see [`Summary::held`]).
    pub contact_id: Option<i64>,
    /// The key of the held save, while the database could not be reached.
    pub held: Option<String>,
    pub services: Vec<Service>,
    pub follow_up_due: Option<String>,
    /// The language it is read in: the caller's (English, French or Spanish), `l` switches.
    pub language: crate::referral::Tongue,
}

/// The link to the database, as the status line shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    /// When it went ("14:02", local time); None while the database answers.
    pub down_since: Option<String>,
    /// Saves held on this server, waiting for it.
    pub held: usize,
}

/// A location filter: where distances are measured from, and an optional radius.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    /// A municipality name or "lat,lon" as typed.
    pub place: String,
    pub radius_km: Option<f64>,
}

/// Display options fixed at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Display {
    pub no_color: bool,
    pub ascii: bool,
}

#[derive(Debug, Clone)]
pub struct State {
    pub query: Input,
    /// The query Ctrl-U last cleared, for restore-query.
    pub last_cleared: Option<String>,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub keymap: Keymap,
    pub display: Display,

    pub filters: Filters,
    pub location: Option<Location>,

    /// The results of the newest query that has answered.
    pub hits: Vec<Hit>,
    pub total: usize,
    /// The search stopped counting at its budget: `total` is "at least" (shown "10,000+").
    pub total_is_lower_bound: bool,
    pub facets: Facets,
    /// The resolved origin's name when a location is set ("Sudbury").
    pub origin_name: Option<String>,
    /// The home area's name when results are ranked near it (no location set).
    pub home_name: Option<String>,
    /// True when the shown results answer only some of the words (no service answers all).
    pub partial: bool,
    pub selected: usize,
    /// First visible result row.
    pub scroll: usize,
    pub details_scroll: u16,
    pub preview: Preview,
    /// How long typing must pause before the preview follows the selection; zero: always.
    pub details_delay: std::time::Duration,
    /// The last key edited the query.
    pub typing: bool,

    /// Generation of the newest search sent, and of the one whose results are shown.
    pub sent_generation: u64,
    pub shown_generation: u64,
    /// The generation of a "more results" request on its way, if any.
    pub more: Option<u64>,
    /// Why the newest search failed (an unknown place), shown in the status line.
    pub error: Option<String>,
    /// A one-off notice ("Copied ..."), cleared by the next key.
    pub notice: Option<String>,

    /// Terminal size in cells.
    pub width: u16,
    pub height: u16,
    /// "demo directory" or "catalogue", with the service count.
    pub source: String,
    /// Services in the catalogue: sizes the result count so the status line never shifts.
    pub services: usize,
    pub screen: Screen,
    /// Services marked for referral; survives new searches.
    pub basket: Vec<Service>,
    /// The contact being recorded (kept while the navigator searches for more services).
    pub form: Option<ContactForm>,
    pub summary: Option<Summary>,
    /// Municipalities of the catalogue, for the form's type-to-narrow.
    pub places: Vec<String>,
    /// Their centres, by folded name: "far from the caller" warnings, near-first search.
    pub centres: std::collections::HashMap<String, navigator_index::geo::Point>,
    /// The office's country (`[casework] country`): postal codes.
    pub country: crate::casework::Country,
    /// This session has a draft stored (so saving must consume it).
    pub draft_saved: bool,
    /// Moves on when another session took this one's draft over: writes of the old draft
    /// still on their way are dropped.
    pub draft_epoch: u64,
    /// The session a resumable draft was left by, for taking it on resume.
    pub draft_from: Option<String>,
    /// Default days until a follow-up (config.toml [followups] default_days).
    pub followup_days: i64,
    /// When a not-reached follow-up is tried again (config.toml [followups] retry).
    pub retry: Retry,
    /// The OS user: whose claims are "mine".
    pub user: String,
    /// The user is in `[privacy] personal_data_readers` (see `privacy::Access`):
    /// the follow-up screen shows the contact's free-text notes.
    pub personal_data_reader: bool,
    pub queue: Queue,
    pub followup: Option<OpenFollowup>,
    /// Follow-up counts for the status line on every screen.
    pub counts: Counts,
    /// Whether the database answers, and what is held here meanwhile.
    pub link: Link,
    pub reports: super::reports::Reports,
    /// Today's date where the user is: decides "verified over 12 months ago". Set by the loop.
    pub today: jiff::civil::Date,
    /// The moment hours are judged at ("open until 17:00"). Set by the loop.
    pub now: jiff::Timestamp,
    pub quit: bool,
}

impl State {
    pub fn new(
        keymap: Keymap,
        display: Display,
        source: String,
        (width, height): (u16, u16),
        today: jiff::civil::Date,
    ) -> State {
        State {
            query: Input::default(),
            last_cleared: None,
            focus: Focus::Query,
            overlay: None,
            keymap,
            display,
            filters: Filters::default(),
            location: None,
            hits: Vec::new(),
            total: 0,
            total_is_lower_bound: false,
            facets: Facets::default(),
            origin_name: None,
            home_name: None,
            partial: false,
            selected: 0,
            scroll: 0,
            details_scroll: 0,
            preview: Preview::Live,
            details_delay: std::time::Duration::ZERO,
            typing: false,
            sent_generation: 0,
            shown_generation: 0,
            more: None,
            error: None,
            notice: None,
            width,
            height,
            source,
            services: 0,
            screen: Screen::Search,
            basket: Vec::new(),
            form: None,
            summary: None,
            places: Vec::new(),
            centres: Default::default(),
            country: Default::default(),
            draft_saved: false,
            draft_epoch: 0,
            draft_from: None,
            followup_days: 7,
            retry: Retry::NextBusinessDay,
            user: String::new(),
            personal_data_reader: false,
            queue: Queue::default(),
            followup: None,
            counts: Counts::default(),
            link: Link::default(),
            reports: Default::default(),
            today,
            now: today
                .at(12, 0, 0, 0)
                .to_zoned_datetime(crate::clock::local_zone())
                .map(|z| z.timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            quit: false,
        }
    }

    /// Which bindings apply now.
    pub fn context(&self) -> Context {
        if self.overlay.is_some() {
            return Context::Menu;
        }
        match self.screen {
            Screen::Form => Context::Form,
            Screen::FollowUp => Context::FollowUp,
            Screen::Queue => Context::Queue,
            Screen::Summary => Context::Summary,
            Screen::Reports => Context::Reports,
            Screen::Search if self.focus != Focus::Query && self.keymap.style == Style::Modal => Context::List,
            Screen::Search => Context::Search,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn side_by_side(&self) -> bool {
        self.width >= SIDE_BY_SIDE_WIDTH
    }

    /// Rows of results visible at once; must agree with the layout in `view`.
    pub fn list_rows(&self) -> usize {
        // Query (3) + filter line (1) + status line (1) + list borders (2).
        let body = self.height.saturating_sub(5) as usize;
        let list = if self.side_by_side() || self.focus != Focus::Details {
            body
        } else {
            0
        };
        let list = if self.side_by_side() {
            list
        } else {
            list.min(body / 2 + 1)
        };
        list.saturating_sub(2).max(1)
    }

    /// Lines of the detail pane's text; must agree with the layout in `view`.
    pub fn details_rows(&self) -> usize {
        let body = self.height.saturating_sub(5) as usize;
        let pane = if self.side_by_side() || self.focus == Focus::Details {
            body
        } else {
            body.saturating_sub(self.list_rows() + 2)
        };
        pane.saturating_sub(2).max(1)
    }

    pub fn selected_hit(&self) -> Option<&Hit> {
        self.hits.get(self.selected)
    }

    /// The result the detail pane shows, and its scroll: the selection, or a held preview
    /// while the navigator types. The full-screen details always show the selection.
    pub fn shown_details(&self) -> (Option<&Hit>, u16) {
        match &self.preview {
            Preview::Held { hit, scroll } if self.focus != Focus::Details => (hit.as_deref(), *scroll),
            _ => (self.selected_hit(), self.details_scroll),
        }
    }

    /// True while a newer search than the one shown is running.
    pub fn searching(&self) -> bool {
        self.sent_generation != self.shown_generation
    }

    pub fn in_basket(&self, id: &str) -> bool {
        self.basket.iter().any(|s| s.id == id)
    }

    pub fn any_filter(&self) -> bool {
        self.filters != Filters::default() || self.location.is_some()
    }
}
