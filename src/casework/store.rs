//! Casework SQL: contacts with their needs, referrals, personal data and follow-up, drafts,
//! and the audit trail. Every write is one IMMEDIATE transaction (`Store::write`).

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use navigator_index::hours::day_summary;
use navigator_index::{Service, Weekday};
use rusqlite::{params, Connection, OptionalExtension};

use super::input::{normalize, ContactInput, FieldError};
use super::records::*;
use crate::store::idempotency::{self, Earlier};
use crate::store::{Store, StoreError};

/// Why a contact was not saved.
#[derive(Debug, thiserror::Error)]
pub enum AddContactError {
    #[error("the contact has {} invalid field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    /// The idempotency key was used before for a different contact (or by someone else).
    #[error("the idempotency key was already used for a different contact")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The audit action (and idempotency scope) of recording a contact.
const CREATE: &str = "contact.create";

/// RFC 3339 UTC to the second: fixed width, so text order is time order.
pub fn utc_text(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Local midnight starting `date`, as stored times are written: the one conversion from a
/// navigator's local date to the UTC bounds queries compare with.
pub fn start_of_day(date: Date) -> String {
    match date.to_zoned_datetime(TimeZone::system()) {
        Ok(z) => utc_text(z.timestamp()),
        Err(_) => format!("{date}T00:00:00Z"),
    }
}

/// Writes one audit row. `record` names the record ("contact:12"), never a personal value.
pub(crate) fn audit(conn: &Connection, at: &str, user: &str, action: &str, record: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, user, action, record) VALUES (?1, ?2, ?3, ?4)",
        params![at, user, action, record],
    )?;
    Ok(())
}

impl Store {
    /// Validates `input` and saves it, all or nothing, in one IMMEDIATE transaction: the
    /// referred services are looked up and snapshotted inside it, so a concurrent import
    /// cannot slip between the check and the write.
    pub fn add_contact(
        &mut self,
        input: &ContactInput,
        navigator: &str,
        now: Timestamp,
        today: Date,
    ) -> Result<SavedContact, AddContactError> {
        let outcome = self.write(|tx| insert_contact(tx, input, navigator, now, today))?;
        outcome.map_err(AddContactError::Invalid)
    }

    /// [`Store::add_contact`] under an idempotency key: returns the saved contact as the
    /// JSON `contacts add` prints, and on a retry with the same key and the same contact,
    /// that first answer again without saving anything. The same key with a different
    /// contact is [`AddContactError::KeyReused`].
    pub fn add_contact_once(
        &mut self,
        input: &ContactInput,
        navigator: &str,
        now: Timestamp,
        today: Date,
        key: &str,
    ) -> Result<String, AddContactError> {
        let request = serde_json::to_string(input).expect("input serializes");
        let hash = idempotency::request_hash(request.as_bytes());
        self.write(|tx| {
            match idempotency::earlier(tx, CREATE, key, navigator, hash)? {
                Earlier::Same(answer) => return Ok(Ok(answer)),
                Earlier::Different => return Ok(Err(AddContactError::KeyReused)),
                Earlier::None => {}
            }
            Ok(match insert_contact(tx, input, navigator, now, today)? {
                Ok(saved) => {
                    let answer = serde_json::to_string(&saved).expect("a contact serializes");
                    idempotency::remember(tx, CREATE, key, navigator, hash, &answer, &utc_text(now))?;
                    Ok(answer)
                }
                Err(errors) => Err(AddContactError::Invalid(errors)),
            })
        })?
    }

    /// Contacts started on or after `since` (local midnight), oldest first. No personal data.
    pub fn contacts(&self, since: Option<Date>) -> Result<Vec<ContactSummary>, StoreError> {
        let since = since.map(start_of_day).unwrap_or_default();
        self.contact_summaries(&since).map_err(|e| self.err(e))
    }

