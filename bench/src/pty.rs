//! The TUI in a real pseudo-terminal at 80x24: start-up, bytes per keystroke, idle bytes,
//! keystroke-to-finished-frame latency and the peak RSS of a typing session.
//!
//! A reader thread timestamps every chunk the app writes and feeds it to a vt100 parser.
//! After each key the benchmark waits for quiescence (150 ms without a byte); the key's
//! latency is the time from writing it to the last byte it caused.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

use crate::import::Navigator;
use crate::queries::QUERIES;
use crate::stats::Samples;

pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
/// Typed from the start screen to count bytes per keystroke.
pub const TYPED: &str = "food bank to";
pub const IDLE: Duration = Duration::from_secs(5);
/// Starts timed after the session, with the index in the page cache.
pub const WARM_STARTS: usize = 5;
pub const QUIET: Duration = Duration::from_millis(150);
/// After the last key of [`TYPED`]: long enough for the app's pause-triggered redraw of the
/// detail pane (`[tui] details_delay_ms`, 300 ms by default) to happen and be counted.
pub const SETTLE: Duration = Duration::from_millis(1000);
const DEADLINE: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Default)]
pub struct TuiFigures {
    /// Spawn to the first frame showing "N of M", the first time (the index may not be in
    /// the page cache yet: after an import and other heavy work it often is not).
    pub startup: Duration,
    /// Spawn to the first frame after the data directory's pages were evicted from the
    /// page cache (`posix_fadvise(DONTNEED)` on every file): a server's first navigator of
    /// the morning, or one whose index was pushed out by other work.
    pub startup_cold: Option<Duration>,
    /// The same for [`WARM_STARTS`] more starts right after the session (the index cached,
    /// as on a server where navigators use it all day).
    pub startup_warm: Samples,
    /// Bytes written for each key of [`TYPED`]; the last includes what came after the pause.
    pub typed_bytes: Vec<usize>,
    /// Written after the last key of [`TYPED`] once typing paused (the detail pane catching up).
    pub pause_bytes: usize,
    /// [`TYPED`] again with `details_delay_ms = 0`: the detail pane redrawn on every key, as a
    /// typist slower than the delay gets it.
    pub typed_bytes_every_key: Vec<usize>,
    pub idle_bytes: usize,
    /// Key-to-last-byte over every typed key of the session.
    pub latency: Samples,
    /// Bytes for every key typed in the query session (not [`TYPED`]).
    pub session_bytes: Vec<usize>,
    /// Keys after which nothing at all was written (should be none).
    pub silent_keys: usize,
    pub session_queries: usize,
    /// VmHWM of the app before quitting.
    pub peak_rss_bytes: Option<u64>,
    /// RssAnon and RssFile (mapped files such as the index) before quitting.
    pub rss_anon_bytes: Option<u64>,
    pub rss_file_bytes: Option<u64>,
}

struct Screen {
    parser: vt100::Parser,
    bytes: usize,
    last_byte: Option<Instant>,
    first_frame: Option<Instant>,
}

struct App {
    shared: Arc<Mutex<Screen>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    spawned: Instant,
}

