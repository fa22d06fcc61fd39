-- Privacy: erasing a resident, and removing old message texts.
--
-- An erased resident keeps their row (so the programme's figures still count them) with their
-- names replaced; `erased_at` says when. A message whose text was removed keeps its row (its
-- direction, purpose, status and dates still count) with `body_removed_at` set and the text
-- replaced by words saying why, such as "(removed after 12 months)".
ALTER TABLE residents ADD COLUMN erased_at TEXT;
ALTER TABLE messages ADD COLUMN body_removed_at TEXT;

-- The retention job finds messages whose text is still there, oldest first; once removed, a
-- message leaves this index, so each daily run reads only what is new since the last.
CREATE INDEX messages_texts_kept ON messages (created_at) WHERE body_removed_at IS NULL;

-- A text an open alert needs is kept: the retention job asks, for each old message, whether an
-- alert not yet closed points at it.
CREATE INDEX alerts_message ON alerts (message_id) WHERE message_id IS NOT NULL;
