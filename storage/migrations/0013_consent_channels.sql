-- Consent per purpose and per channel, with who recorded it and why. The history is still
-- never updated, only added to: the newest row for a channel, or for every channel (channel
-- NULL), is the answer on that channel. `source` says how ("chat", "catalyst", "flow:<id>",
-- "import", "form", "api"); `actor` names the staff account for a change made on the
-- resident's behalf, and `note` (sealed: it may quote the resident) says what they told them.
ALTER TABLE consents ADD COLUMN actor TEXT;
ALTER TABLE consents ADD COLUMN note TEXT;

-- A routine message held while a safeguarding alert about its resident is open (an event
-- nudge, a buddy prompt) must not hold up the routine messages behind it, such as a check-in:
-- the outbox marks it held, and its per-recipient order skips held rows.
ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
