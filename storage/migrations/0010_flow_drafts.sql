-- Flow drafts: staff edit a draft of a flow; every save is kept as a numbered version, so a
-- second person saving over an older version can be shown what changed since. Publishing stores
-- the draft as a new revision, with its scenario tests beside it.
ALTER TABLE flow_revisions ADD COLUMN scenarios TEXT NOT NULL DEFAULT '';

CREATE TABLE flow_draft_versions (
    flow_id             TEXT NOT NULL,
    version             INTEGER NOT NULL,
    name                TEXT NOT NULL,
    source              TEXT NOT NULL,
    scenarios           TEXT NOT NULL DEFAULT '',
    -- The revision the draft started from (NULL for a flow never published).
    based_on_revision   INTEGER,
    saved_at            TEXT NOT NULL,
    saved_by            TEXT NOT NULL,
    PRIMARY KEY (flow_id, version)
);
