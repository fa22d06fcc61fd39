"""This module stores flow drafts: each save of a draft is a new numbered version, and the newest
is the draft. Older versions are kept so that a save made from one of them can be told what
changed since."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows


@dataclass(frozen=True, slots=True)
class DraftVersion:
    flow_id: str
    version: int
    name: str
    source: str
    scenarios: str
    based_on_revision: int | None
    saved_at: str
    saved_by: str


_COLUMNS = "flow_id, version, name, source, scenarios, based_on_revision, saved_at, saved_by"


async def latest(db: aiosqlite.Connection, flow_id: str) -> DraftVersion | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_draft_versions WHERE flow_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (flow_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return DraftVersion(*tuple(row)) if row else None


async def version(db: aiosqlite.Connection, flow_id: str, number: int) -> DraftVersion | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_draft_versions WHERE flow_id = ? AND version = ?",
        (flow_id, number),
    ) as cursor:
        row = await cursor.fetchone()
    return DraftVersion(*tuple(row)) if row else None


async def save(
    db: aiosqlite.Connection,
    flow_id: str,
    number: int,
    *,
    name: str,
    source: str,
    scenarios: str,
    based_on_revision: int | None,
    by: str,
) -> DraftVersion:
    """Store version `number` of the flow's draft (the caller has checked it is the next one;
    the primary key refuses a second writer of the same number)."""
    saved = DraftVersion(
        flow_id, number, name, source, scenarios, based_on_revision, rows.now_text(), by
    )
    await db.execute(
        f"INSERT INTO flow_draft_versions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (flow_id, number, name, source, scenarios, based_on_revision, saved.saved_at, by),
    )
    return saved


async def latest_of_each(db: aiosqlite.Connection) -> list[DraftVersion]:
    """The newest version of every flow's draft, by flow id."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_draft_versions AS d WHERE version ="
        " (SELECT MAX(version) FROM flow_draft_versions WHERE flow_id = d.flow_id)"
        " ORDER BY flow_id"
    ) as cursor:
        return [DraftVersion(*tuple(row)) for row in await cursor.fetchall()]
