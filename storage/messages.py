"""This module stores messages both ways: inbound ones once each, outbound ones with the outbox.

An outbound message and its outbox row are written in the caller's transaction, so whatever
caused the message (a reply, a check-in) and the message itself commit together or not at all.
A message's text and address are stored sealed (storage/sealing.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage import rows, sealing
from storage.records import Message


@dataclass(frozen=True, slots=True)
class Inbound:
    message_id: int
    #: True when this provider id was seen before: acknowledge it and do nothing else.
    duplicate: bool


async def record_inbound(
    db: aiosqlite.Connection,
    *,
    channel: str,
    provider_id: str,
    address: str,
    body: str,
    resident_id: int | None,
    person_id: int | None = None,
) -> Inbound:
    now = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO inbound_ids (channel, provider_id, received_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (channel, provider_id, now),
    )
    if cursor.rowcount == 0:
        async with db.execute(
            "SELECT message_id FROM inbound_ids WHERE channel = ? AND provider_id = ?",
            (channel, provider_id),
        ) as found:
            row = await found.fetchone()
        return Inbound(int(row["message_id"]) if row and row["message_id"] else 0, True)
    cursor = await db.execute(
        "INSERT INTO messages (resident_id, person_id, direction, channel, address, body,"
        " purpose, routine, provider_id, status, created_at, updated_at)"
        " VALUES (?, ?, 'in', ?, ?, ?, 'reply', 0, ?, 'received', ?, ?) RETURNING id",
        (
            resident_id,
            person_id,
            channel,
            sealing.seal(address),
            sealing.seal(body),
            provider_id,
            now,
            now,
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    message_id = int(row["id"])
    await db.execute(
        "UPDATE inbound_ids SET message_id = ? WHERE channel = ? AND provider_id = ?",
        (message_id, channel, provider_id),
    )
    return Inbound(message_id, False)


@dataclass(frozen=True, slots=True)
class RoutineMessage:
    """A routine message to a resident in a conversation, for `queue_routine`."""

    resident_id: int
    session_id: int
    channel: str
    address: str
    body: str
    purpose: str
    #: As stored (JSON).
    buttons: str


async def queue_routine(db: aiosqlite.Connection, queued: Sequence[RoutineMessage]) -> None:
    """Record each routine message and put it in the outbox, as queue_outbound does one at a
    time, with one statement per table for them all (the sweeps' batches)."""
    if not queued:
        return
    now = rows.now_text()
    message_id = await rows.last_id(db, "messages")
    message_rows, outbox_rows = [], []
    for item in queued:
        message_id += 1
        message_rows.append(
            (
                message_id,
                item.resident_id,
                item.channel,
                sealing.seal(item.address),
                sealing.seal(item.body),
                item.purpose,
                item.session_id,
                item.buttons,
                now,
                now,
            )
        )
        outbox_rows.append((message_id, f"r{item.resident_id}", now, item.buttons))
    await db.executemany(
        "INSERT INTO messages (id, resident_id, person_id, direction, channel, address, body,"
        " purpose, routine, session_id, status, buttons, failover_of, created_at, updated_at)"
        " VALUES (?, ?, NULL, 'out', ?, ?, ?, ?, 1, ?, 'queued', ?, NULL, ?, ?)",
        message_rows,
    )
    await db.executemany(
        "INSERT INTO outbox (message_id, recipient, due_at, routine, buttons)"
        " VALUES (?, ?, ?, 1, ?)",
        outbox_rows,
    )


async def queue_outbound(
    db: aiosqlite.Connection,
    *,
    channel: str,
    address: str | None,
    body: str,
    purpose: str,
    routine: bool,
    resident_id: int | None,
    person_id: int | None = None,
    session_id: int | None = None,
    buttons: list[dict[str, str]] | None = None,
    due_at: datetime | None = None,
    failover_of: int | None = None,
) -> int:
    """Record an outbound message and put it in the outbox; return the message id."""
    now = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO messages (resident_id, person_id, direction, channel, address, body,"
        " purpose, routine, session_id, status, buttons, failover_of, created_at, updated_at)"
        " VALUES (?, ?, 'out', ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) RETURNING id",
        (
            resident_id,
            person_id,
            channel,
            sealing.seal_optional(address),
            sealing.seal(body),
            purpose,
            int(routine),
            session_id,
            rows.jsonable(buttons or []),
            failover_of,
            now,
            now,
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    message_id = int(row["id"])
    recipient = (
        f"r{resident_id}"
        if resident_id is not None
        else f"p{person_id}"
        if person_id is not None
        # Someone not known yet, such as a chat with a stale link: by the address's hash, since
        # the outbox is not sealed.
        else f"{channel}:{sealing.lookup_hash(address or '')}"
    )
    await db.execute(
        "INSERT INTO outbox (message_id, recipient, due_at, routine, buttons)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            message_id,
            recipient,
            rows.now_text(due_at) if due_at else now,
            int(routine),
            rows.jsonable(buttons or []),
        ),
    )
    return message_id


async def set_status(
    db: aiosqlite.Connection,
    message_id: int,
    status: str,
    *,
    error: str | None = None,
    provider_id: str | None = None,
) -> None:
    await db.execute(
        "UPDATE messages SET status = ?, error = ?, provider_id = COALESCE(?, provider_id),"
        " updated_at = ? WHERE id = ?",
        (status, error, provider_id, rows.now_text(), message_id),
    )


async def conversation(
    db: aiosqlite.Connection, resident_id: int, *, after_id: int = 0, limit: int = 200
) -> list[Message]:
    """A resident's messages, oldest first, with their delivery status."""
    async with db.execute(
        "SELECT * FROM messages WHERE resident_id = ? AND id > ? ORDER BY id LIMIT ?",
        (resident_id, after_id, limit),
    ) as cursor:
        return [rows.message(row) for row in await cursor.fetchall()]


async def get_message(db: aiosqlite.Connection, message_id: int) -> Message | None:
    async with db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)) as cursor:
        row = await cursor.fetchone()
    return rows.message(row) if row else None


