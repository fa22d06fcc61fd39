"""This module contains consent: what each resident has agreed to, purpose by purpose
(check-ins, events, buddying), and the record of every change."""

from __future__ import annotations

from bot.services.errors import Invalid
from bot.services.unit import Tx, reading, writing
from storage import consents
from storage.consents import PURPOSES
from storage.database import Database

__all__ = ["PURPOSES", "Consent"]


class Consent:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def current(self, resident_id: int, conn: Tx | None = None) -> dict[str, bool]:
        async with reading(self.db, conn) as work:
            return await consents.current_consents(work, resident_id)

    async def record(
        self, resident_id: int, given: dict[str, bool], source: str, tx: Tx | None = None
    ) -> None:
        """Record consent given or withdrawn for each purpose in `given`."""
        for purpose in given:
            if purpose not in PURPOSES:
                raise Invalid(
                    "consents", f"'{purpose}' is not a purpose; use {', '.join(PURPOSES)}."
                )
        async with writing(self.db, tx) as work:
            for purpose, yes in given.items():
                await consents.record_consent(work, resident_id, purpose, yes, source)
