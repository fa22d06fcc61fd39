"""This module contains the opt-out stage: STOP and START (and their everyday forms) are
honoured at once, before anything else a resident says is read."""

from __future__ import annotations

from bot import replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.triage.keywords import Keyword, carrier_keyword
from storage import alerts, identities, sessions


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    resident, identity = sender.resident, sender.identity
    keyword = carrier_keyword(
        arrival.inbound.text, resident.language, opted_out=identity.opted_out_at is not None
    )
    # When the provider has answered the keyword itself, a second answer would be noise.
    answer = not arrival.inbound.provider_replied
    tx = arrival.tx
    if keyword is Keyword.STOP:
        await identities.set_opted_out(tx, identity.id, True)
        await sessions.end_waiting(tx, resident.id, "stopped")
        await alerts.alert_for(
            tx,
            resident,
            kind="opted_out",
            urgency="routine",
            summary=f"{resident.preferred_name} asked for no more messages by {identity.channel}.",
        )
        stopped = (await arrival.say(resident, replies.STOPPED, "optout"),) if answer else ()
        return Routed("stop", stopped)
    if keyword is Keyword.START:
        await identities.set_opted_out(tx, identity.id, False)
        await identities.set_reachable(tx, identity.id, True)
        return Routed("start", (await arrival.say(resident, replies.STARTED),) if answer else ())
    return None
