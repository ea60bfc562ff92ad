//! navigator: the binary's library. `main.rs` only parses and dispatches; everything else
//! lives in modules here so integration tests and the TUI share it.

pub mod access;
pub mod atomic;
pub mod casework;
pub mod catalogue;
pub mod cli;
pub mod cli_json_help;
pub mod clock;
pub mod commands;
pub mod confidential;
pub mod config;
pub mod demo;
pub mod exit;
pub mod fault;
pub mod followups;
pub mod held;
pub mod hours_text;
pub mod import_lock;
pub mod index_follow;
pub mod logging;
pub mod manpage;
pub mod moving;
pub mod output;
pub mod privacy;
pub mod progress;
pub mod record;
pub mod referral;
pub mod report;
pub mod session;
pub mod shared;
pub mod slug;
pub mod store;
pub mod tui;
pub mod user;

/// `eprintln!` that never panics. `eprintln!` panics when stderr cannot be written, and
/// stderr redirected to a file on a full disk (a cron job's log) is exactly when navigator
/// must keep going and exit with its own status.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use cli::{Cli, Command};
use exit::Failure;

/// Runs a parsed command line and returns the exit status.
///
/// Resolves the data directory (`--data-dir`, `NAVIGATOR_DATA_DIR`, `data_dir` in a config
/// file, the platform default), sets the umask of a shared install, starts the log in the
/// data directory, and dispatches.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    if let Some(Command::Completions { shell }) = &cli.command {
        return commands::completions::run(*shell);
    }
    // Local dates and times in the office's zone (see `clock`). A zone the config names
    // wrongly stops the command, naming the file and the key, rather than showing the
    // server's times as the office's; `config show` still runs, to look into it. (A
    // config file that does not parse is reported by the commands that read it.)
    let configured_zone = match config::Config::load().map(|c| c.catalogue_timezone()) {
        Ok(Ok(zone)) => zone,
        Ok(Err(failure)) if !matches!(cli.command, Some(Command::Config(_))) => return Err(failure),
        _ => None,
    };
    clock::set_local_zone(configured_zone.as_deref());
    let resolved = config::resolve_data_dir(cli.data_dir.clone())?;
    let data_dir = resolved.0.clone();
    // In a shared (setgid) data directory, every file created from here on is group read/write.
    shared::prepare(&data_dir);
    if opens_catalogue(&cli.command) {
        // Catalogue::open would create it anyway; first, so the log starts with this run.
        let _ = std::fs::create_dir_all(&data_dir);
    }
    let log_dir = log_dir(&cli.command, &data_dir);
    if log_dir.is_dir() {
        logging::init(&log_dir);
    }
    let name = command_name(&cli.command);
    tracing::info!(command = %name, user = %user::name(), pid = std::process::id(), "start");
    let started = std::time::Instant::now();
    let result = dispatch(&cli, &data_dir, &resolved);
    let ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(code) => tracing::info!(command = %name, status = code, ms, "done"),
        // Never the message: it may quote what was typed (a search, an id, a path, a
        // caller's details). What happened is the command and its exit status.
        Err(f) => tracing::error!(command = %name, status = f.code, ms, "failed"),
    }
    result
}

/// True for commands that open the catalogue in the data directory.
fn opens_catalogue(command: &Option<Command>) -> bool {
    !matches!(
        command,
        Some(
            Command::Synth(_)
                | Command::Completions { .. }
                | Command::Config(_)
                | Command::Admin(cli::AdminCommand::Init { .. })
        )
    )
}

/// Where a command's log goes: the directory it works on. `synth` and `admin init` work
/// on the directory they are given, every other command on the data directory.
fn log_dir(command: &Option<Command>, data_dir: &std::path::Path) -> std::path::PathBuf {
    match command {
        Some(Command::Synth(args)) => {
            let _ = std::fs::create_dir_all(&args.out);
            args.out.clone()
        }
        Some(Command::Admin(cli::AdminCommand::Init { dir, .. })) => {
            let _ = std::fs::create_dir_all(dir);
            dir.clone()
        }
        _ => data_dir.to_path_buf(),
    }
}

/// The command's name for the log ("contacts add"), never its arguments.
fn command_name(command: &Option<Command>) -> String {
    use cli::{AdminCommand, ContactsCommand, IndexCommand};
    let name = match command {
        None => "app",
        Some(Command::Import(_)) => "import",
        Some(Command::Search(_)) => "search",
        Some(Command::Show(_)) => "show",
        Some(Command::Index(IndexCommand::Stats { .. })) => "index stats",
        Some(Command::Index(IndexCommand::Rebuild { .. })) => "index rebuild",
        Some(Command::Synth(_)) => "synth",
        Some(Command::Contacts(ContactsCommand::Add { .. })) => "contacts add",
        Some(Command::Contacts(ContactsCommand::List { .. })) => "contacts list",
        Some(Command::Contacts(ContactsCommand::Show { .. })) => "contacts show",
        Some(Command::Config(_)) => "config show",
        Some(Command::Admin(AdminCommand::Init { .. })) => "admin init",
        Some(Command::Admin(AdminCommand::Purge { .. })) => "admin purge",
        Some(Command::Admin(AdminCommand::Audit { .. })) => "admin audit",
        Some(Command::Admin(AdminCommand::MoveToPostgres { .. })) => "admin move-to-postgres",
        Some(Command::Completions { .. }) => "completions",
        Some(Command::Report(cli::ReportCommand::Needs(_))) => "report needs",
        Some(Command::Report(cli::ReportCommand::Outcomes(_))) => "report outcomes",
        Some(Command::Export(cli::ExportCommand::Contacts(_))) => "export contacts",
        // Any other command: its variant name only (the Debug text up to its arguments).
        Some(other) => {
            let text = format!("{other:?}");
            let end = text.find(|c: char| !c.is_alphanumeric()).unwrap_or(text.len());
            return text[..end].to_ascii_lowercase();
        }
    };
    name.to_string()
}

fn dispatch(
    cli: &Cli,
    data_dir: &std::path::Path,
    resolved: &(std::path::PathBuf, config::Origin),
) -> Result<u8, Failure> {
    let data_dir = data_dir.to_path_buf();
    match &cli.command {
        Some(Command::Config(cli::ConfigCommand::Show { json })) => commands::config::show(*json, resolved),
        Some(Command::Admin(command)) => commands::admin::run(command, &data_dir),
        Some(Command::Completions { shell }) => commands::completions::run(*shell),
        Some(Command::Import(args)) => commands::import::run(args, &data_dir),
        Some(Command::Search(args)) => commands::search::run(args, &data_dir),
        Some(Command::Show(args)) => commands::show::run(&args.id, args.json, &data_dir),
        Some(Command::Index(command)) => commands::index::run(command, &data_dir),
        Some(Command::Synth(args)) => commands::synth::run(args),
        Some(Command::Contacts(command)) => commands::contacts::run(command, &data_dir),
        Some(Command::Followups(args)) => commands::followups::run(args, &data_dir),
        Some(Command::Report(command)) => commands::report::run(command, &data_dir),
        Some(Command::Export(command)) => commands::export::run(command, &data_dir),
        None => {
            // NO_COLOR (any non-empty value) turns colour off like --no-color.
            let no_color = cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
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
