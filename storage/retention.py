"""This module removes message texts older than the programme keeps them, a batch at a time.

A message keeps its row (direction, channel, purpose, status, dates), so the figures and
delivery counts stay; only its text is replaced by words saying why. A message that raised an
alert still open, or acknowledged but not closed, keeps its text until the alert is closed:
the safeguarding record and whoever is looking after it may still need it. A message still
waiting in the outbox keeps its text until it has gone.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows


async def remove_old_texts(
    db: aiosqlite.Connection, *, before: datetime, words: str, limit: int
) -> int:
    """Replace the text of at most `limit` messages written before `before` with `words`
    (oldest first, through the index of texts still kept); return how many."""
    cursor = await db.execute(
        "UPDATE messages SET body = ?, body_removed_at = ? WHERE id IN ("
        " SELECT m.id FROM messages AS m"
        " WHERE m.body_removed_at IS NULL AND m.created_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM alerts AS a"
        "                 WHERE a.message_id = m.id AND a.status != 'closed')"
        " AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.message_id = m.id)"
        " ORDER BY m.created_at LIMIT ?)",
        (words, rows.now_text(), rows.now_text(before), limit),
    )
    return cursor.rowcount


async def remove_old_checkin_words(db: aiosqlite.Connection, *, before: datetime) -> int:
    """Remove residents' own words kept with check-ins answered before `before` ("last time
    you said..." reaches back no further than the texts are kept); return how many."""
    cursor = await db.execute(
        "UPDATE checkins SET said = NULL WHERE said IS NOT NULL AND due_at < ?",
        (rows.now_text(before),),
    )
    return cursor.rowcount
