-- The outbox keeps a person's messages in order only among messages that may go now: a
-- routine message held for quiet hours, a retry or a rate limit must not hold up a reply or a
-- safety message behind it. So the outbox knows which rows are routine, and finds what is due
-- for each kind through its own index.
--
-- Claims move out of the database: the dispatcher takes a message only when it is about to
-- send it, and keeps what is in flight in memory. A claim written to the file was released at
-- every start anyway, so it guarded nothing across a crash.
ALTER TABLE outbox ADD COLUMN routine INTEGER NOT NULL DEFAULT 1;
UPDATE outbox SET routine = (SELECT m.routine FROM messages AS m WHERE m.id = outbox.message_id);
ALTER TABLE outbox DROP COLUMN claimed_at;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (routine, due_at, id);
