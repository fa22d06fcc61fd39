"""This module contains `Conversations`: it runs flows for residents and stores what they do.

Everything a sprint produces (the new session state, messages in the outbox, results, alerts,
consent) is written in the caller's transaction, so a crash leaves all of it or none of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import SystemClock
from bot.context import resident_context
from bot.flow_library import StoredFlows
from flows.engine import Clock, Input, Reply, Sprint, resume, start
from flows.events import ActionRequested, ErrorEvent, FieldSet, MessageOut, ResultSaved
from storage import alerts, audit, consents, identities, messages, people, schedules, sessions
from storage.records import Identity, Resident, Session

log = logging.getLogger(__name__)

#: The consent a flow's messages need; flows not named here need none (onboarding, help…).
FLOW_PURPOSES = {"weekly_checkin": "checkins", "event_nudge": "events", "buddy_intro": "buddying"}
#: Channels tried for a conversation the service starts, best first.
CHANNEL_ORDER = ("telegram", "sms", "webchat")


@dataclass(frozen=True, slots=True)
class Route:
    """Where a conversation's messages go: the channel and address the resident uses."""

    channel: str
    address: str


def purpose_of(flow_id: str) -> str:
    return FLOW_PURPOSES.get(flow_id, "service")


async def preferred_route(db: aiosqlite.Connection, resident_id: int) -> Route | None:
    """The channel to start a conversation on: reachable, not opted out, best first."""
    usable = [
        identity
        for identity in await identities.identities_of_resident(db, resident_id)
        if identity.reachable and identity.opted_out_at is None
    ]
    usable.sort(key=lambda i: CHANNEL_ORDER.index(i.channel) if i.channel in CHANNEL_ORDER else 9)
    return Route(usable[0].channel, usable[0].address) if usable else None


def route_of(identity: Identity) -> Route:
    return Route(identity.channel, identity.address)


class Conversations:
    def __init__(self, flows: StoredFlows, clock: Clock | None = None) -> None:
        self.flows = flows
        self.clock = clock or SystemClock()

    async def start(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        flow_id: str,
        route: Route,
        extra: dict[str, dict[str, Any]] | None = None,
        *,
        reply: bool = False,
    ) -> list[int]:
        """Start `flow_id`, ending any conversation still waiting; return the message ids.

        `reply`: the resident asked for this flow just now ("menu", HELP), so its first messages
        answer them and are not routine: they go in quiet hours too, and stay fresh longer.
        """
        await sessions.end_waiting(tx, resident.id, "superseded")
        context = await resident_context(tx, resident, extra)
        sprint = start(self.flows, flow_id, context=context, clock=self.clock)
        session_id = await sessions.save_session(tx, resident.id, sprint.state, None)
        return await self._apply(
            tx, resident, session_id, sprint, route, context, extra, replying=reply
        )

    async def resume(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        session: Session,
        event: Input,
        route: Route,
        extra: dict[str, dict[str, Any]] | None = None,
    ) -> list[int]:
        context = await resident_context(tx, resident, extra)
        sprint = resume(self.flows, session.state, event, context=context, clock=self.clock)
        await sessions.save_session(tx, resident.id, sprint.state, session.id)
        return await self._apply(
            tx,
            resident,
            session.id,
            sprint,
            route,
            context,
            extra,
            replying=isinstance(event, Reply),
        )

    async def _apply(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        session_id: int,
        sprint: Sprint,
        route: Route,
        context: dict[str, dict[str, Any]],
        extra: dict[str, dict[str, Any]] | None,
        *,
        replying: bool = False,
    ) -> list[int]:
        flow_id = str(sprint.state["flow_id"])
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
                        purpose=purpose_of(flow_id),
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
                hand_over = await self._act(tx, resident, event, flow_id) or hand_over
            elif isinstance(event, ErrorEvent):
                log.warning(
                    "flow error", extra={"flow": flow_id, "step": event.step, "code": event.code}
                )
        if hand_over and sprint.ended:
            sent += await self.start(tx, resident, hand_over, route, extra, reply=replying)
        return sent

    async def _act(
        self, tx: aiosqlite.Connection, resident: Resident, action: ActionRequested, flow_id: str
    ) -> str | None:
        params = action.params
        if action.kind == "alert_catalyst":
            await alerts.alert_for(
                tx,
                resident,
                kind="flow",
                urgency=str(params["urgency"]),
                summary=str(params["reason"]),
            )
        elif action.kind == "schedule_followup":
            due = datetime.fromisoformat(str(params["due_at"]))
            await schedules.add_followup(tx, resident.id, str(params["flow"]), due)
        elif action.kind == "record_consent":
            await consents.record_consent(
                tx, resident.id, str(params["purpose"]), bool(params["given"]), f"flow:{flow_id}"
            )
        elif action.kind == "record_rsvp":
            await alerts.alert_for(
                tx,
                resident,
                kind="rsvp",
                urgency="routine",
                summary=f"{resident.preferred_name}: {params['response']} to event "
                f"{params['event_id']}",
            )
            await audit.record(tx, "flow", "rsvp", f"resident:{resident.id}", **params)
        elif action.kind == "start_flow":
            return str(params["flow"])
        return None
