"""This module contains a one-off message a catalyst (or staff member) writes to a resident in
their own name, from the resident's page.

It goes the way every message goes: queued in the outbox in one transaction with its audit
entry, on the channel the resident is best reached on, and sent by the dispatcher, which checks
STOP and consent at the moment of sending. It counts as a check-in (the resident's relationship
with their catalyst), so it needs their consent to check-ins, and it is routine: it waits for
the end of the resident's quiet hours, as a check-in would, rather than wake them at night.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from bot.conversations import preferred_route
from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.unit import Tx, writing
from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from bot.timing.rhythm import zone_named
from flows.engine import Clock
from flows.sms import explain, sms_info
from storage import audit, consents, messages, resident_history
from storage.database import Database

#: The longest one-off message, in characters: four SMS segments of plain text.
MAX_MESSAGE = 600
#: The consent a personal message from the catalyst needs.
PURPOSE = "checkins"


@dataclass(frozen=True, slots=True)
class SentMessage:
    message_id: int
    #: The resident's preferred name, to say who it went to.
    resident_name: str
    channel: str
    #: What it costs as SMS, in words ("1 segment, GSM-7").
    sms: str
    segments: int
    encoding: str
    #: When the resident's quiet hours end on their clock ("09:00"), if the message waits for
    #: that; None when it goes now.
    held_until: str | None


class MessagesOut:
    def __init__(self, db: Database, clock: Clock, wake: Callable[[], None]) -> None:
        self.db = db
        self.clock = clock
        self.wake = wake

    async def send(
        self, viewer: Viewer, resident_id: int, text: str, tx: Tx | None = None
    ) -> SentMessage:
        """Queue `text` for the resident in the viewer's name; Invalid, with nothing queued,
        when it is empty or too long, or when the resident cannot or must not get it."""
        body = text.strip()
        if not body:
            raise Invalid("message", "Write the message before sending it.")
        if len(body) > MAX_MESSAGE:
            raise Invalid(
                "message",
                f"A message can be at most {MAX_MESSAGE} characters; this one has {len(body)}.",
            )
        info = sms_info(body)
        async with writing(self.db, tx) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            name = resident.preferred_name
            if resident.status == "stopped":
                raise Invalid("message", f"{name} has asked for no more messages: nothing sent.")
            if not (await consents.current_consents(work, resident.id)).get(PURPOSE, False):
                raise Invalid(
                    "message",
                    f"{name} has not agreed to check-ins (or has withdrawn), so a message "
                    "would not be sent. Nothing was sent.",
                )
            route = await preferred_route(work, resident.id)
            if route is None:
                raise Invalid(
                    "message", f"{name} has no channel we can reach just now: nothing sent."
                )
            message_id = await messages.queue_outbound(
                work,
                channel=route.channel,
                address=route.address,
                body=body,
                purpose=PURPOSE,
                routine=True,
                resident_id=resident.id,
            )
            await resident_history.record_staff_message(
                work, message_id, sent_by=viewer.display_name, actor=viewer.actor
            )
            await audit.record(
                work,
                viewer.actor,
                "sent a message",
                resident_subject(resident.id),
                message=message_id,
                channel=route.channel,
                segments=info.segments,
            )
        self.wake()
        now = self.clock.now()
        quiet = time.fromisoformat(resident.quiet_start), time.fromisoformat(resident.quiet_end)
        held = None
        if in_quiet_hours(now, resident.time_zone, *quiet):
            ends = quiet_hours_end(now, resident.time_zone, *quiet)
            held = f"{ends.astimezone(zone_named(resident.time_zone)):%H:%M}"
        return SentMessage(
            message_id, name, route.channel, explain(body), info.segments, str(info.encoding), held
        )
