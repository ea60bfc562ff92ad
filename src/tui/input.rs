//! Feeds the loop: terminal input on one thread, signals on another, both as `Event`s on
//! the loop's channel, so the loop sleeps until something happens (an idle screen costs
//! nothing and sends nothing).

use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyEventKind};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

use super::update::Event;

/// Polls with a short timeout rather than zero: over a slow link an escape sequence can
/// arrive in pieces, and a little patience keeps it from reading as Esc plus letters.
const POLL: Duration = Duration::from_millis(30);

pub fn spawn_terminal_reader(events: Sender<Event>) {
    thread::Builder::new()
        .name("input".into())
        .spawn(move || loop {
            match event::poll(POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) => {
                    let _ = events.send(Event::Terminate);
                    return;
                }
            }
            let event = match event::read() {
                // Only presses: release and repeat events (kitty protocol) would double keys.
                Ok(TermEvent::Key(key)) if key.kind == KeyEventKind::Press => Event::Key(key),
                Ok(TermEvent::Paste(text)) => Event::Paste(text),
                Ok(TermEvent::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                // The terminal went away (SSH drop): quit.
                Err(_) => Event::Terminate,
            };
            let stop = matches!(event, Event::Terminate);
            if events.send(event).is_err() || stop {
                return;
            }
        })
        .expect("can start the input thread");
}

pub fn spawn_signal_listener(events: Sender<Event>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    thread::Builder::new().name("signals".into()).spawn(move || {
        if signals.forever().next().is_some() {
            let _ = events.send(Event::Terminate);
        }
    })?;
    Ok(())
}
