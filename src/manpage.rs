//! Man pages, generated from the clap definitions in [`crate::cli`] with clap_mangen:
//! `navigator.1` (with KEYS, FILES, ENVIRONMENT and EXIT STATUS sections written here) and
//! one page per subcommand (`navigator-search.1`, `navigator-contacts-add.1`, ...).
//!
//! The pages are committed under `man/`; `cargo run -p xtask -- man` regenerates them and
//! `tests/manpage.rs` fails when they are out of date.

use clap::CommandFactory;
use clap_mangen::Man;

use crate::tui::keymap::{Action, Keymap};

/// The command that rewrites the committed pages.
pub const REGENERATE: &str = "cargo run -p xtask -- man";

/// Escapes text for a roff line: backslashes, hyphens (so they stay ASCII hyphens that
/// can be searched and copied) and a leading control character.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            _ => out.push(c),
        }
    }
    if out.starts_with('.') || out.starts_with('\'') {
        out.insert_str(0, "\\&");
    }
    out
}

fn bold(text: &str) -> String {
    format!("\\fB{}\\fR", esc(text))
}

fn italic(text: &str) -> String {
    format!("\\fI{}\\fR", esc(text))
}

/// A `.TP` entry: a tag line and its paragraph.
fn entry(out: &mut String, tag: &str, body: &str) {
    out.push_str(".TP\n");
    out.push_str(tag);
    out.push('\n');
    out.push_str(&esc(body));
    out.push('\n');
}

fn section(out: &mut String, title: &str, intro: &str) {
    out.push_str(&format!(".SH {title}\n"));
    if !intro.is_empty() {
        out.push_str(&esc(intro));
        out.push('\n');
    }
}

