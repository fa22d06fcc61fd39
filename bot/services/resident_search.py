"""This module contains the residents list: search by name, catalyst and status, for someone
who may see them, each with how their last few weeks of check-ins went. A catalyst only ever
finds their own residents, whatever they ask for."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import Ability, Viewer
from bot.services.checkin_history import RecentCheckins, recent_for_page
from bot.services.errors import Invalid
from bot.services.unit import reading
from storage import people, resident_list
from storage.database import Database
from storage.records import Person
from storage.resident_list import ResidentFilter, ResidentRow

__all__ = ["STATUSES", "ResidentFilter", "ResidentListing", "ResidentRow", "ResidentSearch"]

#: The statuses staff can search by, and their words.
STATUSES = {"active": "Active", "paused": "Paused", "stopped": "Stopped"}
#: Rows one page shows; past this, staff narrow the search.
SHOWN = 200
#: The longest name searched for.
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class ResidentListing:
    rows: list[ResidentRow]
    #: True when more residents matched than are shown.
    more: bool
    #: Catalysts to filter by: everyone's for staff, none for a catalyst (they see their own).
    catalysts: list[Person]
    #: Each listed resident's last few weeks of check-ins (a row of marks, and in words).
    recent: dict[int, RecentCheckins]


class ResidentSearch:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def search(self, viewer: Viewer, wanted: ResidentFilter) -> ResidentListing:
        if wanted.status and wanted.status not in STATUSES:
            raise Invalid("status", "Choose a status: active, paused or stopped.")
        sees_all = viewer.may(Ability.SEE_ALL_RESIDENTS)
        scope = ResidentFilter(
            name=wanted.name.strip()[:MAX_NAME],
            # A catalyst's search is always within their own residents.
            catalyst_id=wanted.catalyst_id if sees_all else (viewer.person_id or -1),
            status=wanted.status,
        )
        async with reading(self.db) as conn:
            found = await resident_list.find_residents(conn, scope, SHOWN + 1)
            catalysts = await people.list_people(conn, "catalyst") if sees_all else []
            shown = found[:SHOWN]
            recent = await recent_for_page(conn, [row.resident for row in shown])
        return ResidentListing(shown, len(found) > SHOWN, catalysts, recent)
