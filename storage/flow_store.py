"""This module stores published flows: every revision's YAML, so sessions can finish on theirs,
with the scenario tests it was published with."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows


@dataclass(frozen=True, slots=True)
class FlowRevision:
    flow_id: str
    revision: int
    name: str
    source: str
    published_at: str
    published_by: str
    scenarios: str = ""


_COLUMNS = "flow_id, revision, name, source, published_at, published_by, scenarios"


async def publish(
    db: aiosqlite.Connection, flow_id: str, name: str, source: str, by: str, scenarios: str = ""
) -> FlowRevision:
    """Store `source` as the flow's next revision, unless it (and its scenarios) are the same as
    the newest."""
    latest = await latest_revision(db, flow_id)
    if latest is not None and latest.source == source and latest.scenarios == scenarios:
        return latest
    revision = (latest.revision + 1) if latest else 1
    published = FlowRevision(flow_id, revision, name, source, rows.now_text(), by, scenarios)
    await db.execute(
        f"INSERT INTO flow_revisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (flow_id, revision, name, source, published.published_at, by, scenarios),
    )
    return published


async def set_scenarios(
    db: aiosqlite.Connection, flow_id: str, revision: int, scenarios: str
) -> None:
    """Attach scenario tests to a stored revision (the built-in flows' tests, at start)."""
    await db.execute(
        "UPDATE flow_revisions SET scenarios = ? WHERE flow_id = ? AND revision = ?",
        (scenarios, flow_id, revision),
    )


async def latest_revision(
    db: aiosqlite.Connection, flow_id: str, *, by: str | None = None
) -> FlowRevision | None:
    """The newest revision of the flow (the newest published by `by`, when given)."""
    who = " AND published_by = ?" if by is not None else ""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_revisions WHERE flow_id = ?{who}"
        " ORDER BY revision DESC LIMIT 1",
        (flow_id, by) if by is not None else (flow_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return FlowRevision(*tuple(row)) if row else None


async def revision(db: aiosqlite.Connection, flow_id: str, number: int) -> FlowRevision | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_revisions WHERE flow_id = ? AND revision = ?",
        (flow_id, number),
    ) as cursor:
        row = await cursor.fetchone()
    return FlowRevision(*tuple(row)) if row else None


async def revisions(db: aiosqlite.Connection, flow_id: str) -> list[FlowRevision]:
    """Every revision of one flow, newest first."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_revisions WHERE flow_id = ? ORDER BY revision DESC",
        (flow_id,),
    ) as cursor:
        return [FlowRevision(*tuple(row)) for row in await cursor.fetchall()]


async def latest_of_each(db: aiosqlite.Connection) -> list[FlowRevision]:
    """The newest revision of every flow, by flow id."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_revisions AS r WHERE revision ="
        " (SELECT MAX(revision) FROM flow_revisions WHERE flow_id = r.flow_id)"
        " ORDER BY flow_id"
    ) as cursor:
        return [FlowRevision(*tuple(row)) for row in await cursor.fetchall()]


async def all_revisions(db: aiosqlite.Connection) -> list[FlowRevision]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM flow_revisions ORDER BY flow_id, revision"
    ) as cursor:
        return [FlowRevision(*tuple(row)) for row in await cursor.fetchall()]
