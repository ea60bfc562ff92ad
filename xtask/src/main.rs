//! Project chores. `cargo run -p xtask -- man` rewrites the man pages under `man/` from the
//! clap definitions (`tests/manpage.rs` fails until they are current).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("man") => match man(&repo_root().join("man")) {
            Ok(n) => {
                println!("wrote {n} man pages to man/");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask man: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- man    (regenerate man/*.1)");
            ExitCode::from(2)
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// Writes every page and removes pages of commands that no longer exist.
fn man(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let pages = navigator::manpage::render_all();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let generated = name.starts_with("navigator") && name.ends_with(".1");
        if generated && !pages.iter().any(|(n, _)| *n == name) {
            std::fs::remove_file(&path)?;
        }
    }
    for (name, bytes) in &pages {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(pages.len())
}
