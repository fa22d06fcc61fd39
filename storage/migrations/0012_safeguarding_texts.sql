-- Safeguarding texts edited in the admin: phrases staff add to the risk detector (beside the
-- ones in files under version control), and the fixed replies admins reword. Neither is ever
-- deleted or changed in place: a phrase is retired (who, when, why), and a reply is a history
-- whose newest entry counts, so that who approved which words stays on record.

CREATE TABLE safeguarding_phrases (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    language        TEXT NOT NULL,
    pattern         TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('now', 'event', 'concern')),
    -- 1: an everyday look-alike ("dying for a cuppa") that stops a match of its kind.
    everyday        INTEGER NOT NULL DEFAULT 0 CHECK (everyday IN (0, 1)),
    -- Sealed: why the phrase is here, which may quote what a resident once wrote.
    note            TEXT NOT NULL,
    -- Sealed: the message the phrase was shown to catch when it was added.
    example         TEXT NOT NULL,
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    retired_by      TEXT,
    retired_at      TEXT,
    -- Sealed: why it was retired.
    retired_note    TEXT,
    CHECK ((retired_at IS NULL) = (retired_by IS NULL)
           AND (retired_at IS NULL) = (retired_note IS NULL))
);

-- One live copy of a phrase per kind and language; a retired one may be added again.
CREATE UNIQUE INDEX safeguarding_phrases_live
    ON safeguarding_phrases (kind, language, pattern, everyday) WHERE retired_at IS NULL;

CREATE TABLE safeguarding_replies (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    language        TEXT NOT NULL,
    text            TEXT NOT NULL,
    saved_by        TEXT NOT NULL,
    saved_at        TEXT NOT NULL
);

CREATE INDEX safeguarding_replies_newest ON safeguarding_replies (kind, language, id);

-- One row, bumped in the same transaction as any change above, so that the running detector
-- knows to rebuild with one cheap read. `stamp` is new at every bump and differs between
-- databases, so a cache keyed on it is never mistaken for another database's.
CREATE TABLE safeguarding_texts_version (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    version         INTEGER NOT NULL,
    stamp           TEXT NOT NULL
);

INSERT INTO safeguarding_texts_version (id, version, stamp)
VALUES (1, 0, lower(hex(randomblob(16))));
