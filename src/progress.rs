//! Progress for long work (imports, rebuilds, synth): a bar on stderr when it is a
//! terminal, nothing at all in scripts.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar counting to `total` (0 when unknown).
    pub fn new(what: &str, total: u64) -> Progress {
        if !std::io::stderr().is_terminal() || std::env::var_os("NAVIGATOR_NO_PROGRESS").is_some() {
            return Progress(None);
        }
        let bar = if total > 0 {
            ProgressBar::new(total)
        } else {
            ProgressBar::new_spinner()
        };
        let template = if total > 0 {
            "{msg:>10} [{bar:30}] {pos}/{len} ({per_sec}, {eta})"
        } else {
            "{msg:>10} {spinner} {pos} ({per_sec})"
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        Progress(Some(bar))
    }

    pub fn set(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(n);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
