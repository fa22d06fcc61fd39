"""This module builds what a flow's messages can name, from the resident's stored details."""

from __future__ import annotations

from typing import Any

import aiosqlite

from bot.programme import Programme
from storage import people
from storage.records import Resident


async def resident_context(
    db: aiosqlite.Connection,
    resident: Resident,
    programme: Programme,
    extra: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    context: dict[str, dict[str, Any]] = {
        "resident": {
            "preferred_name": resident.preferred_name or resident.first_name,
            "first_name": resident.first_name,
            "full_name": resident.full_name,
            "language": resident.language,
            "interests": resident.interests,
            "time_zone": resident.time_zone,
        },
        "catalyst": await speaker(db, resident, programme),
    }
    return {**context, **(extra or {})}


async def speaker(
    db: aiosqlite.Connection, resident: Resident, programme: Programme
) -> dict[str, str]:
    """Who speaks to the resident: their catalyst's names, or, with no catalyst yet, the team
    ("Hi Pip, it's the Companion team." rather than "it's .")."""
    catalyst = await people.get_person(db, resident.catalyst_id) if resident.catalyst_id else None
    if catalyst is None:
        return {"first_name": programme.team, "full_name": programme.team}
    return {"first_name": catalyst.first_name, "full_name": catalyst.full_name}
