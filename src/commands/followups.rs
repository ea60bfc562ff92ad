//! `navigator followups [due|upcoming|all|show|claim|release|complete|reschedule|cancel]`:
//! the outcome follow-up queue from the command line. Lists never show personal values;
//! `show` does (it is what a navigator reads to make the call), to the accounts listed in
//! `[privacy] personal_data_readers`; others see "withheld".

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use jiff::Timestamp;
use navigator_index::text::{sanitize, sanitize_multiline};

use crate::cli::{FollowupsArgs, FollowupsCommand};
use crate::exit::{Failure, DATA_ERR, OK};
use crate::followups::{ClaimError, CompleteError, FollowupDetail, OutcomeInput, QueueItem, QueueView};
use crate::output::Table;
use crate::store::idempotency::check_key;

pub fn run(args: &FollowupsArgs, data_dir: &Path) -> Result<u8, Failure> {
    match &args.command {
        None => list(QueueView::Due, args.json, data_dir),
        Some(FollowupsCommand::Due { json }) => list(QueueView::Due, *json, data_dir),
        Some(FollowupsCommand::Upcoming { json }) => list(QueueView::Upcoming, *json, data_dir),
        Some(FollowupsCommand::All { json }) => list(QueueView::All, *json, data_dir),
        Some(FollowupsCommand::Show { id, json }) => show(*id, *json, data_dir),
        Some(FollowupsCommand::Claim { id, json }) => claim(*id, *json, data_dir),
        Some(FollowupsCommand::Release { id }) => release(*id, data_dir),
        Some(FollowupsCommand::Complete {
            id, idempotency_key, ..
        }) => complete(*id, idempotency_key.as_deref(), data_dir),
        Some(FollowupsCommand::Reschedule { id, due }) => reschedule(*id, *due, data_dir),
        Some(FollowupsCommand::Cancel { id }) => cancel(*id, data_dir),
    }
}

fn today() -> Date {
    crate::clock::today()
}

fn list(view: QueueView, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    let items = store.followups(view, today(), now).map_err(Failure::store)?;
    let mut out = std::io::stdout().lock();
    if json {
        for item in &items {
            let _ = writeln!(out, "{}", serde_json::to_string(item).expect("a queue row serializes"));
        }
        return Ok(OK);
    }
    if items.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            match view {
                QueueView::Due => "No follow-ups due.",
                QueueView::Upcoming => "No follow-ups coming up.",
                QueueView::All => "No follow-ups yet.",
            }
        );
        return Ok(OK);
    }
    let _ = table(&items).write(&mut out, crate::output::width());
    Ok(OK)
}

fn table(items: &[QueueItem]) -> Table {
    let mut t = Table::new(&[
        ("ID", false),
        ("Due", false),
        ("State", false),
        ("Tries", false),
        ("Municipality", true),
        ("Needs", true),
        ("Refs", false),
        ("Last try", false),
        ("Claimed by", true),
    ]);
    for i in items {
        t.row(vec![
            i.id.to_string(),
            i.due.clone(),
            i.state.to_string(),
            i.attempts.to_string(),
            i.municipality.clone().unwrap_or_default(),
            i.needs.join(", "),
            i.referrals.to_string(),
            i.last_attempt.clone().unwrap_or_default(),
            i.claimed_by.clone().unwrap_or_default(),
        ]);
    }
    t
}

/// A time as local "YYYY-MM-DD HH:MM".
fn local(t: Timestamp) -> String {
    crate::clock::local_text(t, "%Y-%m-%d %H:%M")
}

/// A stored UTC time as local "YYYY-MM-DD HH:MM"; the text itself when it is not a time.
fn local_text(utc: &str) -> String {
    utc.parse::<Timestamp>().map(local).unwrap_or_else(|_| utc.to_string())
}

fn claim_failure(id: i64, e: ClaimError) -> Failure {
    match e {
        ClaimError::NotFound => Failure::no_input(format!("no follow-up with id {id}")),
        ClaimError::Closed { state } => Failure::data(format!("follow-up {id} is already {state}")),
        ClaimError::HeldBy { user, since } => held(id, &user, since),
        ClaimError::NotHeld => Failure::data(format!("follow-up {id} is not claimed by you")),
        ClaimError::Store(e) => Failure::store(e),
    }
}

fn held(id: i64, user: &str, since: Timestamp) -> Failure {
    Failure::temporary(format!("follow-up {id} is held by {user} since {}", local(since)))
}

fn show(id: i64, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let access = crate::privacy::Access::current()?;
    let store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    let mut detail = store
        .followup_detail(id, now)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::no_input(format!("no follow-up with id {id}")))?;
    // Personal values only for [privacy] personal_data_readers; "withheld" for others.
    access.followup(&mut detail);
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&detail).expect("a follow-up serializes")
        );
    } else {
        let _ = out.write_all(render(&detail).as_bytes());
    }
    Ok(OK)
}

