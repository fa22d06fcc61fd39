"""This module contains the pace stage: "not today", "pause", "less often" and "resume" are
honoured at once, and the catalyst hears of any change to the rhythm."""

from __future__ import annotations

from bot import replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.triage.pace import PaceKind, pace_intent
from storage import alerts, people, sessions


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    resident = sender.resident
    pace = pace_intent(arrival.inbound.text)
    if pace is None or (pace.kind is PaceKind.RESUME and resident.status == "active"):
        return None
    tx = arrival.tx
    kind = pace.kind
    if kind in (PaceKind.NOT_TODAY, PaceKind.LATER):
        await sessions.end_waiting(tx, resident.id, "not_today")
        return Routed("pace", (await arrival.say(resident, replies.NOT_TODAY),))
    if kind is PaceKind.RESUME:
        await people.update_resident(tx, resident.id, status="active", paused_until=None)
        return Routed("pace", (await arrival.say(resident, replies.RESUMED),))
    if kind is PaceKind.PAUSE:
        await sessions.end_waiting(tx, resident.id, "paused")
        await people.update_resident(tx, resident.id, status="paused")
        reply, summary = replies.PAUSED, "would like check-ins paused"
    elif kind is PaceKind.LESS_OFTEN:
        reply, summary = replies.LESS_OFTEN, "would like check-ins less often"
    else:
        reply, summary = replies.MORE_OFTEN, "would like check-ins more often"
    if pace.until:
        summary += f" (until: {pace.until})"
    await alerts.alert_for(
        tx,
        resident,
        kind="pace",
        urgency="routine",
        summary=f"{resident.preferred_name} {summary}.",
    )
    return Routed("pace", (await arrival.say(resident, reply),))
