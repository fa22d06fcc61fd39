"""This module reads a flow's saved results for export: one row per result, with the revision
of the flow the session ran, oldest first. Residents appear by id only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage import rows, sealing


@dataclass(frozen=True, slots=True)
class FlowResult:
    id: int
    resident_id: int
    session_id: int
    flow_id: str
    revision: int
    name: str
    value: Any
    label: str
    category: str
    at: str


async def results_of_flow(db: aiosqlite.Connection, flow_id: str) -> list[FlowResult]:
    async with db.execute(
        "SELECT r.id, r.resident_id, r.session_id, r.flow_id, s.revision, r.name, r.value,"
        " r.label, r.category, r.at"
        " FROM results AS r JOIN sessions AS s ON s.id = r.session_id"
        " WHERE r.flow_id = ? ORDER BY r.id",
        (flow_id,),
    ) as cursor:
        return [
            FlowResult(
                int(row["id"]),
                int(row["resident_id"]),
                int(row["session_id"]),
                row["flow_id"],
                int(row["revision"]),
                row["name"],
                rows.opened_json(row["value"]),
                sealing.unseal(row["label"]),
                row["category"],
                row["at"],
            )
            for row in await cursor.fetchall()
        ]
