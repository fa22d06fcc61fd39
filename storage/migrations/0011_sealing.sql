-- Encryption at rest: names, numbers, chat ids, message texts and notes are stored sealed
-- (storage/sealing.py). This migration adds what sealing needs; the values already in the file
-- are sealed by the first open after it (storage/resealing.py), since SQL cannot encrypt.

-- A known value sealed with the data key at the first open, so that opening the file with
-- another key says so at once instead of failing on the first resident read. `name` is
-- 'check' for that value.
CREATE TABLE sealing_check (
    name            TEXT PRIMARY KEY,
    value           TEXT NOT NULL
) WITHOUT ROWID;

-- An address (a phone number, a chat id) is sealed, so it is found by its keyed hash: the
-- unique index moves from (channel, address) to (channel, address_hash). SQLite cannot drop a
-- table's UNIQUE constraint in place, so the table is rebuilt the standard way, keeping every
-- row and its id. Nothing refers to identities, so the drop touches no other table. The hash
-- of a row copied here is filled in by the sealing pass (NULLs never collide in the index).
CREATE TABLE identities_new (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'telegram', 'webchat')),
    address         TEXT NOT NULL,
    address_hash    TEXT,
    resident_id     INTEGER REFERENCES residents (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,
    reachable       INTEGER NOT NULL DEFAULT 1,
    opted_out_at    TEXT,
    created_at      TEXT NOT NULL,
    CHECK ((resident_id IS NULL) <> (person_id IS NULL))
);

INSERT INTO identities_new (id, channel, address, resident_id, person_id, reachable,
                            opted_out_at, created_at)
SELECT id, channel, address, resident_id, person_id, reachable, opted_out_at, created_at
FROM identities;

DROP TABLE identities;
ALTER TABLE identities_new RENAME TO identities;

CREATE UNIQUE INDEX identities_address ON identities (channel, address_hash);
CREATE INDEX identities_resident ON identities (resident_id);

-- Residents' names can no longer be sorted or searched in SQL, so the residents list keeps them
-- opened in memory; this counter, moved by any change to a resident, tells it when to read them
-- again.
CREATE TABLE residents_version (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    n               INTEGER NOT NULL
);
INSERT INTO residents_version (id, n) VALUES (1, 0);

CREATE TRIGGER residents_version_insert AFTER INSERT ON residents
BEGIN
    UPDATE residents_version SET n = n + 1;
END;

CREATE TRIGGER residents_version_update AFTER UPDATE ON residents
BEGIN
    UPDATE residents_version SET n = n + 1;
END;

CREATE TRIGGER residents_version_delete AFTER DELETE ON residents
BEGIN
    UPDATE residents_version SET n = n + 1;
END;
