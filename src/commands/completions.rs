//! `navigator completions bash|zsh|fish`: the shell completion script, on stdout.

use clap::CommandFactory;

use crate::cli::CompletionShell;
use crate::exit::{Failure, OK};

pub fn run(shell: CompletionShell) -> Result<u8, Failure> {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut cmd = crate::cli::Cli::command();
    // clap_complete panics when its writer fails (a closed pipe: `| head -1`), so the
    // script is made in memory and written the way every command writes.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "navigator", &mut script);
    crate::output::bytes(&script);
    Ok(OK)
}
