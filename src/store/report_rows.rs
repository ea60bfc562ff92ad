//! Report reads: coded fields only (needs, follow-ups, outcomes), except the export's
//! personal columns, which the caller asks for only for users allowed to read them.
//! Periods are stored-UTC-text bounds, `from` inclusive and `to` exclusive.

use std::collections::HashMap;

use super::{StoreError, Tx};
use crate::args;

/// Where a contact was: (municipality, office).
pub type Place = (Option<String>, Option<String>);

/// One need of a contact in the period (or a contact without needs: `category` None).
#[derive(Debug, Clone)]
pub struct NeedRow {
    pub contact_id: i64,
    pub municipality: Option<String>,
    pub office: Option<String>,
    pub category: Option<String>,
    pub met: bool,
    pub unmet_reason: Option<String>,
}

/// An outcome recorded in the period.
#[derive(Debug, Clone)]
pub struct OutcomeRow {
    pub followup_id: i64,
    pub municipality: Option<String>,
    pub office: Option<String>,
    pub reached: bool,
    pub better_prepared: Option<bool>,
    pub health_improved: Option<String>,
    pub satisfaction: Option<String>,
    pub would_call_again: Option<bool>,
}

/// A reached caller's answer about one referral.
#[derive(Debug, Clone)]
pub struct OutcomeAnswerRow {
    pub followup_id: i64,
    pub contacted: bool,
    pub got_help: String,
    pub barrier: Option<String>,
}

/// One export row: a contact's need (or the contact alone), its follow-up and outcome.
#[derive(Debug, Clone)]
pub struct ExportRowData {
    pub contact_id: i64,
    /// Stored UTC text.
    pub started_at: String,
    pub channel: String,
    pub language: Option<String>,
    pub municipality: Option<String>,
    pub postal_fsa: Option<String>,
    pub age_group: Option<String>,
    pub category: Option<String>,
    pub met: Option<bool>,
    pub unmet_reason: Option<String>,
    pub taxonomy_code: Option<String>,
    pub followup_state: Option<String>,
    pub outcome_result: Option<String>,
    /// (first name, phone, notes), only when asked for.
    pub personal: Option<(Option<String>, Option<String>, Option<String>)>,
}

