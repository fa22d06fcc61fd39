-- The first schema: people, residents, channels, consent, flows, sessions, messages, the
-- outbox, due work, alerts and the audit log. Times are ISO 8601 text in UTC.

CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    role            TEXT NOT NULL CHECK (role IN ('catalyst', 'staff', 'buddy')),
    first_name      TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    email           TEXT UNIQUE,
    alert_channel   TEXT CHECK (alert_channel IN ('sms', 'telegram')),
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL
);

CREATE TABLE residents (
    id              INTEGER PRIMARY KEY,
    preferred_name  TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    language        TEXT NOT NULL DEFAULT 'en',
    time_zone       TEXT NOT NULL DEFAULT 'Europe/London',
    quiet_start     TEXT NOT NULL DEFAULT '20:00',
    quiet_end       TEXT NOT NULL DEFAULT '09:00',
    catalyst_id     INTEGER REFERENCES people (id),
    interests       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'paused', 'stopped', 'unknown')),
    paused_until    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX residents_catalyst ON residents (catalyst_id);

-- How a resident or a person is reached: a phone number, a Telegram chat, the web chat.
CREATE TABLE identities (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'telegram', 'webchat')),
    address         TEXT NOT NULL,
    resident_id     INTEGER REFERENCES residents (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,
    reachable       INTEGER NOT NULL DEFAULT 1,
    opted_out_at    TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (channel, address),
    CHECK ((resident_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX identities_resident ON identities (resident_id);

-- Consent history, never updated: the newest row per resident, purpose and channel counts.
-- channel NULL means every channel.
CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('checkins', 'events', 'buddying')),
    channel         TEXT,
    given           INTEGER NOT NULL,
    source          TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX consents_current ON consents (resident_id, purpose, id);

CREATE TABLE flow_revisions (
    flow_id         TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    source          TEXT NOT NULL,
    published_at    TEXT NOT NULL,
    published_by    TEXT NOT NULL,
    PRIMARY KEY (flow_id, revision)
);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    flow_id         TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('waiting', 'ended')),
    outcome         TEXT,
    state           TEXT NOT NULL,
    wake_at         TEXT,
    started_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- A resident has at most one conversation waiting for a reply.
CREATE UNIQUE INDEX sessions_one_waiting ON sessions (resident_id) WHERE status = 'waiting';
CREATE INDEX sessions_wake ON sessions (wake_at) WHERE wake_at IS NOT NULL;

CREATE TABLE results (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    flow_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    value           TEXT NOT NULL,
    label           TEXT NOT NULL,
    category        TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX results_resident ON results (resident_id, name, id);

-- Every message, both ways. Outbound status: queued, sending, sent, delivered, undelivered,
-- failed, cancelled. Inbound status: received.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER REFERENCES residents (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    channel         TEXT NOT NULL,
    address         TEXT,
    body            TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    routine         INTEGER NOT NULL DEFAULT 1,
    session_id      INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    provider_id     TEXT,
    status          TEXT NOT NULL,
    error           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX messages_resident ON messages (resident_id, id);
CREATE UNIQUE INDEX messages_provider ON messages (channel, provider_id)
    WHERE provider_id IS NOT NULL;

-- Provider ids already taken in, so a replayed webhook is acknowledged and ignored.
CREATE TABLE inbound_ids (
    channel         TEXT NOT NULL,
    provider_id     TEXT NOT NULL,
    message_id      INTEGER,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (channel, provider_id)
) WITHOUT ROWID;

-- Messages waiting to be sent. A row is written with its message, in the same transaction as
-- whatever caused it, and deleted once the provider has taken the message.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
    recipient       TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_at      TEXT,
    buttons         TEXT NOT NULL DEFAULT '[]',
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (due_at);
CREATE INDEX outbox_recipient ON outbox (recipient, id);

-- Recurring and one-off work: check-ins and follow-ups. `rule` is an RFC 5545 RRULE read in
-- the resident's own time zone; `next_due_at` is the next slot in UTC.
CREATE TABLE schedules (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('checkin', 'followup')),
    flow_id         TEXT NOT NULL,
    rule            TEXT,
    starts_at       TEXT NOT NULL,
    next_due_at     TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_due_at) WHERE active = 1;
CREATE UNIQUE INDEX schedules_one_checkin ON schedules (resident_id) WHERE kind = 'checkin';

-- Each slot that has run, keyed by schedule and time, so a slot can never run twice.
CREATE TABLE schedule_runs (
    schedule_id     INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    due_at          TEXT NOT NULL,
    session_id      INTEGER,
    ran_at          TEXT NOT NULL,
    PRIMARY KEY (schedule_id, due_at)
) WITHOUT ROWID;

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER REFERENCES residents (id) ON DELETE CASCADE,
    catalyst_id     INTEGER REFERENCES people (id),
    kind            TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent')),
    summary         TEXT NOT NULL,
    message_id      INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
);
CREATE INDEX alerts_open ON alerts (status, catalyst_id, id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT
);
