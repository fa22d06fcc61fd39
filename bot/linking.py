"""This module contains start links: how a Telegram chat becomes a resident's or a catalyst's.

Staff make a link for someone (`t.me/<bot>?start=<token>`); whoever opens it in Telegram sends
`/start <token>`, and that chat is bound to them. A token works once and expires, and a newer
link replaces an older one, so a link forwarded or found later binds nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage import identities, links, people
from storage.links import Holder, Link
from storage.records import Identity

#: How long a start link works: long enough to post a letter, short enough to lose value.
LINK_LIFETIME = timedelta(days=14)


def link_url(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


async def new_link(
    tx: aiosqlite.Connection,
    *,
    resident_id: int | None = None,
    person_id: int | None = None,
    created_by: str,
    now: datetime,
) -> Link:
    return await links.create_link(
        tx,
        "telegram",
        resident_id=resident_id,
        person_id=person_id,
        created_by=created_by,
        now=now,
        lifetime=LINK_LIFETIME,
    )


@dataclass(frozen=True, slots=True)
class Binding:
    """What opening a link did: bound the chat to `holder`, or refused and why."""

    holder: Holder | None
    refused: str | None = None


async def bind_chat(
    tx: aiosqlite.Connection, channel: str, address: str, token: str, now: datetime
) -> Binding:
    holder = await links.redeem(tx, channel, token, now)
    if holder is None:
        return Binding(None, "expired")
    existing = await identities.find_identity(tx, channel, address)
    if existing is not None and not await _is_free(tx, existing, holder):
        return Binding(holder, "taken")
    # One chat per person and channel: a new phone or account replaces the old one.
    previous = await identities.identity_of(
        tx, channel, resident_id=holder.resident_id, person_id=holder.person_id
    )
    if previous is not None and previous.address != address:
        await identities.remove_identity(tx, previous.id)
    if existing is None:
        await identities.add_identity(
            tx, channel, address, resident_id=holder.resident_id, person_id=holder.person_id
        )
    else:
        await identities.assign_identity(
            tx, existing.id, resident_id=holder.resident_id, person_id=holder.person_id
        )
    if holder.person_id is not None:
        person = await people.get_person(tx, holder.person_id)
        if person is not None and person.alert_channel is None:
            await people.set_alert_channel(tx, person.id, channel)
    return Binding(holder)


async def _is_free(tx: aiosqlite.Connection, identity: Identity, holder: Holder) -> bool:
    """Whether a chat already known may be given to `holder`: it is theirs already, or it
    belonged only to a sender nobody knew yet."""
    if identity.resident_id is not None and identity.resident_id == holder.resident_id:
        return True
    if identity.person_id is not None and identity.person_id == holder.person_id:
        return True
    if identity.resident_id is None:
        return False
    owner = await people.get_resident(tx, identity.resident_id)
    return owner is not None and owner.status == "unknown"
