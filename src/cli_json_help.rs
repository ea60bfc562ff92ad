//! The JSON shapes of `contacts` and `followups`, with complete examples, for their
//! `--help` and man pages (clap puts these after the options).

pub const CONTACTS: &str = "\
JSON: `contacts add --json` reads one object from stdin and prints the saved contact; \
`contacts list --json` prints one summary per line; `contacts show ID --json` the whole \
record with its personal data. Fields are only ever added. Slugs are kebab-case.

Input fields: channel (phone, chat, email, text, walk-in; required), language (a \
language name or ISO code from navigator's list), municipality (one the catalogue knows, \
or \"Other / outside the area\"), postal_code (the office's country, [casework] country: \
a Canadian FSA such as P3A, or a five-digit US ZIP; postal_fsa is still read), age_group \
(0-17, 18-24, 25-44, 45-64, 65+), needs (at least one: category, met, unmet_reason when \
not met: no-service, not-eligible, waitlist, cost, distance, language, other; \
taxonomy_code), referrals (service ids), follow_up (consent, due YYYY-MM-DD, first_name, \
phone, best_time), notes, started_at and ended_at (RFC 3339).

Example, contacts add --json < contact.json:

  {\"channel\":\"phone\",\"language\":\"fr\",\"municipality\":\"Sudbury\",
   \"postal_code\":\"P3A\",\"age_group\":\"25-44\",
   \"needs\":[{\"category\":\"food\",\"met\":true},
            {\"category\":\"housing\",\"met\":false,\"unmet_reason\":\"waitlist\"}],
   \"referrals\":[\"svc-000268\"],
   \"follow_up\":{\"consent\":true,\"due\":\"2026-12-08\",\"first_name\":\"Ana\",
                \"phone\":\"705-555-0142\",\"best_time\":\"mornings\"},
   \"notes\":\"Called from a friend's phone\",
   \"started_at\":\"2026-12-01T14:02:00Z\",\"ended_at\":\"2026-12-01T14:09:30Z\"}

prints (one line):

  {\"id\":1,\"started_at\":\"2026-12-01T14:02:00Z\",\"ended_at\":\"2026-12-01T14:09:30Z\",
   \"navigator\":\"ana\",\"channel\":\"phone\",\"language\":\"fr\",\"municipality\":\"Sudbury\",
   \"postal_fsa\":\"P3A\",\"postal_code\":\"P3A\",\"age_group\":\"25-44\",
   \"needs\":[{\"category\":\"food\",\"taxonomy_code\":null,\"met\":true,\"unmet_reason\":null},
            {\"category\":\"housing\",\"taxonomy_code\":null,\"met\":false,\"unmet_reason\":\"waitlist\"}],
   \"referrals\":[{\"service_id\":\"svc-000268\",\"name\":\"Food Bank\",\"phone\":\"905-555-0143\",
     \"address\":\"1534 Queen Street, Hamilton, ON L8P 3C3\",
     \"hours\":\"Mon closed; Tue closed; Wed 16:00-19:00; Thu closed; Fri closed; Sat 9:30-12:30; Sun closed\"}],
   \"follow_up\":{\"id\":1,\"due\":\"2026-12-08\",\"state\":\"scheduled\"}}

Errors name the field (needs[1].unmet_reason: expected one of ...), exit 65 and write nothing.";

pub const FOLLOWUPS: &str = "\
JSON: `followups due|upcoming|all --json` print one queue row per line, without personal \
data: id, contact_id, due, state (due, overdue, scheduled, claimed, completed, \
unreachable, cancelled), attempts, claimed_by, claimed_at, lease_until, municipality, \
needs, referrals, last_attempt (no-answer, left-message, wrong-number), last_attempt_at, \
recorded_by, language. Example:

  {\"id\":1,\"contact_id\":1,\"due\":\"2026-12-08\",\"state\":\"scheduled\",\"attempts\":0,
   \"claimed_by\":null,\"claimed_at\":null,\"lease_until\":null,\"municipality\":\"Sudbury\",
   \"needs\":[\"food\",\"housing\"],\"referrals\":1,\"last_attempt\":null,
   \"last_attempt_at\":null,\"recorded_by\":\"ana\",\"language\":\"fr\"}

`followups complete ID --json` reads the outcome from stdin. Reached: reached true, one \
answer per referred service (service_id, contacted, got_help: yes, partly, no, waitlisted; \
barrier when not contacted or no help: eligibility, cost, transportation, waitlist, \
no-answer, language, hours, other), better_prepared, health_improved (true, false, null or \
not-applicable), satisfaction (very-satisfied, satisfied, neutral, dissatisfied, \
very-dissatisfied), would_call_again, notes. Not reached: reached false and result \
(no-answer, left-message, wrong-number). The old spellings with underscores are still \
read. Example:

  {\"reached\":true,
   \"referrals\":[{\"service_id\":\"svc-000268\",\"contacted\":true,\"got_help\":\"yes\"}],
   \"better_prepared\":true,\"health_improved\":\"not-applicable\",
   \"satisfaction\":\"very-satisfied\",\"would_call_again\":true,
   \"notes\":\"Got a hamper on Tuesday\"}

prints:

  {\"id\":1,\"state\":\"completed\",\"attempts\":0,\"due\":\"2026-12-08\",
   \"at\":\"2026-12-01T09:18:54Z\",\"by\":\"ana\"}

and a not-reached call, {\"reached\":false,\"result\":\"no-answer\"}, prints state \
scheduled with the retry date as due (or unreachable after the last attempt).";
