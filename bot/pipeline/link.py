"""This module contains the link stage: someone opened a start link, so bind their chat to
whom the link was made for (a resident or a catalyst)."""

from __future__ import annotations

from bot import linking, replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import NewChat, PersonSender, ResidentSender
from storage import alerts, audit, consents, messages, people


async def handle(arrival: Arrival) -> Routed | None:
    inbound = arrival.inbound
    if inbound.link_token is None:
        return None
    tx = arrival.tx
    now = arrival.conversations.clock.now()
    binding = await linking.bind_chat(tx, inbound.channel, inbound.address, inbound.link_token, now)
    holder = binding.holder
    if binding.refused is not None or holder is None:
        return await _refused(arrival, binding)
    await messages.attribute(
        tx, arrival.message_id, resident_id=holder.resident_id, person_id=holder.person_id
    )
    subject = (
        f"resident:{holder.resident_id}" if holder.resident_id else f"person:{holder.person_id}"
    )
    await audit.record(tx, "link", f"linked {inbound.channel}", subject)
    if holder.person_id is not None:
        person = await people.get_person(tx, holder.person_id)
        name = person.first_name if person else replies.NO_NAME
        body = replies.STAFF_LINKED.format(name=name)
        return Routed("linked", (await arrival.say_to(body, person_id=holder.person_id),))
    resident = await people.get_resident(tx, holder.resident_id or 0)
    assert resident is not None
    if not await consents.consent_history(tx, resident.id):
        # Nothing asked yet: the link is the start of their first conversation.
        started = await arrival.conversations.start(
            tx, resident, "onboarding", arrival.route, reply=True, started_by="link"
        )
        return Routed("linked", tuple(started))
    return Routed("linked", (await arrival.say(resident, replies.LINKED),))


async def _refused(arrival: Arrival, binding: linking.Binding) -> Routed | None:
    sender = arrival.sender
    if binding.refused == "expired" and _known(sender):
        # Their own chat, opening an old link again: as good as a plain /start, which the
        # stages after this one answer, as theirs.
        await messages.attribute(
            arrival.tx,
            arrival.message_id,
            resident_id=sender.resident.id if isinstance(sender, ResidentSender) else None,
            person_id=sender.identity.person_id if isinstance(sender, PersonSender) else None,
        )
        return None
    if binding.refused == "taken" and binding.holder is not None:
        holder = binding.holder
        who = (
            await people.get_resident(arrival.tx, holder.resident_id)
            if holder.resident_id
            else None
        )
        await alerts.raise_alert(
            arrival.tx,
            resident_id=holder.resident_id,
            catalyst_id=who.catalyst_id if who else holder.person_id,
            kind="link",
            urgency="routine",
            summary="A Telegram link was opened from a chat that already belongs to "
            "someone else, so it was not linked. Please make a new link.",
            message_id=arrival.message_id,
        )
        body = replies.LINK_TAKEN
    else:
        body = replies.LINK_EXPIRED
    return Routed(f"link_{binding.refused}", (await arrival.say_to(body),))


def _known(sender: PersonSender | ResidentSender | NewChat) -> bool:
    """Whether the chat belongs to someone known: a person, or a resident staff know."""
    return isinstance(sender, PersonSender) or (isinstance(sender, ResidentSender) and sender.known)