    fn contact_summaries(&self, since: &str) -> rusqlite::Result<Vec<ContactSummary>> {
        let conn = self.conn();
        let mut needs: HashMap<i64, Vec<(String, bool)>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT n.contact_id, n.category, n.met FROM needs n
             JOIN contacts c ON c.id = n.contact_id
             WHERE c.started_at >= ?1 ORDER BY n.contact_id, n.position",
        )?;
        let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            let (id, category, met): (i64, String, bool) = row?;
            needs.entry(id).or_default().push((category, met));
        }
        let mut stmt = conn.prepare(
            "SELECT c.id, c.started_at, c.navigator, c.channel, c.municipality,
             (SELECT count(*) FROM referrals r WHERE r.contact_id = c.id),
             f.id, f.due, f.state
             FROM contacts c LEFT JOIN followups f ON f.contact_id = c.id
             WHERE c.started_at >= ?1 ORDER BY c.started_at, c.id",
        )?;
        let rows = stmt.query_map([since], |r| {
            let id: i64 = r.get(0)?;
            let follow_up_id: Option<i64> = r.get(6)?;
            Ok(ContactSummary {
                id,
                started_at: r.get(1)?,
                navigator: r.get(2)?,
                channel: r.get(3)?,
                municipality: r.get(4)?,
                needs: Vec::new(),
                unmet: 0,
                referrals: r.get::<_, i64>(5)? as usize,
                follow_up: match follow_up_id {
                    Some(id) => Some(FollowUp {
                        id,
                        due: r.get(7)?,
                        state: r.get(8)?,
                    }),
                    None => None,
                },
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let mut c = row?;
            let n = needs.remove(&c.id).unwrap_or_default();
            c.unmet = n.iter().filter(|(_, met)| !met).count();
            c.needs = n.into_iter().map(|(category, _)| category).collect();
            out.push(c);
        }
        Ok(out)
    }

    /// One contact in full, personal data included, or None when there is no such id.
    pub fn contact(&self, id: i64) -> Result<Option<ContactRecord>, StoreError> {
        let read = || -> rusqlite::Result<Option<ContactRecord>> {
            let conn = self.conn();
            let Some(contact) = read_contact(conn, id)? else {
                return Ok(None);
            };
            let created_at: String =
                conn.query_row("SELECT created_at FROM contacts WHERE id = ?1", [id], |r| r.get(0))?;
            let personal = conn
                .query_row(
                    "SELECT first_name, phone, best_time, notes FROM personal_data
                     WHERE contact_id = ?1",
                    [id],
                    |r| {
                        Ok(Personal {
                            first_name: r.get(0)?,
                            phone: r.get(1)?,
                            best_time: r.get(2)?,
                            notes: r.get(3)?,
                        })
                    },
                )
                .optional()?;
            let personal_purged_at: Option<String> = conn
                .query_row("SELECT purged_at FROM personal_data WHERE contact_id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten();
            // Once purged, there is nothing personal left to show; say when it went instead.
            let personal = personal.filter(|_| personal_purged_at.is_none());
            Ok(Some(ContactRecord {
                contact,
                created_at,
                personal,
                personal_purged_at,
            }))
        };
        read().map_err(|e| self.err(e))
    }

    /// Saves (replacing) `owner`'s draft of `kind`. The body is opaque here; it may hold
    /// personal values, so it is never logged or audited.
    pub fn save_draft(&mut self, owner: &str, kind: &str, body: &str) -> Result<(), StoreError> {
        let now = utc_text(Timestamp::now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (owner, kind, body, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (owner, kind) DO UPDATE SET body = ?3, updated_at = ?4",
                params![owner, kind, body, now],
            )?;
            Ok(())
        })
    }

    /// `owner`'s draft of `kind`: (body, updated_at), if there is one.
    pub fn load_draft(&self, owner: &str, kind: &str) -> Result<Option<(String, String)>, StoreError> {
        self.conn()
            .query_row(
                "SELECT body, updated_at FROM drafts WHERE owner = ?1 AND kind = ?2",
                [owner, kind],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Removes `owner`'s draft of `kind`, auditing it as `draft.discard`, and clears the
    /// write-ahead log, which holds a copy of every version of the draft written since it
    /// was last cleared (see [`crate::store::erase`]). Returns whether there was one.
    pub fn delete_draft(&mut self, owner: &str, kind: &str) -> Result<bool, StoreError> {
        let now = utc_text(Timestamp::now());
        let removed = self.write(|tx| {
            let removed = tx.execute("DELETE FROM drafts WHERE owner = ?1 AND kind = ?2", [owner, kind])? > 0;
            if removed {
                audit(tx, &now, owner, "draft.discard", &format!("draft:{kind}"))?;
            }
            Ok(removed)
        })?;
        // Busy readers are logged by erase_wal; the next discard or purge clears the rest.
        self.erase_wal(crate::store::erase::DRAFT_PATIENCE)?;
        Ok(removed)
    }
}

/// Validates `input` and inserts the contact with its needs, referrals (the services
/// looked up and snapshotted inside the caller's transaction, so a concurrent import
/// cannot slip between the check and the write), personal data, follow-up and audit row.
fn insert_contact(
    tx: &rusqlite::Transaction,
    input: &ContactInput,
    navigator: &str,
    now: Timestamp,
    today: Date,
) -> rusqlite::Result<Result<SavedContact, Vec<FieldError>>> {
    let mut services: HashMap<String, Service> = HashMap::new();
    for id in input.referrals.iter().take(super::checks::MAX_REFERRALS) {
        let id = id.trim();
        if id.is_empty() || services.contains_key(id) {
            continue;
        }
        if let Some(service) = service(tx, id)? {
            services.insert(id.to_string(), service);
        }
    }
    let valid = match normalize(input, today, &|id| services.contains_key(id)) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    let ended = valid
        .ended_at
        .unwrap_or_else(|| valid.started_at.map_or(now, |s| s.max(now)));
    let started = valid.started_at.unwrap_or(ended);
    let now_text = utc_text(now);
    tx.execute(
        "INSERT INTO contacts (started_at, ended_at, navigator, channel, language,
         municipality, postal_fsa, age_group, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            utc_text(started),
            utc_text(ended),
            navigator,
            valid.channel,
            valid.language,
            valid.municipality,
            valid.postal_fsa,
            valid.age_group,
            now_text
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut need = tx.prepare(
            "INSERT INTO needs (contact_id, position, category, taxonomy_code, met,
             unmet_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (i, n) in valid.needs.iter().enumerate() {
            need.execute(params![
                id,
                i as i64,
                n.category,
                n.taxonomy_code,
                n.met,
                n.unmet_reason
            ])?;
        }
        let mut referral = tx.prepare(
            "INSERT INTO referrals (contact_id, position, service_id, service_name,
             service_phone, service_address, service_hours)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (i, service_id) in valid.referrals.iter().enumerate() {
            let s = snapshot(&services[service_id]);
            referral.execute(params![id, i as i64, s.service_id, s.name, s.phone, s.address, s.hours])?;
        }
    }
    let f = valid.follow_up.as_ref();
    if f.is_some() || valid.notes.is_some() {
        tx.execute(
            "INSERT INTO personal_data (contact_id, first_name, phone, best_time, notes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                f.map(|f| &f.first_name),
                f.map(|f| &f.phone),
                f.and_then(|f| f.best_time.as_ref()),
                valid.notes
            ],
        )?;
    }
    if let Some(f) = f {
        tx.execute(
            "INSERT INTO followups (contact_id, due, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?3)",
            params![id, f.due.to_string(), now_text],
        )?;
    }
    audit(tx, &now_text, navigator, CREATE, &format!("contact:{id}"))?;
    let saved = read_contact(tx, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    Ok(Ok(saved))
}

/// A catalogue service by id, read on `conn` (inside the caller's transaction).
fn service(conn: &Connection, id: &str) -> rusqlite::Result<Option<Service>> {
    let json: Option<String> = conn
        .query_row("SELECT record FROM services WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
    })
    .transpose()
}

/// What a navigator told the caller about `service`, frozen at referral time.
pub fn snapshot(service: &Service) -> Referral {
    let phones: Vec<String> = service.phones.iter().map(|p| p.display()).collect();
    let hours = (!service.schedules.is_empty()).then(|| {
        Weekday::ALL
            .iter()
            .map(|d| {
                let day = day_summary(&service.schedules, *d).unwrap_or_else(|| "closed".into());
                format!("{} {day}", &d.name()[..3])
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    Referral {
        service_id: service.id.clone(),
        name: service.name.clone(),
        phone: (!phones.is_empty()).then(|| phones.join("; ")),
        address: service.address_line().filter(|a| !a.is_empty()),
        hours,
    }
}

/// A contact's coded fields, needs, referrals and follow-up.
fn read_contact(conn: &Connection, id: i64) -> rusqlite::Result<Option<SavedContact>> {
    let contact = conn
        .query_row(
            "SELECT id, started_at, ended_at, navigator, channel, language, municipality,
             postal_fsa, age_group FROM contacts WHERE id = ?1",
            [id],
            |r| {
                Ok(SavedContact {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    ended_at: r.get(2)?,
                    navigator: r.get(3)?,
                    channel: r.get(4)?,
                    language: r.get(5)?,
                    municipality: r.get(6)?,
                    postal_fsa: r.get(7)?,
                    age_group: r.get(8)?,
                    needs: Vec::new(),
                    referrals: Vec::new(),
                    follow_up: None,
                })
            },
        )
        .optional()?;
    let Some(mut contact) = contact else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT category, taxonomy_code, met, unmet_reason FROM needs
         WHERE contact_id = ?1 ORDER BY position",
    )?;
    contact.needs = stmt
        .query_map([id], |r| {
            Ok(Need {
                category: r.get(0)?,
                taxonomy_code: r.get(1)?,
                met: r.get(2)?,
                unmet_reason: r.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT service_id, service_name, service_phone, service_address, service_hours
         FROM referrals WHERE contact_id = ?1 ORDER BY position",
    )?;
    contact.referrals = stmt
        .query_map([id], |r| {
            Ok(Referral {
                service_id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                address: r.get(3)?,
                hours: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    contact.follow_up = conn
        .query_row(
            "SELECT id, due, state FROM followups WHERE contact_id = ?1",
            [id],
            |r| {
                Ok(FollowUp {
                    id: r.get(0)?,
                    due: r.get(1)?,
                    state: r.get(2)?,
                })
            },
        )
        .optional()?;
    Ok(Some(contact))
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
