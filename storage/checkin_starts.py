"""This module reads and writes what starting a batch of due check-ins needs, a few statements
per batch rather than several per check-in: the residents, how to reach them, their check-in
consent, their catalysts, their last answered check-in, the slots already run; the slots
claimed and queued (table checkin_queue, migration 0017), the conversations begun, their
messages queued and their check-ins recorded.

Each write here is the bulk form of one the single-check-in path makes (schedules.claim_slot,
sessions.end_waiting and save_session, messages.queue_outbound, checkins.record), with the same
columns and values, so a batch leaves exactly what one check-in at a time would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage import checkins, messages, rows
from storage.records import Checkin, Identity, Person, Resident

# Ids go in as one JSON array, so a batch of any size is one statement.
_IDS = "(SELECT value FROM json_each(?))"


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted(set(values)))


@dataclass(frozen=True, slots=True)
class ResidentClock:
    """What a resident's next slot depends on (their time zone and quiet hours), and the
    channel a check-in started now would go by (None: none can reach them)."""

    time_zone: str
    quiet_start: str
    quiet_end: str
    channel: str | None = None


async def clocks(
    db: aiosqlite.Connection, ids: Iterable[int], channel_order: Sequence[str]
) -> dict[int, ResidentClock]:
    """Each resident's clock, with the channel preferred_route would pick: reachable, not opted
    out, first in `channel_order` (others after it, oldest identity first)."""
    async with db.execute(
        "SELECT r.id, r.time_zone, r.quiet_start, r.quiet_end, (SELECT i.channel"
        " FROM identities AS i WHERE i.resident_id = r.id AND i.reachable"
        " AND i.opted_out_at IS NULL ORDER BY coalesce((SELECT o.key FROM json_each(?) AS o"
        f" WHERE o.value = i.channel), 9), i.id LIMIT 1) FROM residents AS r WHERE r.id IN {_IDS}",
        (json.dumps(list(channel_order)), _ids(ids)),
    ) as cursor:
        return {
            row[0]: ResidentClock(row[1], row[2], row[3], row[4]) for row in await cursor.fetchall()
        }


async def residents(db: aiosqlite.Connection, ids: Iterable[int]) -> dict[int, Resident]:
    async with db.execute(f"SELECT * FROM residents WHERE id IN {_IDS}", (_ids(ids),)) as cursor:
        return {row["id"]: rows.resident(row) for row in await cursor.fetchall()}


async def people(db: aiosqlite.Connection, ids: Iterable[int]) -> dict[int, Person]:
    async with db.execute(f"SELECT * FROM people WHERE id IN {_IDS}", (_ids(ids),)) as cursor:
        return {row["id"]: rows.person(row) for row in await cursor.fetchall()}


async def identities(db: aiosqlite.Connection, ids: Iterable[int]) -> dict[int, list[Identity]]:
    """Each resident's identities, oldest first (as identities_of_resident gives them)."""
    found: dict[int, list[Identity]] = {}
    async with db.execute(
        f"SELECT * FROM identities WHERE resident_id IN {_IDS} ORDER BY id", (_ids(ids),)
    ) as cursor:
        for row in await cursor.fetchall():
            found.setdefault(row["resident_id"], []).append(rows.identity(row))
    return found


async def consented(db: aiosqlite.Connection, ids: Iterable[int], purpose: str) -> set[int]:
    """The residents whose answer for `purpose` is yes anywhere, as consents.current_consents
    reads it: the newest every-channel answer is yes, or a later one for a channel is."""
    newest: dict[int, dict[str | None, tuple[int, bool]]] = {}
    async with db.execute(
        "SELECT resident_id, channel, MAX(id) AS row_id, given FROM consents"
        f" WHERE purpose = ? AND resident_id IN {_IDS} GROUP BY resident_id, channel",
        (purpose, _ids(ids)),
    ) as cursor:
        for row in await cursor.fetchall():
            newest.setdefault(row["resident_id"], {})[row["channel"]] = (
                int(row["row_id"]),
                bool(row["given"]),
            )
    yes = set()
    for resident_id, answers in newest.items():
        every_id, every_given = answers.get(None, (0, False))
        later = any(
            given for channel, (row_id, given) in answers.items() if channel and row_id > every_id
        )
        if every_given or later:
            yes.add(resident_id)
    return yes


async def last_answered(db: aiosqlite.Connection, ids: Iterable[int]) -> dict[int, Checkin]:
    """Each resident's newest answered check-in, as checkins.latest(..., {"answered"})."""
    async with db.execute(
        "SELECT * FROM checkins WHERE id IN (SELECT (SELECT id FROM checkins AS c"
        " WHERE c.resident_id = r.value AND c.status = 'answered'"
        " ORDER BY c.due_at DESC, c.id DESC LIMIT 1) FROM json_each(?) AS r)",
        (_ids(ids),),
    ) as cursor:
        return {row["resident_id"]: checkins.checkin(row) for row in await cursor.fetchall()}


