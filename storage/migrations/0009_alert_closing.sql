-- Alerts can be closed with a note of what was done ("rang her, she is fine"): when, by whom,
-- and the note. SQLite cannot change a CHECK constraint in place, so the table is rebuilt the
-- standard way (make the new table, copy every row, drop the old, rename), keeping every
-- alert and its id. Nothing refers to alerts, so the drop touches no other table.

CREATE TABLE alerts_new (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER REFERENCES residents (id) ON DELETE CASCADE,
    catalyst_id     INTEGER REFERENCES people (id),
    kind            TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent')),
    summary         TEXT NOT NULL,
    message_id      INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'acknowledged', 'closed')),
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    paged_at        TEXT,
    closed_at       TEXT,
    closed_by       TEXT,
    closing_note    TEXT,
    -- A closed alert always says when, by whom and what was done.
    CHECK (status != 'closed'
           OR (closed_at IS NOT NULL AND closed_by IS NOT NULL AND closing_note IS NOT NULL))
);

INSERT INTO alerts_new (id, resident_id, catalyst_id, kind, urgency, summary, message_id,
                        status, created_at, acknowledged_at, acknowledged_by, paged_at)
SELECT id, resident_id, catalyst_id, kind, urgency, summary, message_id,
       status, created_at, acknowledged_at, acknowledged_by, paged_at
FROM alerts;

DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;

CREATE INDEX alerts_open ON alerts (status, catalyst_id, id);
CREATE INDEX alerts_unpaged ON alerts (id) WHERE paged_at IS NULL;
-- The inbox: one state's alerts, urgent before routine, newest first.
CREATE INDEX alerts_inbox ON alerts (status, urgency, created_at);
