//! The reports screen (F3): needs by category (met and unmet side by side), the top unmet
//! reasons, contacts by municipality, and the outcome figures, for this week, this month,
//! this year or all time. Drawing is in `view.rs`; the numbers come from `crate::report`.

pub mod view;

use jiff::civil::Date;

use crate::report::{NeedsReport, OutcomesReport, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Week,
    Month,
    Year,
    All,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Week, Span::Month, Span::Year, Span::All];

    pub fn label(self) -> &'static str {
        match self {
            Span::Week => "this week",
            Span::Month => "this month",
            Span::Year => "this year",
            Span::All => "all time",
        }
    }

    /// The key that picks it on the reports screen.
    pub fn key(self) -> char {
        match self {
            Span::Week => 'w',
            Span::Month => 'm',
            Span::Year => 'y',
            Span::All => 'a',
        }
    }

    /// The dates it covers, up to `today` (a week starts on Monday).
    pub fn period(self, today: Date) -> Period {
        let from = match self {
            Span::Week => today
                .checked_sub(jiff::Span::new().days(today.weekday().to_monday_zero_offset() as i64))
                .ok(),
            Span::Month => Some(today.first_of_month()),
            Span::Year => Date::new(today.year(), 1, 1).ok(),
            Span::All => None,
        };
        match from {
            Some(from) => Period {
                from: Some(from),
                to: Some(today),
            },
            None => Period::all(),
        }
    }
}

/// Both reports for one period, as the store computed them.
#[derive(Debug, Clone)]
pub struct Figures {
    pub needs: NeedsReport,
    pub outcomes: OutcomesReport,
}

#[derive(Debug, Clone)]
pub struct Reports {
    pub span: Span,
    pub figures: Option<Box<Figures>>,
    pub scroll: u16,
}

impl Default for Reports {
    fn default() -> Reports {
        Reports {
            span: Span::Month,
            figures: None,
            scroll: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_expected_dates() {
        let wednesday: Date = "2026-11-25".parse().unwrap();
        let p = Span::Week.period(wednesday);
        assert_eq!(
            (p.from.unwrap().to_string(), p.to.unwrap().to_string()),
            ("2026-11-23".into(), "2026-11-25".into())
        );
        assert_eq!(Span::Month.period(wednesday).from.unwrap().to_string(), "2026-11-01");
        assert_eq!(Span::Year.period(wednesday).from.unwrap().to_string(), "2026-01-01");
        assert_eq!(Span::All.period(wednesday).from, None);
    }
}
