//! navigator: parse the command line, run, map failures to exit statuses.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = navigator::cli::Cli::parse();
    match navigator::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            navigator::say!("navigator: {}", navigator_index::text::sanitize(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}
