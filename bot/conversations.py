"""This module contains `Conversations`: it runs flows for residents and stores what they do.

Everything a sprint produces (the new session state, messages in the outbox, results, alerts,
consent) is written in the caller's transaction, so a crash leaves all of it or none of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot import actions
from bot.clock import SystemClock
from bot.context import resident_context
from bot.flow_library import StoredFlows
from bot.programme import Programme
from flows.actions import REGISTRY as ACTION_KINDS
from flows.engine import Clock, Input, Reply, Sprint, resume, start
from flows.events import ActionRequested, ErrorEvent, FieldSet, MessageOut, ResultSaved
from flows.types import DEFAULT_PURPOSE, PURPOSES
from storage import identities, messages, people, sessions
from storage.records import Resident, Session

log = logging.getLogger(__name__)

#: Channels tried for a conversation the service starts, best first.
CHANNEL_ORDER = ("telegram", "sms", "webchat")
#: The template namespace a session's own facts go in ({{ session.started_by }}).
SESSION = "session"
#: The purposes a flow can declare that need the resident's consent (all but `service`, the
#: resident's own requests); the dispatcher checks these at the moment of sending.
CONSENTED_PURPOSES = frozenset(PURPOSES) - {DEFAULT_PURPOSE}


@dataclass(frozen=True, slots=True)
class Route:
    """Where a conversation's messages go: the channel and address the resident uses."""

    channel: str
    address: str


async def preferred_route(db: aiosqlite.Connection, resident_id: int) -> Route | None:
    """The channel to start a conversation on: reachable, not opted out, best first."""
    usable = [
        identity
        for identity in await identities.identities_of_resident(db, resident_id)
        if identity.reachable and identity.opted_out_at is None
    ]
    usable.sort(key=lambda i: CHANNEL_ORDER.index(i.channel) if i.channel in CHANNEL_ORDER else 9)
    return Route(usable[0].channel, usable[0].address) if usable else None


class Conversations:
    def __init__(
        self, flows: StoredFlows, clock: Clock | None = None, programme: Programme | None = None
    ) -> None:
        # A flow action nobody carries out would silently do nothing: refuse to start instead.
        actions.check_covers(ACTION_KINDS)
        self.flows = flows
        self.clock = clock or SystemClock()
        self.programme = programme or Programme()

    async def start(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        flow_id: str,
        route: Route,
        extra: dict[str, dict[str, Any]] | None = None,
        *,
        reply: bool = False,
        started_by: str = "staff",
    ) -> list[int]:
        """Start `flow_id`, ending any conversation still waiting; return the message ids.

        `extra`: what the conversation is about (e.g. {"event": {...}}); it is kept with the
        session, with `started_by` ("schedule", "keyword", "staff"...), for every later turn.
        `reply`: the resident asked for this flow just now ("menu", HELP), so its first messages
        answer them and are not routine: they go in quiet hours too, and stay fresh longer.
        """
        await sessions.end_waiting(tx, resident.id, "superseded")
        kept = {**(extra or {}), SESSION: {"started_by": started_by}}
        context = await resident_context(tx, resident, self.programme, kept)
        sprint = start(self.flows, flow_id, context=context, clock=self.clock)
        session_id = await sessions.save_session(tx, resident.id, sprint.state, None, kept)
        return await self._apply(tx, resident, session_id, sprint, route, kept, replying=reply)

    async def resume(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        session: Session,
        event: Input,
        route: Route,
    ) -> list[int]:
        """Carry `session` on with a reply or a timeout, with the context it started with."""
        context = await resident_context(tx, resident, self.programme, session.context)
        sprint = resume(self.flows, session.state, event, context=context, clock=self.clock)
        await sessions.save_session(tx, resident.id, sprint.state, session.id)
        return await self._apply(
            tx,
            resident,
            session.id,
            sprint,
            route,
            session.context,
            replying=isinstance(event, Reply),
        )

    def purpose_of(self, flow_id: str, revision: int | None = None) -> str:
        """The consent a flow's messages need, as the flow declares it."""
        flow = self.flows.get(flow_id, revision)
        return flow.purpose if flow is not None else DEFAULT_PURPOSE

    async def _apply(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        session_id: int,
        sprint: Sprint,
        route: Route,
        kept: dict[str, dict[str, Any]],
        *,
        replying: bool = False,
    ) -> list[int]:
        flow_id = str(sprint.state["flow_id"])
        purpose = self.purpose_of(flow_id, int(sprint.state["revision"]))
        sent: list[int] = []
        hand_over: str | None = None
        for event in sprint.events:
            if isinstance(event, MessageOut):
                sent.append(
                    await messages.queue_outbound(
                        tx,
                        channel=route.channel,
                        address=route.address,
                        body=event.text,
                        purpose=purpose,
                        routine=not (event.reply or replying),
                        resident_id=resident.id,
                        session_id=session_id,
                        buttons=[{"label": b.label, "answer": b.answer} for b in event.buttons],
                    )
                )
            elif isinstance(event, ResultSaved):
                await sessions.save_result(
                    tx,
                    resident_id=resident.id,
                    session_id=session_id,
                    flow_id=flow_id,
                    name=event.name,
                    value=event.value,
                    label=event.label,
                    category=event.category,
                )
            elif isinstance(event, FieldSet):
                await people.update_resident(tx, resident.id, **{event.name: event.value})
            elif isinstance(event, ActionRequested):
                call = actions.ActionCall(tx, resident, flow_id, event.params, kept)
                await actions.run(event.kind, call)
                hand_over = call.hand_over or hand_over
            elif isinstance(event, ErrorEvent):
                log.warning(
                    "flow error", extra={"flow": flow_id, "step": event.step, "code": event.code}
                )
        # Imported here: the ladder reads this module's channel order.
        from bot.services.checkin_ladder import conversation_turn

        await conversation_turn(
            tx, resident.id, session_id, sprint, replied=replying, now=self.clock.now()
        )
        if hand_over and sprint.ended:
            # The next flow is about the same things (the event, the pairing) as this one.
            about = {name: values for name, values in kept.items() if name != SESSION}
            sent += await self.start(
                tx,
                resident,
                hand_over,
                route,
                about,
                reply=replying,
                started_by=f"flow:{flow_id}",
            )
        return sent
