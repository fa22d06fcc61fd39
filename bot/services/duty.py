"""This module contains the duty list: who urgent safeguarding alerts go to besides the
resident's catalyst, in order. The first person hears at once; while nobody says they are on
it, the alert is passed to the next after COMPANION_PASS_ON_MINUTES (see bot/paging.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import Viewer
from bot.services.errors import Invalid
from bot.services.unit import Tx, reading, writing
from storage import audit, identities, people, safeguarding
from storage.database import Database
from storage.records import Person

SUBJECT = "duty_list"


@dataclass(frozen=True, slots=True)
class DutyPerson:
    id: int
    name: str
    role: str
    #: How they are paged ("sms", "telegram"), or None when they cannot be.
    channel: str | None
    #: Why they cannot be paged, in words, or "".
    problem: str


@dataclass(frozen=True, slots=True)
class DutyView:
    #: The list, first to last.
    on_duty: list[DutyPerson]
    #: Catalysts and staff who could be added.
    others: list[DutyPerson]
    pass_on_minutes: float


class DutyList:
    """The duty list's use cases; the admin's pages let only staff and admins reach them."""

    def __init__(self, db: Database, pass_on_minutes: float = 10) -> None:
        self.db = db
        self.pass_on_minutes = pass_on_minutes

    async def view(self, viewer: Viewer) -> DutyView:
        async with reading(self.db) as conn:
            on_duty = await safeguarding.duty_list(conn)
            everyone = [p for p in await people.list_people(conn) if p.role != "buddy"]
            listed = {p.id for p in on_duty}
            return DutyView(
                [await _shown(conn, p) for p in on_duty],
                [await _shown(conn, p) for p in everyone if p.id not in listed and p.active],
                self.pass_on_minutes,
            )

    async def add(self, viewer: Viewer, person_id: int) -> DutyPerson:
        """Put someone at the end of the list."""
        async with writing(self.db) as work:
            person = await _person(work, person_id)
            order = [p.id for p in await safeguarding.duty_list(work)]
            if person.id in order:
                raise Invalid("person_id", f"{person.full_name} is already on the duty list.")
            await self._save(work, viewer, [*order, person.id], "added", person)
            return await _shown(work, person)

    async def remove(self, viewer: Viewer, person_id: int) -> DutyPerson:
        async with writing(self.db) as work:
            person = await _person(work, person_id)
            order = [p.id for p in await safeguarding.duty_list(work)]
            if person.id not in order:
                raise Invalid("person_id", f"{person.full_name} is not on the duty list.")
            order.remove(person.id)
            await self._save(work, viewer, order, "removed", person)
            return await _shown(work, person)

    async def move_up(self, viewer: Viewer, person_id: int) -> DutyPerson:
        """Move someone one place nearer the top (the top hears first)."""
        async with writing(self.db) as work:
            person = await _person(work, person_id)
            order = [p.id for p in await safeguarding.duty_list(work)]
            if person.id not in order:
                raise Invalid("person_id", f"{person.full_name} is not on the duty list.")
            at = order.index(person.id)
            if at > 0:
                order[at - 1], order[at] = order[at], order[at - 1]
                await self._save(work, viewer, order, "moved up", person)
            return await _shown(work, person)

    async def _save(
        self, work: Tx, viewer: Viewer, order: list[int], what: str, person: Person
    ) -> None:
        await safeguarding.set_duty_list(work, order)
        await audit.record(
            work, viewer.actor, f"duty list: {what}", SUBJECT, person=person.id, order=order
        )


async def _person(conn: Tx, person_id: int) -> Person:
    person = await people.get_person(conn, person_id)
    if person is None or person.role == "buddy":
        raise Invalid("person_id", "Choose a catalyst or a member of staff.")
    return person


async def _shown(conn: Tx, person: Person) -> DutyPerson:
    channel = person.alert_channel
    problem = ""
    if not person.active:
        problem = "switched off"
    elif channel is None:
        problem = "has not chosen how to get alerts"
    else:
        identity = await identities.identity_of(conn, channel, person_id=person.id)
        if identity is None:
            problem = f"has no {channel} linked"
        elif identity.opted_out_at or not identity.reachable:
            problem = f"cannot be reached by {channel} at the moment"
    return DutyPerson(person.id, person.full_name, person.role, channel, problem)