#: How far each delivery status has got. Provider callbacks can arrive out of order, so a
#: status only ever moves forward ("sent" after "delivered" changes nothing).
STATUS_ORDER = {
    "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "read": 4,
    "undelivered": 5,
    "failed": 5,
    "cancelled": 5,
}


async def find_by_provider_id(
    db: aiosqlite.Connection, channel: str, provider_id: str
) -> Message | None:
    async with db.execute(
        "SELECT * FROM messages WHERE channel = ? AND provider_id = ?", (channel, provider_id)
    ) as cursor:
        row = await cursor.fetchone()
    return rows.message(row) if row else None


async def advance_status(
    db: aiosqlite.Connection, message: Message, status: str, error: str | None = None
) -> bool:
    """Move an outbound message's status forward; False when `status` would go backwards."""
    if STATUS_ORDER.get(status, -1) <= STATUS_ORDER.get(message.status, -1):
        return False
    await set_status(db, message.id, status, error=error)
    return True


async def set_segments(db: aiosqlite.Connection, message_id: int, segments: int) -> None:
    await db.execute("UPDATE messages SET segments = ? WHERE id = ?", (segments, message_id))


async def buttons_after(
    db: aiosqlite.Connection, session_id: int, message_id: int
) -> list[tuple[dict[str, str], ...]]:
    """The buttons of each later message in a conversation that offered some."""
    async with db.execute(
        "SELECT buttons FROM messages WHERE session_id = ? AND id > ? AND direction = 'out'"
        " AND buttons != '[]' ORDER BY id",
        (session_id, message_id),
    ) as cursor:
        return [tuple(json.loads(row["buttons"])) for row in await cursor.fetchall()]


async def attribute(
    db: aiosqlite.Connection,
    message_id: int,
    *,
    resident_id: int | None,
    person_id: int | None,
) -> None:
    """Say whose a message was, once known (a chat's first message opens a start link)."""
    await db.execute(
        "UPDATE messages SET resident_id = ?, person_id = ? WHERE id = ?",
        (resident_id, person_id, message_id),
    )


async def messages_to_person(db: aiosqlite.Connection, person_id: int) -> list[Message]:
    """What was sent to a catalyst or staff member (alert pages, replies), oldest first."""
    async with db.execute(
        "SELECT * FROM messages WHERE person_id = ? AND direction = 'out' ORDER BY id",
        (person_id,),
    ) as cursor:
        return [rows.message(row) for row in await cursor.fetchall()]
