"""This module contains the staff stage: a catalyst or staff member writing to the bot from
the chat their alerts come to. They can take an alert there ("OK A12"), and stop and restart
the alerts; anything else is answered with where to reply instead (the admin)."""

from __future__ import annotations

import re

from bot import replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import PersonSender
from bot.services import alerts as alert_service
from bot.triage.keywords import Keyword, carrier_keyword
from flows.understand.normalise import fold
from storage import identities

#: "OK A12", "ok a12", "on it A12", "A12", "yes 12": taking alert 12 from the page about it.
TAKE_ALERT = re.compile(
    r"^(?:ok(?:ay)?|on it|im on it|yes|got it|ack)?[\s,.:!-]*a?\s*(\d{1,9})[\s.!]*$"
)


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, PersonSender):
        return None
    inbound = arrival.inbound
    identity = sender.identity
    details: dict[str, str] = {}
    keyword = carrier_keyword(inbound.text, "en", opted_out=identity.opted_out_at is not None)
    if keyword is Keyword.STOP:
        await identities.set_opted_out(arrival.tx, identity.id, True)
        body = replies.STAFF_STOPPED
    elif keyword is Keyword.START:
        await identities.set_opted_out(arrival.tx, identity.id, False)
        body = replies.STAFF_LINKED
    elif (taking := TAKE_ALERT.match(fold(inbound.text))) and sender.person is not None:
        alert_id = int(taking.group(1))
        outcome, holder = await alert_service.acknowledge_from_chat(
            arrival.tx, sender.person, alert_id
        )
        details = {"reference": f"A{alert_id}", "who": holder or "someone"}
        body = {
            alert_service.TAKEN: replies.STAFF_TOOK_ALERT,
            alert_service.ALREADY_TAKEN: replies.STAFF_ALERT_TAKEN,
            alert_service.ALREADY_CLOSED: replies.STAFF_ALERT_CLOSED,
            alert_service.NOT_THEIRS: replies.STAFF_ALERT_UNKNOWN,
        }[outcome]
    else:
        body = replies.STAFF_CHAT
    if inbound.provider_replied:
        return Routed("staff")
    name = sender.person.first_name if sender.person else replies.NO_NAME
    queued = await arrival.say_to(
        body.format(name=name, **details),
        person_id=identity.person_id,
        purpose="optout" if keyword is Keyword.STOP else "service",
    )
    return Routed("staff", (queued,))
