"""This module contains the pace stage: a resident saying not today, later, call me, pause,
I'm back, or less or more often is heard at once (bot/services/pace.py honours it) and
answered warmly in their catalyst's name.

Safeguarding comes before this stage, so a risk message never reaches it; "stop check-ins" is
the consent words stage's. A request that means nothing here ("I'm back" when not paused,
"later" with no check-in waiting) goes on to the conversation waiting for a reply.
"""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.services.pace import PaceCall, honour
from bot.triage.pace import pace_intent


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    request = pace_intent(arrival.inbound.text, arrival.conversations.programme.languages)
    if request is None:
        return None
    honoured = await honour(
        PaceCall(
            arrival.tx,
            sender.resident,
            request,
            arrival.inbound.text,
            arrival.message_id,
            arrival.route,
            arrival.conversations,
        )
    )
    if honoured is None:
        return None
    sent = list(honoured.sent)
    if honoured.reply is not None:
        sent.append(await arrival.say_exactly(sender.resident, honoured.reply))
    return Routed("pace", tuple(sent))
