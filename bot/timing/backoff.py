"""This module contains when to retry a failed send, and when to stop trying."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Final

MAX_ATTEMPTS: Final = 8
# A provider's Retry-After is honoured in full, even past `cap`, up to this ceiling: a longer
# wait is almost always past the message's validity, and should_give_up decides then.
RETRY_AFTER_CEILING: Final = 3600.0


def retry_delay(
    attempt: int,
    retry_after: float | None = None,
    *,
    rand: float = 0.5,
    base: float = 2.0,
    cap: float = 900.0,
) -> timedelta:
    """How long to wait before the next try, after `attempt` (1 = the first send) has failed.

    The step doubles from `base` seconds (attempt 1: base, 2: 2×base, 3: 4×base …). `rand`, a
    random number in [0, 1) the caller draws, spreads each step over half to one and a half
    times itself (0.5 gives the step exactly), so messages that failed together do not retry
    together; the result never exceeds `cap`. A `retry_after` from the provider is a floor, up
    to RETRY_AFTER_CEILING seconds. Taking `rand` as a parameter keeps this function pure.
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1; got {attempt}.")
    if not 0.0 <= rand < 1.0:
        raise ValueError(f"rand must be in [0, 1); got {rand}.")
    if not (base > 0 and cap > 0):
        raise ValueError(f"base and cap must be more than 0 seconds; got {base} and {cap}.")
    # 2**64 is far past any cap, and keeps a huge attempt count from overflowing a float.
    step = min(cap, base * 2.0 ** min(attempt - 1, 64))
    seconds = min(cap, step * (0.5 + rand))
    if retry_after is not None and not math.isnan(retry_after):
        seconds = max(seconds, min(retry_after, RETRY_AFTER_CEILING))
    return timedelta(seconds=seconds)


def should_give_up(attempt: int, age: timedelta, validity: timedelta | None) -> bool:
    """Whether to stop after `attempt` failed tries of a message now `age` old.

    Stop after MAX_ATTEMPTS, or once the message is older than `validity` (None: no limit),
    since a "how are you?" that arrives hours late does more harm than one that never arrives.
    To avoid a retry that would itself land late, pass the age the message will have then.
    """
    return attempt >= MAX_ATTEMPTS or (validity is not None and age > validity)
