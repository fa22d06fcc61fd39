"""This module sends word of new alerts to catalysts, on the channel each has chosen.

An alert about a resident goes to their catalyst; one about nobody yet (an unknown sender)
goes to staff. The page is short and carries the alert's reference. By SMS it says only what
kind of alert it is, in fixed words, never a resident's own words or a flow's summary (texts
sit on phones and pass through carriers); on Telegram it carries the summary.
"""

from __future__ import annotations

import aiosqlite

from storage import alerts, identities, messages, people
from storage.records import Alert, Person

#: What an SMS page says after the resident's name, by alert kind.
SMS_WORDS = {
    "risk": "may need help now. Please contact them today",
    "flow": "needs a look after their check-in",
    "message": "sent a message for you",
    "opted_out": "asked for no more messages",
    "pace": "asked to change how often we check in",
    "undeliverable": "could not be reached with a message",
    "channel": "can no longer be reached on one channel",
    "rsvp": "answered an event invitation",
    "link": "needs a new Telegram link",
    "consent": "changed which messages they want",
    "privacy": "asked about their data. Please answer them",
}
UNKNOWN_SENDER = "A message came from someone we don't know yet"


def reference(alert: Alert) -> str:
    return f"A{alert.id}"


def page_text(alert: Alert, resident_name: str | None, channel: str) -> str:
    urgent = "URGENT " if alert.urgency == "urgent" else ""
    if channel != "sms":
        return f"Companion {urgent}alert {reference(alert)}: {alert.summary}"
    if resident_name is None:
        what = UNKNOWN_SENDER
    else:
        what = f"{resident_name} {SMS_WORDS.get(alert.kind, 'has a new alert')}"
    return f"Companion {urgent}alert {reference(alert)}: {what}. See the admin."


async def page_new_alerts(tx: aiosqlite.Connection, limit: int = 100) -> int:
    """Queue a page for each alert not paged yet; return how many pages were queued."""
    queued = 0
    for alert in await alerts.unpaged_alerts(tx, limit):
        await alerts.mark_paged(tx, alert.id)
        resident = await people.get_resident(tx, alert.resident_id) if alert.resident_id else None
        name = resident.preferred_name if resident and resident.status != "unknown" else None
        for person in await _recipients(tx, alert):
            channel = person.alert_channel
            assert channel is not None
            identity = await identities.identity_of(tx, channel, person_id=person.id)
            if identity is None or not identity.reachable or identity.opted_out_at:
                continue
            await messages.queue_outbound(
                tx,
                channel=channel,
                address=identity.address,
                body=page_text(alert, name, channel),
                purpose="alert",
                routine=False,
                resident_id=None,
                person_id=person.id,
            )
            queued += 1
    return queued


async def _recipients(tx: aiosqlite.Connection, alert: Alert) -> list[Person]:
    if alert.catalyst_id is not None:
        catalyst = await people.get_person(tx, alert.catalyst_id)
        found = [catalyst] if catalyst else []
    else:
        found = await people.list_people(tx, "staff")
    return [p for p in found if p.active and p.alert_channel]
