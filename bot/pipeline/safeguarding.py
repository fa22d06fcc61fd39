"""This module contains the safeguarding stage: a message that signals risk gets the fixed
reply with the right numbers at once, and the resident's catalyst is alerted."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.triage.safeguarding import risk_reply, triage
from storage import alerts


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    risk = triage(arrival.inbound.text)
    if risk is None:
        return None
    resident = sender.resident
    await alerts.alert_for(
        arrival.tx,
        resident,
        kind="risk",
        urgency="urgent" if risk.urgent else "routine",
        summary=f"{resident.preferred_name} may need help now ({risk.category}). "
        "Please contact them.",
        message_id=arrival.message_id,
    )
    if sender.identity.opted_out_at is not None:
        # Someone opted out still gets a human: only the reply is held back.
        return Routed("safeguarding")
    return Routed("safeguarding", (await arrival.say(resident, risk_reply(risk), "safety"),))