/// True when the screen shows a result count: digits, " of " or "/", digits (the status
/// line's "100 of 1340" before, its position counter "1/1,340" now).
pub fn shows_count(screen: &str) -> bool {
    [" of ", "/"].iter().any(|sep| {
        screen.match_indices(sep).any(|(i, _)| {
            let before = screen[..i].chars().next_back();
            let after = screen[i + sep.len()..].chars().next();
            before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

impl App {
    fn start(nav: &Navigator, data_dir: &Path, config_dir: &Path) -> anyhow::Result<App> {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| anyhow::anyhow!("openpty: {e}"))?;
        let mut cmd = CommandBuilder::new(&nav.bin);
        cmd.arg("--data-dir");
        cmd.arg(data_dir);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in nav.environment() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            }
        }
        cmd.env("NAVIGATOR_CONFIG_DIR", config_dir);
        let mut reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| anyhow::anyhow!("pty reader: {e}"))?;
        let writer = pair
            .master
            .take_writer()
            .map_err(|e| anyhow::anyhow!("pty writer: {e}"))?;
        let shared = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(ROWS, COLS, 0),
            bytes: 0,
            last_byte: None,
            first_frame: None,
        }));
        let sink = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                let mut s = sink.lock().expect("screen lock");
                s.parser.process(&buf[..n]);
                s.bytes += n;
                s.last_byte = Some(now);
                if s.first_frame.is_none() && shows_count(&s.parser.screen().contents()) {
                    s.first_frame = Some(now);
                }
            }
        });
        let spawned = Instant::now();
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| anyhow::anyhow!("starting {}: {e}", nav.bin.display()))?;
        drop(pair.slave);
        Ok(App {
            shared,
            writer,
            child,
            _master: pair.master,
            spawned,
        })
    }

    fn contents(&self) -> String {
        self.shared.lock().expect("screen lock").parser.screen().contents()
    }

    fn bytes(&self) -> usize {
        self.shared.lock().expect("screen lock").bytes
    }

    fn send(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()?;
        Ok(())
    }

    fn fail(&mut self, what: &str) -> anyhow::Error {
        let screen = self.contents();
        let _ = self.child.kill();
        anyhow::anyhow!("TUI: {what}; screen:\n{screen}")
    }

    /// Waits until nothing has been written for [`QUIET`] since `since` or the last byte.
    fn quiesce(&mut self, since: Instant) -> anyhow::Result<()> {
        self.quiesce_for(since, QUIET)
    }

    fn quiesce_for(&mut self, since: Instant, quiet: Duration) -> anyhow::Result<()> {
        loop {
            std::thread::sleep(Duration::from_millis(5));
            let last = self.shared.lock().expect("screen lock").last_byte;
            let last = last.map_or(since, |l| l.max(since));
            if last.elapsed() >= quiet {
                return Ok(());
            }
            if since.elapsed() > DEADLINE {
                return Err(self.fail("the screen never went quiet"));
            }
        }
    }

    /// Sends one key and waits for quiescence: bytes written and time to the last byte.
    fn key(&mut self, bytes: &[u8]) -> anyhow::Result<(usize, Option<Duration>)> {
        let before = self.bytes();
        let sent = Instant::now();
        self.send(bytes)?;
        self.quiesce(sent)?;
        let s = self.shared.lock().expect("screen lock");
        let n = s.bytes - before;
        let latency = s.last_byte.filter(|t| *t > sent).map(|t| t - sent);
        Ok((n, latency.filter(|_| n > 0)))
    }

    fn wait_first_frame(&mut self) -> anyhow::Result<Duration> {
        loop {
            if let Some(t) = self.shared.lock().expect("screen lock").first_frame {
                return Ok(t - self.spawned);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.fail(&format!("navigator exited at start-up ({status:?})")));
            }
            if self.spawned.elapsed() > DEADLINE {
                return Err(self.fail("no frame with a result count"));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn quit(&mut self) -> anyhow::Result<()> {
        self.send(b"\x03")?;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Err(self.fail("navigator did not exit on Ctrl-C"))
    }
}

/// A kB figure from /proc/PID/status ("VmHWM", "RssAnon", ...), in bytes.
/// Gives the benchmark's freed heap back to the system before it starts apps. The phases
/// before (the FTS5 baseline holds the whole corpus, a million services at the largest
/// size) leave gigabytes freed but mapped, and each app is started by fork: the kernel
/// copies the parent's page tables, so the app's start-up timed the benchmark's heap
/// (the same 1M directory measured 82 ms warm in a full run, 16 ms alone).
fn release_heap() {
    let before = status_bytes(std::process::id(), "VmRSS");
    // SAFETY: malloc_trim only returns free memory of the allocator to the system.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
    let after = status_bytes(std::process::id(), "VmRSS");
    if let (Some(b), Some(a)) = (before, after) {
        crate::progress(&format!(
            "  benchmark's own memory before the TUI phase: {} -> {}",
            crate::machine::human_bytes(b),
            crate::machine::human_bytes(a)
        ));
    }
}

fn status_bytes(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status
        .lines()
        .find(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Bytes per key of [`TYPED`] with the detail pane following every key (a second app, with
/// `[tui] details_delay_ms = 0`).
fn typed_every_key(nav: &Navigator, data_dir: &Path) -> anyhow::Result<Vec<usize>> {
    let config_dir = nav.config_dir.with_file_name("config-details-every-key");
    std::fs::create_dir_all(&config_dir)?;
    std::fs::write(config_dir.join("config.toml"), "[tui]\ndetails_delay_ms = 0\n")?;
    let mut app = App::start(nav, data_dir, &config_dir)?;
    app.wait_first_frame()?;
    app.quiesce(Instant::now())?;
    let bytes = TYPED
        .bytes()
        .map(|c| app.key(&[c]).map(|(n, _)| n))
        .collect::<anyhow::Result<Vec<usize>>>()?;
    app.quit()?;
    Ok(bytes)
}

/// One session: start, type [`TYPED`], wait for the pause redraw, stay idle [`IDLE`], then
/// type the first `session_queries` queries (Ctrl-U before each), read the peak RSS, quit.
/// Then [`TYPED`] once more in a second app whose detail pane follows every key.
pub fn run(nav: &Navigator, data_dir: &Path, session_queries: usize) -> anyhow::Result<TuiFigures> {
    release_heap();
    let mut fig = session(nav, data_dir, session_queries)?;
    fig.typed_bytes_every_key = typed_every_key(nav, data_dir)?;
    if evict(data_dir).is_ok() {
        let mut app = App::start(nav, data_dir, &nav.config_dir)?;
        fig.startup_cold = Some(app.wait_first_frame()?);
        app.quit()?;
    }
    for _ in 0..WARM_STARTS {
        let mut app = App::start(nav, data_dir, &nav.config_dir)?;
        fig.startup_warm.push(app.wait_first_frame()?);
        app.quit()?;
    }
    Ok(fig)
}

fn session(nav: &Navigator, data_dir: &Path, session_queries: usize) -> anyhow::Result<TuiFigures> {
    let mut app = App::start(nav, data_dir, &nav.config_dir)?;
    let mut fig = TuiFigures {
        startup: app.wait_first_frame()?,
        session_queries: session_queries.min(QUERIES.len()),
        ..TuiFigures::default()
    };
    let settled = Instant::now();
    app.quiesce(settled)?;
    let record = |app: &mut App, key: &[u8], fig: &mut TuiFigures| -> anyhow::Result<usize> {
        let (n, latency) = app.key(key)?;
        match latency {
            Some(l) => fig.latency.push(l),
            None => fig.silent_keys += 1,
        }
        Ok(n)
    };
    for c in TYPED.bytes() {
        let n = record(&mut app, &[c], &mut fig)?;
        fig.typed_bytes.push(n);
    }
    let before = app.bytes();
    app.quiesce_for(Instant::now(), SETTLE)?;
    fig.pause_bytes = app.bytes() - before;
    if let Some(last) = fig.typed_bytes.last_mut() {
        *last += fig.pause_bytes;
    }
    let before = app.bytes();
    std::thread::sleep(IDLE);
    fig.idle_bytes = app.bytes() - before;
    for query in &QUERIES[..fig.session_queries] {
        app.key(b"\x15").context("Ctrl-U")?; // clear the query
        for c in query.text.bytes() {
            let n = record(&mut app, &[c], &mut fig)?;
            fig.session_bytes.push(n);
        }
    }
    if !app.contents().contains(QUERIES[fig.session_queries.max(1) - 1].text) {
        return Err(app.fail("the last query typed is not on the screen"));
    }
    if let Some(pid) = app.child.process_id() {
        fig.peak_rss_bytes = status_bytes(pid, "VmHWM");
        fig.rss_anon_bytes = status_bytes(pid, "RssAnon");
        fig.rss_file_bytes = status_bytes(pid, "RssFile");
    }
    app.quit()?;
    Ok(fig)
}

/// Drops the page-cache pages of every file under `dir` (clean pages only: a file being
/// written keeps its dirty ones, so sync first). Everything the benchmark wrote before
/// (its own imports, the FTS5 databases) is flushed first too: written back while the
/// cold app starts, it would compete with the app's reads and be timed as the app's.
fn evict(dir: &Path) -> std::io::Result<()> {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    evict_files(dir)
}

fn evict_files(dir: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            evict_files(&path)?;
            continue;
        }
        let file = std::fs::File::open(&path)?;
        file.sync_all()?;
        // SAFETY: a valid open descriptor; offset 0, length 0 means the whole file.
        let rc = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
        if rc != 0 {
            return Err(std::io::Error::from_raw_os_error(rc));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_digits_of_digits() {
        assert!(shows_count("x\n20 of 1234 | demo"));
        assert!(shows_count("x\n 1/1,234 | demo"));
        assert!(!shows_count("searching… | catalogue of 500"));
        assert!(!shows_count("within 25 km of Toronto"));
    }
}
