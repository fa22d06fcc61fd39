"""This module contains the consent words stage: a resident who says, as a whole message, that
they want no more event news, buddy messages or check-ins (or want them back) is heard at once.

It is recorded as said in the chat, on every channel; they are answered in one segment with
what stopped, that nothing else has, and how to undo it; their catalyst gets a routine alert;
and a conversation of that purpose waiting for their reply is ended, so nothing more of it
comes. STOP alone is the opt-out stage's, before this one.
"""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.services.consent import WITHDRAWN_OUTCOME
from bot.triage.consent_words import BUDDYING, CHECKINS, EVENTS, consent_wish
from storage import alerts, consents, sessions

#: The answer to "no more ..." for each purpose: one GSM-7 segment with a long name.
WITHDRAWN = {
    EVENTS: (
        "Of course, {name}. No more event news from us, and nothing else has changed. "
        "Reply EVENTS ON to hear about events again."
    ),
    BUDDYING: (
        "Of course, {name}. No more buddy messages from us, and nothing else has changed. "
        "Reply BUDDY ON to have them again."
    ),
    CHECKINS: (
        "Of course, {name}. No more check-ins from us, and nothing else has changed. "
        "Reply CHECKINS ON to have them again."
    ),
}
#: The answer to "... again please".
GIVEN = {
    EVENTS: "Lovely, {name}. You'll hear about events from us again. Reply EVENTS OFF to stop.",
    BUDDYING: "Lovely, {name}. Buddy messages will come again. Reply BUDDY OFF to stop them.",
    CHECKINS: "Lovely, {name}. Your check-ins will start again. Reply CHECKINS OFF to stop them.",
}
#: Each purpose as the catalyst's alert names it.
PURPOSE_WORDS = {EVENTS: "event news", BUDDYING: "buddy messages", CHECKINS: "check-ins"}


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender) or not sender.known:
        return None
    if sender.identity.opted_out_at is not None:
        return None  # after STOP nothing is answered (the opted-out stage)
    wish = consent_wish(arrival.inbound.text)
    if wish is None:
        return None
    resident, tx = sender.resident, arrival.tx
    await consents.record_consent(tx, resident.id, wish.purpose, wish.given, "chat")
    what = PURPOSE_WORDS[wish.purpose]
    if wish.given:
        summary = f"{resident.preferred_name} would like {what} again (said in the chat)."
    else:
        summary = f"{resident.preferred_name} asked for no more {what} (said in the chat)."
        waiting = await arrival.waiting()
        if waiting is not None and (
            arrival.conversations.purpose_of(waiting.flow_id, waiting.revision) == wish.purpose
        ):
            await sessions.end_waiting(tx, resident.id, WITHDRAWN_OUTCOME)
    await alerts.alert_for(
        tx,
        resident,
        kind="consent",
        urgency="routine",
        summary=summary,
        message_id=arrival.message_id,
    )
    reply = (GIVEN if wish.given else WITHDRAWN)[wish.purpose]
    return Routed("consent", (await arrival.say(resident, reply),))
