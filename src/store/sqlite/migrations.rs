//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! They run inside one IMMEDIATE transaction that re-reads the version first: when several
//! navigator processes start at once, one migrates and the others wait on the write lock,
//! then find nothing left to do.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::store::StoreError;

/// Each entry moves the schema from version i to i + 1. Never edit a released entry;
/// append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the service catalogue.
    "CREATE TABLE services (
        id TEXT PRIMARY KEY,
        record TEXT NOT NULL,          -- the Service as JSON
        hash INTEGER NOT NULL,         -- FNV-1a of record, to tell changed from unchanged
        organization TEXT NOT NULL,    -- organization id or name, for counts
        locations INTEGER NOT NULL,    -- number of locations, for counts
        updated_at TEXT NOT NULL
    );
    CREATE TABLE catalogue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO catalogue_meta (key, value) VALUES ('generation', '0');
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        finished_at TEXT NOT NULL,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        user TEXT NOT NULL,
        added INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        removed INTEGER NOT NULL, skipped INTEGER NOT NULL,
        generation INTEGER NOT NULL
    );",
    // 2: casework. Coded fields (contacts, needs, referrals, follow-ups) stay for statistics;
    // personal values live only in personal_data (and drafts) so retention can purge them.
    "CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,      -- RFC 3339 UTC, to the second
        ended_at TEXT NOT NULL,
        navigator TEXT NOT NULL,       -- the OS user who recorded it
        channel TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'text', 'walk-in')),
        language TEXT,                 -- ISO 639-1 code
        municipality TEXT,
        postal_fsa TEXT CHECK (postal_fsa IS NULL OR length(postal_fsa) = 3),
        age_group TEXT CHECK (age_group IS NULL OR age_group IN ('0-17', '18-24', '25-44', '45-64', '65+')),
        created_at TEXT NOT NULL
    );
    CREATE INDEX contacts_started_at ON contacts (started_at);
    CREATE TABLE needs (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        category TEXT NOT NULL,        -- a navigator category slug
        taxonomy_code TEXT,
        met INTEGER NOT NULL CHECK (met IN (0, 1)),
        unmet_reason TEXT CHECK (unmet_reason IS NULL OR unmet_reason IN
            ('no-service', 'not-eligible', 'waitlist', 'cost', 'distance', 'language', 'other')),
        CHECK ((met = 1 AND unmet_reason IS NULL) OR (met = 0 AND unmet_reason IS NOT NULL))
    );
    CREATE INDEX needs_contact_id ON needs (contact_id);
    CREATE INDEX needs_category ON needs (category);
    CREATE TABLE referrals (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        service_id TEXT NOT NULL,
        -- the service as it was when referred: the catalogue changes later
        service_name TEXT NOT NULL,
        service_phone TEXT,            -- every phone, joined with '; '
        service_address TEXT,          -- one line
        service_hours TEXT             -- 'Mon 9:00-17:00; Tue closed; ...'
    );
    CREATE INDEX referrals_contact_id ON referrals (contact_id);
    CREATE INDEX referrals_service_id ON referrals (service_id);
    CREATE TABLE personal_data (
        contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
        first_name TEXT,
        phone TEXT,
        best_time TEXT,
        notes TEXT,
        purged_at TEXT
    );
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts (id) ON DELETE CASCADE,
        due TEXT NOT NULL,             -- YYYY-MM-DD
        state TEXT NOT NULL DEFAULT 'scheduled'
            CHECK (state IN ('scheduled', 'claimed', 'completed', 'unreachable', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX followups_due ON followups (due);
    CREATE INDEX followups_state ON followups (state, due);
    CREATE TABLE drafts (
        owner TEXT NOT NULL,           -- the OS user
        kind TEXT NOT NULL,            -- 'contact'
        body TEXT NOT NULL,            -- JSON, opaque to the store
        updated_at TEXT NOT NULL,
        PRIMARY KEY (owner, kind)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,          -- 'contact.create', 'draft.discard', ...
        record TEXT NOT NULL           -- 'contact:12'; never a personal value
    );
    CREATE INDEX audit_at ON audit (at);",
    // 3: follow-up outcomes. A not-reached call is an attempt row; a reached call (or the
    // last attempt, which makes a follow-up unreachable) one outcomes row. Free-text notes
    // are personal and live apart, purgeable like personal_data.
    "ALTER TABLE followups ADD COLUMN claimed_at TEXT;  -- when the current claim started
    CREATE INDEX followups_lease_owner ON followups (lease_owner) WHERE lease_owner IS NOT NULL;
    CREATE TABLE outcomes (
        followup_id INTEGER PRIMARY KEY REFERENCES followups (id) ON DELETE CASCADE,
        reached INTEGER NOT NULL CHECK (reached IN (0, 1)),
        result TEXT NOT NULL
            CHECK (result IN ('reached', 'no_answer', 'left_message', 'wrong_number')),
        better_prepared INTEGER CHECK (better_prepared IS NULL OR better_prepared IN (0, 1)),
        health_improved TEXT CHECK (health_improved IS NULL OR health_improved IN
            ('yes', 'no', 'not_applicable')),
        satisfaction TEXT CHECK (satisfaction IS NULL OR satisfaction IN
            ('very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied')),
        would_call_again INTEGER CHECK (would_call_again IS NULL OR would_call_again IN (0, 1)),
        completed_at TEXT NOT NULL,    -- RFC 3339 UTC
        completed_by TEXT NOT NULL,    -- the OS user
        CHECK ((reached = 1 AND result = 'reached') OR (reached = 0 AND result <> 'reached'))
    );
    CREATE INDEX outcomes_completed_at ON outcomes (completed_at);
    CREATE TABLE outcome_referrals (
        followup_id INTEGER NOT NULL REFERENCES outcomes (followup_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        service_id TEXT NOT NULL,
        contacted INTEGER NOT NULL CHECK (contacted IN (0, 1)),
        got_help TEXT NOT NULL CHECK (got_help IN ('yes', 'partly', 'no', 'waitlisted')),
        barrier TEXT CHECK (barrier IS NULL OR barrier IN ('eligibility', 'cost',
            'transportation', 'waitlist', 'no_answer', 'language', 'hours', 'other')),
        PRIMARY KEY (followup_id, service_id)
    );
    CREATE INDEX outcome_referrals_service_id ON outcome_referrals (service_id);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        followup_id INTEGER NOT NULL REFERENCES followups (id) ON DELETE CASCADE,
        at TEXT NOT NULL,              -- RFC 3339 UTC
        by TEXT NOT NULL,              -- the OS user who called
        result TEXT NOT NULL CHECK (result IN ('no_answer', 'left_message', 'wrong_number'))
    );
    CREATE INDEX attempts_followup_id ON attempts (followup_id, id);
    CREATE TABLE followup_notes (
        followup_id INTEGER PRIMARY KEY REFERENCES followups (id) ON DELETE CASCADE,
        notes TEXT,
        purged_at TEXT
    );",
    // 4: many offices. Each contact records the office it was taken at (`office` in
    // config.toml); the store gets an id of its own, so a move to PostgreSQL can tell
    // which records it already copied.
    "ALTER TABLE contacts ADD COLUMN office TEXT;
    INSERT OR IGNORE INTO catalogue_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));",
    // 5: postal areas of any country (a US office keeps five-digit ZIPs; postal_fsa stays
    // for Canada and for readers of the older column).
    "ALTER TABLE contacts ADD COLUMN postal_code TEXT;
    UPDATE contacts SET postal_code = postal_fsa WHERE postal_fsa IS NOT NULL;",
    // 6: one draft per session. A session (host:pid:start time) owns its draft; another
    // session of the same navigator takes it over only explicitly (taken_from tells the
    // first one). Drafts from before have no session and can be resumed by any.
    "CREATE TABLE drafts_by_session (
        owner TEXT NOT NULL,           -- the OS user
        kind TEXT NOT NULL,            -- 'contact', 'followup-12'
        session TEXT NOT NULL DEFAULT '',
        session_label TEXT,            -- 'pts/3'
        session_since TEXT,            -- when that session opened or took it
        taken_from TEXT,               -- the session it was taken over from
        body TEXT NOT NULL,            -- JSON, opaque to the store
        updated_at TEXT NOT NULL,
        PRIMARY KEY (owner, kind, session)
    );
    INSERT INTO drafts_by_session (owner, kind, session, body, updated_at)
        SELECT owner, kind, '', body, updated_at FROM drafts;
    DROP TABLE drafts;
    ALTER TABLE drafts_by_session RENAME TO drafts;",
    // 7: idempotency keys. A script that retries `contacts add` or `followups complete`
    // with the key it used the first time gets the first answer again instead of a second
    // contact or call. The answer holds no personal values; the request only its hash.
    "CREATE TABLE idempotency_keys (
        action TEXT NOT NULL,          -- 'contact.create', 'followup.complete'
        key TEXT NOT NULL,             -- as the client gave it
        account TEXT NOT NULL,         -- the OS account that used it first
        request_hash INTEGER NOT NULL, -- FNV-1a of the request, to refuse a different one
        response TEXT NOT NULL,        -- the JSON answered the first time
        created_at TEXT NOT NULL,
        PRIMARY KEY (action, key)
    );
    CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);",
    // 8: writes made once under a key (`Store::once`): a save the app held while the
    // database could not be reached, replayed after a crash, answers what it saved then.
    "CREATE TABLE write_log (
        token TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE INDEX write_log_at ON write_log (at);",
    // 9: versions of services, so an import writes in short transactions, chunk by chunk,
    // and still switches the catalogue over at once (see `store/staging.rs`). A version is
    // seen while its generation is at most the catalogue's and it is not retired at or
    // before it; `services` becomes the view of what is seen.
    "CREATE TABLE service_versions (
        id TEXT NOT NULL,
        generation INTEGER NOT NULL,   -- the catalogue generation that wrote this version
        retired INTEGER,               -- the generation that replaced or removed it
        hash INTEGER NOT NULL,         -- FNV-1a of record, to tell changed from unchanged
        organization TEXT NOT NULL,    -- organization id or name, for counts
        locations INTEGER NOT NULL,    -- number of locations, for counts
        updated_at TEXT NOT NULL,
        record TEXT NOT NULL,          -- the Service as JSON; last, so the columns before it read quickly
        PRIMARY KEY (id, generation)
    );
    CREATE INDEX service_versions_retired ON service_versions (retired) WHERE retired IS NOT NULL;
    INSERT INTO service_versions (id, generation, retired, hash, organization, locations, updated_at, record)
        SELECT id, 0, NULL, hash, organization, locations, updated_at, record FROM services;
    DROP TABLE services;
    CREATE VIEW services AS
        SELECT id, record, hash, organization, locations, updated_at FROM service_versions
        WHERE generation <= (SELECT CAST(value AS INTEGER) FROM catalogue_meta WHERE key = 'generation')
          AND (retired IS NULL
               OR retired > (SELECT CAST(value AS INTEGER) FROM catalogue_meta WHERE key = 'generation'));",
    // 10: the hashes an import compares against, readable without the records: a version
    // row holds its record inline, about one row per page, so reading every id and hash
    // read the whole table (230 MB at 60,000 services); this index is a few megabytes.
    "CREATE INDEX service_versions_hashes ON service_versions (id, generation, retired, hash);",
    // 11: what an import remembers to know a service unchanged before building it: the
    // digest of the rows its record was built from, and that record's hash (see
    // `store/import_digests.rs`).
    "CREATE TABLE import_digests (
        id TEXT PRIMARY KEY,
        digest INTEGER NOT NULL,
        hash INTEGER NOT NULL
    ) WITHOUT ROWID;",
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn apply(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let err = |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            target: path.display().to_string(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    // Another process may have migrated while we waited for the lock.
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.execute_batch(sql).map_err(err)?;
        tx.pragma_update(None, "user_version", i as i64 + 1).map_err(err)?;
    }
    if version == 0 {
        // A new file, written with secure_delete from its first byte: nothing freed in it
        // was ever left unzeroed, so a purge need not rewrite it (see `erase`).
        tx.execute(
            "INSERT INTO catalogue_meta (key, value) VALUES (?1, 'created') ON CONFLICT (key) DO NOTHING",
            [crate::store::erase::ZEROED_KEY],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalogue written before versions (schema 8) is all there after migration 9, as
    /// the one version of each service, seen at any generation.
    #[test]
    fn services_from_before_versions_survive_as_their_first_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("navigator.db");
        let mut conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO services (id, record, hash, organization, locations, updated_at)
                 VALUES ('a', '{\"id\":\"a\"}', 7, 'org', 1, '2026-01-01T00:00:00Z');
             UPDATE catalogue_meta SET value = '4' WHERE key = 'generation';
             PRAGMA user_version = 8;",
        )
        .unwrap();
        apply(&mut conn, &path).unwrap();
        let seen: (String, i64, String) = conn
            .query_row("SELECT id, hash, record FROM services", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(seen, ("a".to_string(), 7, "{\"id\":\"a\"}".to_string()));
        let versions: (i64, Option<i64>) = conn
            .query_row("SELECT generation, retired FROM service_versions", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(versions, (0, None));
    }

    /// The hashes an import compares with are read from the index alone: the table rows
    /// carry the records, and reading them was reading the whole catalogue.
    #[test]
    fn the_import_reads_hashes_without_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("navigator.db");
        let mut conn = Connection::open(&path).unwrap();
        apply(&mut conn, &path).unwrap();
        let mut plan = conn
            .prepare("EXPLAIN QUERY PLAN SELECT id, hash FROM services")
            .unwrap();
        let steps: Vec<String> = plan
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            steps
                .iter()
                .any(|s| s.contains("COVERING INDEX service_versions_hashes")),
            "{steps:?}"
        );
    }
}
