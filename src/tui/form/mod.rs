//! The contact form: what the caller needed, what could not be met, which services they
//! were referred to, and (with consent) how to reach them for a follow-up.
//!
//! The form's values convert to and from [`ContactInput`], the same shape `contacts add
//! --json` reads, so the form is validated exactly like the CLI and a draft is just that
//! JSON plus the basket.

pub mod keys;
pub mod view;

use std::collections::BTreeMap;

use navigator_index::categories::CATEGORIES;
use navigator_index::Service;
use serde::{Deserialize, Serialize};
use tui_input::Input;

use crate::casework::{ContactInput, FollowUpInput, NeedInput, AGE_GROUPS, CHANNELS, UNMET_REASONS};

/// The text input of a text field, shared or mutable (one list of fields for both).
macro_rules! text_input {
    ($form:expr, $field:expr, $($borrow:tt)+) => {
        Some(match $field {
            Field::Language => $($borrow)+ $form.language,
            Field::Municipality => $($borrow)+ $form.municipality,
            Field::Fsa => $($borrow)+ $form.fsa,
            Field::FirstName => $($borrow)+ $form.first_name,
            Field::Phone => $($borrow)+ $form.phone,
            Field::Due => $($borrow)+ $form.due,
            Field::BestTime => $($borrow)+ $form.best_time,
            Field::Notes => $($borrow)+ $form.notes,
            Field::Needs => $($borrow)+ $form.need_filter,
            _ => return None,
        })
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Channel,
    Language,
    Municipality,
    Fsa,
    AgeGroup,
    Needs,
    Referrals,
    Consent,
    FirstName,
    Phone,
    Due,
    BestTime,
    Notes,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Channel => "Channel",
            Field::Language => "Caller language",
            Field::Municipality => "Municipality",
            Field::Fsa => "Postal area (FSA)",
            Field::AgeGroup => "Age group",
            Field::Needs => "Needs",
            Field::Referrals => "Referred to",
            Field::Consent => "Follow-up consent",
            Field::FirstName => "First name",
            Field::Phone => "Phone",
            Field::Due => "Follow-up date",
            Field::BestTime => "Best time to call",
            Field::Notes => "Notes",
        }
    }

    /// The label as the office's country says it (a ZIP code in the US).
    pub fn label_in(self, country: crate::casework::Country) -> &'static str {
        match self {
            Field::Fsa => country.postal_label(),
            other => other.label(),
        }
    }

    /// The form field a validation error's path belongs to.
    pub fn for_path(path: &str) -> Field {
        let head = path.split(['.', '[']).next().unwrap_or("");
        match (head, path) {
            ("channel", _) => Field::Channel,
            ("language", _) => Field::Language,
            ("municipality", _) => Field::Municipality,
            ("postal_fsa" | "postal_code", _) => Field::Fsa,
            ("age_group", _) => Field::AgeGroup,
            ("needs", _) => Field::Needs,
            ("referrals", _) => Field::Referrals,
            ("notes", _) => Field::Notes,
            ("follow_up", p) if p.ends_with("first_name") => Field::FirstName,
            ("follow_up", p) if p.ends_with("phone") => Field::Phone,
            ("follow_up", p) if p.ends_with("due") => Field::Due,
            ("follow_up", p) if p.ends_with("best_time") => Field::BestTime,
            _ => Field::Consent,
        }
    }
}

/// One need on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub category: &'static str,
    pub met: bool,
    /// Index into UNMET_REASONS when unmet.
    pub reason: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ContactForm {
    pub field: Field,
    pub channel: usize,
    pub language: Input,
    pub municipality: Input,
    /// Highlighted municipality suggestion while typing.
    pub suggestion: usize,
    pub fsa: Input,
    pub age_group: Option<usize>,
    pub needs: Vec<Need>,
    /// Text narrowing the category picker; row 0 of the needs field.
    pub need_filter: Input,
    /// 0 = the picker line, n = the n-th need.
    pub need_cursor: usize,
    pub referral_cursor: usize,
    /// Typed on the referrals field: a search for a service to add, without leaving the form.
    pub add_query: Input,
    /// Its results (a few), the highlighted one, and the generation of the search asked for.
    pub add_results: Vec<navigator_index::Hit>,
    pub add_choice: usize,
    pub add_generation: u64,
    pub consent: bool,
    pub first_name: Input,
    pub phone: Input,
    pub due: Input,
    pub best_time: Input,
    pub notes: Input,
    /// Problems by field, shown beside it.
    pub errors: BTreeMap<Field, String>,
    pub started_at: jiff::Timestamp,
    /// Something was entered: only then is there a draft (opening and leaving the form
    /// without typing leaves none).
    pub touched: bool,
}

