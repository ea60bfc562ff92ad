//! Drafts SQL: each session of a navigator owns its drafts. A second session sees the
//! first one's draft as "open in another session" and may take it over only explicitly;
//! the session it was taken from learns so on its next write (or check), and a contact is
//! saved and its draft deleted in one transaction, so one draft never becomes two contacts.
//!
//! Bodies are opaque JSON here; they may hold personal values, so they are never logged
//! or audited (the audit names the draft kind only).

use serde::{Deserialize, Serialize};

use crate::clock::utc_text;
use crate::session::Session;
use crate::store::{Abort, Store, StoreError, Tx};

/// A stored draft and the session that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub session: String,
    /// "pts/3"; empty for drafts written before sessions.
    pub label: String,
    /// When that session opened or took it (RFC 3339 UTC).
    pub since: String,
    pub body: String,
    pub updated_at: String,
}

/// Why a session may no longer write its draft: another one took it over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenOver {
    pub label: String,
    pub since: String,
}

impl std::fmt::Display for TakenOver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this contact was taken over by another session ({}, at {})",
            self.label,
            local_hhmm(&self.since)
        )
    }
}

/// "14:02" in the machine's zone, for messages.
pub fn local_hhmm(utc: &str) -> String {
    crate::clock::local_text_of(utc, "%H:%M")
}

fn taken(tx: &mut Tx, owner: &str, kind: &str, session: &str) -> Result<Option<TakenOver>, StoreError> {
    Ok(tx
        .draft_taken_from(owner, kind, session)?
        .map(|(label, since)| TakenOver { label, since }))
}

/// Deletes `session`'s draft inside the caller's transaction (its contact being saved).
/// `Err` when it is not there: another session took it over (and may have saved it), so
/// saving here would make a second contact of one call.
pub(crate) fn consume(tx: &mut Tx, owner: &str, kind: &str, session: &str) -> Result<Result<(), String>, StoreError> {
    if tx.delete_session_draft(owner, kind, session)? {
        return Ok(Ok(()));
    }
    Ok(Err(match taken(tx, owner, kind, session)? {
        Some(t) => format!("{t}: it was not saved here, so it is not saved twice"),
        None => "this contact's draft is gone (taken over or saved in another session): not saved twice".into(),
    }))
}

impl Store {
    /// Saves (replacing) `session`'s draft of `kind`; refused with [`TakenOver`] when
    /// another session took this session's draft over.
    pub fn save_session_draft(
        &mut self,
        owner: &str,
        kind: &str,
        session: &Session,
        body: &str,
    ) -> Result<Result<(), TakenOver>, StoreError> {
        let outcome = self.write_or_refuse(|tx| {
            if !tx.session_draft_exists(owner, kind, &session.id)? {
                if let Some(t) = taken(tx, owner, kind, &session.id)? {
                    return Err(Abort::Refused(t));
                }
            }
            let now = utc_text(tx.now()?);
            tx.save_session_draft(owner, kind, (&session.id, &session.label), body, &now)?;
            Ok(())
        });
        match outcome {
            Ok(()) => Ok(Ok(())),
            Err(Abort::Refused(t)) => Ok(Err(t)),
            Err(Abort::Store(e)) => Err(e),
        }
    }

    /// `owner`'s drafts of `kind`, every session's, newest first.
    pub fn session_drafts(&self, owner: &str, kind: &str) -> Result<Vec<DraftRow>, StoreError> {
        let rows = self.read(|tx| tx.session_drafts(owner, kind))?;
        Ok(rows
            .into_iter()
            .map(|(session, label, since, body, updated_at)| DraftRow {
                session,
                label,
                since,
                body,
                updated_at,
            })
            .collect())
    }

    /// Moves the draft of session `from` to `to`, remembering where it came from so that
    /// session is told. False when there is no such draft any more.
    pub fn take_draft(&mut self, owner: &str, kind: &str, from: &str, to: &Session) -> Result<bool, StoreError> {
        self.write(|tx| {
            let now = utc_text(tx.now()?);
            let moved = tx.take_draft(owner, kind, from, (&to.id, &to.label), &now)?;
            if moved {
                tx.audit(&now, owner, "draft.takeover", &format!("draft:{kind}"))?;
            }
            Ok(moved)
        })
    }

