-- Slots the check-in sweep has claimed, waiting for their conversation to start.
--
-- The sweep works in two steps, so 100,000 check-ins due in the same minute are all claimed
-- and queued within seconds: first it claims each due slot (schedule_runs), moves its schedule
-- on and queues it here, a few set-wise statements per thousand; then it starts what is queued,
-- oldest first, running each flow's first turn and queueing its messages, while the dispatcher
-- is already sending the first of them. A slot queued when the process stops is started by the
-- next sweep, once: starting it and taking it off this queue are one transaction.
--
-- The row keeps what the slot was (its kind, flow, due time and quiet-hours move), since its
-- schedule has already moved on to the next slot.
CREATE TABLE checkin_queue (
    id              INTEGER PRIMARY KEY,
    schedule_id     INTEGER REFERENCES schedules (id) ON DELETE SET NULL,
    resident_id     INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    flow_id         TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    moved_from      TEXT,
    queued_at       TEXT NOT NULL
);
