//! The HSDS 3.0 tables the CSV export writes, each with its columns exactly as the 3.0
//! datapackage descriptor lists them (name, type, format), in the descriptor's order.

/// (column, type, format)
pub(crate) type Column = (&'static str, &'static str, &'static str);

pub(crate) struct TableDef {
    /// The descriptor's resource name.
    pub name: &'static str,
    pub path: &'static str,
    pub columns: &'static [Column],
}

const ID: Column = ("id", "string", "uuid");

pub(crate) const ORGANIZATIONS: TableDef = TableDef {
    name: "organization",
    path: "organizations.csv",
    columns: &[
        ID,
        ("name", "string", ""),
        ("alternate_name", "string", ""),
        ("description", "string", ""),
        ("email", "string", "email"),
        ("website", "string", "uri"),
        ("tax_status", "string", ""),
        ("tax_id", "string", ""),
        ("year_incorporated", "number", ""),
        ("legal_status", "string", ""),
        ("logo", "string", ""),
        ("uri", "string", "uri"),
        ("parent_organization_id", "string", "uuid"),
    ],
};

pub(crate) const SERVICES: TableDef = TableDef {
    name: "service",
    path: "services.csv",
    columns: &[
        ID,
        ("organization_id", "string", "uuid"),
        ("program_id", "string", "uuid"),
        ("name", "string", ""),
        ("alternate_name", "string", ""),
        ("description", "string", ""),
        ("url", "string", "uri"),
        ("email", "string", "email"),
        ("status", "string", ""),
        ("interpretation_services", "string", ""),
        ("application_process", "string", ""),
        ("fees_description", "string", ""),
        ("wait_time", "string", ""),
        ("fees", "string", ""),
        ("accreditations", "string", ""),
        ("eligibility_description", "string", ""),
        ("minimum_age", "number", ""),
        ("maximum_age", "number", ""),
        ("assured_date", "date", ""),
        ("assurer_email", "string", "email"),
        ("licenses", "string", ""),
        ("alert", "string", ""),
        ("last_modified", "datetime", ""),
    ],
};

pub(crate) const ATTRIBUTES: TableDef = TableDef {
    name: "attribute",
    path: "attributes.csv",
    columns: &[
        ID,
        ("link_id", "string", "uuid"),
        ("taxonomy_term_id", "string", "uuid"),
        ("link_type", "string", ""),
        ("link_entity", "string", ""),
        ("value", "string", ""),
    ],
};

pub(crate) const SERVICE_AT_LOCATION: TableDef = TableDef {
    name: "service_at_location",
    path: "service_at_location.csv",
    columns: &[
        ID,
        ("service_id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("description", "string", ""),
    ],
};

pub(crate) const LOCATIONS: TableDef = TableDef {
    name: "location",
    path: "locations.csv",
    columns: &[
        ID,
        ("location_type", "string", ""),
        ("url", "string", "uri"),
        ("organization_id", "string", "uuid"),
        ("name", "string", ""),
        ("alternate_name", "string", ""),
        ("description", "string", ""),
        ("transportation", "string", ""),
        ("latitude", "number", ""),
        ("longitude", "number", ""),
        ("external_identifier", "string", ""),
        ("external_identifier_type", "string", ""),
    ],
};

pub(crate) const PHONES: TableDef = TableDef {
    name: "phone",
    path: "phones.csv",
    columns: &[
        ID,
        ("location_id", "string", "uuid"),
        ("service_id", "string", "uuid"),
        ("organization_id", "string", "uuid"),
        ("contact_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"),
        ("number", "string", ""),
        ("extension", "number", ""),
        ("type", "string", ""),
        ("description", "string", ""),
    ],
};

pub(crate) const ADDRESSES: TableDef = TableDef {
    name: "address",
    path: "addresses.csv",
    columns: &[
        ID,
        ("location_id", "string", "uuid"),
        ("attention", "string", ""),
        ("address_1", "string", ""),
        ("address_2", "string", ""),
        ("city", "string", ""),
        ("region", "string", ""),
        ("state_province", "string", ""),
        ("postal_code", "string", ""),
        ("country", "string", ""),
        ("address_type", "string", ""),
    ],
};

pub(crate) const SCHEDULES: TableDef = TableDef {
    name: "schedule",
    path: "schedules.csv",
    columns: &[
        ID,
        ("service_id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"),
        ("valid_from", "date", ""),
        ("valid_to", "date", ""),
        ("dtstart", "date", ""),
        ("timezone", "number", ""),
        ("until", "date", ""),
        ("count", "number", ""),
        ("wkst", "string", ""),
        ("freq", "string", ""),
        ("interval", "number", ""),
        ("byday", "string", ""),
        ("byweekno", "string", ""),
        ("bymonthday", "string", ""),
        ("byyearday", "string", ""),
        ("description", "string", ""),
        ("opens_at", "time", ""),
        ("closes_at", "time", ""),
        ("schedule_link", "string", "uri"),
        ("attending_type", "string", ""),
        ("notes", "string", ""),
    ],
};

pub(crate) const SERVICE_AREAS: TableDef = TableDef {
    name: "service_area",
    path: "service_areas.csv",
    columns: &[
        ID,
        ("service_id", "string", "uuid"),
        ("name", "string", ""),
        ("description", "string", ""),
        ("extent", "string", ""),
        ("extent_type", "string", ""),
        ("uri", "string", ""),
    ],
};

pub(crate) const REQUIRED_DOCUMENTS: TableDef = TableDef {
    name: "required_document",
    path: "required_documents.csv",
    columns: &[
        ID,
        ("service_id", "string", "uuid"),
        ("document", "string", ""),
        ("uri", "string", "uri"),
    ],
};

pub(crate) const LANGUAGES: TableDef = TableDef {
    name: "language",
    path: "languages.csv",
    columns: &[
        ID,
        ("service_id", "string", "uuid"),
        ("location_id", "string", "uuid"),
        ("phone_id", "string", "uuid"),
        ("name", "string", ""),
        ("code", "string", ""),
        ("note", "string", ""),
    ],
};

pub(crate) const ACCESSIBILITY: TableDef = TableDef {
    name: "accessibility",
    path: "accessibility.csv",
    columns: &[
        ID,
        ("location_id", "string", "uuid"),
        ("description", "string", ""),
        ("details", "string", ""),
        ("url", "string", "uri"),
    ],
};

pub(crate) const TAXONOMY_TERMS: TableDef = TableDef {
    name: "taxonomy_term",
    path: "taxonomy_terms.csv",
    columns: &[
        ID,
        ("code", "string", ""),
        ("name", "string", ""),
        ("description", "string", ""),
        ("parent_id", "string", "uuid"),
        ("taxonomy", "string", ""),
        ("language", "string", ""),
        ("taxonomy_id", "string", "uuid"),
        ("term_uri", "string", "uri"),
    ],
};

/// Every table the export writes, in the order `datapackage.json` lists them.
pub(crate) const ALL: &[&TableDef] = &[
    &ORGANIZATIONS,
    &SERVICES,
    &ATTRIBUTES,
    &SERVICE_AT_LOCATION,
    &LOCATIONS,
    &PHONES,
    &ADDRESSES,
    &SCHEDULES,
    &SERVICE_AREAS,
    &REQUIRED_DOCUMENTS,
    &LANGUAGES,
    &ACCESSIBILITY,
    &TAXONOMY_TERMS,
];
