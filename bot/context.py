"""This module builds what a flow's messages can name, from the resident's stored details."""

from __future__ import annotations

from typing import Any

import aiosqlite

from storage import people
from storage.records import Resident


async def resident_context(
    db: aiosqlite.Connection, resident: Resident, extra: dict[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    catalyst = await people.get_person(db, resident.catalyst_id) if resident.catalyst_id else None
    context: dict[str, dict[str, Any]] = {
        "resident": {
            "preferred_name": resident.preferred_name or resident.first_name,
            "first_name": resident.first_name,
            "full_name": resident.full_name,
            "language": resident.language,
            "interests": resident.interests,
            "time_zone": resident.time_zone,
        },
        "catalyst": (
            {"first_name": catalyst.first_name, "full_name": catalyst.full_name} if catalyst else {}
        ),
    }
    return {**context, **(extra or {})}
