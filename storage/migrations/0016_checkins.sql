-- Check-ins: each one as it happened, the ladder when nobody answers, pauses that end by
-- themselves, check-ins moved out of quiet hours, and the catalyst's calendar feed.

-- One row per check-in that fell due: started (the question went), or not started and why.
-- The escalation ladder, the catalyst's row of coloured days, "last time you said" and the
-- figures all read it. `status` says how it went:
--   waiting    the question went and no answer yet (the ladder may be climbing)
--   answered   the resident answered; `mood` is good, ok or low when the flow saved one
--   not_today  the resident said not today
--   later      the resident asked to be asked later the same day (a follow-up is due)
--   missed     nobody answered by the ladder's last rung
--   paused     fell due while the resident was paused, so never started
--   declined   check-ins were withdrawn (no consent) when it fell due, so never started
--   ended      the conversation ended another way (a risk message, STOP, a new conversation)
CREATE TABLE checkins (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    schedule_id     INTEGER REFERENCES schedules (id) ON DELETE SET NULL,
    session_id      INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    flow_id         TEXT NOT NULL,
    -- When the rhythm had it (UTC), and when it really began if quiet hours moved it.
    due_at          TEXT NOT NULL,
    started_at      TEXT,
    moved_from      TEXT,
    channel         TEXT,
    status          TEXT NOT NULL CHECK (status IN (
                        'waiting', 'answered', 'not_today', 'later', 'missed', 'paused',
                        'declined', 'ended')),
    mood            TEXT,
    -- The resident's own words in answer, sealed, for "last time you said your knee was bad".
    said            TEXT,
    answered_at     TEXT,
    -- The escalation ladder: rungs climbed so far, when the next is due (NULL: no more), and
    -- the missed check-in alert it raised.
    rung            INTEGER NOT NULL DEFAULT 0,
    next_rung_at    TEXT,
    alert_id        INTEGER REFERENCES alerts (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- The ladder's sweep reads only rungs that are due.
CREATE INDEX checkins_ladder ON checkins (next_rung_at) WHERE next_rung_at IS NOT NULL;
-- A resident's check-ins, newest first (the row of days, last time, consecutive misses).
CREATE INDEX checkins_resident ON checkins (resident_id, due_at);
-- At most one check-in waiting per resident, as at most one session waits.
CREATE UNIQUE INDEX checkins_one_waiting ON checkins (resident_id) WHERE status = 'waiting';

-- A slot moved out of the resident's quiet hours: where the rhythm put it, for the catalyst.
ALTER TABLE schedules ADD COLUMN moved_from TEXT;

-- The resident's own escalation ladder, in the programme setting's words ("2h reminder, 4h
-- other channel, 8h alert"); NULL follows the programme's.
ALTER TABLE residents ADD COLUMN ladder TEXT;

-- Paused residents whose pause ends by itself, found through an index by the resume sweep.
CREATE INDEX residents_pause_ends ON residents (paused_until)
    WHERE status = 'paused' AND paused_until IS NOT NULL;

-- A catalyst's calendar feed: a keyed hash of the secret in its URL (the secret is shown
-- once; resetting it makes the old URL stop working).
ALTER TABLE people ADD COLUMN calendar_secret_hash TEXT;
CREATE UNIQUE INDEX people_calendar ON people (calendar_secret_hash)
    WHERE calendar_secret_hash IS NOT NULL;
