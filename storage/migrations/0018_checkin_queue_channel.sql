-- The channel each queued check-in will most likely go by, read when its slot is claimed.
--
-- 100,000 check-ins due in the same minute are all claimed and queued within seconds, but the
-- channels send a few a second. So the sweep starts queued check-ins only as fast as their
-- channel can send them, a couple of minutes ahead: the question is written when it can go, the
-- ladder counts from then, and the outbox never holds hours of routine messages. A queued
-- check-in waits only behind others on its own channel. The conversation still starts on the
-- route that is best at that moment; this is only where it waits.
ALTER TABLE checkin_queue ADD COLUMN channel TEXT;
CREATE INDEX checkin_queue_channel ON checkin_queue (channel, id);
