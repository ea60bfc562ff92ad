//! Casework held on this server while the database cannot be reached: the app's drafts
//! and the saves a navigator made during the outage, one file each, until the link is
//! back and they are in the database.
//!
//! - Where: `held/<uid>/` in the data directory, a folder only its user can open (0700,
//!   refused when another account owns it); every file 0600. The files hold personal data
//!   (a caller's name, phone, notes), so they are never logged, and they are scrubbed
//!   (overwritten with zeros and synced) before they are removed or replaced, so the
//!   values do not stay behind in freed blocks of an ordinary disk.
//! - A held save carries a key, and is replayed under it (`Store::once`): after a lost
//!   acknowledgement or a crash between the commit and the removal of its file, the
//!   replay answers what was saved instead of saving it twice.
//! - Each file is written atomically: a crash leaves the previous version or the new one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::casework::ContactInput;
use crate::followups::OutcomeInput;

/// A save waiting for the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HeldWrite {
    Contact {
        input: Box<ContactInput>,
        office: Option<String>,
    },
    /// A follow-up call's answers.
    Outcome { followup: i64, input: OutcomeInput },
}

/// One held save, as its file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldEntry {
    /// What it is replayed under (`Store::once`).
    pub key: String,
    /// When it was held (RFC 3339 UTC to the nanosecond, this server's clock).
    pub at: String,
    pub navigator: String,
    pub write: HeldWrite,
}

/// This user's held casework in one data directory.
pub struct Held {
    dir: PathBuf,
}

