"""This module stores published flows: every revision's YAML, so sessions can finish on theirs."""

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


async def publish(
    db: aiosqlite.Connection, flow_id: str, name: str, source: str, by: str
) -> FlowRevision:
    """Store `source` as the flow's next revision, unless it is the same as the newest."""
    latest = await latest_revision(db, flow_id)
    if latest is not None and latest.source == source:
        return latest
    revision = (latest.revision + 1) if latest else 1
    published = FlowRevision(flow_id, revision, name, source, rows.now_text(), by)
    await db.execute(
        "INSERT INTO flow_revisions (flow_id, revision, name, source, published_at,"
        " published_by) VALUES (?, ?, ?, ?, ?, ?)",
        (flow_id, revision, name, source, published.published_at, by),
    )
    return published


async def latest_revision(db: aiosqlite.Connection, flow_id: str) -> FlowRevision | None:
    async with db.execute(
        "SELECT * FROM flow_revisions WHERE flow_id = ? ORDER BY revision DESC LIMIT 1",
        (flow_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return FlowRevision(*tuple(row)) if row else None


async def all_revisions(db: aiosqlite.Connection) -> list[FlowRevision]:
    async with db.execute("SELECT * FROM flow_revisions ORDER BY flow_id, revision") as cursor:
        return [FlowRevision(*tuple(row)) for row in await cursor.fetchall()]
