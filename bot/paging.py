"""This module sends word of alerts to catalysts and staff, on the channel each has chosen.

An alert about a resident goes to their catalyst; one about nobody yet (an unknown sender)
goes to staff. An urgent safeguarding alert also goes at once to the first person on the duty
list, and while nobody acknowledges it, to the next person on the list after each wait
(`pass_on_waiting`); every page, and every person who could not be paged, is written in the
alert's safeguarding record.

The page is short and carries the alert's reference. By SMS it says only what kind of alert it
is, in fixed words, never a resident's own words or a flow's summary (texts sit on phones and
pass through carriers); on Telegram it carries the summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from storage import alerts, identities, messages, people, safeguarding
from storage.records import Alert, Person

#: How an acknowledgement by reply is asked for, after an urgent page (see the staff stage).
ACKNOWLEDGE_HINT = "Reply OK {reference} if you are on it."

#: What an SMS page says after the resident's name, by alert kind.
SMS_WORDS = {
    "risk": "may need help now. Please contact them today",
    "help": "texted HELP. Please get in touch",
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
    "missed": "hasn't answered a check-in",
    "all_clear": "replied after a missed check-in: all clear",
}
UNKNOWN_SENDER = "A message came from someone we don't know yet"


def reference(alert: Alert) -> str:
    return f"A{alert.id}"


def page_text(
    alert: Alert, resident_name: str | None, channel: str, *, passed_on: bool = False
) -> str:
    urgent = alert.urgency == "urgent"
    head = f"Companion {'URGENT ' if urgent else ''}alert {reference(alert)}"
    # Passed on: the one who reads it must know nobody has it yet. Urgent: they can take it
    # from their phone, without finding a computer first.
    waiting = " Nobody has answered yet." if passed_on else ""
    hint = " " + ACKNOWLEDGE_HINT.format(reference=reference(alert)) if urgent else ""
    if channel != "sms":
        return f"{head}: {alert.summary}{waiting}{hint}"
    if resident_name is None:
        what = UNKNOWN_SENDER
    else:
        what = f"{resident_name} {SMS_WORDS.get(alert.kind, 'has a new alert')}"
    end = hint if urgent else " See the admin."
    return f"{head}: {what}.{waiting}{end}"


async def page_new_alerts(tx: aiosqlite.Connection, limit: int = 100) -> int:
    """Queue a page for each alert not paged yet; return how many pages were queued."""
    queued = 0
    for alert in await alerts.unpaged_alerts(tx, limit):
        await alerts.mark_paged(tx, alert.id)
        name = await _resident_name(tx, alert)
        told, duty_step = await _first_recipients(tx, alert)
        for person in told:
            queued += await _page(tx, alert, name, person)
        if _down_the_duty_list(alert):
            await safeguarding.passed_on(tx, alert.id, duty_step)
    return queued


async def waiting_alerts(db: aiosqlite.Connection, now: datetime, wait: timedelta) -> bool:
    """Whether any urgent alert has waited `wait` for someone to take it."""
    return bool(await safeguarding.waiting_since(db, now - wait, limit=1))


async def pass_on_waiting(tx: aiosqlite.Connection, now: datetime, wait: timedelta) -> int:
    """Pass each urgent alert nobody has acknowledged within `wait` to the next person on the
    duty list; return how many were passed on. When nobody is left, the record says so."""
    passed = 0
    for alert in await safeguarding.waiting_since(tx, now - wait):
        if alert.status != "open":
            await safeguarding.stop_passing_on(tx, alert.id)
            continue
        duty = await safeguarding.duty_list(tx)
        step = await safeguarding.duty_step(tx, alert.id)
        told = {alert.catalyst_id, *(p.id for p in duty[:step])}
        for position in range(step, len(duty)):
            person = duty[position]
            if person.id in told or not person.active:
                continue
            name = await _resident_name(tx, alert)
            await _record(tx, alert, "passed_on", to=person.full_name, minutes=_minutes(wait))
            await _page(tx, alert, name, person, passed_on=True)
            await safeguarding.passed_on(tx, alert.id, position + 1)
            passed += 1
            break
        else:
            await _record(tx, alert, "nobody_left", minutes=_minutes(wait))
            await safeguarding.stop_passing_on(tx, alert.id)
    return passed


def _minutes(wait: timedelta) -> int:
    return round(wait.total_seconds() / 60)


def _down_the_duty_list(alert: Alert) -> bool:
    return alert.kind == "risk" and alert.urgency == "urgent" and alert.status == "open"


async def _resident_name(tx: aiosqlite.Connection, alert: Alert) -> str | None:
    resident = await people.get_resident(tx, alert.resident_id) if alert.resident_id else None
    return resident.preferred_name if resident and resident.status != "unknown" else None


async def _first_recipients(tx: aiosqlite.Connection, alert: Alert) -> tuple[list[Person], int]:
    """Who hears of the alert first, and how far down the duty list that went."""
    catalyst = await people.get_person(tx, alert.catalyst_id) if alert.catalyst_id else None
    found = [catalyst] if catalyst else []
    step = 0
    if _down_the_duty_list(alert):
        duty = await safeguarding.duty_list(tx)
        for position, person in enumerate(duty):
            if person.active and person.alert_channel:
                if catalyst is None or person.id != catalyst.id:
                    found.append(person)
                step = position + 1
                break
        if not duty:
            # Nobody is named on duty: every member of staff hears, besides the catalyst, so
            # that an urgent alert never rests on one person who may be away.
            found += [p for p in await people.list_people(tx, "staff") if p not in found]
    elif catalyst is None:
        found = await people.list_people(tx, "staff")
    return [p for p in found if p.active and p.alert_channel], step


async def _page(
    tx: aiosqlite.Connection,
    alert: Alert,
    name: str | None,
    person: Person,
    *,
    passed_on: bool = False,
) -> int:
    """Queue one page to `person`; return 1 if it was queued, 0 if they cannot be reached."""
    channel = person.alert_channel
    identity = await identities.identity_of(tx, channel, person_id=person.id) if channel else None
    if channel is None or identity is None or not identity.reachable or identity.opted_out_at:
        await _record(tx, alert, "told", to=person.full_name, reached=False)
        return 0
    await messages.queue_outbound(
        tx,
        channel=channel,
        address=identity.address,
        body=page_text(alert, name, channel, passed_on=passed_on),
        purpose="alert",
        routine=False,
        resident_id=None,
        person_id=person.id,
    )
    await _record(tx, alert, "told", to=person.full_name, channel=channel, reached=True)
    return 1


async def _record(tx: aiosqlite.Connection, alert: Alert, event: str, **detail: object) -> None:
    if alert.kind == "risk":
        await safeguarding.add_entry(tx, alert.id, alert.resident_id, event, "system", **detail)
