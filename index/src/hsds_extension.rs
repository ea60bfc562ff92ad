//! What navigator keeps that HSDS 3.0 has no field for, carried in HSDS's own extension
//! mechanism: an `attribute` whose `taxonomy_term` is in the `navigator` taxonomy, with
//! the value in `value`. The HSDS export writes them and the HSDS JSON import reads them
//! back, so an export imports as the catalogue it came from: the source's own ids (HSDS
//! wants UUIDs), confidential and toll-free marks, phone kinds, statuses.

/// The taxonomy name of navigator's extension terms.
pub const TAXONOMY: &str = "navigator";

/// `location.external_identifier_type` for a location id that is not a UUID.
pub const LOCATION_ID_TYPE: &str = "navigator-id";

/// An extension term: (code, name, what it says).
pub struct Term {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

const fn term(code: &'static str, name: &'static str, description: &'static str) -> Term {
    Term {
        code,
        name,
        description,
    }
}

pub const SOURCE_ID: Term = term(
    "source-id",
    "Source id",
    "The record's id in the source, when it is not a UUID",
);
pub const CONFIDENTIAL: Term = term(
    "confidential",
    "Confidential",
    "Shown only to readers entitled to confidential records",
);
pub const TOLL_FREE: Term = term("toll-free", "Toll-free", "A toll-free number");
pub const PHONE_KIND: Term = term(
    "phone-kind",
    "Phone kind",
    "What the line is for: hotline, after-hours, tty...",
);
pub const OFFICIAL_NAME: Term = term("official-name", "Official name", "The legal or official name");
pub const INACTIVE: Term = term(
    "inactive",
    "Inactive at the source",
    "The source marks the record inactive",
);
pub const DO_NOT_REFER: Term = term("do-not-refer", "Do not refer", "The source says not to refer to it");
pub const EXCLUDED: Term = term(
    "excluded-from-directory",
    "Not in the public directory",
    "The source keeps it out of its public website or directory",
);
pub const FREE: Term = term("free", "Free", "Known to be free of charge");
pub const TIMEZONE: Term = term("timezone", "Time zone", "The IANA time zone its hours are in");
pub const ACCESSIBILITY: Term = term("accessibility", "Accessibility", "An accessibility note");
pub const BROADER_TERM: Term = term(
    "broader-term",
    "Broader term",
    "The name of a taxonomy term above one the service is filed under (searched, not filed)",
);
