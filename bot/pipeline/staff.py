"""This module contains the staff stage: a catalyst or staff member writing to the bot from
the chat their alerts come to. They can stop and restart the alerts there; anything else is
answered with where to reply instead (the admin)."""

from __future__ import annotations

from bot import replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import PersonSender
from bot.triage.keywords import Keyword, carrier_keyword
from storage import identities


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, PersonSender):
        return None
    inbound = arrival.inbound
    identity = sender.identity
    keyword = carrier_keyword(inbound.text, "en", opted_out=identity.opted_out_at is not None)
    if keyword is Keyword.STOP:
        await identities.set_opted_out(arrival.tx, identity.id, True)
        body = replies.STAFF_STOPPED
    elif keyword is Keyword.START:
        await identities.set_opted_out(arrival.tx, identity.id, False)
        body = replies.STAFF_LINKED
    else:
        body = replies.STAFF_CHAT
    if inbound.provider_replied:
        return Routed("staff")
    name = sender.person.first_name if sender.person else replies.NO_NAME
    queued = await arrival.say_to(
        body.format(name=name),
        person_id=identity.person_id,
        purpose="optout" if keyword is Keyword.STOP else "service",
    )
    return Routed("staff", (queued,))
