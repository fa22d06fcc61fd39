"""Tests for bot.timing.backoff: when to retry a failed send, and when to stop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timing.backoff import MAX_ATTEMPTS, RETRY_AFTER_CEILING, retry_delay, should_give_up

MICROSECOND = timedelta(microseconds=1)  # a timedelta's resolution

# (attempt, retry_after, rand, seconds to wait)
DELAYS = [
    (1, None, 0.5, 2.0),
    (2, None, 0.5, 4.0),
    (3, None, 0.5, 8.0),
    (8, None, 0.5, 256.0),
    (10, None, 0.5, 900.0),  # 1024 s is past the cap
    (10_000, None, 0.5, 900.0),  # no overflow however many tries
    (1, None, 0.0, 1.0),  # rand spreads each step over half to one and a half times itself
    (1, None, 0.75, 2.5),
    (9, None, 0.0, 256.0),
    (10, None, 0.0, 450.0),
    (10, None, 0.9, 900.0),  # never past the cap
    (1, 30.0, 0.5, 30.0),  # Retry-After is a floor
    (1, 1.0, 0.5, 2.0),
    (9, 60.0, 0.5, 512.0),
    (1, 1800.0, 0.5, 1800.0),  # honoured past the cap
    (1, 7200.0, 0.5, 3600.0),  # up to an hour
    (1, float("inf"), 0.5, 3600.0),
    (1, float("nan"), 0.5, 2.0),
    (1, -5.0, 0.5, 2.0),
]


@pytest.mark.parametrize(("attempt", "retry_after", "rand", "seconds"), DELAYS)
def test_retry_delay_doubles_from_base_within_the_cap_and_honours_retry_after(
    attempt: int, retry_after: float | None, rand: float, seconds: float
) -> None:
    assert retry_delay(attempt, retry_after, rand=rand) == timedelta(seconds=seconds)


def test_retry_delay_takes_its_base_and_cap_from_the_caller() -> None:
    assert retry_delay(1, base=0.5, cap=10.0) == timedelta(seconds=0.5)
    assert retry_delay(5, base=1.0, cap=10.0) == timedelta(seconds=10)


@pytest.mark.parametrize(
    ("attempt", "rand", "base", "cap", "message"),
    [
        (0, 0.5, 2.0, 900.0, "attempt counts from 1; got 0."),
        (1, 1.0, 2.0, 900.0, "rand must be in [0, 1); got 1.0."),
        (1, -0.1, 2.0, 900.0, "rand must be in [0, 1); got -0.1."),
        (1, 0.5, 0.0, 900.0, "base and cap must be more than 0 seconds; got 0.0 and 900.0."),
        (1, 0.5, 2.0, float("nan"), "base and cap must be more than 0 seconds; got 2.0 and nan."),
    ],
)
def test_retry_delay_refuses_arguments_it_cannot_use(
    attempt: int, rand: float, base: float, cap: float, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        retry_delay(attempt, rand=rand, base=base, cap=cap)
    assert str(caught.value) == message


VALIDITY = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("attempt", "age", "validity", "give_up"),
    [
        (1, timedelta(0), None, False),
        (MAX_ATTEMPTS - 1, timedelta(hours=5), None, False),
        (MAX_ATTEMPTS, timedelta(0), None, True),
        (MAX_ATTEMPTS + 3, timedelta(0), VALIDITY, True),
        (3, timedelta(minutes=10), VALIDITY, False),
        (3, timedelta(minutes=30), VALIDITY, False),  # still valid at exactly its validity
        (3, timedelta(minutes=30, seconds=1), VALIDITY, True),
        (1, timedelta(hours=3), VALIDITY, True),
    ],
)
def test_should_give_up_after_max_attempts_or_once_a_message_is_stale(
    attempt: int, age: timedelta, validity: timedelta | None, give_up: bool
) -> None:
    assert should_give_up(attempt, age, validity) is give_up


def test_max_attempts_is_eight() -> None:
    assert MAX_ATTEMPTS == 8


attempts = st.integers(1, 200)
rands = st.floats(0.0, 1.0, exclude_max=True)
retry_afters = st.none() | st.floats(0.0, 3 * RETRY_AFTER_CEILING)
bases = st.floats(0.01, 60.0)
caps = st.floats(1.0, 7200.0)


@given(attempt=attempts, retry_after=retry_afters, rand=rands, base=bases, cap=caps)
def test_retry_delay_never_shrinks_as_attempts_grow(
    attempt: int, retry_after: float | None, rand: float, base: float, cap: float
) -> None:
    now = retry_delay(attempt, retry_after, rand=rand, base=base, cap=cap)
    assert retry_delay(attempt + 1, retry_after, rand=rand, base=base, cap=cap) >= now


@given(attempt=attempts, retry_after=retry_afters, rand=rands, base=bases, cap=caps)
def test_retry_delay_stays_between_retry_after_and_the_cap(
    attempt: int, retry_after: float | None, rand: float, base: float, cap: float
) -> None:
    delay = retry_delay(attempt, retry_after, rand=rand, base=base, cap=cap)
    floor = timedelta(seconds=min(retry_after or 0.0, RETRY_AFTER_CEILING))
    assert delay >= floor - MICROSECOND
    assert delay <= max(timedelta(seconds=cap), floor) + MICROSECOND
    assert delay > timedelta(0)
