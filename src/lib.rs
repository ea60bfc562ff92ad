//! navigator: the binary's library. `main.rs` only parses and dispatches; everything else
//! lives in modules here so integration tests and the TUI share it.

pub mod atomic;
pub mod casework;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod exit;
pub mod output;
pub mod progress;
pub mod record;
pub mod referral;
pub mod store;
pub mod tui;
pub mod user;

use cli::{Cli, Command};
use exit::Failure;

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    let data_dir = cli
        .data_dir
        .clone()
        .unwrap_or_else(config::default_data_dir);
    match &cli.command {
        Some(Command::Import(args)) => commands::import::run(args, &data_dir),
        Some(Command::Search(args)) => commands::search::run(args, &data_dir),
        Some(Command::Show(args)) => commands::show::run(&args.id, args.json, &data_dir),
        Some(Command::Index(command)) => commands::index::run(command, &data_dir),
        Some(Command::Synth(args)) => commands::synth::run(args),
        Some(Command::Contacts(command)) => commands::contacts::run(command, &data_dir),
        None => {
            // NO_COLOR (any non-empty value) turns colour off like --no-color.
            let no_color =
                cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            tui::run(
                &data_dir,
                tui::state::Display {
                    no_color,
                    ascii: cli.ascii,
                },
            )
        }
    }
}
