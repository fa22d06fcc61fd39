"""This module reads and writes what climbing a batch of escalation rungs needs, a few statements
per batch rather than several per rung: the check-ins, which residents have a safeguarding alert
open or wrote since their question, the conversations and the questions they are waiting on,
misses in a row and the last answer; and the rungs moved, the check-ins settled, the reminders
queued and the missed check-in alerts raised.

Each write here is the bulk form of one that climbing one rung makes (checkin_ladder.move_rung,
checkins.settle, messages.queue_outbound, alerts.raise_alert and checkin_ladder.mark_missed),
with the same columns and values, so a batch leaves what one rung at a time would. Residents,
their channels and their consent are read as starting a batch reads them (storage.checkin_starts).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage import rows, sealing
from storage.checkin_ladder import MISSED_KIND, RECENT
from storage.checkins import checkin
from storage.records import Checkin

# Ids go in as one JSON array, so a batch of any size is one statement.
_IDS = "(SELECT value FROM json_each(?))"


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted(set(values)))


async def checkins(db: aiosqlite.Connection, ids: Iterable[int]) -> dict[int, Checkin]:
    async with db.execute(f"SELECT * FROM checkins WHERE id IN {_IDS}", (_ids(ids),)) as cursor:
        return {row["id"]: checkin(row) for row in await cursor.fetchall()}


async def with_open_risk(db: aiosqlite.Connection, resident_ids: Iterable[int]) -> set[int]:
    """The residents with a safeguarding alert still open (as alerts.has_open_risk)."""
    async with db.execute(
        "SELECT DISTINCT resident_id FROM alerts WHERE kind = 'risk' AND status != 'closed'"
        f" AND resident_id IN {_IDS}",
        (_ids(resident_ids),),
    ) as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def wrote_since(db: aiosqlite.Connection, asked: Sequence[tuple[int, int, str]]) -> set[int]:
    """Of (check-in id, resident id, since) the check-ins whose resident sent a message after
    `since`, reading each resident's newest messages only (as checkin_ladder.wrote_since)."""
    async with db.execute(
        "SELECT json_extract(j.value, '$[0]') FROM json_each(?) AS j WHERE EXISTS (SELECT 1"
        " FROM (SELECT direction, created_at FROM messages"
        " WHERE resident_id = json_extract(j.value, '$[1]') ORDER BY id DESC LIMIT ?)"
        " WHERE direction = 'in' AND created_at > json_extract(j.value, '$[2]'))",
        (json.dumps([list(item) for item in asked]), RECENT),
    ) as cursor:
        return {int(row[0]) for row in await cursor.fetchall()}


async def waiting(
    db: aiosqlite.Connection, session_ids: Iterable[int], languages_of: set[int]
) -> dict[int, str | None]:
    """Of these conversations, the ones still waiting, each with its language for those in
    `languages_of` (None for the rest: reading it means opening the sealed state)."""
    found: dict[int, str | None] = {}
    async with db.execute(
        f"SELECT id, state FROM sessions WHERE status = 'waiting' AND id IN {_IDS}",
        (_ids(session_ids),),
    ) as cursor:
        for row in await cursor.fetchall():
            language = None
            if row["id"] in languages_of:
                state = json.loads(sealing.unseal(row["state"]))
                language = state.get("language") if isinstance(state, dict) else None
            found[row["id"]] = language if isinstance(language, str) else None
    return found


@dataclass(frozen=True, slots=True)
class Question:
    """The newest message a conversation sent: what a rung asks again."""

    channel: str
    body: str
    purpose: str
    #: Its buttons as stored (JSON), to go on the message that asks again as they are.
    buttons: str


async def last_questions(
    db: aiosqlite.Connection, asked: Iterable[tuple[int, int]]
) -> dict[int, Question]:
    """For (resident id, session id) pairs, by session: the newest message the conversation sent
    the resident (as checkin_ladder.last_question)."""
    async with db.execute(
        "SELECT m.session_id, m.channel, m.body, m.purpose, m.buttons FROM json_each(?) AS j"
        " JOIN messages AS m ON m.id = (SELECT id FROM messages"
        " WHERE resident_id = json_extract(j.value, '$[0]')"
        " AND session_id = json_extract(j.value, '$[1]') AND direction = 'out'"
        " ORDER BY id DESC LIMIT 1)",
        (json.dumps([list(pair) for pair in asked]),),
    ) as cursor:
        return {
            row["session_id"]: Question(
                row["channel"],
                sealing.unseal(row["body"]),
                row["purpose"],
                row["buttons"],
            )
            for row in await cursor.fetchall()
        }


