"""This module contains the catalysts use cases: add one, list and read them, and choose how
each hears of alerts. A catalyst is a person whose role is "catalyst"; any other id is no
catalyst, whoever it belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.errors import Invalid, NotFound
from bot.services.unit import Tx, reading, writing
from storage import identities, people
from storage.database import Database
from storage.records import Person


@dataclass(frozen=True, slots=True)
class CatalystDetails:
    first_name: str
    full_name: str
    email: str | None = None
    alert_channel: str | None = None
    phone: str | None = None


class Catalysts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list_catalysts(self) -> list[Person]:
        async with reading(self.db) as conn:
            return await people.list_people(conn, "catalyst")

    async def get(self, catalyst_id: int, conn: Tx | None = None) -> Person:
        async with reading(self.db, conn) as work:
            person = await people.get_person(work, catalyst_id)
        if person is None or person.role != "catalyst":
            raise NotFound("catalyst", catalyst_id)
        return person

    async def create(self, details: CatalystDetails, tx: Tx | None = None) -> Person:
        async with writing(self.db, tx) as work:
            if details.phone and await identities.find_identity(work, "sms", details.phone):
                raise _phone_taken()
            person = await people.add_person(
                work,
                "catalyst",
                details.first_name,
                details.full_name,
                details.email,
                details.alert_channel,
            )
            if details.phone:
                await identities.add_identity(work, "sms", details.phone, person_id=person.id)
        return person

    async def set_alert_channel(
        self, catalyst_id: int, channel: str | None, phone: str | None, tx: Tx | None = None
    ) -> Person:
        """Alerts by `channel` ("sms", "telegram" or None for the admin only); `phone`, if
        given, becomes the catalyst's SMS number."""
        async with writing(self.db, tx) as work:
            person = await self.get(catalyst_id, work)
            if phone:
                owner = await identities.find_identity(work, "sms", phone)
                if owner is not None and owner.person_id != person.id:
                    raise _phone_taken()
                current = await identities.identity_of(work, "sms", person_id=person.id)
                if current is not None and current.address != phone:
                    await identities.remove_identity(work, current.id)
                if owner is None:
                    await identities.add_identity(work, "sms", phone, person_id=person.id)
            if channel is not None and not await identities.identity_of(
                work, channel, person_id=person.id
            ):
                field, need = (
                    ("phone", "give their phone number")
                    if channel == "sms"
                    else ("channel", "link their Telegram first (POST …/telegram-link)")
                )
                raise Invalid(
                    field,
                    f"{person.first_name} has no {channel} yet: {need}.",
                    f"no {channel} address",
                )
            await people.set_alert_channel(work, person.id, channel)
            updated = await people.get_person(work, person.id)
        assert updated is not None
        return updated


def _phone_taken() -> Invalid:
    return Invalid("phone", "That phone number already belongs to someone.", "already in use")
