//! navigator: parse the command line, run, map failures to exit statuses.

use clap::Parser;
use navigator::cli::Command;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = navigator::cli::Cli::parse();
    if matches!(cli.command, Some(Command::Import(_) | Command::Index(_))) {
        large_allocations_from_the_system();
    }
    match navigator::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            navigator::say!("navigator: {}", navigator_index::text::sanitize(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}

/// For the commands that write the index (an import, a rebuild): allocations of 128 KiB
/// and more are mapped from the system and unmapped when freed. glibc's default raises
/// that threshold after the first such block is freed, and from then on serves them from
/// its per-thread heaps, which keep freed memory: the index writer frees its buffers
/// (megabyte pages) at every segment it writes, and the process kept them all, hundreds
/// of megabytes at a million services. Searches keep glibc's default: a keystroke's
/// buffers are reused from the heap, not mapped afresh.
fn large_allocations_from_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
