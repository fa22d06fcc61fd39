-- A conversation keeps what it is about (the event, the pairing) and what started it, so that
-- every later turn, reminder and timeout can name them: JSON of namespaces, as the flow's
-- templates see them ({"event": {...}, "session": {"started_by": "schedule"}}).
ALTER TABLE sessions ADD COLUMN context TEXT NOT NULL DEFAULT '{}';
