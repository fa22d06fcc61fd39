"""This module stores safeguarding's own data: the record kept for each risk alert (only ever
added to; the database refuses anything else), the duty list that urgent alerts go to, and when
an unacknowledged urgent alert is next passed down that list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage import rows, sealing
from storage.records import Alert, Person

#: What an entry in the record can say happened.
EVENTS = (
    "raised",
    "replied",
    "reply_held",
    "told",
    "passed_on",
    "nobody_left",
    "acknowledged",
    "note",
    "closed",
)


@dataclass(frozen=True, slots=True)
class RecordEntry:
    id: int
    alert_id: int
    resident_id: int | None
    at: str
    event: str
    actor: str
    #: What the entry says: for "raised", what was said, its kind and language; for "told", who
    #: and by which channel; for "note" and "closed", the words written. Opened (unsealed).
    detail: dict[str, Any]


async def add_entry(
    db: aiosqlite.Connection,
    alert_id: int,
    resident_id: int | None,
    event: str,
    actor: str,
    **detail: Any,
) -> None:
    if event not in EVENTS:
        raise ValueError(f"'{event}' is not a safeguarding record event.")
    await db.execute(
        "INSERT INTO safeguarding_records (alert_id, resident_id, at, event, actor, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            alert_id,
            resident_id,
            rows.now_text(),
            event,
            actor,
            sealing.seal(json.dumps(detail, ensure_ascii=False, sort_keys=True)),
        ),
    )


def _entry(row: aiosqlite.Row) -> RecordEntry:
    return RecordEntry(
        row["id"],
        row["alert_id"],
        row["resident_id"],
        row["at"],
        row["event"],
        row["actor"],
        json.loads(sealing.unseal(row["detail"])),
    )


async def entries_for_alert(db: aiosqlite.Connection, alert_id: int) -> list[RecordEntry]:
    async with db.execute(
        "SELECT * FROM safeguarding_records WHERE alert_id = ? ORDER BY id", (alert_id,)
    ) as cursor:
        return [_entry(row) for row in await cursor.fetchall()]


async def entries_for_resident(db: aiosqlite.Connection, resident_id: int) -> list[RecordEntry]:
    async with db.execute(
        "SELECT * FROM safeguarding_records WHERE resident_id = ? ORDER BY id", (resident_id,)
    ) as cursor:
        return [_entry(row) for row in await cursor.fetchall()]


async def has_record(db: aiosqlite.Connection, alert_id: int) -> bool:
    async with db.execute(
        "SELECT 1 FROM safeguarding_records WHERE alert_id = ? LIMIT 1", (alert_id,)
    ) as cursor:
        return await cursor.fetchone() is not None


# The duty list.


async def duty_list(db: aiosqlite.Connection) -> list[Person]:
    """Who urgent alerts go to besides the resident's catalyst, first to last."""
    async with db.execute(
        "SELECT p.* FROM duty_list AS d JOIN people AS p ON p.id = d.person_id ORDER BY d.position"
    ) as cursor:
        return [rows.person(row) for row in await cursor.fetchall()]


async def set_duty_list(db: aiosqlite.Connection, person_ids: list[int]) -> None:
    """Replace the duty list with `person_ids`, in that order."""
    await db.execute("DELETE FROM duty_list")
    await db.executemany(
        "INSERT INTO duty_list (position, person_id) VALUES (?, ?)",
        [(position, person_id) for position, person_id in enumerate(person_ids)],
    )


# Passing an unacknowledged alert down the duty list.


async def duty_step(db: aiosqlite.Connection, alert_id: int) -> int:
    """How many people on the duty list the alert has gone to."""
    async with db.execute("SELECT duty_step FROM alerts WHERE id = ?", (alert_id,)) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def passed_on(db: aiosqlite.Connection, alert_id: int, step: int) -> None:
    """The alert went to the duty list's first `step` people, the last of them just now."""
    await db.execute(
        "UPDATE alerts SET duty_step = ?, passed_on_at = ? WHERE id = ?",
        (step, rows.now_text(), alert_id),
    )


async def waiting_since(
    db: aiosqlite.Connection, before: datetime, limit: int = 100
) -> list[Alert]:
    """Alerts still waiting for someone to acknowledge them, last passed on before `before`."""
    async with db.execute(
        "SELECT * FROM alerts WHERE passed_on_at IS NOT NULL AND passed_on_at <= ?"
        " ORDER BY passed_on_at LIMIT ?",
        (rows.now_text(before), limit),
    ) as cursor:
        return [rows.alert(row) for row in await cursor.fetchall()]


async def stop_passing_on(db: aiosqlite.Connection, alert_id: int) -> None:
    """Someone has the alert (acknowledged or closed), or nobody is left: it stays put."""
    await db.execute("UPDATE alerts SET passed_on_at = NULL WHERE id = ?", (alert_id,))
