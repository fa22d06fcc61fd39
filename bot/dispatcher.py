"""This module contains the dispatcher: it sends what is due in the outbox, carefully.

Per message, at the moment of sending: the resident may have said STOP a second ago, withdrawn
consent, or be asleep (quiet hours for routine messages). Per channel: a rate limit. Per
recipient: order (the outbox hands out only a recipient's oldest message). A failure is retried
with backoff, honouring Retry-After; a permanent failure tries the resident's other channel or
raises an alert. Network sends happen outside the write transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Mapping
from datetime import datetime, time, timedelta

import aiosqlite

from bot import failover, paging
from bot.channels.base import Channel, Outgoing, SendError
from bot.clock import SystemClock
from bot.conversations import FLOW_PURPOSES
from bot.rate_limit import RateLimiter
from bot.timing.backoff import retry_delay, should_give_up
from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from flows.engine import Clock
from flows.sms import sms_info
from storage import consents, identities, messages, outbox, people
from storage.database import Database
from storage.records import OutboxItem

log = logging.getLogger(__name__)

#: Purposes that need the resident's consent; replies and safety messages always go.
CONSENTED = frozenset(FLOW_PURPOSES.values())
#: Messages that go even to someone opted out: only the confirmation of their STOP.
AFTER_OPT_OUT = frozenset({"optout"})
#: Why a message to an address known to be lost is not sent (it moves on, or is given up).
UNREACHABLE = "the {channel} address can't be reached"
#: How long a routine message stays worth sending.
VALIDITY = timedelta(hours=12)
#: How long a provider may keep trying to deliver a message once it has it: a routine "how
#: are you?" is stale after a few hours; replies, safety messages and alerts are not.
PROVIDER_VALIDITY = {True: timedelta(hours=4), False: timedelta(hours=10)}
BATCH = 200
#: Sends the background dispatcher has under way at once, at most.
MAX_IN_FLIGHT = 100


class Dispatcher:
    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        limiters: Mapping[str, RateLimiter] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self.channels = dict(channels)
        self.limiters = dict(limiters or {})
        self.clock = clock or SystemClock()
        self._wake = asyncio.Event()
        self._random = random.Random()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self, idle: float = 1.0) -> None:
        """Send as messages fall due, each in its own task, so one slow send (a provider
        taking 15 s to time out) holds up nobody else. Order per person still holds: a
        person's next message is not claimed while one of theirs is in flight."""
        in_flight: set[asyncio.Task[None]] = set()
        try:
            while True:
                self._wake.clear()
                try:
                    items = await self._claim(MAX_IN_FLIGHT - len(in_flight))
                except Exception:
                    log.exception("dispatcher round failed")
                    items = []
                for item in items:
                    task = asyncio.create_task(self._deliver_logged(item))
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
                    # A finished send may make the person's next message due.
                    task.add_done_callback(lambda _: self.wake())
                if not items or len(in_flight) >= MAX_IN_FLIGHT:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), idle)
        finally:
            for task in in_flight:
                task.cancel()  # their claims are released at the next start

    async def run_once(self) -> int:
        """Send every message due now and wait for them; return how many were settled."""
        items = await self._claim(BATCH)
        await asyncio.gather(*(self._deliver(item) for item in items))
        return len(items)

    async def _claim(self, limit: int) -> list[OutboxItem]:
        if limit <= 0:
            return []
        async with self.db.write() as tx:
            # New alerts become pages to catalysts here, so they go in this very round.
            await paging.page_new_alerts(tx)
            return await outbox.claim_due(tx, self.clock.now(), limit)

    async def _deliver_logged(self, item: OutboxItem) -> None:
        try:
            await self._deliver(item)
        except Exception:
            log.exception("a send failed unexpectedly", extra={"message": item.message_id})
            # Unclaim it for a later try, or this person's messages would wait for a restart.
            with contextlib.suppress(Exception):
                async with self.db.write() as tx:
                    later = self.clock.now() + timedelta(minutes=1)
                    await outbox.settle_retry(tx, item, later, "unexpected error")

    async def _deliver(self, item: OutboxItem) -> None:
        now = self.clock.now()
        hold = await self._hold(item, now)
        if hold is not None:
            return
        channel = self.channels.get(item.channel)
        if channel is None:
            await self._give_up(item, f"the {item.channel} channel is off")
            return
        limiter = self.limiters.get(item.channel)
        if limiter is not None:
            await limiter.acquire()
        outgoing = Outgoing(
            item.address or "",
            item.body,
            item.buttons,
            message_id=item.message_id,
            valid_for=PROVIDER_VALIDITY[item.routine],
        )
        try:
            provider_id = await channel.send(outgoing)
        except SendError as exc:
            await self._failed(item, exc, now)
            return
        async with self.db.write() as tx:
            await outbox.settle_sent(tx, item, provider_id)
            if item.channel == "sms":
                await messages.set_segments(tx, item.message_id, sms_info(item.body).segments)

    async def _hold(self, item: OutboxItem, now: datetime) -> str | None:
        """Settle a message that must not go now; return why, or None to send it."""
        async with self.db.read() as conn:
            verdict = await self._verdict(conn, item, now)
        if verdict is None:
            return None
        reason, until = verdict
        if reason == UNREACHABLE:
            # Known lost (a blocked bot, a landline): trying again would only fail again.
            await self._give_up(item, reason.format(channel=item.channel), known_lost=True)
            return reason
        async with self.db.write() as tx:
            if until is not None:
                await outbox.settle_retry(tx, item, until, None)
            else:
                await outbox.settle_dropped(tx, item, "cancelled", reason)
        return reason

    async def _verdict(
        self, conn: aiosqlite.Connection, item: OutboxItem, now: datetime
    ) -> tuple[str, datetime | None] | None:
        """Why the message must not go now, and until when (None: not at all), or None.

        Read-only, so the check every message goes through does not take the write lock.
        """
        identity = await identities.find_identity(conn, item.channel, item.address or "")
        if identity and identity.opted_out_at and item.purpose not in AFTER_OPT_OUT:
            return "opted out on this channel", None
        if identity and not identity.reachable:
            return UNREACHABLE, None
        if item.resident_id is None:
            return None
        if item.purpose in CONSENTED:
            given = await consents.current_consents(conn, item.resident_id)
            if not given.get(item.purpose, False):
                return f"no consent to {item.purpose}", None
        resident = await people.get_resident(conn, item.resident_id)
        if resident is None or not item.routine:
            return None
        start = time.fromisoformat(resident.quiet_start)
        end = time.fromisoformat(resident.quiet_end)
        if in_quiet_hours(now, resident.time_zone, start, end):
            return "quiet hours", quiet_hours_end(now, resident.time_zone, start, end)
        return None

    async def _failed(self, item: OutboxItem, error: SendError, now: datetime) -> None:
        attempt = item.attempts + 1
        created = datetime.fromisoformat(item.created_at)
        if not error.permanent and not should_give_up(attempt, now - created, VALIDITY):
            delay = retry_delay(attempt, error.retry_after, rand=self._random.random())
            async with self.db.write() as tx:
                await outbox.settle_retry(tx, item, now + delay, error.reason)
            log.info("send will be retried", extra={"channel": item.channel, "attempt": attempt})
            return
        lost = False
        if error.opted_out or error.unreachable:
            async with self.db.write() as tx:
                lost = await failover.lose_channel(
                    tx, item.channel, item.address or "", opted_out=error.opted_out
                )
        await self._give_up(item, error.reason, channel_lost=lost)

    async def _give_up(
        self, item: OutboxItem, reason: str, *, channel_lost: bool = False, known_lost: bool = False
    ) -> None:
        """Try the resident's other channel; otherwise tell their catalyst."""
        async with self.db.write() as tx:
            await outbox.settle_dropped(tx, item, "failed", reason)
            message = await messages.get_message(tx, item.message_id)
            moved = (
                await failover.undelivered(
                    tx, message, reason, channel_lost=channel_lost, known_lost=known_lost
                )
                if message
                else None
            )
        if moved is not None:
            self.wake()