async def newest_statuses(
    db: aiosqlite.Connection, resident_ids: Iterable[int], limit: int
) -> dict[int, list[tuple[int, str]]]:
    """Each resident's newest check-ins (id, status), newest first (as checkin_ladder.newest)."""
    found: dict[int, list[tuple[int, str]]] = {}
    async with db.execute(
        "SELECT r.value AS resident_id, c.id, c.status FROM json_each(?) AS r"
        " JOIN checkins AS c ON c.id IN (SELECT id FROM checkins WHERE resident_id = r.value"
        " ORDER BY due_at DESC, id DESC LIMIT ?) ORDER BY r.value, c.due_at DESC, c.id DESC",
        (_ids(resident_ids), limit),
    ) as cursor:
        for row in await cursor.fetchall():
            found.setdefault(row["resident_id"], []).append((row["id"], row["status"]))
    return found


async def last_answered(
    db: aiosqlite.Connection, resident_ids: Iterable[int]
) -> dict[int, Checkin]:
    """Each resident's check-in answered most recently (as checkin_ladder.last_answered)."""
    async with db.execute(
        "SELECT * FROM checkins WHERE id IN (SELECT (SELECT id FROM checkins AS c"
        " WHERE c.resident_id = r.value AND c.status = 'answered' AND c.answered_at IS NOT NULL"
        " ORDER BY c.answered_at DESC LIMIT 1) FROM json_each(?) AS r)",
        (_ids(resident_ids),),
    ) as cursor:
        return {row["resident_id"]: checkin(row) for row in await cursor.fetchall()}


async def move_rungs(
    db: aiosqlite.Connection, moves: Sequence[tuple[int, int, datetime | None]]
) -> None:
    """(check-in id, rungs climbed, when the next is due or None) for each rung moved."""
    now = rows.now_text()
    await db.executemany(
        "UPDATE checkins SET rung = ?, next_rung_at = ?, updated_at = ? WHERE id = ?",
        [
            (rung, rows.now_text(due) if due else None, now, checkin_id)
            for checkin_id, rung, due in moves
        ],
    )


async def settle(db: aiosqlite.Connection, settled: Sequence[tuple[int, str]]) -> None:
    """(check-in id, status) for check-ins whose ladder stops with no answer (checkins.settle
    with no mood, words or time)."""
    now = rows.now_text()
    await db.executemany(
        "UPDATE checkins SET status = ?, next_rung_at = NULL, updated_at = ? WHERE id = ?",
        [(status, now, checkin_id) for checkin_id, status in settled],
    )


@dataclass(frozen=True, slots=True)
class Missed:
    """A check-in missed at the ladder's last rung, and the alert it raises."""

    checkin_id: int
    rung: int
    resident_id: int
    catalyst_id: int | None
    urgency: str
    summary: str


async def raise_missed(db: aiosqlite.Connection, missed: Sequence[Missed]) -> None:
    """Raise each missed check-in alert and mark its check-in missed with it (as
    alerts.alert_for and checkin_ladder.mark_missed)."""
    if not missed:
        return
    now = rows.now_text()
    alert_id = await rows.last_id(db, "alerts")
    alert_rows, checkin_rows = [], []
    for item in missed:
        alert_id += 1
        alert_rows.append(
            (
                alert_id,
                item.resident_id,
                item.catalyst_id,
                MISSED_KIND,
                item.urgency,
                sealing.seal(item.summary),
                now,
            )
        )
        checkin_rows.append((item.rung, alert_id, now, item.checkin_id))
    await db.executemany(
        "INSERT INTO alerts (id, resident_id, catalyst_id, kind, urgency, summary, message_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
        alert_rows,
    )
    await db.executemany(
        "UPDATE checkins SET status = 'missed', rung = ?, alert_id = ?, next_rung_at = NULL,"
        " updated_at = ? WHERE id = ?",
        checkin_rows,
    )
