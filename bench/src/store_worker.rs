//! One navigator process of the store benchmark (`navigator-bench --store-worker DATA_DIR`):
//! it opens the catalogue as the app does (its store from the configuration: the SQLite
//! file, or `NAVIGATOR_DATABASE_URL`), waits for the go file so connecting is not timed,
//! then saves contacts or claims follow-ups, and prints one JSON line of what it did.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use navigator::casework::ContactInput;
use navigator::catalogue::Catalogue;
use navigator::followups::{ClaimError, QueueView};
use serde_json::json;

/// What a worker does once the go file appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Task {
    /// Save `count` contacts, each with a follow-up due today.
    Contacts,
    /// Claim due follow-ups until none is free: read the queue, take one of the first 16
    /// free ones at random, claim it.
    Claims,
}

/// The worker's settings (with `--store-worker`; hidden from `--help`).
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    #[arg(
        id = "worker-task",
        long = "worker-task",
        value_enum,
        default_value = "contacts",
        hide = true
    )]
    pub task: Task,
    #[arg(id = "worker-count", long = "worker-count", default_value_t = 10, hide = true)]
    pub count: usize,
    /// The file whose appearance starts the timed work.
    #[arg(id = "worker-go", long = "worker-go", hide = true)]
    pub go: Option<PathBuf>,
    /// The navigator's name (lease owner, contact's navigator).
    #[arg(id = "worker-name", long = "worker-name", default_value = "nav", hide = true)]
    pub name: String,
    /// Seeds the choice among free follow-ups.
    #[arg(id = "worker-seed", long = "worker-seed", default_value_t = 1, hide = true)]
    pub seed: u64,
}

/// What a worker did: its timed span (Unix nanoseconds), each operation's latency in
/// microseconds, the follow-ups it claimed, and the claims someone else won first.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Done {
    pub start_ns: u128,
    pub end_ns: u128,
    pub latencies_us: Vec<u64>,
    pub claimed: Vec<i64>,
    pub conflicts: usize,
}

fn unix_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn wait_for(go: Option<&Path>) -> anyhow::Result<()> {
    let Some(go) = go else { return Ok(()) };
    let deadline = Instant::now() + Duration::from_secs(120);
    while !go.exists() {
        if Instant::now() > deadline {
            bail!("{} never appeared", go.display());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

pub fn run(data_dir: &Path, args: &WorkerArgs) -> anyhow::Result<()> {
    let mut catalogue = Catalogue::open(data_dir).map_err(|f| anyhow::anyhow!("{f}"))?;
    let store = &mut catalogue.store;
    let today = jiff::ZonedDateTime::now().date();
    let office = navigator::config::office().map_err(|f| anyhow::anyhow!("{f}"))?;
    let input: ContactInput = serde_json::from_value(json!({
        "channel": "phone", "language": "en", "needs": [{"category": "food", "met": true}],
        "follow_up": {"consent": true, "due": today.to_string(), "first_name": "Ana", "phone": "705-555-0142"}
    }))?;
    let lease = Duration::from_secs(15 * 60);
    let mut done = Done::default();
    let mut rng = args.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    wait_for(args.go.as_deref())?;
    done.start_ns = unix_ns();
    match args.task {
        Task::Contacts => {
            for _ in 0..args.count {
                let t = Instant::now();
                // As the app's casework worker does: the database's clock, then the save.
                let now = store.now().context("the database's clock")?;
                store
                    .add_contact_at(&input, &args.name, office.as_deref(), now, today)
                    .map_err(|e| anyhow::anyhow!("saving a contact: {e}"))?;
                done.latencies_us.push(t.elapsed().as_micros() as u64);
            }
        }
        Task::Claims => loop {
            let now = store.now().context("the database's clock")?;
            let free: Vec<i64> = store
                .followups(QueueView::Due, today, now)?
                .iter()
                .filter(|f| f.claimed_by.is_none())
                .map(|f| f.id)
                .collect();
            if free.is_empty() {
                break;
            }
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let id = free[(rng % free.len().min(16) as u64) as usize];
            let t = Instant::now();
            match store.claim(id, &args.name, now, lease) {
                Ok(_) => done.claimed.push(id),
                Err(ClaimError::HeldBy { .. }) => done.conflicts += 1,
                Err(e) => bail!("claiming follow-up {id}: {e}"),
            }
            done.latencies_us.push(t.elapsed().as_micros() as u64);
        },
    }
    done.end_ns = unix_ns();
    println!("{}", serde_json::to_string(&done)?);
    Ok(())
}