/// A saved draft: the form as contact input, the basket, and where the cursor was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    pub input: ContactInput,
    pub basket: Vec<Service>,
    pub field: Field,
}

impl ContactForm {
    /// An empty form; the follow-up date defaults to `default_due`.
    pub fn new(default_due: jiff::civil::Date, now: jiff::Timestamp) -> ContactForm {
        ContactForm {
            field: Field::Channel,
            channel: 0,
            language: Input::default(),
            municipality: Input::default(),
            suggestion: 0,
            fsa: Input::default(),
            age_group: None,
            needs: Vec::new(),
            need_filter: Input::default(),
            need_cursor: 0,
            referral_cursor: 0,
            add_query: Input::default(),
            add_results: Vec::new(),
            add_choice: 0,
            add_generation: 0,
            consent: false,
            first_name: Input::default(),
            phone: Input::default(),
            due: Input::new(default_due.to_string()),
            best_time: Input::default(),
            notes: Input::default(),
            errors: BTreeMap::new(),
            started_at: now,
            touched: false,
        }
    }

    /// The fields shown, in Tab order: the personal ones only with consent.
    pub fn fields(&self) -> Vec<Field> {
        use Field::*;
        let mut v = vec![
            Channel,
            Language,
            Municipality,
            Fsa,
            AgeGroup,
            Needs,
            Referrals,
            Consent,
        ];
        if self.consent {
            v.extend([FirstName, Phone, Due, BestTime]);
        }
        v.push(Notes);
        v
    }

    /// The text input behind a text field.
    pub fn input_mut(&mut self, field: Field) -> Option<&mut Input> {
        text_input!(self, field, &mut)
    }

    pub fn input(&self, field: Field) -> Option<&Input> {
        text_input!(self, field, &)
    }

