//! The terminal, set up for a full-screen app and always put back: on quit (the guard's
//! Drop), on panic (a hook), and on SIGTERM/SIGHUP (the loop quits, the guard drops).
//!
//! Frames are encoded by the lean backend (few bytes a frame) and go through one buffered
//! writer whose `flush` is a no-op; the loop flushes once per frame, after the
//! synchronized-update end marker, so a frame leaves in one write.

use std::io::{self, BufWriter, Stdout, Write};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::style::{Attribute, SetAttribute};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;

use super::lean_backend::LeanBackend;

/// Buffers a whole frame; only [`FrameWriter::send`] writes it out.
pub struct FrameWriter(BufWriter<Stdout>);

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl FrameWriter {
    pub fn send(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

pub type Term = Terminal<LeanBackend<FrameWriter>>;

/// Restores the terminal when dropped.
pub struct Guard;

impl Guard {
    pub fn enter() -> io::Result<(Guard, Term)> {
        enable_raw_mode()?;
        let mut out = io::stdout();
        // Mouse capture stays off: selecting text with the mouse keeps working.
        execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
        install_panic_hook();
        let backend = LeanBackend::new(FrameWriter(BufWriter::with_capacity(64 * 1024, io::stdout())))?;
        let mut terminal = Terminal::new(backend)?;
        // Blank for certain: ratatui's first frame and the backend both count on it.
        terminal.clear()?;
        Ok((Guard, terminal))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back: default colours (frames leave theirs set), main screen, cooked
/// mode, cursor shown. Safe to call twice, and
/// harmless when the terminal is gone (an SSH drop): errors are ignored.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        SetAttribute(Attribute::Reset),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Draws one frame wrapped in a synchronized update and sends it in one write.
pub fn draw(terminal: &mut Term, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(render)?;
    queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().writer_mut().send()
}

/// The OSC 52 sequence that puts `text` on the clipboard. Inside tmux it is wrapped in
/// tmux's passthrough (DCS `tmux;` with every ESC doubled) so it reaches the terminal
/// outside tmux; tmux forwards it when `allow-passthrough` is on (or keeps it in its own
/// buffer with `set-clipboard on`).
pub fn osc52(text: &str, inside_tmux: bool) -> Vec<u8> {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let osc = format!("\x1b]52;c;{body}\x07");
    if !inside_tmux {
        return osc.into_bytes();
    }
    let mut out = b"\x1bPtmux;".to_vec();
    for b in osc.bytes() {
        if b == 0x1b {
            out.push(0x1b);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// Writes an OSC 52 clipboard sequence; whether the terminal honours it cannot be known,
/// so the app says it was sent, never that it was copied.
pub fn copy(terminal: &mut Term, text: &str) -> io::Result<()> {
    let inside_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    terminal.backend_mut().write_all(&osc52(text, inside_tmux))?;
    terminal.backend_mut().writer_mut().send()
}

#[cfg(test)]
mod tests {
    use super::osc52;

    #[test]
    fn osc52_is_wrapped_for_tmux() {
        assert_eq!(osc52("hi", false), b"\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }
}
