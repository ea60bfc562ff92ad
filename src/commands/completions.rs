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
    clap_complete::generate(shell, &mut cmd, "navigator", &mut std::io::stdout());
    Ok(OK)
}
