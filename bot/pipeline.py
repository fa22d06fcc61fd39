"""This module contains the inbound pipeline: record a message once, then route it.

The order is fixed by the design: opt-out and opt-in words > safeguarding > pace words >
keyword triggers > the conversation waiting for a reply > a kind catch-all. Everything one
message causes is written in one transaction, then the dispatcher is woken to send replies.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import aiosqlite

from bot import linking, replies
from bot.conversations import Conversations, Route, route_of
from bot.inbound import Handled, InboundMessage
from bot.triage.keywords import Keyword, carrier_keyword
from bot.triage.pace import PaceKind, PaceRequest, pace_intent
from bot.triage.safeguarding import RiskMatch, risk_reply, triage
from flows.engine import Reply
from storage import alerts, audit, consents, identities, messages, people, sessions
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
            identity = await identities.find_identity(tx, inbound.channel, inbound.address)
            if inbound.link_token is not None:
                handled = await self._link(tx, inbound, identity)
            elif identity is not None and identity.person_id is not None:
                handled = await self._staff(tx, inbound, identity)
            else:
                handled = await self._from_resident(tx, inbound, identity)
        log.info("inbound routed", extra={"channel": inbound.channel, "route": handled.route})
        if handled.replies:
            self.wake()
        return handled

    async def _from_resident(
        self, tx: aiosqlite.Connection, inbound: InboundMessage, identity: Identity | None
    ) -> Handled:
        identity, resident, unknown = await self._sender(tx, inbound, identity)
        recorded = await _record(tx, inbound, resident_id=resident.id)
        if recorded.duplicate:
            return Handled(recorded.message_id, "duplicate", duplicate=True)
        if unknown:
            queued = await self._unknown(tx, resident, identity, recorded.message_id)
            return Handled(recorded.message_id, "unknown_sender", tuple(queued))
        if inbound.button_of is not None and not await _button_is_current(
            tx, resident.id, inbound.button_of
        ):
            # A button on a question already answered: its "1" would answer whatever is
            # asked now.
            return Handled(recorded.message_id, "stale_button")
        route, queued = await self._route(tx, resident, identity, inbound, recorded.message_id)
        return Handled(recorded.message_id, route, tuple(queued))

    async def _sender(
        self, tx: aiosqlite.Connection, inbound: InboundMessage, identity: Identity | None
    ) -> tuple[Identity, Resident, bool]:
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

    async def _link(
        self, tx: aiosqlite.Connection, inbound: InboundMessage, identity: Identity | None
    ) -> Handled:
        """Someone opened a start link: bind their chat to whom the link was made for."""
        assert inbound.link_token is not None
        recorded = await _record(tx, inbound)
        if recorded.duplicate:
            return Handled(recorded.message_id, "duplicate", duplicate=True)
        binding = await linking.bind_chat(
            tx, inbound.channel, inbound.address, inbound.link_token, self.conversations.clock.now()
        )
        holder = binding.holder
        if binding.refused is not None or holder is None:
            return await self._link_refused(tx, inbound, identity, binding, recorded.message_id)
        await messages.attribute(
            tx, recorded.message_id, resident_id=holder.resident_id, person_id=holder.person_id
        )
        subject = (
            f"resident:{holder.resident_id}" if holder.resident_id else f"person:{holder.person_id}"
        )
        await audit.record(tx, "link", f"linked {inbound.channel}", subject)
        route = Route(inbound.channel, inbound.address)
        if holder.person_id is not None:
            person = await people.get_person(tx, holder.person_id)
            name = person.first_name if person else replies.TEAM
            body = replies.STAFF_LINKED.format(name=name)
            queued = await self._say_to(tx, route, body, person_id=holder.person_id)
            return Handled(recorded.message_id, "linked", (queued,))
        resident = await people.get_resident(tx, holder.resident_id or 0)
        assert resident is not None
        if not await consents.consent_history(tx, resident.id):
            # Nothing asked yet: the link is the start of their first conversation.
            started = await self.conversations.start(tx, resident, "onboarding", route, reply=True)
            return Handled(recorded.message_id, "linked", tuple(started))
        queued = await self._say(tx, resident, route, replies.LINKED, "service")
        return Handled(recorded.message_id, "linked", (queued,))

    async def _link_refused(
        self,
        tx: aiosqlite.Connection,
        inbound: InboundMessage,
        identity: Identity | None,
        binding: linking.Binding,
        message_id: int,
    ) -> Handled:
        if binding.refused == "expired" and identity is not None and await _known(tx, identity):
            # Their own chat, opening an old link again: as good as a plain /start.
            await messages.delete_inbound(tx, inbound.channel, inbound.provider_id)
            again = dataclasses.replace(inbound, text="start", link_token=None)
            if identity.person_id is not None:
                return await self._staff(tx, again, identity)
            return await self._from_resident(tx, again, identity)
        route = Route(inbound.channel, inbound.address)
        if binding.refused == "taken" and binding.holder is not None:
            holder = binding.holder
            who = await people.get_resident(tx, holder.resident_id) if holder.resident_id else None
            await alerts.raise_alert(
                tx,
                resident_id=holder.resident_id,
                catalyst_id=who.catalyst_id if who else holder.person_id,
                kind="link",
                urgency="routine",
                summary="A Telegram link was opened from a chat that already belongs to "
                "someone else, so it was not linked. Please make a new link.",
                message_id=message_id,
            )
            body = replies.LINK_TAKEN
        else:
            body = replies.LINK_EXPIRED
        queued = await self._say_to(tx, route, body)
        return Handled(message_id, f"link_{binding.refused}", (queued,))

    async def _staff(
        self, tx: aiosqlite.Connection, inbound: InboundMessage, identity: Identity
    ) -> Handled:
        """A catalyst or staff member writing to the bot from the chat they get alerts in."""
        recorded = await _record(tx, inbound, person_id=identity.person_id)
        if recorded.duplicate:
            return Handled(recorded.message_id, "duplicate", duplicate=True)
        person = await people.get_person(tx, identity.person_id or 0)
        keyword = carrier_keyword(inbound.text, "en", opted_out=identity.opted_out_at is not None)
        if keyword is Keyword.STOP:
            await identities.set_opted_out(tx, identity.id, True)
            body = replies.STAFF_STOPPED
        elif keyword is Keyword.START:
            await identities.set_opted_out(tx, identity.id, False)
            body = replies.STAFF_LINKED
        else:
            body = replies.STAFF_CHAT
        if inbound.provider_replied:
            return Handled(recorded.message_id, "staff")
        queued = await self._say_to(
            tx,
            Route(inbound.channel, inbound.address),
            body.format(name=person.first_name if person else replies.TEAM),
            person_id=identity.person_id,
            purpose="optout" if keyword is Keyword.STOP else "service",
        )
        return Handled(recorded.message_id, "staff", (queued,))

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
        # When the provider has answered the keyword itself, a second answer would be noise.
        answer = not inbound.provider_replied
        if keyword is Keyword.STOP:
            return "stop", await self._stop(tx, resident, identity, route, reply=answer)
        if keyword is Keyword.START:
            return "start", await self._start(tx, resident, identity, route, reply=answer)
        risk = triage(text)
        if risk is not None:
            # Someone opted out still gets a human: only the reply is held back.
            queued = await self._risk(tx, resident, route, risk, message_id, reply=not opted_out)
            return "safeguarding", queued
        if opted_out:
            return "opted_out", []  # the carrier would not deliver a reply; staff still see it
        if keyword is Keyword.HELP:
            if not answer:
                return "help", []
            return "help", await self.conversations.start(tx, resident, "help", route, reply=True)
        pace = pace_intent(text)
        if pace is not None and not (pace.kind is PaceKind.RESUME and resident.status == "active"):
            return "pace", await self._pace(tx, resident, route, pace)
        flow = KEYWORD_FLOWS.get(" ".join(text.lower().split()).strip(" ?!."))
        if flow is not None:
            return "keyword", await self.conversations.start(tx, resident, flow, route, reply=True)
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
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        identity: Identity,
        route: Route,
        *,
        reply: bool,
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
        return [await self._say(tx, resident, route, replies.STOPPED, "optout")] if reply else []

    async def _start(
        self,
        tx: aiosqlite.Connection,
        resident: Resident,
        identity: Identity,
        route: Route,
        *,
        reply: bool,
    ) -> list[int]:
        await identities.set_opted_out(tx, identity.id, False)
        await identities.set_reachable(tx, identity.id, True)
        return [await self._say(tx, resident, route, replies.STARTED, "service")] if reply else []

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

    async def _say_to(
        self,
        tx: aiosqlite.Connection,
        route: Route,
        body: str,
        *,
        person_id: int | None = None,
        purpose: str = "service",
    ) -> int:
        """A reply to someone who is not a resident: a catalyst, or a chat not linked yet."""
        return await messages.queue_outbound(
            tx,
            channel=route.channel,
            address=route.address,
            body=body,
            purpose=purpose,
            routine=False,
            resident_id=None,
            person_id=person_id,
        )

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


async def _record(
    tx: aiosqlite.Connection,
    inbound: InboundMessage,
    *,
    resident_id: int | None = None,
    person_id: int | None = None,
) -> messages.Inbound:
    """Record the message once, as whoever's it is (nobody's yet, for a link being opened)."""
    return await messages.record_inbound(
        tx,
        channel=inbound.channel,
        provider_id=inbound.provider_id,
        address=inbound.address,
        body=inbound.text,
        resident_id=resident_id,
        person_id=person_id,
    )


async def _button_is_current(tx: aiosqlite.Connection, resident_id: int, message_id: int) -> bool:
    """Whether a button pressed on message `message_id` answers the question waiting now: the
    message belongs to the conversation waiting for a reply, and nothing asked since offered
    other buttons (a reminder repeats the same ones)."""
    pressed = await messages.get_message(tx, message_id)
    waiting = await sessions.waiting_session(tx, resident_id)
    if pressed is None or waiting is None or pressed.resident_id != resident_id:
        return False
    if pressed.session_id != waiting.id:
        return False
    return all(
        later == pressed.buttons
        for later in await messages.buttons_after(tx, waiting.id, message_id)
    )


async def _known(tx: aiosqlite.Connection, identity: Identity) -> bool:
    """Whether an address belongs to someone known: a person, or a resident staff know."""
    if identity.person_id is not None:
        return True
    resident = await people.get_resident(tx, identity.resident_id or 0)
    return resident is not None and resident.status != "unknown"


async def _already_greeted(tx: aiosqlite.Connection, resident_id: int) -> bool:
    return any(m.direction == "out" for m in await messages.conversation(tx, resident_id))