/// The KEYS section: every action with its default keys, from the keymap itself.
fn keys_section(out: &mut String) {
    section(
        out,
        "KEYS",
        "In the full-screen app. These are the defaults; change them per action under [keys] in \
         config.toml (for example: select-next = [\"down\", \"ctrl-j\"]); a key bound to two actions \
         on one screen is an error naming both. F1 shows the keys in effect. On the search screen, \
         in the form, on a call and in the filter menu every printable key is text, whatever has \
         focus: commands sit on Ctrl, Alt, function keys, Enter and the arrows. [tui] keymap = \
         \"modal\" adds vim-style letters while the results or details have focus: j, k, / (the \
         query), ? (help), q (quit), Space (mark), r (contact form), g (queue). Space pages the \
         details; Esc never clears what was typed (Ctrl-U clears a field, Ctrl-Z brings a cleared \
         query back).",
    );
    let keymap = Keymap::default();
    for action in Action::ALL {
        let keys = keymap.keys_for(*action);
        let tag = if keys.is_empty() {
            italic("(unbound)")
        } else {
            keys.iter().map(|k| bold(&k.to_string())).collect::<Vec<_>>().join(", ")
        };
        entry(
            out,
            &tag,
            &format!("{}; in [keys]: {}.", capitalize(action.help()), action.name()),
        );
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn files_section(out: &mut String) {
    section(
        out,
        "FILES",
        "The data directory is --data-dir, else NAVIGATOR_DATA_DIR, else data_dir in a config file, \
         else ~/.local/share/navigator. It holds:",
    );
    let data = |name: &str| format!("{}/{}", italic("DATA_DIR"), bold(name));
    entry(
        out,
        &data("navigator.db"),
        "SQLite database (with navigator.db-wal and navigator.db-shm beside it): the service catalogue, \
         the source of truth, and casework: contacts, needs, referrals, follow-ups, drafts, the audit trail. \
         Personal data (caller first names, phones, best times, notes) lives in its own tables and is purged \
         by navigator admin purge or [retention].",
    );
    entry(
        out,
        &data("index/"),
        "The tantivy search index, derived from the catalogue. Rebuilt automatically when missing, damaged, \
         of another version or behind the catalogue; navigator index rebuild does it by hand.",
    );
    entry(
        out,
        &data("navigator.log"),
        "The log: commands, imports, index rebuilds, purges and errors, never personal values or search text.",
    );
    entry(
        out,
        &data("import.lock"),
        "Held by the running import (its pid, user and start time), so a second import waits or stops.",
    );
    entry(
        out,
        &bold("/etc/navigator/config.toml"),
        "System configuration (NAVIGATOR_SYSTEM_CONFIG names another file). Keys: data_dir, database, office, [keys], \
         [followups] default_days, lease_minutes, max_attempts, retry, [retention] personal_data_days, \
         [privacy] personal_data_readers, confidential_readers (the users who see confidential addresses \
         and phones; read from this file only), [tui] details_delay_ms, [search] home, languages, \
         [catalogue] timezone.",
    );
    entry(
        out,
        &bold("~/.config/navigator/config.toml"),
        "The user's configuration (in NAVIGATOR_CONFIG_DIR when set). Its values override the system file's \
         key by key; flags and the environment override both. navigator config show prints the result and \
         where each value came from.",
    );
    entry(
        out,
        &bold("~/.config/navigator/synonyms.txt"),
        "Search synonyms, replacing the built-in ones (in NAVIGATOR_CONFIG_DIR when set).",
    );
    entry(
        out,
        &bold("~/.config/navigator/everyday-terms.txt"),
        "What callers say and the taxonomy terms directories call it (\"ride to the doctor => Medical \
         Appointments Transportation\"), replacing the built-in English, French and Spanish list.",
    );
}

fn environment_section(out: &mut String) {
    section(out, "ENVIRONMENT", "");
    for (name, text) in [
        (
            "NAVIGATOR_DATA_DIR",
            "The data directory, when --data-dir is not given.",
        ),
        (
            "NAVIGATOR_DATABASE_URL",
            "A PostgreSQL URL (postgres://USER@HOST/DB?sslmode=require) for the catalogue and casework, shared by \
             several servers; overrides database in a config file. Absent: the SQLite file in the data directory. \
             The password comes from the URL, PGPASSWORD, PGPASSFILE or ~/.pgpass and is never printed. \
             sslmode is honoured (disable, prefer, require, verify-ca, verify-full); the CA for the verifying modes \
             is sslrootcert=FILE in the URL, else PGSSLROOTCERT, else ~/.postgresql/root.crt, else the system's.",
        ),
        (
            "NAVIGATOR_OFFICE",
            "The office contacts are recorded at; overrides office in a config file.",
        ),
        (
            "NAVIGATOR_DATABASE_PATIENCE_SECS",
            "How long a command keeps retrying an unreachable PostgreSQL before it exits 75 (default 20). The \
             full-screen app waits 2 s, then holds drafts and saves in held/ in the data directory until the \
             database is back, and says so in its status line.",
        ),
        (
            "NAVIGATOR_CONFIG_DIR",
            "The folder of the user's config.toml, synonyms.txt and everyday-terms.txt (default ~/.config/navigator).",
        ),
        (
            "NAVIGATOR_SYSTEM_CONFIG",
            "The system config file (default /etc/navigator/config.toml).",
        ),
        (
            "NO_COLOR",
            "When set and not empty, no colours, as with --no-color. Nothing is shown by colour alone.",
        ),
        (
            "TZ",
            "The zone of local dates and times (due today, follow-up dates, report periods, the times shown); \
             without it, [catalogue] timezone, else the machine's zone.",
        ),
        (
            "USER, LOGNAME",
            "Ignored: the navigator recorded on imports, contacts, follow-ups, drafts and the audit trail, and checked against [privacy] personal_data_readers, is always the account of the real uid.",
        ),
        (
            "NAVIGATOR_NO_PROGRESS",
            "When set, no progress bars on stderr (they are also off when stderr is not a terminal).",
        ),
    ] {
        entry(out, &bold(name), text);
    }
}

fn exit_status_section(out: &mut String) {
    section(out, "EXIT STATUS", "");
    for (code, text) in [
        ("0", "Success."),
        ("2", "Usage error: an unknown command or option, or an invalid value."),
        (
            "64",
            "A place that is not in the directory (search --near, or [search] home): the message names it.",
        ),
        (
            "65",
            "Invalid data: an import with nothing usable, an invalid contact or outcome (each field named), a \
             --limit over 1000, an idempotency key reused for a different request, a bad configuration value.",
        ),
        ("66", "An input file, contact, follow-up or service does not exist."),
        (
            "70",
            "Internal error: a bug in navigator. Nothing is left half-written; please report it with the message.",
        ),
        (
            "74",
            "A file could not be read or written (a full disk, an I/O error), or the database is damaged or \
             refused the connection (a TLS certificate that does not verify, a missing password); the message \
             names the file or the database. An import that updated the catalogue but not the search index says so.",
        ),
        (
            "75",
            "Try again later: another import or index rebuild is running on this data directory, another \
             navigator holds the follow-up, the database cannot be reached (PostgreSQL), or a purge could not \
             yet clear copies from navigator.db-wal while other processes read.",
        ),
        (
            "77",
            "Not permitted: personal data for an account not in [privacy] personal_data_readers, or a data \
             directory or file this account may not read or write (the message names the owner and the group).",
        ),
    ] {
        entry(out, &bold(code), text);
    }
}

fn see_also(out: &mut String, pages: &[String]) {
    section(out, "SEE ALSO", "");
    let refs: Vec<String> = pages
        .iter()
        .map(|name| {
            let stem = name.trim_end_matches(".1");
            format!("{}(1)", bold(stem))
        })
        .collect();
    out.push_str(&refs.join(",\n"));
    out.push('\n');
}

/// The command as the pages describe it: clap's `help` subcommand left out.
fn command() -> clap::Command {
    let mut cmd = crate::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn render(man: &Man) -> Vec<u8> {
    let mut out = Vec::new();
    man.render(&mut out).expect("rendering into memory cannot fail");
    out
}

/// Every page: (file name, contents), `navigator.1` first, then the subcommands' pages in
/// command order (depth first).
pub fn render_all() -> Vec<(String, Vec<u8>)> {
    let cmd = command();
    let mut pages = Vec::new();
    fn walk(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let man = Man::new(sub.clone());
            pages.push((man.get_filename(), render(&man)));
            walk(sub, pages);
        }
    }
    walk(&cmd, &mut pages);

    let man = Man::new(cmd.clone());
    let mut main = Vec::new();
    for part in [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
        Man::render_subcommands_section,
    ] {
        part(&man, &mut main).expect("rendering into memory cannot fail");
    }
    let mut extra = String::new();
    keys_section(&mut extra);
    files_section(&mut extra);
    environment_section(&mut extra);
    exit_status_section(&mut extra);
    let names: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
    see_also(&mut extra, &names);
    main.extend_from_slice(extra.as_bytes());
    man.render_version_section(&mut main)
        .expect("rendering into memory cannot fail");

    let mut all = vec![(man.get_filename(), main)];
    all.extend(pages);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_roff_control_characters_out() {
        assert_eq!(esc("ctrl-n"), "ctrl\\-n");
        assert_eq!(esc(".hidden"), "\\&.hidden");
        assert_eq!(esc("a\\b"), "a\\eb");
    }

    #[test]
    fn the_main_page_has_the_handwritten_sections() {
        let pages = render_all();
        assert_eq!(pages[0].0, "navigator.1");
        let main = String::from_utf8(pages[0].1.clone()).unwrap();
        for heading in [".SH KEYS", ".SH FILES", ".SH ENVIRONMENT", ".SH EXIT STATUS"] {
            assert!(main.contains(heading), "{heading} missing");
        }
        assert!(main.contains("select\\-next"));
        assert!(pages.iter().any(|(n, _)| n == "navigator-search.1"));
        assert!(pages.iter().any(|(n, _)| n == "navigator-contacts-add.1"));
    }
}
