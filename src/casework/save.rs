//! Saving and reading casework: the rules (validation, the referral snapshot, when a
//! follow-up and personal data are written) over the store's rows. Every save is one
//! transaction (`Store::write_or_refuse`).

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::Timestamp;
use navigator_index::hours::day_summary;
use navigator_index::{Service, Weekday};

use super::input::{normalize_with, ContactInput, FieldError, Rules};
use crate::store::idempotency::Earlier;
use crate::store::records::*;
use crate::store::{Abort, NewContact, Store, StoreError};

/// Why a contact was not saved.
#[derive(Debug, thiserror::Error)]
pub enum AddContactError {
    #[error("the contact has {}", crate::output::plural(.0.len(), "invalid field", "invalid fields"))]
    Invalid(Vec<FieldError>),
    /// The idempotency key was used before for a different contact (or by someone else).
    #[error("the idempotency key was already used for a different contact")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Abort<Vec<FieldError>>> for AddContactError {
    fn from(a: Abort<Vec<FieldError>>) -> AddContactError {
        match a {
            Abort::Refused(errors) => AddContactError::Invalid(errors),
            Abort::Store(e) => AddContactError::Store(e),
        }
    }
}

impl From<Abort<AddContactError>> for AddContactError {
    fn from(a: Abort<AddContactError>) -> AddContactError {
        match a {
            Abort::Refused(e) => e,
            Abort::Store(e) => AddContactError::Store(e),
        }
    }
}

/// The audit action (and idempotency scope) of recording a contact.
const CREATE: &str = "contact.create";

pub use crate::clock::utc_text;

/// Local midnight starting `date`, as stored times are written: the one conversion from a
/// navigator's local date to the UTC bounds queries compare with.
pub fn start_of_day(date: Date) -> String {
    match crate::clock::start_of(date) {
        Some(t) => utc_text(t),
        None => format!("{date}T00:00:00Z"),
    }
}

impl Store {
    /// Validates `input` and saves it, all or nothing, in one transaction: the referred
    /// services are looked up and snapshotted inside it, so a concurrent import cannot
    /// slip between the check and the write. `office` is the office it was taken at.
    pub fn add_contact(
        &mut self,
        input: &ContactInput,
        navigator: &str,
        now: Timestamp,
        today: Date,
    ) -> Result<SavedContact, AddContactError> {
        self.add_contact_at(input, navigator, None, now, today)
    }

    /// [`Store::add_contact`], recording the office.
    pub fn add_contact_at(
        &mut self,
        input: &ContactInput,
        navigator: &str,
        office: Option<&str>,
        now: Timestamp,
        today: Date,
    ) -> Result<SavedContact, AddContactError> {
        self.add_contact_with(input, navigator, office, now, today, &Rules::default(), None)
    }

    /// [`Store::add_contact_at`] with the office's rules (country, catalogue municipalities).
    /// With `draft` (owner, kind, session), the draft is consumed in the same transaction:
    /// the save is refused when that session's draft is gone (another session took it
    /// over, and may have saved it), so one draft can never become two contacts.
    #[allow(clippy::too_many_arguments)]
    pub fn add_contact_with(
        &mut self,
        input: &ContactInput,
        navigator: &str,
        office: Option<&str>,
        now: Timestamp,
        today: Date,
        rules: &Rules,
        draft: Option<(&str, &str, &str)>,
    ) -> Result<SavedContact, AddContactError> {
        let saved = self.write_or_refuse(|tx| {
            if let Some((owner, kind, session)) = draft {
                if let Err(why) = super::drafts::consume(tx, owner, kind, session)? {
                    return Err(Abort::Refused(vec![FieldError::new("draft", why)]));
                }
            }
            insert_contact(tx, input, navigator, office, (now, today), rules)
        })?;
        Ok(saved)
    }

    /// [`Store::add_contact_at`] under an idempotency key: returns the saved contact as the
    /// JSON `contacts add` prints, and on a retry with the same key and the same contact,
    /// that first answer again without saving anything. The same key with a different
    /// contact (or by another account) is [`AddContactError::KeyReused`].
    pub fn add_contact_once(
        &mut self,
        input: &ContactInput,
        navigator: &str,
        office: Option<&str>,
        (now, today): (Timestamp, Date),
        rules: &Rules,
        key: &str,
    ) -> Result<String, AddContactError> {
        let request = serde_json::to_string(input).expect("input serializes");
        let hash = crate::store::idempotency::request_hash(request.as_bytes());
        let answer = self.write_or_refuse(|tx| {
            match tx.earlier_answer(CREATE, key, navigator, hash)? {
                Earlier::Same(answer) => return Ok(answer),
                Earlier::Different => return Err(Abort::Refused(AddContactError::KeyReused)),
                Earlier::None => {}
            }
            let saved = insert_contact(tx, input, navigator, office, (now, today), rules).map_err(|e| match e {
                Abort::Refused(errors) => Abort::Refused(AddContactError::Invalid(errors)),
                Abort::Store(e) => Abort::Store(e),
            })?;
            let answer = serde_json::to_string(&saved).map_err(|e| StoreError::Decode(e.to_string()))?;
            tx.remember_answer(CREATE, key, navigator, hash, &answer, &utc_text(now))?;
            Ok(answer)
        })?;
        Ok(answer)
    }

