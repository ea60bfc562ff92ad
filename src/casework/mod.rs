//! Casework: what a navigator records about a contact (needs, referrals, follow-up
//! consent), its validation, and its storage beside the catalogue (SQLite or PostgreSQL, through [`crate::store`]).
//!
//! - [`input`]: the JSON / form shape and whole-contact validation.
//! - [`checks`]: per-field checks the form calls as the user leaves a field.
//! - [`records`]: contacts as stored and printed.
//! - [`save`]: saving and reading contacts and drafts: the rules, over the store's rows.
//!
//! Personal values (first name, phone, best time, notes) live only in `personal_data` and
//! `drafts`, never in the audit trail, error messages or `contacts list`.

pub mod checks;
pub mod drafts;
pub mod input;
pub mod json_input;
pub mod save;

/// Contacts as stored and printed (the store's rows).
pub mod records {
    pub use crate::store::records::{ContactRecord, ContactSummary, FollowUp, Need, Personal, Referral, SavedContact};
}

pub use checks::{
    check_age_group, check_best_time, check_category, check_channel, check_date, check_due, check_first_name,
    check_fsa, check_language, check_municipality, check_notes, check_phone, check_place, check_postal,
    check_taxonomy_code, check_unmet_reason, check_zip, Country, AGE_GROUPS, CHANNELS, OTHER_MUNICIPALITY,
    UNMET_REASONS,
};
pub use input::{
    normalize, normalize_with, validate, validate_with, ContactInput, FieldError, FollowUpInput, NeedInput, Rules,
    ValidContact,
};
pub use records::{ContactRecord, ContactSummary, FollowUp, Need, Personal, Referral, SavedContact};
pub use save::{snapshot, start_of_day, utc_text, AddContactError};

/// The draft kind the contact form saves under.
pub const DRAFT_CONTACT: &str = "contact";
