"""This module contains `Intake`: how a channel hands an inbound message to the pipeline without
ever losing one a provider delivered, even while another process holds the database's write lock.

A message waits for the write lock a bounded time (well inside Twilio's 15 s webhook limit).
When the lock does not come, `take` keeps the message in the spool next to the database (fsynced)
and the caller answers the provider as usual; `handle_now` raises `DatabaseBusyError` instead,
for channels whose provider retries on its own (Telegram's webhook answers 503, its polling does
not confirm the update). Spooled messages are replayed in order once the database is writable,
and at start; replay is idempotent, since the pipeline ignores a provider id it has seen. While
anything is spooled, new messages join the end of the spool, so nobody's replies overtake.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.inbound import Handled, InboundMessage
from bot.timing.backoff import retry_delay
from storage.database import DatabaseBusyError, waiting_at_most
from storage.spool import Spool

log = logging.getLogger(__name__)

#: Seconds a message waits for this process's write lock; SQLite's busy_timeout (5 s) comes on
#: top, so the whole wait stays near 10 s, inside Twilio's 15 s.
LOCK_WAIT = 5.0


def to_record(inbound: InboundMessage) -> dict[str, Any]:
    return dataclasses.asdict(inbound)


def from_record(record: dict[str, Any]) -> InboundMessage | None:
    """The message a spool record holds, or None when the record is not one (never ours)."""
    fields = {f.name for f in dataclasses.fields(InboundMessage)}
    try:
        inbound = InboundMessage(**{k: v for k, v in record.items() if k in fields})
    except TypeError:
        return None
    text_fields = (inbound.channel, inbound.address, inbound.text, inbound.provider_id)
    return inbound if all(isinstance(v, str) for v in text_fields) else None


class Intake:
    def __init__(
        self,
        handle: Callable[[InboundMessage], Awaitable[Handled]],
        spool: Spool,
        *,
        lock_wait: float = LOCK_WAIT,
    ) -> None:
        self._handle = handle
        self.spool = spool
        self._lock_wait = lock_wait
        self._spool_lock = asyncio.Lock()
        self._replaying: asyncio.Task[None] | None = None
        #: Bytes of the spool already replayed (records are never removed one by one).
        self._replayed = 0

    @property
    def spooling(self) -> bool:
        return self.spool.size() > 0

    async def handle_now(self, inbound: InboundMessage) -> Handled:
        """Handle the message in the database now, or raise `DatabaseBusyError`."""
        with waiting_at_most(self._lock_wait):
            return await self._handle(inbound)

    async def take(self, inbound: InboundMessage) -> Handled | None:
        """Handle the message now, or keep it in the spool for later (then None). Either way
        it is safe when this returns."""
        if not self.spooling:
            try:
                return await self.handle_now(inbound)
            except DatabaseBusyError:
                log.warning("the database is busy; an inbound message waits in the spool")
        async with self._spool_lock:
            await asyncio.to_thread(self.spool.append, to_record(inbound))
        self.start()
        return None

    def start(self) -> None:
        """Replay the spool in the background, if there is anything in it (call at start)."""
        if self.spooling and (self._replaying is None or self._replaying.done()):
            self._replaying = asyncio.create_task(self._replay())

    async def stop(self) -> None:
        if self._replaying is not None:
            self._replaying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._replaying
            self._replaying = None

    async def _replay(self) -> None:
        attempt = 0
        while True:
            records = await asyncio.to_thread(self.spool.read_from, self._replayed)
            for record, end in records:
                inbound = from_record(record)
                if inbound is None:
                    log.error("a spool record that is not a message was skipped")
                else:
                    try:
                        await self.handle_now(inbound)
                    except DatabaseBusyError:
                        attempt += 1
                        await asyncio.sleep(retry_delay(attempt, None, cap=5.0).total_seconds())
                        break
                    except Exception:
                        # The same message would have failed as a webhook; keep going so one
                        # bad record holds up nobody, and say so loudly.
                        log.exception("a spooled message could not be handled; skipped")
                attempt = 0
                self._replayed = end
            else:
                async with self._spool_lock:
                    if self.spool.size() <= self._replayed:
                        await asyncio.to_thread(self.spool.clear)
                        self._replayed = 0
                        log.info("the inbound spool has been replayed")
                        return