async def already_run(
    db: aiosqlite.Connection, slots: Sequence[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Of these (schedule id, due at) slots, the ones whose run is already recorded."""
    async with db.execute(
        "SELECT r.schedule_id, r.due_at FROM json_each(?) AS j JOIN schedule_runs AS r"
        " ON r.schedule_id = json_extract(j.value, '$[0]')"
        " AND r.due_at = json_extract(j.value, '$[1]')",
        (json.dumps([list(slot) for slot in slots]),),
    ) as cursor:
        return {(row[0], row[1]) for row in await cursor.fetchall()}


@dataclass(frozen=True, slots=True)
class Claim:
    """A slot run, and where its schedule goes next (None: the rhythm has ended)."""

    schedule_id: int
    due_at: str
    next_due_at: datetime | None
    moved_from: datetime | None


async def claim_slots(db: aiosqlite.Connection, claims: Sequence[Claim]) -> None:
    now = rows.now_text()
    await db.executemany(
        "INSERT INTO schedule_runs (schedule_id, due_at, ran_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(claim.schedule_id, claim.due_at, now) for claim in claims],
    )
    await db.executemany(
        "UPDATE schedules SET next_due_at = ?, moved_from = ?, active = ?, updated_at = ?"
        " WHERE id = ?",
        [
            (
                _text(claim.next_due_at),
                _text(claim.moved_from),
                int(claim.next_due_at is not None),
                now,
                claim.schedule_id,
            )
            for claim in claims
        ],
    )


async def move_slots(
    db: aiosqlite.Connection, moves: Sequence[tuple[int, datetime, datetime]]
) -> None:
    """(schedule id, new due time, where the rhythm had it) for slots moved out of quiet hours."""
    now = rows.now_text()
    await db.executemany(
        "UPDATE schedules SET next_due_at = ?, moved_from = ?, updated_at = ? WHERE id = ?",
        [(rows.now_text(due), rows.now_text(moved), now, sid) for sid, due, moved in moves],
    )


@dataclass(frozen=True, slots=True)
class Queued:
    """A slot claimed by the sweep and waiting for its conversation to start: what the slot was
    (its schedule has moved on). `schedule_id` is None once the schedule is gone."""

    id: int
    schedule_id: int | None
    resident_id: int
    kind: str
    flow_id: str
    due_at: str
    moved_from: str | None
    #: The channel it was expected to go by when queued (None: none could reach them then).
    channel: str | None = None


async def queue_slots(
    db: aiosqlite.Connection,
    slots: Sequence[tuple[int, int, str, str, str, str | None, str | None]],
) -> None:
    """(schedule id, resident id, kind, flow, due at, moved from, channel) of slots claimed
    just now."""
    now = rows.now_text()
    await db.executemany(
        "INSERT INTO checkin_queue (schedule_id, resident_id, kind, flow_id, due_at, moved_from,"
        " channel, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*slot, now) for slot in slots],
    )


_QUEUED = "SELECT id, schedule_id, resident_id, kind, flow_id, due_at, moved_from, channel"


async def queued(
    db: aiosqlite.Connection, limit: int, room: Mapping[str, int] | None = None
) -> list[Queued]:
    """The oldest `limit` slots waiting to start, in the order they were queued.

    With `room` (how many more may start on each paced channel), a slot queued for a paced
    channel is taken only while that channel has room, so it waits behind its own channel
    alone; a slot for any other channel, or none, is taken in turn."""
    if room is None:
        async with db.execute(f"{_QUEUED} FROM checkin_queue ORDER BY id LIMIT ?", (limit,)) as c:
            return [Queued(*row) for row in await c.fetchall()]
    found: list[Queued] = []
    paced = json.dumps(sorted(room))
    async with db.execute(
        f"{_QUEUED} FROM checkin_queue WHERE channel IS NULL"
        " OR channel NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?",
        (paced, limit),
    ) as cursor:
        found.extend(Queued(*row) for row in await cursor.fetchall())
    for channel, free in sorted(room.items()):
        if free <= 0:
            continue
        async with db.execute(
            f"{_QUEUED} FROM checkin_queue WHERE channel = ? ORDER BY id LIMIT ?",
            (channel, min(free, limit)),
        ) as cursor:
            found.extend(Queued(*row) for row in await cursor.fetchall())
    return sorted(found, key=lambda slot: slot.id)[:limit]


async def waiting_to_send(db: aiosqlite.Connection, before: datetime) -> dict[str, int]:
    """How many messages each channel has in the outbox, due to go before `before`."""
    async with db.execute(
        "SELECT m.channel, COUNT(*) FROM outbox AS o JOIN messages AS m ON m.id = o.message_id"
        " WHERE o.due_at <= ? GROUP BY m.channel",
        (rows.now_text(before),),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def queued_for(db: aiosqlite.Connection, resident_id: int) -> Queued | None:
    """The resident's oldest check-in waiting in the queue to start, if any."""
    async with db.execute(
        f"{_QUEUED} FROM checkin_queue WHERE resident_id = ? AND kind = 'checkin'"
        " ORDER BY id LIMIT 1",
        (resident_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return Queued(*row) if row is not None else None


async def unqueue(db: aiosqlite.Connection, ids: Iterable[int]) -> None:
    await db.execute(f"DELETE FROM checkin_queue WHERE id IN {_IDS}", (_ids(ids),))


@dataclass(frozen=True, slots=True)
class Outbound:
    channel: str
    address: str
    body: str
    purpose: str
    buttons: list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class Begun:
    """A check-in conversation begun: its session's state and kept context, its first
    messages, and its check-in row (status waiting)."""

    resident_id: int
    flow_id: str
    revision: int
    state: dict[str, Any]
    context: dict[str, dict[str, Any]]
    messages: list[Outbound]
    due_at: datetime
    schedule_id: int | None
    started_at: datetime
    moved_from: datetime | None
    channel: str
    next_rung_at: datetime | None


async def begin_all(db: aiosqlite.Connection, begun: Sequence[Begun]) -> int:
    """Store every conversation begun (each resident at most once); how many messages queued.

    A resident's conversation still waiting ends ('superseded'), and their check-in still
    waiting is settled 'ended', as a new conversation ends the one before.
    """
    if not begun:
        return 0
    now = rows.now_text()
    residents_begun = _ids(item.resident_id for item in begun)
    await db.execute(
        "UPDATE sessions SET status = 'ended', outcome = 'superseded', wake_at = NULL,"
        f" updated_at = ? WHERE status = 'waiting' AND resident_id IN {_IDS}",
        (now, residents_begun),
    )
    await db.execute(
        "UPDATE checkins SET status = 'ended', next_rung_at = NULL, updated_at = ?"
        f" WHERE status = 'waiting' AND resident_id IN {_IDS}",
        (now, residents_begun),
    )
    session_id = await rows.last_id(db, "sessions")
    session_rows, checkin_rows = [], []
    queued: list[messages.RoutineMessage] = []
    for item in begun:
        session_id += 1
        session_rows.append(
            (
                session_id,
                item.flow_id,
                item.revision,
                rows.sealed_json(item.state),
                _wake_at(item.state),
                now,
                item.resident_id,
                now,
                rows.sealed_json(item.context),
            )
        )
        queued.extend(
            messages.RoutineMessage(
                item.resident_id,
                session_id,
                message.channel,
                message.address,
                message.body,
                message.purpose,
                rows.jsonable(message.buttons),
            )
            for message in item.messages
        )
        checkin_rows.append(
            (
                item.resident_id,
                item.schedule_id,
                session_id,
                item.flow_id,
                rows.now_text(item.due_at),
                rows.now_text(item.started_at),
                _text(item.moved_from),
                item.channel,
                _text(item.next_rung_at),
                now,
                now,
            )
        )
    await db.executemany(
        "INSERT INTO sessions (id, flow_id, revision, status, outcome, state, wake_at,"
        " updated_at, resident_id, started_at, context)"
        " VALUES (?, ?, ?, 'waiting', NULL, ?, ?, ?, ?, ?, ?)",
        session_rows,
    )
    await messages.queue_routine(db, queued)
    await db.executemany(
        "INSERT INTO checkins (resident_id, schedule_id, session_id, flow_id, due_at,"
        " started_at, moved_from, channel, status, next_rung_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)",
        checkin_rows,
    )
    return len(queued)


async def record_not_started(
    db: aiosqlite.Connection,
    records: Sequence[tuple[int, str, datetime, str, int | None, datetime | None]],
) -> None:
    """(resident id, flow, due at, status, schedule id, moved from) for check-ins that fell due
    and were not started (paused, declined)."""
    now = rows.now_text()
    await db.executemany(
        "INSERT INTO checkins (resident_id, schedule_id, flow_id, due_at, moved_from, status,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (rid, sid, flow, rows.now_text(due), _text(moved), status, now, now)
            for rid, flow, due, status, sid, moved in records
        ],
    )


def _wake_at(state: dict[str, Any]) -> str | None:
    # As sessions.save_session keeps it: when the waiting conversation next wakes.
    wait = state.get("wait")
    wake = wait.get("wake_at") if isinstance(wait, dict) else None
    return rows.now_text(datetime.fromisoformat(wake)) if wake else None


def _text(moment: datetime | None) -> str | None:
    return rows.now_text(moment) if moment is not None else None
