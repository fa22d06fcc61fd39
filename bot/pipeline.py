"""This module contains the inbound pipeline: record a message once, then route it.

The order is fixed by the design: opt-out and opt-in words > safeguarding > pace words >
keyword triggers > the conversation waiting for a reply > a kind catch-all. Everything one
message causes is written in one transaction, then the dispatcher is woken to send replies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiosqlite

from bot import replies
from bot.conversations import Conversations, Route, route_of
from bot.inbound import Handled, InboundMessage
from bot.triage.keywords import Keyword, carrier_keyword
from bot.triage.pace import PaceKind, PaceRequest, pace_intent
from bot.triage.safeguarding import RiskMatch, risk_reply, triage
from flows.engine import Reply
from storage import alerts, identities, messages, people, sessions
from storage.database import Database
from storage.people import NewResident
from storage.records import Identity, Resident

log = logging.getLogger(__name__)

#: Whole messages that start a flow, after the checks above them.
KEYWORD_FLOWS = {"menu": "help", "what can you do": "help", "options": "help"}


class Pipeline:
    def __init__(
        self, db: Database, conversations: Conversations, wake: Callable[[], None] = lambda: None
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.wake = wake

    async def handle(self, inbound: InboundMessage) -> Handled:
        async with self.db.write() as tx:
            identity, resident, unknown = await self._sender(tx, inbound)
            recorded = await messages.record_inbound(
                tx,
                channel=inbound.channel,
                provider_id=inbound.provider_id,
                address=inbound.address,
                body=inbound.text,
                resident_id=resident.id,
            )
            if recorded.duplicate:
                return Handled(recorded.message_id, "duplicate", duplicate=True)
            if unknown:
                route, queued = (
                    "unknown_sender",
                    await self._unknown(tx, resident, identity, recorded.message_id),
                )
            else:
                route, queued = await self._route(
                    tx, resident, identity, inbound, recorded.message_id
                )
        log.info("inbound routed", extra={"channel": inbound.channel, "route": route})
        if queued:
            self.wake()
        return Handled(recorded.message_id, route, tuple(queued))

    async def _sender(
        self, tx: aiosqlite.Connection, inbound: InboundMessage
    ) -> tuple[Identity, Resident, bool]:
        identity = await identities.find_identity(tx, inbound.channel, inbound.address)
        resident = (
            await people.get_resident(tx, identity.resident_id)
            if identity and identity.resident_id
            else None
        )
        if identity is not None and resident is not None:
            return identity, resident, resident.status == "unknown"
        # Someone we don't know yet: keep them, so staff can see them and follow up.
        resident = await people.add_resident(
            tx, NewResident("there", "Unknown", "Unknown sender", status="unknown")
        )
        identity = await identities.add_identity(
            tx, inbound.channel, inbound.address, resident_id=resident.id
        )
        return identity, resident, True

    async def _unknown(
        self, tx: aiosqlite.Connection, resident: Resident, identity: Identity, message_id: int
    ) -> list[int]:
        if await _already_greeted(tx, resident.id):
            return []
        await alerts.raise_alert(
            tx,
            resident_id=resident.id,
            catalyst_id=None,
            kind="unknown_sender",
            urgency="routine",
            summary=f"A message came from someone not yet known, by {identity.channel}.",
            message_id=message_id,
        )
        return [
            await self._say(tx, resident, route_of(identity), replies.UNKNOWN_SENDER, "service")
        ]

    async def _route(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        identity: Identity,
        inbound: InboundMessage,
        message_id: int,
    ) -> tuple[str, list[int]]:
        route = route_of(identity)
        text = inbound.text
        opted_out = identity.opted_out_at is not None
        keyword = carrier_keyword(text, resident.language, opted_out=opted_out)
        if keyword is Keyword.STOP:
            return "stop", await self._stop(tx, resident, identity, route)
        if keyword is Keyword.START:
            return "start", await self._start(tx, resident, identity, route)
        risk = triage(text)
        if risk is not None:
            # Someone opted out still gets a human: only the reply is held back.
            queued = await self._risk(tx, resident, route, risk, message_id, reply=not opted_out)
            return "safeguarding", queued
        if opted_out:
            return "opted_out", []  # the carrier would not deliver a reply; staff still see it
        if keyword is Keyword.HELP:
            return "help", await self.conversations.start(tx, resident, "help", route)
        pace = pace_intent(text)
        if pace is not None and not (pace.kind is PaceKind.RESUME and resident.status == "active"):
            return "pace", await self._pace(tx, resident, route, pace)
        flow = KEYWORD_FLOWS.get(" ".join(text.lower().split()).strip(" ?!."))
        if flow is not None:
            return "keyword", await self.conversations.start(tx, resident, flow, route)
        waiting = await sessions.waiting_session(tx, resident.id)
        if waiting is not None:
            return "session", await self.conversations.resume(
                tx, resident, waiting, Reply(text), route
            )
        await alerts.alert_for(
            tx,
            resident,
            kind="message",
            urgency="routine",
            summary=f"{resident.preferred_name} sent a message to read.",
            message_id=message_id,
        )
        return "catch_all", [await self._say(tx, resident, route, replies.PASSED_ON, "service")]

    async def _stop(
        self, tx: aiosqlite.Connection, resident: Resident, identity: Identity, route: Route
    ) -> list[int]:
        await identities.set_opted_out(tx, identity.id, True)
        await sessions.end_waiting(tx, resident.id, "stopped")
        await alerts.alert_for(
            tx,
            resident,
            kind="opted_out",
            urgency="routine",
            summary=f"{resident.preferred_name} asked for no more messages by {route.channel}.",
        )
        return [await self._say(tx, resident, route, replies.STOPPED, "optout")]

    async def _start(
        self, tx: aiosqlite.Connection, resident: Resident, identity: Identity, route: Route
    ) -> list[int]:
        await identities.set_opted_out(tx, identity.id, False)
        return [await self._say(tx, resident, route, replies.STARTED, "service")]

    async def _risk(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        route: Route,
        risk: RiskMatch,
        message_id: int,
        *,
        reply: bool,
    ) -> list[int]:
        await alerts.alert_for(
            tx,
            resident,
            kind="risk",
            urgency="urgent" if risk.urgent else "routine",
            summary=f"{resident.preferred_name} may need help now ({risk.category}). "
            "Please contact them.",
            message_id=message_id,
        )
        if not reply:
            return []
        return [await self._say(tx, resident, route, risk_reply(risk), "safety")]

    async def _pace(
        self, tx: aiosqlite.Connection, resident: Resident, route: Route, pace: PaceRequest
    ) -> list[int]:
        kind = pace.kind
        if kind in (PaceKind.NOT_TODAY, PaceKind.LATER):
            await sessions.end_waiting(tx, resident.id, "not_today")
            return [await self._say(tx, resident, route, replies.NOT_TODAY, "service")]
        if kind is PaceKind.RESUME:
            await people.update_resident(tx, resident.id, status="active", paused_until=None)
            return [await self._say(tx, resident, route, replies.RESUMED, "service")]
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
        return [await self._say(tx, resident, route, reply, "service")]

    async def _say(
        self, tx: aiosqlite.Connection, resident: Resident, route: Route, text: str, purpose: str
    ) -> int:
        catalyst = (
            await people.get_person(tx, resident.catalyst_id) if resident.catalyst_id else None
        )
        body = text.format(
            name=resident.preferred_name,
            catalyst=catalyst.first_name if catalyst else replies.TEAM,
        )
        return await messages.queue_outbound(
            tx,
            channel=route.channel,
            address=route.address,
            body=body,
            purpose=purpose,
            routine=False,
            resident_id=resident.id,
        )


async def _already_greeted(tx: aiosqlite.Connection, resident_id: int) -> bool:
    return any(m.direction == "out" for m in await messages.conversation(tx, resident_id))