const ENTRY_PREFIX: &str = "save-";
const DRAFT_PREFIX: &str = "draft-";
const REFUSED_PREFIX: &str = "refused-";

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A key no other save on any server has: server, user, process, time and a counter.
pub fn new_key() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let host: String = crate::user::host()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' })
        .collect();
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    format!(
        "{host}-{uid}-{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

impl Held {
    /// Opens (creating) `held/<uid>/` in `data_dir`.
    pub fn open(data_dir: &Path) -> io::Result<Held> {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        let parent = data_dir.join("held");
        if !parent.exists() {
            fs::create_dir_all(&parent)?;
            // Every navigator's folder sits here, so it opens like the data directory
            // (group-writable in a shared install), sticky so none can remove another's.
            let mode = fs::metadata(data_dir)?.permissions().mode() & 0o2770;
            let _ = fs::set_permissions(&parent, fs::Permissions::from_mode(mode | 0o1000));
        }
        let dir = parent.join(uid.to_string());
        if !dir.exists() {
            fs::create_dir(&dir)?;
        }
        let meta = fs::symlink_metadata(&dir)?;
        if !meta.is_dir() || meta.uid() != uid {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is not a folder of this account's (uid {uid})", dir.display()),
            ));
        }
        if meta.permissions().mode() & 0o777 != 0o700 {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
        }
        Ok(Held { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Holds `write` under a new key.
    pub fn hold(&self, navigator: &str, write: HeldWrite) -> io::Result<HeldEntry> {
        self.hold_as(&new_key(), navigator, write)
    }

    /// Holds `write` under `key`: the key its first try used, so a commit that did happen
    /// then is recognised when it is replayed.
    pub fn hold_as(&self, key: &str, navigator: &str, write: HeldWrite) -> io::Result<HeldEntry> {
        let entry = HeldEntry {
            key: key.to_string(),
            at: jiff::Timestamp::now().to_string(),
            navigator: navigator.to_string(),
            write,
        };
        let bytes = serde_json::to_vec(&entry).map_err(io::Error::other)?;
        replace(&self.entry_path(key), &bytes)?;
        Ok(entry)
    }

    /// Every held save, oldest first. A file that cannot be read is left where it is.
    pub fn entries(&self) -> Vec<HeldEntry> {
        let mut entries: Vec<HeldEntry> = self.files(ENTRY_PREFIX).iter().filter_map(|p| read_json(p)).collect();
        let when = |e: &HeldEntry| e.at.parse::<jiff::Timestamp>().ok();
        entries.sort_by(|a, b| (when(a), &a.key).cmp(&(when(b), &b.key)));
        entries
    }

    /// How many saves are held.
    pub fn count(&self) -> usize {
        self.files(ENTRY_PREFIX).len()
    }

    /// The save under `key` is in the database: its file goes.
    pub fn release(&self, key: &str) -> io::Result<()> {
        scrub(&self.entry_path(key))
    }

    /// The database refused the save under `key` (a rule: a referred service is gone, the
    /// follow-up is someone else's now): its input is kept as `refused-<key>.json`, in the
    /// JSON `contacts add` / `followups complete` read, for the navigator to look at.
    pub fn refuse(&self, entry: &HeldEntry) -> io::Result<PathBuf> {
        let input = match &entry.write {
            HeldWrite::Contact { input, .. } => serde_json::to_vec_pretty(input),
            HeldWrite::Outcome { input, .. } => serde_json::to_vec_pretty(input),
        }
        .map_err(io::Error::other)?;
        let path = self.dir.join(format!("{REFUSED_PREFIX}{}.json", safe(&entry.key)));
        replace(&path, &input)?;
        self.release(&entry.key)?;
        Ok(path)
    }

    /// Keeps the draft of `kind` (replacing the previous one).
    pub fn keep_draft(&self, kind: &str, body: &str) -> io::Result<()> {
        let draft = HeldDraft {
            at: crate::clock::utc_text(jiff::Timestamp::now()),
            body: body.to_string(),
        };
        replace(
            &self.draft_path(kind),
            &serde_json::to_vec(&draft).map_err(io::Error::other)?,
        )
    }

    /// The draft of `kind` kept here: (body, when).
    pub fn draft(&self, kind: &str) -> Option<(String, String)> {
        let draft: HeldDraft = read_json(&self.draft_path(kind))?;
        Some((draft.body, draft.at))
    }

    /// Removes the draft of `kind`; whether there was one.
    pub fn drop_draft(&self, kind: &str) -> io::Result<bool> {
        let path = self.draft_path(kind);
        let had = path.exists() || staged(&path).exists();
        scrub(&path)?;
        Ok(had)
    }

    fn entry_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{ENTRY_PREFIX}{}.json", safe(key)))
    }

    fn draft_path(&self, kind: &str) -> PathBuf {
        self.dir.join(format!("{DRAFT_PREFIX}{}.json", safe(kind)))
    }

    fn files(&self, prefix: &str) -> Vec<PathBuf> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        dir.filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".json"))
            })
            .collect()
    }
}

#[derive(Serialize, Deserialize)]
struct HeldDraft {
    at: String,
    body: String,
}

/// A key or kind as a file name.
fn safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where the next version of `path` is written before it replaces it.
fn staged(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".new");
    path.with_file_name(name)
}

/// `path`'s JSON: the file, or the staged next version when a crash came between
/// scrubbing the old one and renaming the new one over it.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let parse = |p: &Path| fs::read(p).ok().and_then(|b| serde_json::from_slice(&b).ok());
    parse(path).or_else(|| parse(&staged(path)))
}

/// Replaces `path` with `bytes`, atomically, scrubbing the old version's bytes: the new
/// one is written and synced beside it, the old one zeroed in place, then the new one
/// renamed over it.
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let next = staged(path);
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&next)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    zero(path)?;
    fs::rename(&next, path)?;
    sync_dir(path)
}

/// Overwrites a file's bytes with zeros in place and syncs it (nothing when absent).
fn zero(path: &Path) -> io::Result<()> {
    let mut file = match OpenOptions::new().write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len() as usize;
    file.write_all(&vec![0u8; len])?;
    file.sync_all()
}

/// Zeroes and removes a file and its staged next version.
fn scrub(path: &Path) -> io::Result<()> {
    for p in [staged(path), path.to_path_buf()] {
        zero(&p)?;
        match fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    sync_dir(path)
}

fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(test)]
#[path = "held_tests.rs"]
mod tests;
