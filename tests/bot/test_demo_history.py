"""Tests of the demo's past check-ins (`companion run --demo`): four weeks for each resident,
seeded once, shown to their catalyst, and recalled by the next check-in."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from bot.demo import seed_demo_history
from bot.runtime import Runtime
from storage import checkins
from tests.bot.conftest import TUESDAY_10AM, MovableClock
from tests.bot.helpers import sent_to


async def test_each_demo_resident_has_four_past_weeks_once(
    services: Runtime, demo: dict[str, int]
) -> None:
    assert await seed_demo_history(services) == 16
    assert await seed_demo_history(services) == 0  # a second `run --demo` adds nothing
    async with services.db.read() as conn:
        pats = await checkins.recent(conn, demo["Pat"], TUESDAY_10AM - timedelta(weeks=5))
    assert [(c.status, c.mood) for c in pats] == [
        ("answered", "good"),
        ("answered", "ok"),
        ("missed", None),
        ("answered", "low"),
    ]
    # Weekly, on her day (Tuesday, as today), none in the future.
    dues = [datetime.fromisoformat(c.due_at) for c in pats]
    assert [later - earlier for earlier, later in pairwise(dues)] == [timedelta(weeks=1)] * 3
    assert {due.weekday() for due in dues} == {1} and dues[-1] <= TUESDAY_10AM


async def test_pats_next_check_in_recalls_her_hip(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    await seed_demo_history(services)
    await services.services.checkins.start_now(demo["Pat"])
    await services.dispatcher.run_once()
    [question] = await sent_to(services, demo["Pat"])
    assert "my hip is sore" in question.body and question.body.startswith("Hi Pat, it's Abby.")