    /// Contacts started on or after `since` (local midnight), oldest first. No personal data.
    pub fn contacts(&self, since: Option<Date>) -> Result<Vec<ContactSummary>, StoreError> {
        let since = since.map(start_of_day).unwrap_or_default();
        self.read(|tx| tx.contact_summaries(&since))
    }

    /// One contact in full, personal data included, or None when there is no such id.
    pub fn contact(&self, id: i64) -> Result<Option<ContactRecord>, StoreError> {
        self.read(|tx| contact_record(tx, id))
    }

    /// Saves (replacing) `owner`'s draft of `kind`. The body is opaque here; it may hold
    /// personal values, so it is never logged or audited.
    pub fn save_draft(&mut self, owner: &str, kind: &str, body: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            let now = utc_text(tx.now()?);
            tx.save_draft(owner, kind, body, &now)
        })
    }

    /// `owner`'s draft of `kind`: (body, updated_at), if there is one.
    pub fn load_draft(&self, owner: &str, kind: &str) -> Result<Option<(String, String)>, StoreError> {
        self.read(|tx| tx.draft(owner, kind))
    }

    /// Removes `owner`'s draft of `kind`, auditing it as `draft.discard`, and clears the
    /// write-ahead log, which holds a copy of every version of the draft written since it
    /// was last cleared (see [`crate::store::erase`]). Returns whether there was one.
    pub fn delete_draft(&mut self, owner: &str, kind: &str) -> Result<bool, StoreError> {
        self.discard_draft(owner, kind, |tx| tx.delete_draft(owner, kind))
    }
}

/// Validates `input` and inserts the contact with its needs, referrals (the services
/// looked up and snapshotted inside the caller's transaction, so a concurrent import
/// cannot slip between the check and the write), personal data, follow-up and audit row.
fn insert_contact(
    tx: &mut crate::store::Tx,
    input: &ContactInput,
    navigator: &str,
    office: Option<&str>,
    (now, today): (Timestamp, Date),
    rules: &Rules,
) -> Result<SavedContact, Abort<Vec<FieldError>>> {
    let mut services: HashMap<String, Service> = HashMap::new();
    for id in input.referrals.iter().take(super::checks::MAX_REFERRALS) {
        let id = id.trim();
        if id.is_empty() || services.contains_key(id) {
            continue;
        }
        if let Some(service) = tx.service(id)? {
            services.insert(id.to_string(), service);
        }
    }
    let valid = normalize_with(input, today, &|id| services.contains_key(id), rules).map_err(Abort::Refused)?;
    let ended = valid
        .ended_at
        .unwrap_or_else(|| valid.started_at.map_or(now, |s| s.max(now)));
    let started = valid.started_at.unwrap_or(ended);
    let now_text = utc_text(now);
    let (started, ended) = (utc_text(started), utc_text(ended));
    let id = tx.insert_contact(&NewContact {
        started_at: &started,
        ended_at: &ended,
        navigator,
        channel: &valid.channel,
        language: valid.language.as_deref(),
        municipality: valid.municipality.as_deref(),
        postal_fsa: valid.postal_fsa.as_deref(),
        postal_code: valid.postal_code.as_deref(),
        age_group: valid.age_group.as_deref(),
        office,
        created_at: &now_text,
    })?;
    for (i, n) in valid.needs.iter().enumerate() {
        let need = Need {
            category: n.category.clone(),
            taxonomy_code: n.taxonomy_code.clone(),
            met: n.met,
            unmet_reason: n.unmet_reason.clone(),
        };
        tx.insert_need(id, i, &need)?;
    }
    for (i, service_id) in valid.referrals.iter().enumerate() {
        tx.insert_referral(id, i, &snapshot(&services[service_id]))?;
    }
    let f = valid.follow_up.as_ref();
    if f.is_some() || valid.notes.is_some() {
        let personal = Personal {
            first_name: f.map(|f| f.first_name.clone()),
            phone: f.map(|f| f.phone.clone()),
            best_time: f.and_then(|f| f.best_time.clone()),
            notes: valid.notes.clone(),
        };
        tx.insert_personal(id, &personal)?;
    }
    if let Some(f) = f {
        tx.insert_followup(id, &f.due.to_string(), &now_text)?;
    }
    tx.audit(&now_text, navigator, CREATE, &format!("contact:{id}"))?;
    let saved = tx
        .contact(id)?
        .ok_or_else(|| StoreError::Decode(format!("contact {id} vanished while saving")))?;
    Ok(saved)
}

/// The whole contact inside the caller's transaction: once purged, there is nothing
/// personal left to show; it says when it went instead.
pub(crate) fn contact_record(tx: &mut crate::store::Tx, id: i64) -> Result<Option<ContactRecord>, StoreError> {
    let Some(contact) = tx.contact(id)? else {
        return Ok(None);
    };
    let created_at = tx.contact_created_at(id)?.unwrap_or_default();
    let (personal, personal_purged_at) = match tx.personal(id)? {
        Some((p, None)) => (Some(p), None),
        Some((_, purged)) => (None, purged),
        None => (None, None),
    };
    Ok(Some(ContactRecord {
        contact,
        created_at,
        personal,
        personal_purged_at,
    }))
}

/// What a navigator told the caller about `service`, frozen at referral time. Always the
/// public view: whoever reads the contact or its follow-up later may not be entitled to a
/// confidential address or phone, and the caller was given the public line anyway.
pub fn snapshot(service: &Service) -> Referral {
    let service = &*crate::confidential::Reader::PUBLIC.view(service);
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

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
