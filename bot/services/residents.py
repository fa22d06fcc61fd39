"""This module contains the residents use cases: add a resident with their channels and
consents, list them (all, or one catalyst's) and read one back in full.

Rules: a resident's catalyst must exist and have the role catalyst; a phone number or Telegram
chat belongs to one person only; every resident can be reached by web chat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.programme import Programme
from bot.services.consent import Consent
from bot.services.errors import Invalid
from bot.services.lookups import resident_or_not_found
from bot.services.schedules import CheckinSchedule, schedule_view
from bot.services.unit import Tx, reading, writing
from storage import identities, people, schedules
from storage.database import Database
from storage.records import Identity, Resident


@dataclass(frozen=True, slots=True)
class ResidentDetails:
    preferred_name: str
    first_name: str
    full_name: str
    language: str = "en"
    #: None: the programme's (COMPANION_TIMEZONE, COMPANION_QUIET_START and _END).
    time_zone: str | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    catalyst_id: int | None = None
    interests: str = ""
    phone: str | None = None
    telegram_chat_id: str | None = None
    consents: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ResidentProfile:
    """A resident with how they are reached, what they agreed to, and their check-in rhythm."""

    resident: Resident
    channels: list[Identity]
    consents: dict[str, bool]
    checkin_schedule: CheckinSchedule | None
    #: Each channel's answer for each purpose: {channel: {purpose: given}}.
    channel_consents: dict[str, dict[str, bool]] = field(default_factory=dict)


class Residents:
    def __init__(self, db: Database, consent: Consent, programme: Programme | None = None) -> None:
        self.db = db
        self.consent = consent
        self.programme = programme or Programme()

    async def get(self, resident_id: int) -> Resident:
        async with reading(self.db) as conn:
            return await resident_or_not_found(conn, resident_id)

    async def profile(self, resident_id: int) -> ResidentProfile:
        async with reading(self.db) as conn:
            return await self._profile(conn, await resident_or_not_found(conn, resident_id))

    async def list_residents(self, catalyst_id: int | None = None) -> list[ResidentProfile]:
        async with reading(self.db) as conn:
            found = await people.list_residents(conn, catalyst_id)
            return [await self._profile(conn, resident) for resident in found]

    async def create(self, details: ResidentDetails, tx: Tx | None = None) -> ResidentProfile:
        async with writing(self.db, tx) as work:
            if details.catalyst_id is not None:
                catalyst = await people.get_person(work, details.catalyst_id)
                if catalyst is None or catalyst.role != "catalyst":
                    raise Invalid(
                        "catalyst_id",
                        f"There is no catalyst {details.catalyst_id}.",
                        "no such catalyst",
                    )
            addresses = (
                ("sms", "phone", details.phone),
                ("telegram", "telegram_chat_id", details.telegram_chat_id),
            )
            for channel, name, address in addresses:
                if address and await identities.find_identity(work, channel, address):
                    raise Invalid(
                        name,
                        f"That {channel} address already belongs to someone.",
                        "already in use",
                    )
            resident = await people.add_resident(
                work,
                self.programme.new_resident(
                    details.preferred_name,
                    details.first_name,
                    details.full_name,
                    language=details.language,
                    time_zone=details.time_zone,
                    quiet_start=details.quiet_start,
                    quiet_end=details.quiet_end,
                    catalyst_id=details.catalyst_id,
                    interests=details.interests,
                ),
            )
            await identities.add_identity(
                work, "webchat", str(resident.id), resident_id=resident.id
            )
            for channel, _, address in addresses:
                if address:
                    await identities.add_identity(work, channel, address, resident_id=resident.id)
            await self.consent.record(resident.id, details.consents, "api", work)
            return await self._profile(work, resident)

    async def _profile(self, conn: Tx, resident: Resident) -> ResidentProfile:
        return ResidentProfile(
            resident,
            await identities.identities_of_resident(conn, resident.id),
            await self.consent.current(resident.id, conn),
            schedule_view(await schedules.checkin_schedule(conn, resident.id), resident.time_zone),
            await self.consent.by_channel(resident.id, conn),
        )
