//! `navigator admin init|purge|audit`: set up a shared data directory, purge personal
//! data, read the audit trail.

use std::io::Write;
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::cli::AdminCommand;
use crate::exit::{Failure, OK};
use crate::output::Table;
use crate::privacy::{cutoff, PurgeCounts};

/// Days kept when neither --older-than nor `[retention] personal_data_days` says.
pub const DEFAULT_PURGE_DAYS: u32 = 90;

pub fn run(command: &AdminCommand, data_dir: &Path) -> Result<u8, Failure> {
    match command {
        AdminCommand::Init { dir, group } => init(dir, group),
        AdminCommand::Purge {
            older_than,
            dry_run,
            json,
        } => purge(*older_than, *dry_run, *json, data_dir),
        AdminCommand::Audit { since, user, json } => audit(*since, user.as_deref(), *json, data_dir),
        AdminCommand::MoveToPostgres {
            url,
            merge,
            office,
            json,
        } => move_to_postgres(url, *merge, office.clone(), *json, data_dir),
    }
}

fn move_to_postgres(
    url: &str,
    merge: bool,
    office: Option<String>,
    json: bool,
    data_dir: &Path,
) -> Result<u8, Failure> {
    let location = crate::store::Location::resolve(Some(url), data_dir).map_err(|e| Failure::data(e.to_string()))?;
    if !location.is_postgres() {
        return Err(Failure::data(format!(
            "{}: expected a postgres:// URL",
            crate::store::redact(url)
        )));
    }
    let db = data_dir.join("navigator.db");
    if !db.exists() {
        return Err(Failure::no_input(format!("{}: no SQLite store to move", db.display())));
    }
    let office = match office {
        Some(o) => Some(o),
        None => crate::config::office()?,
    };
    let mut source = crate::store::Store::open(&db).map_err(Failure::store)?;
    let mut target = crate::store::Store::open_at(&location).map_err(Failure::store)?;
    let report = crate::moving::move_to_postgres(&mut source, &mut target, merge, office.as_deref())?;
    tracing::info!(
        services = report.services,
        contacts = report.contacts,
        followups = report.followups,
        "moved to postgres"
    );
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string(&report).expect("a report serializes"));
    } else {
        let _ = writeln!(
            out,
            "Moved {} services, {} contacts ({} with follow-ups), {} audit rows and {} drafts to {} \
             ({} contacts were already there); counts verified.",
            report.services,
            report.contacts,
            report.followups,
            report.audit,
            report.drafts,
            target.target(),
            report.already_moved
        );
    }
    Ok(OK)
}

/// "90d", "12w" or "90" (days) -> days.
pub fn parse_days(text: &str) -> Result<u32, String> {
    let t = text.trim().to_ascii_lowercase();
    let (number, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&t[..i], t[i..].trim()),
        None => (t.as_str(), "d"),
    };
    let n: u32 = number
        .parse()
        .map_err(|_| format!("{text:?}: expected a number of days such as 90d (or weeks: 12w)"))?;
    let days = match unit {
        "d" | "day" | "days" => Some(n),
        "w" | "week" | "weeks" => n.checked_mul(7),
        _ => None,
    };
    days.filter(|d| *d <= 36_500)
        .ok_or_else(|| format!("{text:?}: expected a number of days such as 90d (or weeks: 12w)"))
}

fn init(dir: &Path, group: &str) -> Result<u8, Failure> {
    let gid = crate::shared::group_id(group).ok_or_else(|| Failure::data(format!("no group named {group:?}")))?;
    if !crate::shared::may_use_group(gid) {
        return Err(Failure::data(format!(
            "you are neither root nor a member of group {group:?}: cannot give {} to it",
            dir.display()
        )));
    }
    crate::shared::init_dir(dir, gid).map_err(|e| Failure::io(format!("{}: {e}", dir.display())))?;
    // Create the database and index now, as group files, so the first navigator to start
    // does not have to (and a mistake shows here, not in the middle of a call).
    let catalogue = Catalogue::open(dir)?;
    drop(catalogue);
    crate::shared::init_dir(dir, gid).map_err(|e| Failure::io(format!("{}: {e}", dir.display())))?;
    tracing::info!(dir = %dir.display(), group, "shared data directory initialised");
    crate::output::line(&format!(
        "Shared data directory {} is ready: group {group}, mode 2770 (setgid).\n\
         Every file navigator creates there will be group read/write.\n\
         Point navigators at it with data_dir = \"{}\" in /etc/navigator/config.toml\n\
         (or NAVIGATOR_DATA_DIR), and import your directory: navigator import PATH",
        dir.display(),
        dir.display()
    ));
    Ok(OK)
}

