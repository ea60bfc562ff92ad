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
    /// Where the catalogue, index and casework live.
    #[arg(long, global = true, env = "NAVIGATOR_DATA_DIR", value_name = "DIR")]
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
    /// Import a directory export (HSDS CSV datapackage or HSDS JSON) into the catalogue.
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
    #[command(subcommand)]
    Contacts(ContactsCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Auto,
    HsdsCsv,
    HsdsJson,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A folder of HSDS CSV files, or an HSDS JSON / JSON Lines file.
    pub path: PathBuf,
    #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
    pub format: ImportFormat,
    /// Make the catalogue exactly this import: services not in it are removed.
    #[arg(long)]
    pub replace: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
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
    /// Rank by distance from "LAT,LON" or a municipality in the catalogue.
    #[arg(long, value_name = "PLACE")]
    pub near: Option<String>,
    /// With --near: only services within this many kilometres.
    #[arg(long, value_name = "KM", requires = "near")]
    pub within: Option<f64>,
    /// How many results.
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
    /// Rebuild the search index from the catalogue.
    Rebuild,
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
    Add {
        /// Read the contact as JSON from stdin (required: the form is in the full-screen app).
        #[arg(long, required = true)]
        json: bool,
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
