//! `navigator contacts add|list|show`: record a contact from JSON, list contacts, show one.

use std::io::Write;
use std::path::Path;

use navigator_index::text::{sanitize, sanitize_multiline};

use crate::casework::{json_input, AddContactError, ContactInput, ContactRecord, ContactSummary, FieldError};
use crate::cli::ContactsCommand;
use crate::exit::{Failure, DATA_ERR, OK};
use crate::output::Table;
use crate::store::idempotency::check_key;

pub fn run(command: &ContactsCommand, data_dir: &Path) -> Result<u8, Failure> {
    match command {
        ContactsCommand::Add { idempotency_key, .. } => add(idempotency_key.as_deref(), data_dir),
        ContactsCommand::List { since, json } => list(*since, *json, data_dir),
        ContactsCommand::Show { id, json } => show(*id, *json, data_dir),
    }
}

fn add(key: Option<&str>, data_dir: &Path) -> Result<u8, Failure> {
    let key = key
        .map(|k| check_key(k).map_err(|m| Failure::data(format!("--idempotency-key: {m}"))))
        .transpose()?;
    let input: ContactInput = match read_json()? {
        Ok(input) => input,
        Err(e) => return Ok(field_errors(&[e])),
    };
    let country = crate::config::Config::load()?.casework_country()?;
    let office = crate::config::office()?;
    let mut store = crate::catalogue::open_store(data_dir)?;
    let today = crate::clock::today();
    let now = store.now().map_err(Failure::store)?;
    // Validated exactly like the form: the office's postal codes, the catalogue's places.
    // The places come from whatever index is on disk, never rebuilt here: a full disk or
    // a running import must not stop casework. Without an index, any well-formed name.
    let places = navigator_index::Engine::open(&data_dir.join("index"))
        .ok()
        .map(|engine| engine.known_places().all().iter().map(|p| p.name.clone()).collect());
    let rules = crate::casework::Rules { country, places };
    let user = crate::user::name();
    let saved = match key {
        Some(key) => store.add_contact_once(&input, &user, office.as_deref(), (now, today), &rules, key),
        None => store
            .add_contact_with(&input, &user, office.as_deref(), now, today, &rules, None)
            .map(|saved| serde_json::to_string(&saved).expect("a contact serializes")),
    };
    match saved {
        Ok(json) => {
            crate::output::line(&json);
            Ok(OK)
        }
        Err(AddContactError::Invalid(errors)) => Ok(field_errors(&errors)),
        Err(AddContactError::KeyReused) => Err(Failure::data(
            "--idempotency-key: already used for a different contact (or by another navigator); \
             a retry must send the same contact"
                .into(),
        )),
        Err(AddContactError::Store(e)) => Err(Failure::store(e)),
    }
}

/// Reads one JSON value from stdin, bounded, BOM accepted, errors naming the field.
pub fn read_json<T: serde::de::DeserializeOwned>() -> Result<Result<T, FieldError>, Failure> {
    let text = json_input::read_bounded(std::io::stdin().lock()).map_err(|e| Failure::io(format!("stdin: {e}")))?;
    Ok(text.and_then(|t| json_input::parse(&t)))
}

/// Field errors on stderr, one per line, and exit status 65.
pub fn field_errors(errors: &[FieldError]) -> u8 {
    let mut err = std::io::stderr().lock();
    for e in errors {
        let _ = writeln!(err, "{}", sanitize(&e.to_string()));
    }
    DATA_ERR
}

fn list(since: Option<jiff::civil::Date>, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let store = crate::catalogue::open_store(data_dir)?;
    let contacts = store.contacts(since).map_err(Failure::store)?;
    let mut out = std::io::stdout().lock();
    if json {
        for c in &contacts {
            let _ = writeln!(out, "{}", serde_json::to_string(c).expect("a contact serializes"));
        }
        return Ok(OK);
    }
    if contacts.is_empty() {
        let _ = match since {
            Some(date) => writeln!(out, "No contacts since {date}."),
            None => writeln!(out, "No contacts recorded yet."),
        };
        return Ok(OK);
    }
    let _ = table(&contacts).write(&mut out, crate::output::width());
    Ok(OK)
}

