"""This module contains `RateLimiter`: at most `rate` sends in any one-second window."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

#: How long to look again when every turn is reserved but none yet used.
RESERVED_RECHECK = 0.01


class RateLimiter:
    """A sliding one-second window: never more than `rate` hand-overs in any second.

    A token bucket allows a burst on top of its rate; a provider counting per second would see
    that burst as going over, so this keeps the exact times of the last `rate` hand-overs.

    A send takes its turn in two steps. `try_acquire` reserves one, so the dispatcher takes a
    message from the outbox only when it may go soon; `hand_over`, called just before the
    message goes to the provider (after the last checks), records the real moment. The window
    is kept on those moments, so work between the two steps can never push two seconds' worth
    of sends into one.
    """

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"A rate limit must be above 0, not {rate}.")
        self.per_second = max(1, int(rate)) if rate >= 1 else 1
        self.interval = 1.0 if rate >= 1 else 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._reserved = 0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for a send's turn, and use it now."""
        async with self._lock:
            while (wait := self.try_acquire()) > 0:
                await self._pause(wait)
            while (wait := self.hand_over()) > 0:
                await self._pause(wait)

    def try_acquire(self) -> float:
        """Reserve a turn if one is free and return 0; else return the seconds until one may
        be. A reserved turn must be used (`hand_over`) or returned (`give_back`)."""
        self._forget_old()
        if len(self._sent) + self._reserved < self.per_second:
            self._reserved += 1
            return 0.0
        if not self._sent:
            return RESERVED_RECHECK
        return self._until_oldest_leaves()

    def hand_over(self) -> float:
        """Use a reserved turn now and return 0, or return the seconds to wait first (only
        when the reserved turn came early: the work before the hand-over took varying time)."""
        self._forget_old()
        if len(self._sent) < self.per_second:
            self._sent.append(self._clock())
            self._reserved = max(self._reserved - 1, 0)
            return 0.0
        return self._until_oldest_leaves()

    def give_back(self) -> None:
        """Return a reserved turn unused (the message was held at the last moment)."""
        self._reserved = max(self._reserved - 1, 0)

    def _forget_old(self) -> None:
        now = self._clock()
        while self._sent and now - self._sent[0] >= self.interval:
            self._sent.popleft()

    def _until_oldest_leaves(self) -> float:
        return max(self.interval - (self._clock() - self._sent[0]), 1e-3)

    async def _pause(self, seconds: float) -> None:
        result = self._sleep(seconds)
        if asyncio.iscoroutine(result):
            await result
