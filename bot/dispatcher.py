"""This module contains the dispatcher: it sends what may go now from the outbox, carefully.

A message is taken from the outbox only when it is about to be sent: its channel has a turn
free under the rate limit and nothing of the recipient's is being sent. Then, at that very
moment (after any wait, so a STOP said a second ago counts) it is checked: the resident may
have opted out, withdrawn consent to its purpose on that channel, have a safeguarding alert
open (a nudge or buddy prompt then waits until it is closed), or be asleep (quiet hours, for
routine messages). The send
is recorded as soon as the provider answers. So a crash repeats at most the sends in flight.

Per recipient, order holds without ever holding up a reply (see `storage.outbox`): a routine
message held for quiet hours, a retry or the rate limit holds up no reply, and a safety message
waits for nothing, not even a slow send to the same person. A failure is retried with
backoff, honouring Retry-After; a permanent failure tries the resident's other channel or
raises an alert.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import sqlite3
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from time import monotonic

import aiosqlite

from bot import failover, paging
from bot.channels.base import Channel, Outgoing, Paced, SendError
from bot.clock import SystemClock
from bot.conversations import CONSENTED_PURPOSES
from bot.rate_limit import RateLimiter
from bot.timing.backoff import retry_delay, should_give_up
from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from flows.engine import Clock
from flows.sms import sms_info
from storage import alerts, consents, identities, messages, outbox, people
from storage.database import Database, DatabaseBusyError
from storage.records import OutboxItem

log = logging.getLogger(__name__)

#: Purposes that need the resident's consent; replies and safety messages always go.
CONSENTED = CONSENTED_PURPOSES
#: Messages that go even to someone opted out: only the confirmation of their STOP.
AFTER_OPT_OUT = frozenset({"optout"})
#: Routine purposes held, not sent and not cancelled, while a safeguarding alert about the
#: resident is open: nudges and buddy prompts wait until someone has closed it.
PAUSED_BY_RISK = frozenset({"events", "buddying"})
#: Why such a message waits, and how often it is looked at again while the alert is open.
HELD_FOR_RISK = "held while a safeguarding alert is open"
HELD_RECHECK = timedelta(minutes=5)
#: Why a message to an address known to be lost is not sent (it moves on, or is given up).
UNREACHABLE = "the {channel} address can't be reached"
#: How long a routine message stays worth sending.
VALIDITY = timedelta(hours=12)
#: How long a provider may keep trying to deliver a message once it has it: a routine "how
#: are you?" is stale after a few hours; replies, safety messages and alerts are not.
PROVIDER_VALIDITY = {True: timedelta(hours=4), False: timedelta(hours=10)}
#: Sends under way at once, at most.
MAX_IN_FLIGHT = 100
#: Seconds a finished send is remembered: far longer than any read stays part-way through.
FINISHED_MEMORY = 300.0
#: `_round`'s answer when no message is waiting for a turn under a rate limit.
NOTHING_WAITING = float("inf")
#: A bound on `run_once`, so a message that falls due again at once cannot spin it forever.
ROUNDS_AT_MOST = 1000


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
        #: Outbox rows being sent now, and whose they are: in memory only, since a send in
        #: flight when the process dies is simply due again at the next start.
        self._in_flight: dict[int, str] = {}
        #: Messages whose send finished lately, as (message id, due_at), with when; not by
        #: outbox id, which SQLite gives again once the row is gone. A read of the outbox
        #: can still show them as due: all reads share one connection, whose snapshot stays
        #: from before while any statement on it is part-way through. A row put off for a
        #: retry comes back with a new due_at, so it is not mistaken for one already sent.
        self._finished: dict[tuple[int, str], float] = {}
        self._round_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self, idle: float = 1.0) -> None:
        """Send as messages fall due, each in its own task, so one slow send (a provider
        taking 15 s to time out) holds up nobody else."""
        try:
            while True:
                self._wake.clear()
                try:
                    pause = await self._round()
                except Exception:
                    log.exception("dispatcher round failed")
                    pause = idle
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(pause, idle))
        finally:
            for task in list(self._tasks):
                task.cancel()  # not recorded as sent, so due again at the next start

    async def run_once(self, *, wait_for_limits: bool = True) -> int:
        """Send everything that may go now and wait for those sends; return how many.

        For the CLI, web chat and tests. With `wait_for_limits` it also waits for turns under
        the rate limits where the background loop would come back later; web chat does not,
        so someone chatting never waits for another channel's queue."""
        settled = 0
        for _ in range(ROUNDS_AT_MOST):
            before = set(self._tasks)
            pause = await self._round()
            # Only this round's sends: a slow one the background loop started is not ours.
            mine = self._tasks - before
            await asyncio.gather(*mine, return_exceptions=True)
            settled += len(mine)
            if not mine:
                if pause == NOTHING_WAITING or not wait_for_limits:
                    break
                await asyncio.sleep(pause)
        return settled

    async def _round(self) -> float:
        """Start a send for each message that may go now and has a turn under its channel's
        limit. Return the seconds until a turn frees for one that had to wait."""
        await self._page_new_alerts()
        async with self._round_lock:  # one round at a time reads and starts
            return await self._start_due()

    async def _start_due(self) -> float:
        room = MAX_IN_FLIGHT - len(self._tasks)
        if room <= 0:
            return NOTHING_WAITING  # a finishing send wakes the loop
        self._forget_finished()
        async with self.db.read() as conn:
            items = await outbox.due(conn, self.clock.now(), room + len(self._in_flight))
        pause = NOTHING_WAITING
        waiting_channels: set[str] = set()
        busy = set(self._in_flight.values())
        for item in items:
            if item.id in self._in_flight or (item.message_id, item.due_at) in self._finished:
                continue
            if item.recipient in busy and item.purpose != outbox.SAFETY:
                continue  # one send at a time per person keeps their order
            if item.channel in waiting_channels:
                continue  # nothing overtakes the channel's first message still waiting
            channel = self.channels.get(item.channel)
            if isinstance(channel, Paced) and (spacing := channel.ready_in(item.address or "")):
                busy.add(item.recipient)  # a chat spaced out: not yet, and nothing after it
                pause = min(pause, spacing)
                continue
            limiter = self.limiters.get(item.channel)
            wait = limiter.try_acquire() if limiter is not None else 0.0
            if wait > 0:
                waiting_channels.add(item.channel)
                pause = min(pause, wait)
                continue
            busy.add(item.recipient)
            self._start(item)
            room -= 1
            if room <= 0:
                break
        return pause

    def _forget_finished(self) -> None:
        """Forget sends finished long enough ago that no read can still show them as due."""
        cutoff = monotonic() - FINISHED_MEMORY
        for key, finished_at in list(self._finished.items()):
            if finished_at >= cutoff:
                break  # in the order they finished
            del self._finished[key]

    async def _page_new_alerts(self) -> None:
        # New alerts become pages to catalysts here, so they go in this very round. A read
        # first, so an idle round does not take the write lock.
        async with self.db.read() as conn:
            if not await alerts.unpaged_alerts(conn, 1):
                return
        async with self.db.write() as tx:
            await paging.page_new_alerts(tx)

    def _start(self, item: OutboxItem) -> None:
        self._in_flight[item.id] = item.recipient
        task = asyncio.create_task(self._deliver_logged(item))
        self._tasks.add(task)

        def finished(task: asyncio.Task[None]) -> None:
            self._tasks.discard(task)
            self._in_flight.pop(item.id, None)
            self._finished[item.message_id, item.due_at] = monotonic()
            self.wake()  # the person's next message may go now

        task.add_done_callback(finished)

    async def _deliver_logged(self, item: OutboxItem) -> None:
        try:
            await self._deliver(item)
        except Exception:
            log.exception("a send failed unexpectedly", extra={"message": item.message_id})
            # Put it off for a later try, or this person's messages would wait for a restart.
            with contextlib.suppress(Exception):
                async with self.db.write() as tx:
                    later = self.clock.now() + timedelta(minutes=1)
                    await outbox.settle_retry(tx, item, later, "unexpected error")

    async def _deliver(self, item: OutboxItem) -> None:
        # The round reserved this message a turn under its channel's limit; it is used (or
        # given back) here, right at the hand-over.
        limiter = self.limiters.get(item.channel)
        paced = self.channels.get(item.channel)
        handed_over = False
        try:
            while True:
                if isinstance(paced, Paced) and (spacing := paced.ready_in(item.address or "")):
                    await asyncio.sleep(spacing)  # the chat's last message was a moment ago
                    continue
                # Checked after every wait, just before the hand-over: a STOP said a moment
                # ago, withdrawn consent, quiet hours.
                now = self.clock.now()
                if await self._hold(item, now) is not None:
                    return
                wait = limiter.hand_over() if limiter is not None else 0.0
                if wait <= 0:
                    handed_over = True
                    break
                await asyncio.sleep(wait)  # the turn came a little early: at most a moment
        finally:
            if limiter is not None and not handed_over:
                limiter.give_back()
        channel = self.channels.get(item.channel)
        if channel is None:
            await self._give_up(item, f"the {item.channel} channel is off")
            return
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
        await self._record_sent(item, provider_id)

    async def _record_sent(self, item: OutboxItem, provider_id: str | None) -> None:
        """Record a send the provider took. If the database is held (a backup, another
        process), keep trying: giving up would send the message again."""
        segments = sms_info(item.body).segments if item.channel == "sms" else None
        for attempt in itertools.count():
            try:
                async with self.db.write() as tx:
                    await outbox.settle_sent(tx, item, provider_id)
                    if segments is not None:
                        await messages.set_segments(tx, item.message_id, segments)
                return
            except (sqlite3.OperationalError, DatabaseBusyError) as exc:
                if attempt == 0:
                    log.warning("a send could not be recorded yet", extra={"error": str(exc)})
                await asyncio.sleep(min(0.1 * 2**attempt, 5.0))

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
            if reason == HELD_FOR_RISK and until is not None:
                await outbox.settle_held(tx, item, until)
            elif until is not None:
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
            given = await consents.consents_on_channel(conn, item.resident_id, item.channel)
            if not given.get(item.purpose, False):
                return f"no consent to {item.purpose}", None
        resident = await people.get_resident(conn, item.resident_id)
        if resident is None or not item.routine:
            return None
        if item.purpose in PAUSED_BY_RISK and await alerts.has_open_risk(conn, resident.id):
            return HELD_FOR_RISK, now + HELD_RECHECK
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