    /// Whether another session took `session`'s draft over; clears the mark once told.
    pub fn draft_taken_over(
        &mut self,
        owner: &str,
        kind: &str,
        session: &str,
    ) -> Result<Option<TakenOver>, StoreError> {
        self.write(|tx| {
            let t = if tx.session_draft_exists(owner, kind, session)? {
                None
            } else {
                taken(tx, owner, kind, session)?
            };
            if t.is_some() {
                tx.forget_draft_taken_from(owner, kind, session)?;
            }
            Ok(t)
        })
    }

    /// Removes `session`'s draft of `kind`, auditing it as `draft.discard`, and clears the
    /// write-ahead log, which holds a copy of every version of the draft written since it
    /// was last cleared (see [`crate::store::erase`]).
    pub fn delete_session_draft(&mut self, owner: &str, kind: &str, session: &str) -> Result<bool, StoreError> {
        self.discard_draft(owner, kind, |tx| tx.delete_session_draft(owner, kind, session))
    }

    /// Runs `delete` (which says whether a draft of `owner`'s `kind` went), audits a removal
    /// as `draft.discard`, then clears the write-ahead log of the draft's copies.
    pub(super) fn discard_draft(
        &mut self,
        owner: &str,
        kind: &str,
        delete: impl Fn(&mut crate::store::Tx) -> Result<bool, StoreError>,
    ) -> Result<bool, StoreError> {
        let removed = self.write(|tx| {
            let now = utc_text(tx.now()?);
            let removed = delete(tx)?;
            if removed {
                tx.audit(&now, owner, "draft.discard", &format!("draft:{kind}"))?;
            }
            Ok(removed)
        })?;
        // Busy readers are logged; the next discard or purge clears the rest.
        self.erase_log(crate::store::erase::DRAFT_PATIENCE)?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::ContactInput;
    use jiff::Timestamp;

    fn session(n: u32, label: &str) -> Session {
        Session {
            id: format!("host:{n}:1"),
            label: label.into(),
        }
    }

    #[test]
    fn a_second_session_takes_a_draft_only_explicitly_and_the_first_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("n.db")).unwrap();
        let (a, b) = (session(1, "pts/3"), session(2, "pts/5"));
        store
            .save_session_draft("ana", "contact", &a, "{\"a\":1}")
            .unwrap()
            .unwrap();
        // B's own draft does not replace A's: one draft per session.
        store
            .save_session_draft("ana", "contact", &b, "{\"b\":1}")
            .unwrap()
            .unwrap();
        let rows = store.session_drafts("ana", "contact").unwrap();
        assert_eq!(rows.len(), 2);
        let of_a = rows.iter().find(|r| r.session == a.id).unwrap();
        assert_eq!((of_a.label.as_str(), of_a.body.as_str()), ("pts/3", "{\"a\":1}"));
        // B takes A's over: B's own goes, A's becomes B's.
        assert!(store.take_draft("ana", "contact", &a.id, &b).unwrap());
        let rows = store.session_drafts("ana", "contact").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].session.as_str(), rows[0].body.as_str()),
            (b.id.as_str(), "{\"a\":1}")
        );
        // A's next write is refused and names B; it does not make a second draft.
        let refused = store
            .save_session_draft("ana", "contact", &a, "{\"a\":2}")
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.label, "pts/5");
        assert_eq!(store.session_drafts("ana", "contact").unwrap().len(), 1);
        // A saving its contact now is refused too: one draft never becomes two contacts.
        let input: ContactInput =
            serde_json::from_str(r#"{"channel":"phone","needs":[{"category":"food","met":true}]}"#).unwrap();
        let now = Timestamp::now();
        let today = crate::clock::local(now).date();
        let rules = crate::casework::Rules::default();
        let err = store
            .add_contact_with(&input, "ana", None, now, today, &rules, Some(("ana", "contact", &a.id)))
            .unwrap_err();
        assert!(err.to_string().contains("invalid"), "{err}");
        // B saves it: the draft is consumed in the same transaction.
        store
            .add_contact_with(&input, "ana", None, now, today, &rules, Some(("ana", "contact", &b.id)))
            .unwrap();
        assert!(store.session_drafts("ana", "contact").unwrap().is_empty());
        assert_eq!(store.contacts(None).unwrap().len(), 1);
        // A trying again after B saved: still refused.
        assert!(store
            .add_contact_with(&input, "ana", None, now, today, &rules, Some(("ana", "contact", &a.id)))
            .is_err());
        assert_eq!(store.contacts(None).unwrap().len(), 1, "one call, one contact");
    }
}
