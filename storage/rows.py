"""This module turns database rows into records, in one place: it is also where the sealed
columns (names, addresses, texts; see storage/sealing.py) are opened as they are read."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiosqlite

from storage import sealing
from storage.records import (
    Alert,
    Identity,
    Message,
    OutboxItem,
    Person,
    Resident,
    Schedule,
    Session,
)

T = TypeVar("T")


def _system_now() -> datetime:
    return datetime.now(UTC)


#: Where "now" comes from when storage stamps a row. The composition root points it at the
#: service's clock, so that stamps and the scheduler's idea of now always agree (in tests too).
_now: Callable[[], datetime] = _system_now


def use_clock(now: Callable[[], datetime] | None) -> None:
    global _now
    _now = now or _system_now


def now_text(moment: datetime | None = None) -> str:
    """A time as stored: ISO 8601 in UTC, so text order is time order."""
    return (moment or _now()).astimezone(UTC).isoformat(timespec="microseconds")


# Names are read again and again (every page, every message): each is opened once, then
# remembered (sealing.unseal_cached).


def person(row: aiosqlite.Row) -> Person:
    return Person(
        row["id"],
        row["role"],
        sealing.unseal_cached(row["first_name"]),
        sealing.unseal_cached(row["full_name"]),
        row["email"],
        row["alert_channel"],
        bool(row["active"]),
    )


def resident(row: aiosqlite.Row) -> Resident:
    return Resident(
        row["id"],
        sealing.unseal_cached(row["preferred_name"]),
        sealing.unseal_cached(row["first_name"]),
        sealing.unseal_cached(row["full_name"]),
        row["language"],
        row["time_zone"],
        row["quiet_start"],
        row["quiet_end"],
        row["catalyst_id"],
        row["interests"],
        row["status"],
        row["paused_until"],
        row["ladder"],
    )


def identity(row: aiosqlite.Row) -> Identity:
    return Identity(
        row["id"],
        row["channel"],
        sealing.unseal(row["address"]),
        row["resident_id"],
        row["person_id"],
        bool(row["reachable"]),
        row["opted_out_at"],
    )


def session(row: aiosqlite.Row) -> Session:
    return Session(
        row["id"],
        row["resident_id"],
        row["flow_id"],
        row["revision"],
        row["status"],
        json.loads(sealing.unseal(row["state"])),
        row["wake_at"],
        json.loads(sealing.unseal(row["context"])),
    )


def message(row: aiosqlite.Row) -> Message:
    return Message(
        row["id"],
        row["resident_id"],
        row["direction"],
        row["channel"],
        sealing.unseal(row["body"]),
        row["purpose"],
        row["status"],
        row["error"],
        row["created_at"],
        row["updated_at"],
        row["person_id"],
        sealing.unseal_optional(row["address"]),
        bool(row["routine"]),
        row["provider_id"],
        row["segments"],
        row["failover_of"],
        tuple(json.loads(row["buttons"])),
        row["session_id"],
    )


def alert(row: aiosqlite.Row) -> Alert:
    return Alert(
        row["id"],
        row["resident_id"],
        row["catalyst_id"],
        row["kind"],
        row["urgency"],
        sealing.unseal(row["summary"]),
        row["status"],
        row["created_at"],
        row["acknowledged_at"],
        row["acknowledged_by"],
        row["paged_at"],
    )


def outbox_item(row: aiosqlite.Row) -> OutboxItem:
    return OutboxItem(
        row["id"],
        row["message_id"],
        row["recipient"],
        row["channel"],
        sealing.unseal_optional(row["address"]),
        sealing.unseal(row["body"]),
        row["purpose"],
        bool(row["routine"]),
        row["resident_id"],
        row["attempts"],
        row["due_at"],
        row["created_at"],
        json.loads(row["buttons"]),
        row["person_id"],
        row["failover_of"],
    )


def schedule(row: aiosqlite.Row) -> Schedule:
    return Schedule(
        row["id"],
        row["resident_id"],
        row["kind"],
        row["flow_id"],
        row["rule"],
        row["starts_at"],
        row["next_due_at"],
        bool(row["active"]),
        row["moved_from"],
    )


def jsonable(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


#: Result categories whose value is the resident's own words (or a value a flow saved, which
#: may quote them); a choice's value is the flow's own id for it.
FREE_RESULT_CATEGORIES = ("answered", "other", "saved")


def sealed_json(value: Any) -> str:
    """`value` as JSON, sealed (a session's state, what a resident answered)."""
    return sealing.seal(jsonable(value))


def opened_json(stored: str) -> Any:
    """A JSON column's value, sealed or not (a choice's result value is kept plain)."""
    return json.loads(sealing.unseal(stored))


def result_value(value: Any, category: str) -> str:
    """A flow result's value as stored: sealed when it is the resident's own words (or a
    value a flow saved), plain JSON for a choice, so the figures can count choices in SQL."""
    return sealed_json(value) if category in FREE_RESULT_CATEGORIES else jsonable(value)


async def last_id(db: aiosqlite.Connection, table: str) -> int:
    """The highest id in `table` so far (0 if none): a batch written in one transaction numbers
    its own rows on from it, so it can link them without reading each id back."""
    async with db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0
