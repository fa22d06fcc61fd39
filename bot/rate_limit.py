"""This module contains `RateLimiter`: at most `rate` sends in any one-second window."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """A sliding one-second window: never more than `rate` acquisitions in any second.

    A token bucket allows a burst on top of its rate; a provider counting per second would see
    that burst as going over, so this keeps the exact times of the last `rate` sends instead.
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
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for a send's turn, and take it."""
        async with self._lock:
            while (wait := self.try_acquire()) > 0:
                result = self._sleep(wait)
                if asyncio.iscoroutine(result):
                    await result

    def try_acquire(self) -> float:
        """Take a send's turn if one is free now and return 0; else return the seconds until
        one is. The dispatcher takes a message from the outbox only once it has a turn, so
        nothing it holds is waiting here while the resident says STOP."""
        now = self._clock()
        while self._sent and now - self._sent[0] >= self.interval:
            self._sent.popleft()
        if len(self._sent) < self.per_second:
            self._sent.append(now)
            return 0.0
        return max(self.interval - (now - self._sent[0]), 1e-3)

    def give_back(self) -> None:
        """Return the latest turn taken, unused (the message was held at the last moment)."""
        if self._sent:
            self._sent.pop()
