//! The columns of an iCarol resource export, found once by name. Exports differ in which
//! columns they carry and in their order; a missing column reads as empty.

use crate::import::csv_table::{Col, Table};

/// One address block (Physical..., Mailing...): line 1, line 2, city, county,
/// state/province, postal code, country.
pub(crate) struct AddressCols {
    pub attention: Col,
    pub line1: Col,
    pub line2: Col,
    pub city: Col,
    pub county: Col,
    pub state: Col,
    pub postal: Col,
    pub country: Col,
    /// `PhysicalAddressIsPrivate` / `...IsConfidential`: the address is not for the public.
    pub private: Col,
}

impl AddressCols {
    fn of(t: &Table, prefix: &str) -> AddressCols {
        let c = |suffix: &str| t.col(&format!("{prefix}{suffix}"));
        AddressCols {
            attention: c("attentionname"),
            line1: c("address1"),
            line2: c("address2"),
            city: c("city"),
            county: c("county"),
            state: c("stateprovince"),
            postal: c("postalcode"),
            country: c("country"),
            private: t.col_any(&[
                &format!("{prefix}addressisprivate"),
                &format!("{prefix}addressisconfidential"),
                &format!("{prefix}addressconfidential"),
            ]),
        }
    }
}

/// A phone column and what goes with it: its name or type, and its privacy flag.
pub(crate) struct PhoneCols {
    pub number: Col,
    pub name: Col,
    pub kind: Col,
    pub private: Col,
    /// The kind the column itself says (`PhoneFax` is a fax), and whether it is toll-free.
    pub fixed_kind: Option<&'static str>,
    pub toll_free: bool,
    /// The column's name as the export spells it, for problems.
    pub field: String,
}

impl PhoneCols {
    fn of(t: &Table, stem: &str, field: &str, fixed_kind: Option<&'static str>, toll_free: bool) -> PhoneCols {
        let c = |suffix: &str| t.col(&format!("{stem}{suffix}"));
        let number = if fixed_kind.is_some() || toll_free {
            t.col(stem)
        } else {
            c("number")
        };
        PhoneCols {
            number,
            name: t.col_any(&[&format!("{stem}name"), &format!("{stem}description")]),
            kind: c("type"),
            private: t.col_any(&[&format!("{stem}isprivate"), &format!("{stem}isconfidential")]),
            fixed_kind,
            toll_free,
            field: field.to_string(),
        }
    }
}

/// Every column the importer reads.
pub(crate) struct Cols {
    pub id: Col,
    pub level: Col,
    pub parent: Col,
    pub parent_name: Col,
    pub program_link: Col,
    pub site_link: Col,
    pub name: Col,
    pub alternate_name: Col,
    pub official_name: Col,
    pub description: Col,
    pub physical: AddressCols,
    pub mailing: AddressCols,
    pub latitude: Col,
    pub longitude: Col,
    pub hours: Col,
    pub hours_by_day: Col,
    /// Phone1..Phone5, then the typed lines (fax, TTY, toll-free, hotline...).
    pub phones: Vec<PhoneCols>,
    pub email: Col,
    pub website: Col,
    pub status: Col,
    pub exclude_website: Col,
    pub exclude_directory: Col,
    pub coverage: Vec<Col>,
    pub eligibility: Col,
    pub disabilities: Col,
    pub location_description: Col,
    pub bus: Col,
    pub transport: Col,
    pub fees: Col,
    pub application: Col,
    pub documents: Col,
    pub languages: Col,
    pub wait_time: Col,
    pub last_verified: Col,
    pub updated: Col,
    pub codes: Col,
    pub term_leaves: Col,
    pub term_paths: Col,
    pub categories: Col,
}

impl Cols {
    pub fn of(t: &Table) -> Cols {
        let c = |name: &str| t.col(name);
        let mut phones: Vec<PhoneCols> = (1..=5)
            .map(|i| PhoneCols::of(t, &format!("phone{i}"), &format!("Phone{i}Number"), None, false))
            .collect();
        for (stem, field, kind, toll_free) in [
            ("phonefax", "PhoneFax", Some("fax"), false),
            ("phonetty", "PhoneTTY", Some("tty"), false),
            ("phonetollfree", "PhoneTollFree", None, true),
            ("phonenumberhotline", "PhoneNumberHotline", Some("hotline"), false),
            (
                "phonenumberbusinessline",
                "PhoneNumberBusinessLine",
                Some("business"),
                false,
            ),
            (
                "phonenumberoutofarea",
                "PhoneNumberOutOfArea",
                Some("out-of-area"),
                false,
            ),
            (
                "phonenumberafterhours",
                "PhoneNumberAfterHours",
                Some("after-hours"),
                false,
            ),
        ] {
            phones.push(PhoneCols::of(t, stem, field, kind, toll_free));
        }
        Cols {
            id: c("resourceagencynum"),
            level: c("taxonomylevelname"),
            parent: c("parentagencynum"),
            parent_name: c("parentagency"),
            program_link: c("connectstoprogramnum"),
            site_link: c("connectstositenum"),
            name: t.col_any(&["publicname", "name"]),
            alternate_name: c("alternatename"),
            official_name: c("officialname"),
            description: t.col_any(&["agencydescription", "description"]),
            physical: AddressCols::of(t, "physical"),
            mailing: AddressCols::of(t, "mailing"),
            latitude: c("latitude"),
            longitude: c("longitude"),
            hours: c("hoursofoperation"),
            hours_by_day: c("hours"),
            phones,
            email: c("emailaddressmain"),
            website: c("websiteaddress"),
            status: c("agencystatus"),
            exclude_website: c("excludefromwebsite"),
            exclude_directory: c("excludefromdirectory"),
            coverage: vec![c("coveragearea"), c("coverageareatext"), c("coverage")],
            eligibility: c("eligibility"),
            disabilities: c("disabilitiesaccess"),
            location_description: c("physicallocationdescription"),
            bus: c("busserviceaccess"),
            transport: c("publicaccesstransportation"),
            fees: c("feestructuresource"),
            application: c("applicationprocess"),
            documents: c("documentsrequired"),
            languages: t.col_any(&["languagesoffered", "languagesofferedlist"]),
            wait_time: c("normalwaittime"),
            last_verified: c("lastverifiedon"),
            updated: c("updatedon"),
            codes: c("taxonomycodes"),
            term_leaves: c("taxonomyterm"),
            term_paths: t.col_any(&["taxonomyterms", "taxonomytermsnotdeactivated"]),
            categories: t.col_any(&["categories", "tax"]),
        }
    }
}

/// Whether a header is an iCarol resource export's: it names each row's resource number
/// and its level (Agency, Site, Program, ProgramAtSite).
pub(crate) fn is_icarol(t: &Table) -> bool {
    t.has("resourceagencynum") && (t.has("taxonomylevelname") || t.has("parentagencynum"))
}
