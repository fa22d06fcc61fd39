"""This module carries out `record_rsvp`: the resident answered an event nudge.

The catalyst hears of it (they help with getting there), and the answer is kept in the audit
log with the event's id.
"""

from __future__ import annotations

from bot.actions.base import ActionCall
from storage import alerts, audit

KIND = "record_rsvp"


async def handle(call: ActionCall) -> None:
    params = call.params
    resident = call.resident
    # The catalyst reads the event's title, where the conversation knows it, not only its id.
    title = call.about.get("event", {}).get("title")
    event = f"{title} ({params['event_id']})" if title else f"event {params['event_id']}"
    await alerts.alert_for(
        call.tx,
        resident,
        kind="rsvp",
        urgency="routine",
        summary=f"{resident.preferred_name}: {params['response']} to {event}",
    )
    await audit.record(call.tx, "flow", "rsvp", f"resident:{resident.id}", **params)
