"""This module reads what has happened with one resident, for their page in the admin: the
latest of their conversation (with who wrote each message sent from the admin), the results of
their flows, and the alerts about them. It also records who wrote a message sent from the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage import rows, sealing
from storage.records import Alert, Message


@dataclass(frozen=True, slots=True)
class ConversationRow:
    message: Message
    #: Who wrote it in the admin ("Abby Clarke"); None for a flow's message or a reply.
    sent_by: str | None


@dataclass(frozen=True, slots=True)
class Result:
    id: int
    session_id: int
    flow_id: str
    name: str
    value: Any
    label: str
    category: str
    at: str


async def record_staff_message(
    db: aiosqlite.Connection, message_id: int, *, sent_by: str, actor: str
) -> None:
    await db.execute(
        "INSERT INTO staff_messages (message_id, sent_by, actor) VALUES (?, ?, ?)",
        (message_id, sealing.seal(sent_by), actor),
    )


async def latest_conversation(
    db: aiosqlite.Connection, resident_id: int, limit: int
) -> list[ConversationRow]:
    """The resident's latest `limit` messages both ways, oldest first."""
    async with db.execute(
        "SELECT * FROM (SELECT m.*, s.sent_by AS sent_by FROM messages AS m"
        " LEFT JOIN staff_messages AS s ON s.message_id = m.id"
        " WHERE m.resident_id = ? ORDER BY m.id DESC LIMIT ?) ORDER BY id",
        (resident_id, limit),
    ) as cursor:
        return [
            ConversationRow(rows.message(row), sealing.unseal_optional(row["sent_by"]))
            for row in await cursor.fetchall()
        ]


async def results_of(db: aiosqlite.Connection, resident_id: int, limit: int) -> list[Result]:
    """The resident's flow results, newest first."""
    async with db.execute(
        "SELECT * FROM results WHERE resident_id = ? ORDER BY id DESC LIMIT ?",
        (resident_id, limit),
    ) as cursor:
        return [
            Result(
                row["id"],
                row["session_id"],
                row["flow_id"],
                row["name"],
                rows.opened_json(row["value"]),
                sealing.unseal(row["label"]),
                row["category"],
                row["at"],
            )
            for row in await cursor.fetchall()
        ]


async def alerts_about(db: aiosqlite.Connection, resident_id: int, limit: int) -> list[Alert]:
    """Alerts about the resident: open ones first, then the newest."""
    async with db.execute(
        "SELECT * FROM alerts WHERE resident_id = ? ORDER BY status = 'open' DESC, id DESC LIMIT ?",
        (resident_id, limit),
    ) as cursor:
        return [rows.alert(row) for row in await cursor.fetchall()]