/// `followups show` for people: what to know before the call. Every value sanitized.
pub fn render(d: &FollowupDetail) -> String {
    let i = &d.item;
    let mut lines = vec![format!("Follow-up {} (contact {})", i.id, i.contact_id)];
    let mut field = |label: &str, value: Option<&str>| {
        if let Some(v) = value {
            lines.push(format!("{label:<14}{}", sanitize(v)));
        }
    };
    field("Due:", Some(&i.due));
    field("State:", Some(i.state.as_str()));
    let claimed = i.claimed_by.as_ref().map(|by| {
        let until = i.lease_until.as_deref().map(local_text).unwrap_or_default();
        format!("{by} until {until}")
    });
    field("Claimed by:", claimed.as_deref());
    field("Attempts:", Some(&i.attempts.to_string()));
    field("Caller:", d.first_name.as_deref());
    field("Phone:", d.phone.as_deref());
    field("Best time:", d.best_time.as_deref());
    field("Municipality:", i.municipality.as_deref());
    field("Needs:", Some(&i.needs.join(", ")));
    if d.contact.referrals.is_empty() {
        lines.push("Referrals:    none".into());
    } else {
        lines.push("Referrals (as given at the time)".into());
        for (n, s) in d.contact.referrals.iter().enumerate() {
            lines.push(sanitize(&format!("  {}. {} [{}]", n + 1, s.name, s.service_id)));
            if let Some(phone) = &s.phone {
                lines.push(format!("     Phone: {}", sanitize(phone)));
            }
        }
    }
    for a in &d.attempts {
        lines.push(sanitize(&format!(
            "Attempt:      {} {} by {}",
            local_text(&a.at),
            a.result,
            a.by
        )));
    }
    if let Some(o) = &d.outcome {
        lines.push(sanitize(&format!(
            "Outcome:      {} on {} by {}",
            o.result,
            local_text(&o.completed_at),
            o.completed_by
        )));
    }
    for (label, notes) in [("Call notes:", &d.contact_notes), ("Follow-up notes:", &d.notes)] {
        if let Some(notes) = notes {
            lines.push(label.into());
            for line in sanitize_multiline(notes).lines() {
                lines.push(format!("    {line}"));
            }
        }
    }
    lines.join("\n") + "\n"
}

fn claim(id: i64, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let policy = crate::config::followup_policy()?;
    let mut store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    let claim = store
        .claim(id, &crate::user::name(), now, policy.lease)
        .map_err(|e| claim_failure(id, e))?;
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string(&claim).expect("a claim serializes"));
    } else {
        let verb = if claim.renewed { "Renewed" } else { "Claimed" };
        let _ = writeln!(
            out,
            "{verb} follow-up {} (contact {}) until {}.",
            claim.id,
            claim.contact_id,
            local_text(&claim.lease_until)
        );
    }
    Ok(OK)
}

fn release(id: i64, data_dir: &Path) -> Result<u8, Failure> {
    let mut store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    store
        .release(id, &crate::user::name(), now)
        .map_err(|e| claim_failure(id, e))?;
    crate::output::line(&format!("Released follow-up {id}."));
    Ok(OK)
}

fn cancel(id: i64, data_dir: &Path) -> Result<u8, Failure> {
    let mut store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    store
        .cancel(id, &crate::user::name(), now)
        .map_err(|e| claim_failure(id, e))?;
    crate::output::line(&format!("Cancelled follow-up {id}."));
    Ok(OK)
}

/// Field errors on stderr, one per line, and DATA_ERR; other failures as failures.
fn complete_failure(id: i64, e: CompleteError) -> Result<u8, Failure> {
    match e {
        CompleteError::Invalid(errors) => {
            let mut err = std::io::stderr().lock();
            for e in errors {
                let _ = writeln!(err, "{}", sanitize(&e.to_string()));
            }
            Ok(DATA_ERR)
        }
        CompleteError::NotFound => Err(Failure::no_input(format!("no follow-up with id {id}"))),
        CompleteError::Closed { state } => Err(Failure::data(format!("follow-up {id} is already {state}"))),
        CompleteError::HeldBy { user, since } => Err(held(id, &user, since)),
        CompleteError::KeyReused => Err(Failure::data(
            "--idempotency-key: already used for a different outcome (or by another navigator); \
             a retry must send the same follow-up and outcome"
                .into(),
        )),
        CompleteError::Store(e) => Err(Failure::store(e)),
    }
}

fn complete(id: i64, key: Option<&str>, data_dir: &Path) -> Result<u8, Failure> {
    let key = key
        .map(|k| check_key(k).map_err(|m| Failure::data(format!("--idempotency-key: {m}"))))
        .transpose()?;
    let input: OutcomeInput = match super::contacts::read_json()? {
        Ok(input) => input,
        Err(e) => return Ok(super::contacts::field_errors(&[e])),
    };
    let policy = crate::config::followup_policy()?;
    let mut store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    let user = crate::user::name();
    let done = match key {
        Some(key) => store.complete_once(id, &user, &input, now, today(), &policy, key),
        None => store
            .complete(id, &user, &input, now, today(), &policy)
            .map(|done| serde_json::to_string(&done).expect("a result serializes")),
    };
    match done {
        Ok(json) => {
            crate::output::line(&json);
            Ok(OK)
        }
        Err(e) => complete_failure(id, e),
    }
}

fn reschedule(id: i64, due: Date, data_dir: &Path) -> Result<u8, Failure> {
    let mut store = crate::catalogue::open_store(data_dir)?;
    let now = store.now().map_err(Failure::store)?;
    match store.reschedule(id, &crate::user::name(), due, now, today()) {
        Ok(()) => {
            crate::output::line(&format!("Follow-up {id} is now due {due}."));
            Ok(OK)
        }
        Err(e) => complete_failure(id, e),
    }
}