impl Tx<'_> {
    pub fn need_rows(&mut self, from: &str, to: &str) -> Result<Vec<NeedRow>, StoreError> {
        self.query(
            "SELECT c.id, c.municipality, n.category, n.met, n.unmet_reason, c.office
             FROM contacts c LEFT JOIN needs n ON n.contact_id = c.id
             WHERE c.started_at >= ?1 AND c.started_at < ?2
             ORDER BY c.id, n.position",
            args![from, to],
        )?
        .iter()
        .map(|r| {
            Ok(NeedRow {
                contact_id: r.int(0)?,
                municipality: r.opt_text(1)?,
                category: r.opt_text(2)?,
                met: r.opt_bool(3)?.unwrap_or(false),
                unmet_reason: r.opt_text(4)?,
                office: r.opt_text(5)?,
            })
        })
        .collect()
    }

    /// (municipality, office) of each follow-up not cancelled and due from `from` to `to`
    /// (dates, both inclusive).
    pub fn due_followups(&mut self, from: &str, to: &str) -> Result<Vec<Place>, StoreError> {
        self.query(
            "SELECT c.municipality, c.office FROM followups f JOIN contacts c ON c.id = f.contact_id
             WHERE f.state <> 'cancelled' AND f.due >= ?1 AND f.due <= ?2",
            args![from, to],
        )?
        .iter()
        .map(|r| Ok((r.opt_text(0)?, r.opt_text(1)?)))
        .collect()
    }

    pub fn outcome_rows(&mut self, from: &str, to: &str) -> Result<Vec<OutcomeRow>, StoreError> {
        self.query(
            "SELECT o.followup_id, c.municipality, o.reached, o.better_prepared, o.health_improved,
             o.satisfaction, o.would_call_again, c.office
             FROM outcomes o JOIN followups f ON f.id = o.followup_id
             JOIN contacts c ON c.id = f.contact_id
             WHERE o.completed_at >= ?1 AND o.completed_at < ?2",
            args![from, to],
        )?
        .iter()
        .map(|r| {
            Ok(OutcomeRow {
                followup_id: r.int(0)?,
                municipality: r.opt_text(1)?,
                reached: r.bool(2)?,
                better_prepared: r.opt_bool(3)?,
                health_improved: r.opt_text(4)?,
                satisfaction: r.opt_text(5)?,
                would_call_again: r.opt_bool(6)?,
                office: r.opt_text(7)?,
            })
        })
        .collect()
    }

    /// Referral answers of reached calls recorded in the period.
    pub fn answer_rows(&mut self, from: &str, to: &str) -> Result<Vec<OutcomeAnswerRow>, StoreError> {
        self.query(
            "SELECT r.followup_id, r.contacted, r.got_help, r.barrier
             FROM outcome_referrals r JOIN outcomes o ON o.followup_id = r.followup_id
             WHERE o.reached = 1 AND o.completed_at >= ?1 AND o.completed_at < ?2
             ORDER BY r.followup_id, r.position",
            args![from, to],
        )?
        .iter()
        .map(|r| {
            Ok(OutcomeAnswerRow {
                followup_id: r.int(0)?,
                contacted: r.bool(1)?,
                got_help: r.text(2)?,
                barrier: r.opt_text(3)?,
            })
        })
        .collect()
    }

    /// Referred service ids of contacts started in the period, by contact, in order.
    pub fn referrals_in(&mut self, from: &str, to: &str) -> Result<HashMap<i64, Vec<String>>, StoreError> {
        let mut referrals: HashMap<i64, Vec<String>> = HashMap::new();
        for r in self.query(
            "SELECT contact_id, service_id FROM referrals WHERE contact_id IN
             (SELECT id FROM contacts WHERE started_at >= ?1 AND started_at < ?2)
             ORDER BY contact_id, position",
            args![from, to],
        )? {
            referrals.entry(r.int(0)?).or_default().push(r.text(1)?);
        }
        Ok(referrals)
    }

    pub fn export_rows(
        &mut self,
        from: &str,
        to: &str,
        with_personal_data: bool,
    ) -> Result<Vec<ExportRowData>, StoreError> {
        self.query(
            "SELECT c.id, c.started_at, c.channel, c.language, c.municipality, c.postal_fsa, c.age_group,
             n.category, n.met, n.unmet_reason, n.taxonomy_code, f.state, o.result,
             p.first_name, p.phone, p.notes
             FROM contacts c
             LEFT JOIN needs n ON n.contact_id = c.id
             LEFT JOIN followups f ON f.contact_id = c.id
             LEFT JOIN outcomes o ON o.followup_id = f.id
             LEFT JOIN personal_data p ON p.contact_id = c.id
             WHERE c.started_at >= ?1 AND c.started_at < ?2
             ORDER BY c.started_at, c.id, n.position",
            args![from, to],
        )?
        .iter()
        .map(|r| {
            Ok(ExportRowData {
                contact_id: r.int(0)?,
                started_at: r.text(1)?,
                channel: r.text(2)?,
                language: r.opt_text(3)?,
                municipality: r.opt_text(4)?,
                postal_fsa: r.opt_text(5)?,
                age_group: r.opt_text(6)?,
                category: r.opt_text(7)?,
                met: r.opt_bool(8)?,
                unmet_reason: r.opt_text(9)?,
                taxonomy_code: r.opt_text(10)?,
                followup_state: r.opt_text(11)?,
                outcome_result: r.opt_text(12)?,
                personal: if with_personal_data {
                    Some((r.opt_text(13)?, r.opt_text(14)?, r.opt_text(15)?))
                } else {
                    None
                },
            })
        })
        .collect()
    }
}