/// `admin purge --json`. Stable: fields are only ever added.
#[derive(Serialize)]
struct PurgeJson {
    dry_run: bool,
    older_than_days: u32,
    /// RFC 3339 UTC: personal data of contacts before this went.
    cutoff: String,
    #[serde(flatten)]
    counts: PurgeCounts,
    /// False when copies of purged values may remain in navigator.db-wal (exit 75).
    files_clean: bool,
}

fn purge(older_than: Option<u32>, dry_run: bool, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let days = match older_than {
        Some(d) => d,
        None => crate::config::retention_days()?.unwrap_or(DEFAULT_PURGE_DAYS),
    };
    let mut store = crate::catalogue::open_store(data_dir)?;
    let now = Timestamp::now();
    let before = cutoff(now, days);
    let purged = store
        .purge_personal_data(before, now, dry_run, &crate::user::name(), "admin.purge")
        .map_err(Failure::store)?;
    let counts = purged.counts;
    let clean = purged.erased == crate::store::Erased::Clean;
    // After the report: the purge itself happened, the files are not yet clean.
    let outcome = if clean {
        Ok(OK)
    } else {
        Err(Failure::temporary(crate::privacy::WAL_BUSY.to_string()))
    };
    tracing::info!(
        dry_run,
        older_than_days = days,
        personal_data = counts.personal_data,
        followup_notes = counts.followup_notes,
        drafts = counts.drafts,
        "purge"
    );
    let mut out = std::io::stdout().lock();
    if json {
        let report = PurgeJson {
            dry_run,
            older_than_days: days,
            cutoff: crate::casework::utc_text(before),
            counts,
            files_clean: clean,
        };
        let _ = writeln!(out, "{}", serde_json::to_string(&report).expect("report serializes"));
        return outcome;
    }
    let verb = if dry_run { "Would purge" } else { "Purged" };
    let _ = writeln!(
        out,
        "{verb} personal data older than {days} days (before {}):",
        crate::clock::local_text(before, "%Y-%m-%d %H:%M")
    );
    for (label, n) in [
        ("contacts' personal data", counts.personal_data),
        ("follow-up notes", counts.followup_notes),
        ("drafts", counts.drafts),
    ] {
        let _ = writeln!(out, "  {label:<24} {n:>6}");
    }
    outcome
}

fn audit(since: Option<jiff::civil::Date>, user: Option<&str>, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let store = crate::catalogue::open_store(data_dir)?;
    let since = since.map(|d| match crate::clock::start_of(d) {
        Some(t) => crate::casework::utc_text(t),
        None => format!("{d}T00:00:00Z"),
    });
    let rows = store.audit_rows(since.as_deref(), user).map_err(Failure::store)?;
    let mut out = std::io::stdout().lock();
    if json {
        for row in &rows {
            let _ = writeln!(out, "{}", serde_json::to_string(row).expect("audit rows serialize"));
        }
        return Ok(OK);
    }
    if rows.is_empty() {
        let _ = writeln!(out, "Nothing in the audit trail matches.");
        return Ok(OK);
    }
    let mut t = Table::new(&[("At", false), ("User", true), ("Action", false), ("Record", true)]);
    for r in &rows {
        let at =
            r.at.parse::<Timestamp>()
                .map(|t| crate::clock::local_text(t, "%Y-%m-%d %H:%M:%S"))
                .unwrap_or_else(|_| r.at.clone());
        t.row(vec![at, r.user.clone(), r.action.clone(), r.record.clone()]);
    }
    let _ = t.write(&mut out, crate::output::width());
    Ok(OK)
}

#[cfg(test)]
mod tests {
    use super::parse_days;

    #[test]
    fn ages_read_as_days() {
        assert_eq!(parse_days("90d"), Ok(90));
        assert_eq!(parse_days("90"), Ok(90));
        assert_eq!(parse_days("2w"), Ok(14));
        assert_eq!(parse_days("0d"), Ok(0));
        assert!(parse_days("3 months").is_err());
        assert!(parse_days("-4d").is_err());
    }
}
