//! Casework rows: contacts with their needs, referrals, personal data (apart) and
//! follow-up, drafts, and the audit trail.

use std::collections::HashMap;

use super::records::{ContactSummary, FollowUp, Need, Personal, Referral, SavedContact};
use super::{StoreError, Tx};
use crate::args;

/// A draft with its session: (session, label, since, body, updated_at).
pub type SessionDraftRow = (String, String, String, String, String);

/// A contact's coded fields as they are written.
#[derive(Debug, Clone)]
pub struct NewContact<'a> {
    pub started_at: &'a str,
    pub ended_at: &'a str,
    pub navigator: &'a str,
    pub channel: &'a str,
    pub language: Option<&'a str>,
    pub municipality: Option<&'a str>,
    pub postal_fsa: Option<&'a str>,
    /// The postal area in the office's country's form (FSA or five-digit ZIP).
    pub postal_code: Option<&'a str>,
    pub age_group: Option<&'a str>,
    pub office: Option<&'a str>,
    pub created_at: &'a str,
}

impl Tx<'_> {
    /// Writes one audit row. `record` names the record ("contact:12"), never a personal value.
    pub fn audit(&mut self, at: &str, user: &str, action: &str, record: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO audit (at, \"user\", action, record) VALUES (?1, ?2, ?3, ?4)",
            args![at, user, action, record],
        )?;
        Ok(())
    }

    /// Inserts a contact's coded fields; its id.
    pub fn insert_contact(&mut self, c: &NewContact) -> Result<i64, StoreError> {
        let row = self
            .one(
                "INSERT INTO contacts (started_at, ended_at, navigator, channel, language,
                 municipality, postal_fsa, age_group, created_at, office, postal_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                args![
                    c.started_at,
                    c.ended_at,
                    c.navigator,
                    c.channel,
                    c.language,
                    c.municipality,
                    c.postal_fsa,
                    c.age_group,
                    c.created_at,
                    c.office,
                    c.postal_code
                ],
            )?
            .ok_or_else(|| StoreError::Decode("INSERT returned no id".into()))?;
        row.int(0)
    }

    pub fn insert_need(&mut self, contact_id: i64, position: usize, need: &Need) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO needs (contact_id, position, category, taxonomy_code, met, unmet_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            args![
                contact_id,
                position,
                need.category.as_str(),
                &need.taxonomy_code,
                need.met,
                &need.unmet_reason
            ],
        )?;
        Ok(())
    }

    pub fn insert_referral(&mut self, contact_id: i64, position: usize, r: &Referral) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO referrals (contact_id, position, service_id, service_name,
             service_phone, service_address, service_hours) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            args![
                contact_id,
                position,
                r.service_id.as_str(),
                r.name.as_str(),
                &r.phone,
                &r.address,
                &r.hours
            ],
        )?;
        Ok(())
    }

    /// The contact's personal values, in their own table.
    pub fn insert_personal(&mut self, contact_id: i64, p: &Personal) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO personal_data (contact_id, first_name, phone, best_time, notes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            args![contact_id, &p.first_name, &p.phone, &p.best_time, &p.notes],
        )?;
        Ok(())
    }

    /// Schedules the contact's follow-up on `due` (YYYY-MM-DD).
    pub fn insert_followup(&mut self, contact_id: i64, due: &str, now: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO followups (contact_id, due, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            args![contact_id, due, now],
        )?;
        Ok(())
    }

    /// A contact's coded fields, needs, referrals and follow-up.
    pub fn contact(&mut self, id: i64) -> Result<Option<SavedContact>, StoreError> {
        let Some(r) = self.one(
            "SELECT id, started_at, ended_at, navigator, channel, language, municipality,
             postal_fsa, age_group, office, postal_code FROM contacts WHERE id = ?1",
            args![id],
        )?
        else {
            return Ok(None);
        };
        let mut contact = SavedContact {
            id: r.int(0)?,
            started_at: r.text(1)?,
            ended_at: r.text(2)?,
            navigator: r.text(3)?,
            channel: r.text(4)?,
            language: r.opt_text(5)?,
            municipality: r.opt_text(6)?,
            postal_fsa: r.opt_text(7)?,
            postal_code: r.opt_text(10)?,
            age_group: r.opt_text(8)?,
            office: r.opt_text(9)?,
            needs: Vec::new(),
            referrals: Vec::new(),
            follow_up: None,
        };
        for r in self.query(
            "SELECT category, taxonomy_code, met, unmet_reason FROM needs WHERE contact_id = ?1 ORDER BY position",
            args![id],
        )? {
            contact.needs.push(Need {
                category: r.text(0)?,
                taxonomy_code: r.opt_text(1)?,
                met: r.bool(2)?,
                unmet_reason: r.opt_text(3)?,
            });
        }
        for r in self.query(
            "SELECT service_id, service_name, service_phone, service_address, service_hours
             FROM referrals WHERE contact_id = ?1 ORDER BY position",
            args![id],
        )? {
            contact.referrals.push(Referral {
                service_id: r.text(0)?,
                name: r.text(1)?,
                phone: r.opt_text(2)?,
                address: r.opt_text(3)?,
                hours: r.opt_text(4)?,
            });
        }
        contact.follow_up = self
            .one("SELECT id, due, state FROM followups WHERE contact_id = ?1", args![id])?
            .map(|r| -> Result<FollowUp, StoreError> {
                Ok(FollowUp {
                    id: r.int(0)?,
                    due: r.text(1)?,
                    state: r.text(2)?,
                })
            })
            .transpose()?;
        Ok(Some(contact))
    }

    pub fn contact_created_at(&mut self, id: i64) -> Result<Option<String>, StoreError> {
        self.one("SELECT created_at FROM contacts WHERE id = ?1", args![id])?
            .map(|r| r.text(0))
            .transpose()
    }

    /// The contact's personal data row, with when it was purged (None while kept).
    pub fn personal(&mut self, contact_id: i64) -> Result<Option<(Personal, Option<String>)>, StoreError> {
        self.one(
            "SELECT first_name, phone, best_time, notes, purged_at FROM personal_data WHERE contact_id = ?1",
            args![contact_id],
        )?
        .map(|r| -> Result<(Personal, Option<String>), StoreError> {
            Ok((
                Personal {
                    first_name: r.opt_text(0)?,
                    phone: r.opt_text(1)?,
                    best_time: r.opt_text(2)?,
                    notes: r.opt_text(3)?,
                },
                r.opt_text(4)?,
            ))
        })
        .transpose()
    }

    /// Contacts started at or after `since` (stored UTC text), oldest first, without
    /// personal data.
    pub fn contact_summaries(&mut self, since: &str) -> Result<Vec<ContactSummary>, StoreError> {
        let mut needs: HashMap<i64, Vec<(String, bool)>> = HashMap::new();
        for r in self.query(
            "SELECT n.contact_id, n.category, n.met FROM needs n
             JOIN contacts c ON c.id = n.contact_id
             WHERE c.started_at >= ?1 ORDER BY n.contact_id, n.position",
            args![since],
        )? {
            needs.entry(r.int(0)?).or_default().push((r.text(1)?, r.bool(2)?));
        }
        let mut out = Vec::new();
        for r in self.query(
            "SELECT c.id, c.started_at, c.navigator, c.channel, c.municipality,
             (SELECT count(*) FROM referrals r WHERE r.contact_id = c.id),
             f.id, f.due, f.state, c.office
             FROM contacts c LEFT JOIN followups f ON f.contact_id = c.id
             WHERE c.started_at >= ?1 ORDER BY c.started_at, c.id",
            args![since],
        )? {
            let id = r.int(0)?;
            let n = needs.remove(&id).unwrap_or_default();
            out.push(ContactSummary {
                id,
                started_at: r.text(1)?,
                navigator: r.text(2)?,
                channel: r.text(3)?,
                municipality: r.opt_text(4)?,
                office: r.opt_text(9)?,
                unmet: n.iter().filter(|(_, met)| !met).count(),
                needs: n.into_iter().map(|(category, _)| category).collect(),
                referrals: r.count(5)? as usize,
                follow_up: match r.opt_int(6)? {
                    Some(fid) => Some(FollowUp {
                        id: fid,
                        due: r.text(7)?,
                        state: r.text(8)?,
                    }),
                    None => None,
                },
            });
        }
        Ok(out)
    }

    /// Saves (replacing) `owner`'s draft of `kind`. The body may hold personal values.
    pub fn save_draft(&mut self, owner: &str, kind: &str, body: &str, now: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO drafts (owner, kind, session, body, updated_at) VALUES (?1, ?2, '', ?3, ?4)
             ON CONFLICT (owner, kind, session) DO UPDATE SET body = ?3, updated_at = ?4",
            args![owner, kind, body, now],
        )?;
        Ok(())
    }

    /// `owner`'s newest draft of `kind`, of any session: (body, updated_at).
    pub fn draft(&mut self, owner: &str, kind: &str) -> Result<Option<(String, String)>, StoreError> {
        self.one(
            "SELECT body, updated_at FROM drafts WHERE owner = ?1 AND kind = ?2
             ORDER BY updated_at DESC LIMIT 1",
            args![owner, kind],
        )?
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .transpose()
    }

    /// Removes `owner`'s drafts of `kind`, every session's; whether there was one.
    pub fn delete_draft(&mut self, owner: &str, kind: &str) -> Result<bool, StoreError> {
        Ok(self.execute("DELETE FROM drafts WHERE owner = ?1 AND kind = ?2", args![owner, kind])? > 0)
    }

    /// Saves (replacing) `session`'s draft of `kind`.
    pub fn save_session_draft(
        &mut self,
        owner: &str,
        kind: &str,
        session: (&str, &str),
        body: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO drafts (owner, kind, session, session_label, session_since, body, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)
             ON CONFLICT (owner, kind, session) DO UPDATE SET body = ?6, updated_at = ?5",
            args![owner, kind, session.0, session.1, now, body],
        )?;
        Ok(())
    }

    /// Whether `session` has a draft of `kind`.
    pub fn session_draft_exists(&mut self, owner: &str, kind: &str, session: &str) -> Result<bool, StoreError> {
        let n = self.one(
            "SELECT count(*) FROM drafts WHERE owner = ?1 AND kind = ?2 AND session = ?3",
            args![owner, kind, session],
        )?;
        Ok(n.map(|r| r.count(0)).transpose()?.unwrap_or(0) > 0)
    }

    /// The session that took `session`'s draft of `kind` over: (its label, since when).
    pub fn draft_taken_from(
        &mut self,
        owner: &str,
        kind: &str,
        session: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        self.one(
            "SELECT session_label, session_since FROM drafts
             WHERE owner = ?1 AND kind = ?2 AND taken_from = ?3",
            args![owner, kind, session],
        )?
        .map(|r| Ok((r.opt_text(0)?.unwrap_or_default(), r.opt_text(1)?.unwrap_or_default())))
        .transpose()
    }

    /// Forgets that `session`'s draft was taken over (it has been told).
    pub fn forget_draft_taken_from(&mut self, owner: &str, kind: &str, session: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE drafts SET taken_from = NULL WHERE owner = ?1 AND kind = ?2 AND taken_from = ?3",
            args![owner, kind, session],
        )?;
        Ok(())
    }

    /// `owner`'s drafts of `kind`, every session's, newest first: (session, label, since,
    /// body, updated_at).
    pub fn session_drafts(&mut self, owner: &str, kind: &str) -> Result<Vec<SessionDraftRow>, StoreError> {
        self.query(
            "SELECT session, coalesce(session_label, ''), coalesce(session_since, updated_at), body, updated_at
             FROM drafts WHERE owner = ?1 AND kind = ?2 ORDER BY updated_at DESC",
            args![owner, kind],
        )?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?, r.text(4)?)))
        .collect()
    }

    /// Moves `from`'s draft of `kind` to session `to` (id, label), remembering `from`;
    /// whatever `to` had of its own gives way. Whether there was a draft to move.
    pub fn take_draft(
        &mut self,
        owner: &str,
        kind: &str,
        from: &str,
        to: (&str, &str),
        now: &str,
    ) -> Result<bool, StoreError> {
        self.execute(
            "DELETE FROM drafts WHERE owner = ?1 AND kind = ?2 AND session = ?3",
            args![owner, kind, to.0],
        )?;
        Ok(self.execute(
            "UPDATE drafts SET session = ?4, session_label = ?5, session_since = ?6, taken_from = ?3
             WHERE owner = ?1 AND kind = ?2 AND session = ?3",
            args![owner, kind, from, to.0, to.1, now],
        )? > 0)
    }

    /// Removes `session`'s draft of `kind`; whether there was one.
    pub fn delete_session_draft(&mut self, owner: &str, kind: &str, session: &str) -> Result<bool, StoreError> {
        Ok(self.execute(
            "DELETE FROM drafts WHERE owner = ?1 AND kind = ?2 AND session = ?3",
            args![owner, kind, session],
        )? > 0)
    }
}
