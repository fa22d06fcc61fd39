"""This module contains the help stage: the carrier's HELP keyword starts the help flow (its
first message gives the emergency number), and the resident's catalyst is told they asked."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.triage.keywords import Keyword, carrier_keyword
from storage import alerts


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    resident = sender.resident
    keyword = carrier_keyword(arrival.inbound.text, resident.language, opted_out=False)
    if keyword is not Keyword.HELP:
        return None
    await alerts.alert_for(
        arrival.tx,
        resident,
        kind="help",
        urgency="routine",
        summary=f"{resident.preferred_name} texted HELP. Please get in touch.",
        message_id=arrival.message_id,
    )
    if arrival.inbound.provider_replied:
        return Routed("help")  # the provider has answered HELP itself
    started = await arrival.conversations.start(
        arrival.tx, resident, "help", arrival.route, reply=True, started_by="keyword"
    )
    return Routed("help", tuple(started))
