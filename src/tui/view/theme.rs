//! Styles and symbols. With no colour, colours map to the terminal default and modifiers
//! stay (reverse video marks the selection), and nothing is shown by colour alone: every
//! state also has a word or symbol. With `--ascii`, borders and markers are plain ASCII.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::tui::state::Display;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    display: Display,
}

impl Theme {
    pub fn new(display: Display) -> Theme {
        Theme { display }
    }

    fn fg(&self, color: Color) -> Style {
        if self.display.no_color {
            Style::new()
        } else {
            Style::new().fg(color)
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn label(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn open(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn closed(&self) -> Style {
        self.fg(Color::Red)
    }
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn focused_border(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn borders(&self) -> border::Set<'static> {
        if self.display.ascii {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            border::ROUNDED
        }
    }

    /// The open/closed/unknown marker: a symbol and a word, never colour alone.
    pub fn marker(&self, open: Option<bool>) -> (&'static str, Style) {
        match (open, self.display.ascii) {
            (Some(true), false) => ("● open  ", self.open()),
            (Some(false), false) => ("○ closed", self.closed()),
            (None, false) => ("? hours ", self.dim()),
            (Some(true), true) => ("+ open  ", self.open()),
            (Some(false), true) => ("- closed", self.closed()),
            (None, true) => ("? hours ", self.dim()),
        }
    }

    pub fn checkbox(&self, on: bool) -> &'static str {
        if on {
            "[x]"
        } else {
            "[ ]"
        }
    }

    /// What marks text cut to fit.
    pub fn ellipsis(&self) -> char {
        if self.display.ascii {
            '~'
        } else {
            '…'
        }
    }

    pub fn separator(&self) -> &'static str {
        if self.display.ascii {
            " | "
        } else {
            " · "
        }
    }
}
