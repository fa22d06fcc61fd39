"""This module contains Telegram start links as staff ask for them: a single-use, expiring
t.me link that connects a resident's or a catalyst's Telegram chat (see bot.linking)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot import linking
from bot.channels.telegram import TelegramUpdates
from bot.services.errors import Conflict, NotFound, Unavailable
from bot.services.lookups import resident_or_not_found
from bot.services.unit import Tx, writing
from flows.engine import Clock
from storage import people
from storage.database import Database


@dataclass(frozen=True, slots=True)
class StartLink:
    url: str
    expires_at: str


class Links:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        telegram: TelegramUpdates | None,
        telegram_status: Callable[[], str],
    ) -> None:
        self.db = db
        self.clock = clock
        self.telegram = telegram
        self.telegram_status = telegram_status

    async def for_resident(self, resident_id: int, tx: Tx | None = None) -> StartLink:
        username = self._bot_username()
        async with writing(self.db, tx) as work:
            resident = await resident_or_not_found(work, resident_id)
            return await self._new(work, username, resident_id=resident.id)

    async def for_catalyst(self, catalyst_id: int, tx: Tx | None = None) -> StartLink:
        username = self._bot_username()
        async with writing(self.db, tx) as work:
            person = await people.get_person(work, catalyst_id)
            if person is None or person.role != "catalyst":
                raise NotFound("catalyst", catalyst_id)
            return await self._new(work, username, person_id=person.id)

    async def _new(
        self, tx: Tx, username: str, *, resident_id: int | None = None, person_id: int | None = None
    ) -> StartLink:
        link = await linking.new_link(
            tx, resident_id=resident_id, person_id=person_id, created_by="api", now=self.clock.now()
        )
        return StartLink(
            linking.link_url(username, link.token), link.expires_at.isoformat(timespec="seconds")
        )

    def _bot_username(self) -> str:
        if self.telegram is None:
            raise Conflict(f"Telegram is {self.telegram_status()}.")
        if self.telegram.username is None:
            raise Unavailable("Telegram is not connected yet; try again in a minute.")
        return self.telegram.username
