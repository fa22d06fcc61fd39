"""This module finds out who sent a message, once, before any stage looks at it.

Stages then claim the senders they are for: a person (catalyst or staff; later a relay stage
before the staff stage claims buddies), a resident, someone not known yet, or a chat opening a
start link that we have never seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.inbound import InboundMessage
from bot.programme import Programme
from storage import identities, people
from storage.records import Identity, Person, Resident


@dataclass(frozen=True, slots=True)
class PersonSender:
    """Someone on the programme's side, writing from the chat their alerts come to."""

    identity: Identity
    person: Person | None

    @property
    def resident(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class ResidentSender:
    """A resident, or someone not known yet (kept as a resident whose status is 'unknown')."""

    identity: Identity
    resident: Resident

    @property
    def known(self) -> bool:
        return self.resident.status != "unknown"


@dataclass(frozen=True, slots=True)
class NewChat:
    """A chat we have no resident for, opening a start link: the link says whose it is."""

    identity: Identity | None

    @property
    def resident(self) -> None:
        return None


Sender = PersonSender | ResidentSender | NewChat


async def identify(
    tx: aiosqlite.Connection,
    inbound: InboundMessage,
    identity: Identity | None,
    programme: Programme,
) -> Sender:
    """Who sent `inbound`, from the channel identity found for its address (if any)."""
    if identity is not None and identity.person_id is not None:
        return PersonSender(identity, await people.get_person(tx, identity.person_id))
    resident = (
        await people.get_resident(tx, identity.resident_id)
        if identity and identity.resident_id
        else None
    )
    if identity is not None and resident is not None:
        return ResidentSender(identity, resident)
    if inbound.link_token is not None:
        return NewChat(identity)
    # Someone we don't know yet: keep them, so staff can see them and follow up.
    resident = await people.add_resident(
        tx,
        programme.new_resident("there", "Unknown", "Unknown sender", status="unknown"),
    )
    identity = await identities.add_identity(
        tx, inbound.channel, inbound.address, resident_id=resident.id
    )
    return ResidentSender(identity, resident)
