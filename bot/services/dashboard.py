"""This module contains the admin home page's summary: what needs looking at, for one viewer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import Ability, Viewer
from bot.services.unit import reading
from storage import dashboard
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Summary:
    open_alerts: int
    urgent_alerts: int
    residents: int


class Dashboard:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def summary(self, viewer: Viewer) -> Summary:
        """A catalyst's own residents and alerts; everyone's for staff and admins."""
        scope = None if viewer.may(Ability.SEE_ALL_RESIDENTS) else (viewer.person_id or -1)
        async with reading(self.db) as conn:
            return Summary(*await dashboard.counts(conn, scope))
