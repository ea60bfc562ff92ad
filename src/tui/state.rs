//! Everything the screen shows, as plain data. No handles, no I/O: `update` changes it,
//! `view` draws it, and tests build it by hand.

use navigator_index::search::Facets;
use navigator_index::{Filters, Hit, Service};
use tui_input::Input;

use super::filter_menu::FilterMenu;
use super::form::{ContactForm, Draft};
use super::keymap::{Context, Keymap};
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
    /// Esc on the form: discard it?
    ConfirmDiscard,
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
    pub french: bool,
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
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub keymap: Keymap,
    pub display: Display,

    pub filters: Filters,
    pub location: Option<Location>,

    /// The results of the newest query that has answered.
    pub hits: Vec<Hit>,
    pub total: usize,
    pub facets: Facets,
    /// The resolved origin's name when a location is set ("Sudbury").
    pub origin_name: Option<String>,
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
    /// Default days until a follow-up (config.toml [followups] default_days).
    pub followup_days: i64,
    /// When a not-reached follow-up is tried again (config.toml [followups] retry).
    pub retry: Retry,
    /// The OS user: whose claims are "mine".
    pub user: String,
    pub queue: Queue,
    pub followup: Option<OpenFollowup>,
    /// Follow-up counts for the status line on every screen.
    pub counts: Counts,
    /// Whether the database answers, and what is held here meanwhile.
    pub link: Link,
    pub reports: super::reports::Reports,
    /// Today's date where the user is: decides "verified over 12 months ago". Set by the loop.
    pub today: jiff::civil::Date,
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
            focus: Focus::Query,
            overlay: None,
            keymap,
            display,
            filters: Filters::default(),
            location: None,
            hits: Vec::new(),
            total: 0,
            facets: Facets::default(),
            origin_name: None,
            selected: 0,
            scroll: 0,
            details_scroll: 0,
            preview: Preview::Live,
            details_delay: std::time::Duration::ZERO,
            typing: false,
            sent_generation: 0,
            shown_generation: 0,
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
            followup_days: 7,
            retry: Retry::NextBusinessDay,
            user: String::new(),
            queue: Queue::default(),
            followup: None,
            counts: Counts::default(),
            link: Link::default(),
            reports: Default::default(),
            today,
            quit: false,
        }
    }

    /// Which bindings apply now.
    pub fn context(&self) -> Context {
        if matches!(self.screen, Screen::Form | Screen::FollowUp) {
            Context::Query
        } else if self.overlay.is_some() || matches!(self.screen, Screen::Summary | Screen::Queue | Screen::Reports) {
            Context::Overlay
        } else if self.focus == Focus::Query {
            Context::Query
        } else {
            Context::List
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