    /// Categories matching the picker text, for adding a need.
    pub fn category_matches(&self) -> Vec<&'static str> {
        let typed = navigator_index::text::fold(self.need_filter.value().trim());
        let mut matches: Vec<&'static str> = CATEGORIES
            .iter()
            .filter(|c| {
                typed.is_empty()
                    || navigator_index::text::fold(c.en).contains(&typed)
                    || navigator_index::text::fold(c.fr).contains(&typed)
                    || c.slug.contains(&typed)
            })
            .map(|c| c.slug)
            .collect();
        // Then what the caller's own word means ("rent" is housing), after the names.
        for slug in navigator_index::categories::categories_for_word(&typed) {
            if !matches.contains(&slug) {
                matches.push(slug);
            }
        }
        matches.retain(|slug| !self.needs.iter().any(|n| n.category == *slug));
        matches
    }

    /// The form as contact input (what `contacts add --json` reads), with these referrals.
    pub fn to_input(&self, basket: &[Service], now: jiff::Timestamp) -> ContactInput {
        let text = |i: &Input| Some(i.value().trim().to_string()).filter(|v| !v.is_empty());
        ContactInput {
            channel: CHANNELS[self.channel].to_string(),
            language: text(&self.language),
            municipality: text(&self.municipality),
            postal_fsa: None,
            postal_code: text(&self.fsa),
            age_group: self.age_group.map(|i| AGE_GROUPS[i].to_string()),
            needs: self
                .needs
                .iter()
                .map(|n| NeedInput {
                    category: n.category.to_string(),
                    met: n.met,
                    unmet_reason: if n.met {
                        None
                    } else {
                        n.reason.map(|r| UNMET_REASONS[r].to_string())
                    },
                    taxonomy_code: None,
                })
                .collect(),
            referrals: basket.iter().map(|s| s.id.clone()).collect(),
            follow_up: Some(FollowUpInput {
                consent: self.consent,
                due: if self.consent { text(&self.due) } else { None },
                first_name: if self.consent { text(&self.first_name) } else { None },
                phone: if self.consent { text(&self.phone) } else { None },
                best_time: if self.consent { text(&self.best_time) } else { None },
            }),
            notes: text(&self.notes),
            started_at: Some(self.started_at.to_string()),
            ended_at: Some(now.to_string()),
        }
    }

    /// Rebuilds a form from a draft's input.
    pub fn from_input(input: &ContactInput, default_due: jiff::civil::Date, field: Field) -> ContactForm {
        let now = input
            .started_at
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(jiff::Timestamp::now);
        let mut form = ContactForm::new(default_due, now);
        let set = |i: &mut Input, v: &Option<String>| *i = Input::new(v.clone().unwrap_or_default());
        form.channel = CHANNELS.iter().position(|c| *c == input.channel).unwrap_or(0);
        set(&mut form.language, &input.language);
        set(&mut form.municipality, &input.municipality);
        set(
            &mut form.fsa,
            &input.postal_code.clone().or_else(|| input.postal_fsa.clone()),
        );
        form.age_group = input
            .age_group
            .as_deref()
            .and_then(|a| AGE_GROUPS.iter().position(|g| *g == a));
        form.needs = input
            .needs
            .iter()
            .filter_map(|n| {
                let category = CATEGORIES.iter().find(|c| c.slug == n.category)?.slug;
                let reason = n
                    .unmet_reason
                    .as_deref()
                    .and_then(|r| UNMET_REASONS.iter().position(|x| *x == r));
                Some(Need {
                    category,
                    met: n.met,
                    reason,
                })
            })
            .collect();
        if let Some(f) = &input.follow_up {
            form.consent = f.consent;
            set(&mut form.first_name, &f.first_name);
            set(&mut form.phone, &f.phone);
            if f.due.is_some() {
                set(&mut form.due, &f.due);
            }
            set(&mut form.best_time, &f.best_time);
        }
        set(&mut form.notes, &input.notes);
        form.touched = true;
        form.field = if form.fields().contains(&field) {
            field
        } else {
            Field::Channel
        };
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_round_trips_through_the_form() {
        let today: jiff::civil::Date = "2026-11-25".parse().unwrap();
        let now: jiff::Timestamp = "2026-11-25T15:00:00Z".parse().unwrap();
        let mut form = ContactForm::new(today, now);
        form.channel = 1;
        form.language = Input::new("fr".into());
        form.fsa = Input::new("P3A".into());
        form.age_group = Some(2);
        form.needs = vec![
            Need {
                category: "food",
                met: true,
                reason: None,
            },
            Need {
                category: "housing",
                met: false,
                reason: Some(2),
            },
        ];
        form.consent = true;
        form.first_name = Input::new("Ana".into());
        form.phone = Input::new("705-555-0142".into());
        let basket = vec![Service {
            id: "svc-1".into(),
            ..Default::default()
        }];
        let input = form.to_input(&basket, now);
        assert_eq!(input.channel, CHANNELS[1]);
        assert_eq!(input.needs[1].unmet_reason.as_deref(), Some(UNMET_REASONS[2]));
        assert_eq!(input.referrals, ["svc-1"]);
        let back = ContactForm::from_input(&input, today, Field::Phone);
        assert_eq!(back.to_input(&basket, now), input);
        assert_eq!(back.field, Field::Phone);
    }

    #[test]
    fn personal_fields_only_with_consent() {
        let mut form = ContactForm::new("2026-12-02".parse().unwrap(), jiff::Timestamp::UNIX_EPOCH);
        assert!(!form.fields().contains(&Field::Phone));
        form.consent = true;
        assert!(form.fields().contains(&Field::Phone));
        form.first_name = Input::new("Ana".into());
        form.consent = false;
        let input = form.to_input(&[], jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(
            input.follow_up.unwrap().first_name,
            None,
            "nothing personal without consent"
        );
    }

    #[test]
    fn error_paths_map_to_fields() {
        assert_eq!(Field::for_path("needs[1].unmet_reason"), Field::Needs);
        assert_eq!(Field::for_path("follow_up.phone"), Field::Phone);
        assert_eq!(Field::for_path("postal_fsa"), Field::Fsa);
        assert_eq!(Field::for_path("referrals[0]"), Field::Referrals);
    }
}
