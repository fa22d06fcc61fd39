"""This module is the outbox's storage: what may go now, and settling each attempt.

A row leaves the outbox only when the provider has taken the message (or it is given up), so
a crash between reading a row and recording its send means it is sent again after restart: at
most the messages in flight can be duplicated, none lost.

Order is kept per recipient, but never at the cost of a reply. A safety message waits for
nothing. Any other reply (to what the resident just said, a STOP confirmation, a page to a
catalyst) waits only for earlier replies to the same person, so the parts of one answer arrive in
order even through a retry. A routine message waits for everything before it. So a check-in
question held for quiet hours, a retry or a rate limit holds up only routine messages.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows
from storage.records import OutboxItem

#: Messages that wait for nothing, not even an earlier reply being retried.
SAFETY = "safety"

_COLUMNS = """
SELECT o.id, o.message_id, o.recipient, o.attempts, o.due_at, o.buttons,
       m.channel, m.address, m.body, m.purpose, m.routine, m.resident_id, m.created_at,
       m.person_id, m.failover_of
FROM outbox AS o JOIN messages AS m ON m.id = o.message_id
"""

#: Replies due now, safety messages first; any other reply behind earlier replies only.
_DUE_REPLIES = (
    _COLUMNS
    + """
WHERE o.routine = 0 AND o.due_at <= :now
  AND (m.purpose = :safety OR NOT EXISTS (
      SELECT 1 FROM outbox AS e WHERE e.recipient = o.recipient AND e.id < o.id AND e.routine = 0))
ORDER BY m.purpose = :safety DESC, o.due_at, o.id
LIMIT :limit
"""
)

#: Routine messages due now, each behind everything queued for that recipient before it but
#: those held while a safeguarding alert is open (see `settle_held`).
_DUE_ROUTINE = (
    _COLUMNS
    + """
WHERE o.routine = 1 AND o.due_at <= :now
  AND NOT EXISTS (SELECT 1 FROM outbox AS e
                  WHERE e.recipient = o.recipient AND e.id < o.id AND e.held = 0)
ORDER BY o.due_at, o.id
LIMIT :limit
"""
)


async def due(db: aiosqlite.Connection, now: datetime, limit: int) -> list[OutboxItem]:
    """Up to `limit` messages that may go now, replies and safety messages first.

    Read-only: the dispatcher takes a message only when it is about to send it.
    """
    found: list[OutboxItem] = []
    for query in (_DUE_REPLIES, _DUE_ROUTINE):
        if len(found) >= limit:
            break
        params = {"now": rows.now_text(now), "limit": limit - len(found), "safety": SAFETY}
        async with db.execute(query, params) as cursor:
            found += [rows.outbox_item(row) for row in await cursor.fetchall()]
    return found


async def settle_sent(db: aiosqlite.Connection, item: OutboxItem, provider_id: str | None) -> None:
    await db.execute("DELETE FROM outbox WHERE id = ?", (item.id,))
    await db.execute(
        "UPDATE messages SET status = 'sent', provider_id = COALESCE(?, provider_id),"
        " error = NULL, updated_at = ? WHERE id = ?",
        (provider_id, rows.now_text(), item.message_id),
    )


async def settle_retry(
    db: aiosqlite.Connection, item: OutboxItem, due_at: datetime, error: str | None
) -> None:
    """Try again at `due_at` (a retry, or the end of quiet hours)."""
    attempts = item.attempts + (1 if error else 0)
    await db.execute(
        "UPDATE outbox SET due_at = ?, attempts = ?, last_error = ?, held = 0 WHERE id = ?",
        (rows.now_text(due_at), attempts, error, item.id),
    )


async def settle_held(db: aiosqlite.Connection, item: OutboxItem, look_again_at: datetime) -> None:
    """Hold a routine message while a safeguarding alert about its resident is open: look at
    it again at `look_again_at`; meanwhile it holds up none of their later messages."""
    await db.execute(
        "UPDATE outbox SET due_at = ?, held = 1 WHERE id = ?",
        (rows.now_text(look_again_at), item.id),
    )


async def settle_dropped(
    db: aiosqlite.Connection, item: OutboxItem, status: str, reason: str
) -> None:
    """Give the message up: failed, or cancelled (opted out since it was queued)."""
    await db.execute("DELETE FROM outbox WHERE id = ?", (item.id,))
    await db.execute(
        "UPDATE messages SET status = ?, error = ?, updated_at = ? WHERE id = ?",
        (status, reason, rows.now_text(), item.message_id),
    )


async def pending_count(db: aiosqlite.Connection) -> int:
    async with db.execute("SELECT COUNT(*) FROM outbox") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def next_due_at(db: aiosqlite.Connection) -> datetime | None:
    """When the next message held for later falls due, so the dispatcher can sleep till then."""
    async with db.execute("SELECT MIN(due_at) FROM outbox") as cursor:
        row = await cursor.fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None
