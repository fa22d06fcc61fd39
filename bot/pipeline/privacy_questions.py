"""This module contains the privacy questions stage: "what do you know about me?", "delete my
data" and "who can see my messages?" are understood wherever the resident is in a
conversation, answered kindly in one segment, and passed to staff as a routine alert, which
leads to the resident's page where they can answer (export and erase are there too).

A conversation waiting for a reply keeps waiting: the question is an aside, not an answer.
The stage comes before the opted-out stage, so that a resident who has said STOP and then asks
for their data to be deleted still reaches staff (with no answer, which the carrier would
refuse to deliver).
"""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.triage.privacy_questions import PrivacyQuestion, privacy_question
from storage import alerts

#: The answers: what we keep and why; that a person will help them delete it; who reads their
#: messages. Each is one GSM-7 segment with a long name.
ANSWERS = {
    PrivacyQuestion.KNOW: (
        "We keep your name, how to reach you and our messages, so {catalyst} can support "
        "you. Someone from the team will be in touch to tell you more."
    ),
    PrivacyQuestion.DELETE: (
        "Of course, {name}. Someone from the team will be in touch to help you delete your "
        "details. Nothing is deleted before you've spoken."
    ),
    PrivacyQuestion.SEE: (
        "Only {catalyst} and the programme's staff read your messages. Buddies never see "
        "your number. Someone will be in touch if you'd like to know more."
    ),
}
#: Which question, as the staff alert names it.
SUMMARIES = {
    PrivacyQuestion.KNOW: "asked what we know about them",
    PrivacyQuestion.DELETE: "asked for their data to be deleted",
    PrivacyQuestion.SEE: "asked who can see their messages",
}


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender) or not sender.known:
        return None
    question = privacy_question(arrival.inbound.text)
    if question is None:
        return None
    resident = sender.resident
    await alerts.alert_for(
        arrival.tx,
        resident,
        kind="privacy",
        urgency="routine",
        summary=f"{resident.preferred_name} {SUMMARIES[question]}. Please answer them.",
        message_id=arrival.message_id,
    )
    if sender.identity.opted_out_at is not None:
        return Routed("privacy")
    return Routed("privacy", (await arrival.say(resident, ANSWERS[question]),))
