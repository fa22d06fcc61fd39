-- Looking after residents in the admin: notes catalysts and staff write about a resident, and
-- who sent a one-off message from the admin (a message "from Abby" rather than from a flow).

-- Notes are only ever added, never edited or deleted by the admin: they are a record of what
-- was known and when. `author` is the name shown; `actor` is the account as the audit log
-- names it (catalyst:abby), so a note can be traced to a login.
CREATE TABLE resident_notes (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    author          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    at              TEXT NOT NULL
);
CREATE INDEX resident_notes_resident ON resident_notes (resident_id, id);

-- An outbound message a person wrote in the admin, in their own name. The message itself is
-- an ordinary row of `messages` with its outbox row, so the dispatcher treats it like any other.
CREATE TABLE staff_messages (
    message_id      INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    sent_by         TEXT NOT NULL,
    actor           TEXT NOT NULL
);

-- A resident's page lists the alerts about them.
CREATE INDEX alerts_resident ON alerts (resident_id, id);
