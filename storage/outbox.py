"""This module is the outbox's storage: what is due, claiming it, and settling each attempt.

A row leaves the outbox only when the provider has taken the message (or it is given up), so
a crash between claiming and sending means the message is sent again after restart: at most
the messages in flight can be duplicated, none lost.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows
from storage.records import OutboxItem

_DUE = """
SELECT o.id, o.message_id, o.recipient, o.attempts, o.due_at, o.buttons,
       m.channel, m.address, m.body, m.purpose, m.routine, m.resident_id, m.created_at,
       m.person_id, m.failover_of
FROM outbox AS o JOIN messages AS m ON m.id = o.message_id
WHERE o.due_at <= ? AND o.claimed_at IS NULL
  AND o.id = (SELECT MIN(first.id) FROM outbox AS first WHERE first.recipient = o.recipient)
ORDER BY o.due_at, o.id
LIMIT ?
"""


async def claim_due(db: aiosqlite.Connection, now: datetime, limit: int) -> list[OutboxItem]:
    """Claim up to `limit` due messages, only the oldest per recipient, so order is kept."""
    async with db.execute(_DUE, (rows.now_text(now), limit)) as cursor:
        items = [rows.outbox_item(row) for row in await cursor.fetchall()]
    if items:
        marks = ",".join("?" * len(items))
        await db.execute(
            f"UPDATE outbox SET claimed_at = ? WHERE id IN ({marks})",
            (rows.now_text(now), *(item.id for item in items)),
        )
    return items


async def release_claims(db: aiosqlite.Connection) -> int:
    """At start: messages claimed by a process that died are due again."""
    cursor = await db.execute("UPDATE outbox SET claimed_at = NULL WHERE claimed_at IS NOT NULL")
    return cursor.rowcount


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
        "UPDATE outbox SET due_at = ?, attempts = ?, claimed_at = NULL, last_error = ?"
        " WHERE id = ?",
        (rows.now_text(due_at), attempts, error, item.id),
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


async def next_due_at(db: aiosqlite.Connection) -> str | None:
    async with db.execute("SELECT MIN(due_at) FROM outbox WHERE claimed_at IS NULL") as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None
