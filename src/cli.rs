//! Command-line definitions. Kept declarative: the man page and completions come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "navigator",
    version,
    about = "Search community services, refer callers and follow up, in a terminal",
    long_about = "navigator is a terminal tool for 211 community navigators: full-text search over a \
                  local directory of services, referrals, outcome follow-ups and reports.\n\n\
                  With no command it opens the full-screen app. On a data directory with no catalogue \
                  it uses the built-in fictional demo directory until real data is imported."
)]
pub struct Cli {
    /// Where the catalogue, index and casework live. Without it: NAVIGATOR_DATA_DIR, then
    /// data_dir in a config file, then the platform's data directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// No colours (also when NO_COLOR is set). Nothing is shown by colour alone.
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Plain ASCII borders and markers, for terminals without line drawing.
    #[arg(long, global = true)]
    pub ascii: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a directory export (HSDS CSV or JSON, iCarol CSV, AIRS XML) into the catalogue.
    Import(ImportArgs),
    /// Search the catalogue.
    Search(SearchArgs),
    /// Show one service in full.
    Show(ShowArgs),
    /// Inspect or rebuild the search index.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Write a synthetic HSDS 3.0 CSV directory (fictional services) for demos and benchmarks.
    Synth(SynthArgs),
    /// Record contacts (needs, referrals, follow-up consent) and look them up.
    #[command(subcommand, after_long_help = crate::cli_json_help::CONTACTS)]
    Contacts(ContactsCommand),
    /// Outcome follow-ups: the queue of callers to call back, claims, and call outcomes.
    #[command(after_long_help = crate::cli_json_help::FOLLOWUPS)]
    Followups(FollowupsArgs),
    /// Needs and outcome reports over a period: counts and percentages, no personal data.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Export contacts for statistics (de-identified unless asked), or the services as HSDS 3.0.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Show the effective configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Run navigator for an office: shared data directory, purge of personal data, audit trail.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print a shell completion script (bash, zsh or fish) on stdout.
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The configuration in effect (files, environment, flags) and where each value came from.
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Make DIR a data directory shared by a group: owned by GROUP, setgid (mode 2770), every
    /// file navigator creates there group read/write. Needs root or membership of GROUP.
    Init {
        /// The data directory to create or convert.
        dir: PathBuf,
        /// The group of the navigators who share it.
        #[arg(long, value_name = "GROUP")]
        group: String,
    },
    /// Delete callers' first names, phones, best times and notes, and old drafts, once they are
    /// no longer needed: contacts older than the limit whose follow-up is closed or that had
    /// none. Coded fields stay, so reports do not change.
    Purge {
        /// The age limit: 90d, 12w or a number of days (default: [retention]
        /// personal_data_days, else 90 days).
        #[arg(long, value_name = "AGE", value_parser = crate::commands::admin::parse_days)]
        older_than: Option<u32>,
        /// Count what would be purged; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Copy this office's SQLite catalogue and casework (contacts, personal data,
    /// follow-ups, audit trail, drafts) into PostgreSQL, verifying the counts. Refuses a
    /// database already in use unless --merge; run it again to finish an interrupted move.
    /// Then set `database = "URL"` in config.toml.
    MoveToPostgres {
        /// The target, postgres://USER@HOST/DB (password from PGPASSWORD, PGPASSFILE or ~/.pgpass).
        url: String,
        /// Add to a database that already holds another office's catalogue and casework.
        #[arg(long)]
        merge: bool,
        /// The office these contacts were taken at, for those recorded without one
        /// (default: `office` in config.toml).
        #[arg(long, value_name = "NAME")]
        office: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who did what, from the audit trail. No personal values.
    Audit {
        /// Only entries on or after this local date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = crate::casework::check_date)]
        since: Option<jiff::civil::Date>,
        /// Only this user's entries.
        #[arg(long, value_name = "USER")]
        user: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Recognise the format from the content.
    Auto,
    /// An HSDS 1.1, 2.0 or 3.0 datapackage: a folder of CSV files.
    HsdsCsv,
    /// HSDS 3.0 JSON: one object, an array, a paginated list, or JSON Lines.
    HsdsJson,
    /// iCarol's resource export: one CSV, a row per agency, site, program or program at site.
    IcarolCsv,
    /// AIRS XML 3.0 or 3.1, as 211 software exports it.
    AirsXml,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A folder of HSDS CSV files, an HSDS JSON / JSON Lines file, an iCarol CSV export or an
    /// AIRS XML file.
    pub path: PathBuf,
    #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
    pub format: ImportFormat,
    /// Make the catalogue exactly this import: services not in it are removed.
    #[arg(long)]
    pub replace: bool,
    /// Also import records the source marks inactive, "do not refer" or excluded from its
    /// directory (iCarol, AIRS), marked as such. Without it they are counted in the report.
    #[arg(long)]
    pub include_inactive: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// List every problem line (by default each group of like problems shows its first
    /// three lines and a count).
    #[arg(long, short)]
    pub verbose: bool,
    /// When another import is running on this data directory, wait up to this many seconds
    /// for it to finish (default: do not wait; exit 75).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What the caller needs, in any words. Quotes, colons and brackets are plain text.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    /// Only these categories (repeatable; any of them): food, housing, health, ...
    #[arg(long = "category", value_name = "SLUG")]
    pub categories: Vec<String>,
    /// Only services for this audience (repeatable): seniors, youth, newcomers, ...
    #[arg(long = "audience", value_name = "SLUG")]
    pub audiences: Vec<String>,
    /// Only services in this municipality (repeatable).
    #[arg(long = "municipality", value_name = "NAME")]
    pub municipalities: Vec<String>,
    /// Only services offered in this language, by name or ISO code (repeatable).
    #[arg(long = "language", value_name = "LANG")]
    pub languages: Vec<String>,
    /// Only services open right now (unknown hours are left out).
    #[arg(long)]
    pub open_now: bool,
    /// Only services known to be free.
    #[arg(long)]
    pub free: bool,
    /// Only services known to be wheelchair accessible.
    #[arg(long)]
    pub accessible: bool,
    /// Only services whose age range includes this age.
    #[arg(long, value_name = "N")]
    pub age: Option<u8>,
    /// Rank by distance from "LAT,LON", a municipality or a postal code in the catalogue
    /// (ZIP, FSA such as P3A, or a full postal code). Without it, [search] home is used.
    #[arg(long, value_name = "PLACE")]
    pub near: Option<String>,
    /// Ignore the home area ([search] home): rank the whole directory alike.
    #[arg(long, conflicts_with = "near")]
    pub anywhere: bool,
    /// With --near: only services within this many kilometres.
    #[arg(long, value_name = "KM", requires = "near")]
    pub within: Option<f64>,
    /// How many results: 0 to 1000 (0 prints none, only the count and --facets). A query
    /// is cut to its first 32 words and 500 characters.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Also print counts by category, audience, municipality and language.
    #[arg(long)]
    pub facets: bool,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The service id.
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Counts and sizes of the catalogue and index.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the catalogue. Takes the import lock, like an import.
    Rebuild {
        /// When an import is running, wait up to this many seconds (default: exit 75).
        #[arg(long, default_value_t = 0, value_name = "SECONDS")]
        wait: u64,
    },
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// How many services.
    #[arg(long, default_value_t = 500)]
    pub services: u64,
    /// Seed: the same seed always writes the same files.
    #[arg(long, default_value_t = 211)]
    pub seed: u64,
    /// Folder to write the datapackage into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Record one contact, read as a JSON object from stdin; prints the saved contact.
    #[command(after_long_help = crate::cli_json_help::CONTACTS)]
    Add {
        /// Read the contact as JSON from stdin (required: the form is in the full-screen app).
        #[arg(long, required = true)]
        json: bool,
        /// A key of your choosing (a UUID, say) that makes a retry safe: run again with the
        /// same key and the same contact, it prints the contact saved the first time and
        /// saves nothing. The same key with a different contact exits 65.
        #[arg(long, value_name = "KEY")]
        idempotency_key: Option<String>,
    },
    /// Contacts, oldest first. No personal data.
    List {
        /// Only contacts started on or after this local date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = crate::casework::check_date)]
        since: Option<jiff::civil::Date>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// One contact in full: needs, referrals as given, follow-up and personal data.
    Show {
        /// The contact id.
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct FollowupsArgs {
    /// One JSON object per line (with no command: the follow-ups due).
    #[arg(long)]
    pub json: bool,
    /// With no command: the follow-ups due today or earlier.
    #[command(subcommand)]
    pub command: Option<FollowupsCommand>,
}

#[derive(Debug, Subcommand)]
pub enum FollowupsCommand {
    /// Open follow-ups due today or earlier, oldest first (the default). No personal data.
    Due {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Open follow-ups due after today. No personal data.
    Upcoming {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Every follow-up, closed ones too. No personal data.
    All {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// One follow-up in full, to make the call: the caller's details, needs, referrals as
    /// given, attempts so far.
    Show {
        /// The follow-up id.
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Claim a follow-up so nobody else calls the same caller; renews your own claim.
    /// Exits 75 when someone else holds it.
    Claim {
        /// The follow-up id.
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Give your claim back: the follow-up is free for others again.
    Release {
        /// The follow-up id.
        id: i64,
    },
    /// Record the call, read as a JSON outcome from stdin; takes the follow-up when it is
    /// free. Prints what happened. Exits 65 on invalid input (writing nothing), 75 when
    /// someone else holds it.
    #[command(after_long_help = crate::cli_json_help::FOLLOWUPS)]
    Complete {
        /// The follow-up id.
        id: i64,
        /// Read the outcome as JSON from stdin (required: the form is in the full-screen app).
        #[arg(long, required = true)]
        json: bool,
        /// A key of your choosing (a UUID, say) that makes a retry safe: run again with the
        /// same key and the same outcome, it prints the first answer and records nothing.
        /// The same key with a different outcome exits 65.
        #[arg(long, value_name = "KEY")]
        idempotency_key: Option<String>,
    },
    /// Move a follow-up to another date (today or later).
    Reschedule {
        /// The follow-up id.
        id: i64,
        /// The new date, YYYY-MM-DD.
        #[arg(value_parser = crate::casework::check_date)]
        due: jiff::civil::Date,
    },
    /// Cancel a follow-up (the caller asked not to be called back, say).
    Cancel {
        /// The follow-up id.
        id: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned tables for people.
    Table,
    /// One row per figure: section,group,key,value,numerator,denominator.
    Csv,
    /// One JSON object on one line.
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the period, a local date (YYYY-MM-DD); default: from the first record.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period, inclusive (YYYY-MM-DD); default: no end (follow-ups due: today).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only contacts in this municipality (case does not matter).
    #[arg(long, value_name = "NAME")]
    pub municipality: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Split the report: `office` gives one report per office (needs only). Without it a
    /// report covers every office.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub by: Option<ReportSplit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportSplit {
    /// One report per office (`office` in config.toml where the contact was recorded).
    Office,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Contacts in the period by start time, their needs met and unmet, by category, reason
    /// and municipality.
    Needs(ReportArgs),
    /// Follow-ups due and closed in the period, and what reached callers said: referrals
    /// followed up, help received, satisfaction, barriers.
    Outcomes(ReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV with a header; referral ids joined with ";".
    Csv,
    /// JSON Lines: one object per line; referral ids as an array.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Contacts started in the period, one row per need, with coded fields only: no names,
    /// phones, best times, notes or navigator. Audited (counts only).
    Contacts(ExportArgs),
    /// The catalogue's services as HSDS 3.0: JSON that validates against the official
    /// service schema, or a CSV datapackage. Importing it gives the same catalogue.
    Services(ExportServicesArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServicesFormat {
    /// One HSDS 3.0 `service` object per line (JSON Lines), or one array with --array.
    HsdsJson,
    /// An HSDS 3.0 tabular datapackage: a folder with datapackage.json and the CSV tables.
    HsdsCsv,
}

#[derive(Debug, Args)]
pub struct ExportServicesArgs {
    #[arg(long, value_enum)]
    pub format: ServicesFormat,
    /// Where to write: a file for hsds-json, a folder for hsds-csv. Written whole or not at
    /// all; what was there is replaced.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// hsds-json: one JSON array instead of one object per line.
    #[arg(long)]
    pub array: bool,
    /// Include confidential addresses and phones, marked. Only for users listed in the
    /// system config's [privacy] confidential_readers; others get exit status 77. Audited.
    #[arg(long)]
    pub with_confidential: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// First day, a local date (YYYY-MM-DD); default: from the first contact.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD); default: no end.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Add the caller's first name, phone and notes. Only for users listed in config.toml
    /// [privacy] personal_data_readers; others get exit status 77.
    #[arg(long)]
    pub with_personal_data: bool,
}
