"""Tests of "last time": a check-in remembers how the resident's last answered check-in went,
in their words and on their clock ("You said "my knee is bad" last week")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.context import when_words
from bot.runtime import Runtime
from storage import checkins, sessions
from tests.bot.conftest import MovableClock
from tests.bot.helpers import sent_to


async def _answer(services: Runtime, resident_id: int, mood: str, said: str | None) -> None:
    """Settle the waiting check-in as the ladder does when a conversation ends."""
    async with services.db.write() as tx:
        settled = await checkins.settle_waiting(
            tx, resident_id, "answered", mood=mood, said=said, answered_at=services.clock.now()
        )
        await sessions.end_waiting(tx, resident_id, "completed")
    assert settled is not None


async def test_next_weeks_check_in_remembers_what_the_resident_said(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    clock.advance(timedelta(days=7))  # Tuesday 1 December, 10:00
    await services.sweeps.start_due_checkins()
    clock.advance(timedelta(minutes=20))
    await _answer(services, pat, "low", "my knee is bad")
    clock.moment = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()
    assert (await sent_to(services, pat))[-1].body == (
        'Hi Pat, it\'s Abby. You said "my knee is bad" last week. How are you this week?'
        " Reply 1 Good, 2 OK or 3 Not so good"
    )
    async with services.db.read() as conn:
        waiting = await sessions.waiting_session(conn, pat)
    assert waiting is not None
    assert waiting.context["last"] == {
        "mood": "low",
        "mood_words": "not so good",
        "said": "my knee is bad",
        "when": "last week",
    }


async def test_a_first_check_in_or_one_after_silence_asks_as_usual(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    for _ in range(2):  # the first goes unanswered: silence is not "last time"
        clock.advance(timedelta(days=7))
        await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()
    assert [m.body for m in await sent_to(services, pat)] == [
        "Hi Pat, it's Abby. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    ] * 2


LONDON = "Europe/London"
NOW = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # Tuesday


@pytest.mark.parametrize(
    ("then", "words"),
    [
        (datetime(2026, 12, 8, 9, 0, tzinfo=UTC), "earlier today"),
        (datetime(2026, 12, 7, 23, 30, tzinfo=UTC), "yesterday"),
        (datetime(2026, 12, 4, 15, 0, tzinfo=UTC), "on Friday"),
        (datetime(2026, 12, 1, 10, 20, tzinfo=UTC), "last week"),
        (datetime(2026, 11, 3, 10, 20, tzinfo=UTC), "on 3 November"),
    ],
)
def test_when_last_time_was_in_words(then: datetime, words: str) -> None:
    assert when_words(then, LONDON, NOW) == words


def test_when_is_read_on_the_residents_own_clock() -> None:
    # 23:30 UTC on Monday is already Tuesday morning in Auckland: earlier today there.
    then = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert when_words(then, "Pacific/Auckland", NOW) == "earlier today"