fn table(contacts: &[ContactSummary]) -> Table {
    let mut t = Table::new(&[
        ("ID", false),
        ("Started", false),
        ("Channel", false),
        ("Municipality", true),
        ("Needs", true),
        ("Unmet", false),
        ("Refs", false),
        ("Follow-up", false),
        ("Navigator", true),
    ]);
    for c in contacts {
        // The due date; the state too once it is no longer just scheduled.
        let follow_up = match &c.follow_up {
            Some(f) if f.state == "scheduled" => f.due.clone(),
            Some(f) => format!("{} {}", f.due, f.state),
            None => "-".into(),
        };
        t.row(vec![
            c.id.to_string(),
            local(&c.started_at),
            c.channel.clone(),
            c.municipality.clone().unwrap_or_default(),
            c.needs.join(", "),
            c.unmet.to_string(),
            c.referrals.to_string(),
            follow_up,
            c.navigator.clone(),
        ]);
    }
    t
}

fn show(id: i64, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let access = crate::privacy::Access::current()?;
    let store = crate::catalogue::open_store(data_dir)?;
    let mut record = store
        .contact(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::no_input(format!("no contact with id {id}")))?;
    // Personal values only for [privacy] personal_data_readers; "withheld" for others.
    access.contact(&mut record);
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&record).expect("a contact serializes")
        );
    } else {
        let _ = out.write_all(render(&record).as_bytes());
    }
    Ok(OK)
}

/// A stored UTC time as local "YYYY-MM-DD HH:MM"; the text itself when it is not a time.
fn local(utc: &str) -> String {
    crate::clock::local_text_of(utc, "%Y-%m-%d %H:%M")
}

/// `contacts show` for people: one fact per line, every value sanitized.
pub fn render(r: &ContactRecord) -> String {
    let c = &r.contact;
    let mut lines = vec![format!("Contact {}", c.id)];
    let field = |lines: &mut Vec<String>, label: &str, value: Option<&str>| {
        if let Some(v) = value {
            lines.push(format!("{label:<14}{}", sanitize(v)));
        }
    };
    field(&mut lines, "Started:", Some(&local(&c.started_at)));
    field(&mut lines, "Ended:", Some(&local(&c.ended_at)));
    field(&mut lines, "Navigator:", Some(&c.navigator));
    field(&mut lines, "Channel:", Some(&c.channel));
    let language = c
        .language
        .as_deref()
        .map(|code| match navigator_index::languages::resolve(code) {
            Some((resolved, name)) if resolved == code && name != code => {
                format!("{name} ({code})")
            }
            _ => code.to_string(),
        });
    field(&mut lines, "Language:", language.as_deref());
    field(&mut lines, "Municipality:", c.municipality.as_deref());
    field(&mut lines, "Postal FSA:", c.postal_fsa.as_deref());
    field(&mut lines, "Age group:", c.age_group.as_deref());

    lines.push(String::new());
    lines.push("Needs".into());
    for (i, n) in c.needs.iter().enumerate() {
        let code = n
            .taxonomy_code
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        let outcome = if n.met {
            "met".to_string()
        } else {
            format!("not met: {}", n.unmet_reason.as_deref().unwrap_or("no reason recorded"))
        };
        lines.push(sanitize(&format!("  {}. {}{code}: {outcome}", i + 1, n.category)));
    }

    lines.push(String::new());
    if c.referrals.is_empty() {
        lines.push("Referrals: none".into());
    } else {
        lines.push("Referrals (as given at the time)".into());
        for (i, s) in c.referrals.iter().enumerate() {
            lines.push(sanitize(&format!("  {}. {} [{}]", i + 1, s.name, s.service_id)));
            for (label, value) in [("Phone", &s.phone), ("Address", &s.address), ("Hours", &s.hours)] {
                if let Some(v) = value {
                    lines.push(format!("     {label}: {}", sanitize(v)));
                }
            }
        }
    }

    lines.push(String::new());
    match &c.follow_up {
        Some(f) => lines.push(sanitize(&format!("Follow-up:    #{} due {}, {}", f.id, f.due, f.state))),
        None => lines.push("Follow-up:    none".into()),
    }

    if let Some(at) = &r.personal_purged_at {
        lines.push(String::new());
        lines.push(format!(
            "Personal data: purged {} (name, phone, best time and notes deleted)",
            sanitize(&local(at))
        ));
    }
    if let Some(p) = &r.personal {
        lines.push(String::new());
        lines.push("Personal data (purged on the retention schedule)".into());
        field(&mut lines, "  First name:", p.first_name.as_deref());
        field(&mut lines, "  Phone:", p.phone.as_deref());
        field(&mut lines, "  Best time:", p.best_time.as_deref());
        if let Some(notes) = &p.notes {
            lines.push("  Notes:".into());
            for line in sanitize_multiline(notes).lines() {
                lines.push(format!("    {line}"));
            }
        }
    }
    lines.join("\n") + "\n"
}
