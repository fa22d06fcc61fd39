-- Logins for the admin: accounts with a role, their server-side sessions, and failed logins
-- (for throttling). A catalyst's account is tied to their row in `people`, which is how the
-- admin shows them only their own residents.

CREATE TABLE staff_accounts (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'catalyst')),
    person_id       INTEGER REFERENCES people (id),
    password_hash   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    disabled_at     TEXT,
    CHECK (role != 'catalyst' OR person_id IS NOT NULL)
);

-- Only a hash of the cookie's secret is kept, as for API tokens.
CREATE TABLE staff_sessions (
    id              INTEGER PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    account_id      INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    user_agent      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    ended_at        TEXT,
    ended_by        TEXT
);
CREATE INDEX staff_sessions_live ON staff_sessions (account_id) WHERE ended_at IS NULL;

CREATE TABLE login_failures (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    username        TEXT NOT NULL COLLATE NOCASE,
    address         TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- The audit log is read by subject (one resident's page views and changes) and newest first.
CREATE INDEX audit_log_subject ON audit_log (subject, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
