-- Real channels: Telegram start links, paging catalysts about alerts, SMS segments and
-- moving an undelivered message to the resident's other channel once.

-- A link staff hand to a resident or catalyst (t.me/<bot>?start=<token>) that binds the
-- Telegram chat that opens it. Only the token's hash is kept; it works once, until it expires.
CREATE TABLE link_tokens (
    token_hash      TEXT PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('telegram')),
    resident_id     INTEGER REFERENCES residents (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT,
    CHECK ((resident_id IS NULL) <> (person_id IS NULL))
) WITHOUT ROWID;

-- When the catalyst was sent word of an alert. Alerts raised before this migration were
-- never paged and are not paged now: they are visible to staff already, and a burst of stale
-- pages would bury anything new.
ALTER TABLE alerts ADD COLUMN paged_at TEXT;
UPDATE alerts SET paged_at = created_at;
CREATE INDEX alerts_unpaged ON alerts (id) WHERE paged_at IS NULL;

-- SMS segments a message cost (known before sending); the quick-reply buttons it offered (the
-- outbox row that held them is gone once sent, and a button pressed later must be checked
-- against them); and the message an undelivered one was moved on from, so a message moves to
-- another channel at most once.
ALTER TABLE messages ADD COLUMN segments INTEGER;
ALTER TABLE messages ADD COLUMN buttons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN failover_of INTEGER REFERENCES messages (id) ON DELETE SET NULL;
