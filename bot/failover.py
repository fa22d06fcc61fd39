"""This module decides what happens when a message cannot be delivered, or a channel is lost.

A message that could not be delivered moves to the resident's other channel, once; when there
is none, their catalyst is told. A channel that is gone for good (a blocked bot, a number that
texted STOP to its carrier, a landline) is marked so, and the catalyst hears of it, once, in
the same alert.
"""

from __future__ import annotations

import logging

import aiosqlite

from bot.conversations import preferred_route
from storage import alerts, identities, messages, people
from storage.records import Message

log = logging.getLogger(__name__)

#: Messages never moved to another channel: a STOP confirmation belongs where STOP was said.
STAY = frozenset({"optout"})


async def undelivered(
    tx: aiosqlite.Connection,
    message: Message,
    reason: str,
    *,
    channel_lost: bool = False,
    known_lost: bool = False,
) -> int | None:
    """Queue an undelivered message on the resident's other channel (returning its id), or
    raise an alert for their catalyst (returning None). With `channel_lost` (the address is
    gone for good, just now), the catalyst hears of that too when the message moved on; with
    `known_lost` (gone for good earlier, and the catalyst was told then), no new alert."""
    if message.resident_id is None:
        log.warning(
            "a message to a catalyst or unknown chat could not be delivered",
            extra={"channel": message.channel, "message": message.id},
        )
        return None
    resident = await people.get_resident(tx, message.resident_id)
    if resident is None or message.purpose in STAY:
        return None
    other = await preferred_route(tx, resident.id) if message.failover_of is None else None
    # The web chat reaches nobody who is not looking at it: no place to move a message to.
    if other is not None and other.channel not in (message.channel, "webchat"):
        moved = await messages.queue_outbound(
            tx,
            channel=other.channel,
            address=other.address,
            body=message.body,
            purpose=message.purpose,
            routine=message.routine,
            resident_id=resident.id,
            buttons=list(message.buttons),
            session_id=message.session_id,
            failover_of=message.id,
        )
        if channel_lost and resident.status != "unknown":
            await alerts.alert_for(
                tx,
                resident,
                kind="channel",
                urgency="routine",
                summary=f"{resident.preferred_name} can't be reached by {message.channel} any "
                f"more ({reason}). Messages go by {other.channel} now.",
                message_id=message.id,
            )
        return moved
    if known_lost:
        return None
    await alerts.alert_for(
        tx,
        resident,
        kind="undeliverable",
        urgency="routine",
        summary=f"A message to {resident.preferred_name} could not be delivered by "
        f"{message.channel}: {reason}.",
        message_id=message.id,
    )
    return None


async def lose_channel(
    tx: aiosqlite.Connection, channel: str, address: str, *, opted_out: bool
) -> bool:
    """Mark an address as unreachable (or opted out with its carrier); True when that is news."""
    identity = await identities.find_identity(tx, channel, address)
    if identity is None:
        return False
    if opted_out:
        if identity.opted_out_at is not None:
            return False
        await identities.set_opted_out(tx, identity.id, True)
    else:
        if not identity.reachable:
            return False
        await identities.set_reachable(tx, identity.id, False)
    return True
