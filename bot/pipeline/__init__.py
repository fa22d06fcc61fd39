"""This package contains the inbound pipeline: record a message once, then route it.

The pipeline finds out who sent the message, records it (a replayed provider id is
acknowledged and ignored), then tries its stages in order (see `stages`) until one handles it.
Everything one message causes is written in one transaction, then the dispatcher is woken to
send the replies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import aiosqlite

from bot.conversations import Conversations
from bot.inbound import Handled, InboundMessage
from bot.pipeline.base import Arrival, Routed, Stage
from bot.pipeline.sender import PersonSender, ResidentSender, Sender, identify
from bot.pipeline.stages import STAGES
from storage import identities, messages
from storage.database import Database

__all__ = ["STAGES", "Arrival", "Pipeline", "Routed", "Stage"]

log = logging.getLogger(__name__)


class Pipeline:
    def __init__(
        self,
        db: Database,
        conversations: Conversations,
        wake: Callable[[], None] = lambda: None,
        stages: Sequence[Stage] = STAGES,
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.wake = wake
        self.stages = tuple(stages)

    async def handle(self, inbound: InboundMessage) -> Handled:
        async with self.db.write() as tx:
            identity = await identities.find_identity(tx, inbound.channel, inbound.address)
            sender = await identify(tx, inbound, identity, self.conversations.programme)
            recorded = await _record(tx, inbound, sender)
            if recorded.duplicate:
                handled = Handled(recorded.message_id, "duplicate", duplicate=True)
            else:
                arrival = Arrival(tx, inbound, sender, recorded.message_id, self.conversations)
                routed = await self._route(arrival)
                handled = Handled(recorded.message_id, routed.route, routed.replies)
        log.info("inbound routed", extra={"channel": inbound.channel, "route": handled.route})
        if handled.replies:
            self.wake()
        return handled

    async def _route(self, arrival: Arrival) -> Routed:
        for stage in self.stages:
            routed = await stage.run(arrival)
            if routed is not None:
                return routed
        # Only a stage list without a catch-all gets here; the message is kept all the same.
        log.warning("inbound message no stage handled")
        return Routed("unrouted")


async def _record(
    tx: aiosqlite.Connection, inbound: InboundMessage, sender: Sender
) -> messages.Inbound:
    """Record the message once, as the sender's (nobody's yet, for a link being opened: the
    link says whose it is)."""
    opening_link = inbound.link_token is not None
    resident_id = (
        sender.resident.id if isinstance(sender, ResidentSender) and not opening_link else None
    )
    person_id = (
        sender.identity.person_id if isinstance(sender, PersonSender) and not opening_link else None
    )
    return await messages.record_inbound(
        tx,
        channel=inbound.channel,
        provider_id=inbound.provider_id,
        address=inbound.address,
        body=inbound.text,
        resident_id=resident_id,
        person_id=person_id,
    )
