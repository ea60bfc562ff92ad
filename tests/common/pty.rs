//! Driving the real binary in a pseudo-terminal: keys in, screen (parsed by vt100) and raw
//! bytes out. Waits poll with a generous deadline: nothing depends on the machine's speed.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

use super::Data;

const DEADLINE: Duration = Duration::from_secs(30);

pub struct Screen {
    pub parser: vt100::Parser,
    raw: Vec<u8>,
}

pub struct App {
    pub shared: Arc<Mutex<Screen>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl App {
    pub fn start(data: &Data, args: &[&str]) -> App {
        App::start_with_env(data, args, &[])
    }

    /// [`App::start`] with extra environment variables (`TMUX`, ...).
    pub fn start_with_env(data: &Data, args: &[&str], env: &[(&str, &str)]) -> App {
        // Install the demo first, so its notice is not part of the screen.
        data.ok(&["index", "stats"]);
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        App::spawn(&data.path().join("data"), &data.path().join("config"), &env, args)
    }

    /// The app on `data_dir`, with `env` on top of this process's environment.
    pub fn spawn(data_dir: &Path, config_dir: &Path, env: &[(String, String)], args: &[&str]) -> App {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_navigator"));
        cmd.arg("--data-dir");
        cmd.arg(data_dir);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("NAVIGATOR_CONFIG_DIR", config_dir);
        // Never the machine's /etc/navigator/config.toml; a test may write this file.
        cmd.env(
            "NAVIGATOR_SYSTEM_CONFIG",
            config_dir.with_file_name("system-config.toml"),
        );
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("TMUX");
        // Files the app writes (the read-out) land in the test's folder (the data
        // directory's parent).
        cmd.cwd(data_dir.parent().unwrap_or(data_dir));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let shared = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(24, 80, 0),
            raw: Vec::new(),
        }));
        let sink = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut s = sink.lock().unwrap();
                s.parser.process(&buf[..n]);
                s.raw.extend_from_slice(&buf[..n]);
            }
        });
        App {
            shared,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn contents(&self) -> String {
        self.shared.lock().unwrap().parser.screen().contents()
    }

    pub fn raw_len(&self) -> usize {
        self.shared.lock().unwrap().raw.len()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.shared.lock().unwrap().raw.clone()
    }

    /// Waits until the screen satisfies `check`, failing with the screen when it never does.
    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.contents();
            if check(&screen) {
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!("never saw {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Types `keys` on a form row, waits for `expect` on the screen, then Tab to the next.
    pub fn answer(&mut self, keys: &[u8], expect: &str) {
        self.send(keys);
        self.wait_for(expect, |s| s.contains(expect));
        self.send(b"\t");
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Waits until no byte has arrived for `quiet`.
    pub fn settle(&self, quiet: Duration) {
        let mut last = self.raw_len();
        let mut since = Instant::now();
        let start = Instant::now();
        while since.elapsed() < quiet && start.elapsed() < DEADLINE {
            std::thread::sleep(Duration::from_millis(20));
            let now = self.raw_len();
            if now != last {
                last = now;
                since = Instant::now();
            }
        }
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// True once the status line shows the position counter ("1/500"): the first results are in.
pub fn shows_results(screen: &str) -> bool {
    screen.match_indices('/').any(|(i, _)| {
        let before = screen[..i].chars().next_back();
        let after = screen[i + 1..].chars().next();
        before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit())
    })
}
