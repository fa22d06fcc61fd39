"""This module contains the lookups several services share, each failing with the domain's
`NotFound` rather than returning None."""

from __future__ import annotations

from bot.services.access import Viewer
from bot.services.errors import NotFound
from bot.services.unit import Tx
from storage import people
from storage.records import Resident


async def resident_or_not_found(conn: Tx, resident_id: int) -> Resident:
    resident = await people.get_resident(conn, resident_id)
    if resident is None:
        raise NotFound("resident", resident_id)
    return resident


async def resident_for_viewer(conn: Tx, viewer: Viewer, resident_id: int) -> Resident:
    """The resident, if `viewer` may see them; otherwise the same NotFound as for no such id,
    so that a catalyst cannot learn that another catalyst's resident exists."""
    resident = await people.get_resident(conn, resident_id)
    if resident is None or not viewer.sees_resident(resident.catalyst_id):
        raise NotFound("resident", resident_id)
    return resident
