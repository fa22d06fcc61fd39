"""This module contains the audit log's use cases: note who viewed or changed what, and read it.

Entries are only ever added. Subjects are written `resident:12`, `flow:weekly_checkin`,
`account:3`, so that one resident's history is one indexed lookup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.services.unit import Tx, reading, writing
from storage import audit
from storage.database import Database


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def actor_words(actor: str) -> str:
    """An actor as people read it: "catalyst:abby" is "abby (catalyst)"; other text as given."""
    if ":" not in actor:
        return actor
    role, name = actor.split(":", 1)
    return f"{name} ({role})"


def resident_subject(resident_id: int) -> str:
    return f"resident:{resident_id}"


class Audit:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, actor: str, action: str, subject: str, tx: Tx | None = None, **detail: Any
    ) -> None:
        async with writing(self.db, tx) as work:
            await audit.record(work, actor, action, subject, **detail)

    async def entries(
        self, *, subject: str | None = None, actor: str | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        async with reading(self.db) as conn:
            found = await audit.entries(conn, limit=limit, subject=subject, actor=actor)
        return [
            AuditEntry(
                int(row["id"]),
                row["at"],
                row["actor"],
                row["action"],
                row["subject"],
                json.loads(row["detail"] or "{}"),
            )
            for row in found
        ]
