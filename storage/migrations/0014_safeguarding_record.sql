-- Safeguarding: the record of each risk alert, the duty list that urgent alerts go to, and when
-- an unacknowledged alert is next passed on to the next person on that list.

-- What happened, entry by entry: what was said and when, the reply, who was told and how, who
-- passed it on, who acknowledged it, what they did. `detail` is sealed JSON (it quotes the
-- resident). There is no foreign key, so that nothing (an erased resident, a deleted alert)
-- can cascade into the record; and the triggers below refuse any change but an addition.
CREATE TABLE safeguarding_records (
    id              INTEGER PRIMARY KEY,
    alert_id        INTEGER NOT NULL,
    resident_id     INTEGER,
    at              TEXT NOT NULL,
    event           TEXT NOT NULL CHECK (event IN (
                        'raised', 'replied', 'reply_held', 'told', 'passed_on',
                        'nobody_left', 'acknowledged', 'note', 'closed')),
    actor           TEXT NOT NULL,
    detail          TEXT NOT NULL
);
CREATE INDEX safeguarding_records_alert ON safeguarding_records (alert_id, id);
CREATE INDEX safeguarding_records_resident ON safeguarding_records (resident_id, id);

-- While a key rotation reseals values, it holds a row here inside its own transaction: only
-- then may a record's sealed detail be rewritten (to the same words under the new key).
CREATE TABLE sealing_rekey (
    started_at      TEXT NOT NULL
);

CREATE TRIGGER safeguarding_records_kept BEFORE DELETE ON safeguarding_records
BEGIN
    SELECT RAISE(ABORT, 'the safeguarding record can only be added to');
END;

CREATE TRIGGER safeguarding_records_fixed
BEFORE UPDATE OF id, alert_id, resident_id, at, event, actor ON safeguarding_records
BEGIN
    SELECT RAISE(ABORT, 'the safeguarding record can only be added to');
END;

CREATE TRIGGER safeguarding_records_resealed_only
BEFORE UPDATE OF detail ON safeguarding_records
WHEN NOT EXISTS (SELECT 1 FROM sealing_rekey)
BEGIN
    SELECT RAISE(ABORT, 'the safeguarding record can only be added to');
END;

-- Who urgent alerts go to besides the resident's catalyst, in order: the first at once, the
-- next when nobody has acknowledged the alert in time, and so on down the list.
CREATE TABLE duty_list (
    position        INTEGER NOT NULL UNIQUE,
    person_id       INTEGER NOT NULL UNIQUE REFERENCES people (id) ON DELETE CASCADE
);

-- How far down the duty list an urgent alert has gone, and when it was last passed to someone
-- while nobody has acknowledged it (NULL once someone has, or nobody is left to pass it to).
ALTER TABLE alerts ADD COLUMN duty_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN passed_on_at TEXT;
CREATE INDEX alerts_passed_on ON alerts (passed_on_at) WHERE passed_on_at IS NOT NULL;
