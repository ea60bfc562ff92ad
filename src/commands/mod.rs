//! One file per subcommand. Each takes its parsed arguments and the data directory and
//! returns an exit status or a [`Failure`](crate::exit::Failure).

pub mod admin;
pub mod completions;
pub mod config;
pub mod contacts;
pub mod export;
pub mod export_services;
pub mod followups;
pub mod import;
mod import_report;
pub mod index;
pub mod report;
pub mod search;
pub mod show;
pub mod synth;
