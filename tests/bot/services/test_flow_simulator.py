"""Tests of the flow simulator: chatting with a draft as a demo resident, in memory only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.runtime import Runtime
from bot.services import flow_simulator
from bot.services.access import Viewer
from bot.services.errors import Invalid, NotFound
from bot.services.flow_simulator import FlowSimulator, SimulationView
from tests.bot.conftest import MovableClock

SAM = Viewer(1, "sam", "Sam Staff", "staff", None)
SESSION = 7


def simulator(services: Runtime) -> FlowSimulator:
    return services.services.flow_simulator


async def view(services: Runtime, session: int = SESSION) -> SimulationView:
    return await simulator(services).view(SAM, session, "weekly_checkin")


def texts(page: SimulationView, who: str) -> list[str]:
    return [line.text for line in page.lines if line.who == who]


async def count(services: Runtime, table: str) -> int:
    async with services.db.read() as conn, conn.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_pat_says_she_is_good_and_hears_it_is_lovely(
    services: Runtime, demo: dict[str, int]
) -> None:
    sim = simulator(services)
    await sim.begin(SAM, SESSION, "weekly_checkin", demo["Pat"])
    first = await view(services)
    assert first.resident is not None and first.resident.name == "Pat"
    assert texts(first, "bot")[0].startswith("Hi Pat, it's Abby.")
    assert first.waiting
    await sim.reply(SAM, SESSION, "weekly_checkin", "1")
    page = await view(services)
    assert "lovely to hear, Pat" in texts(page, "bot")[-1]
    assert texts(page, "you") == ["1"]
    assert [(r.name, r.label, r.typed) for r in page.results] == [("mood", "Good", "1")]
    assert not page.waiting and "ended (completed)" in page.status


async def test_no_reply_sends_the_reminder_then_takes_the_no_reply_branch(
    services: Runtime, demo: dict[str, int]
) -> None:
    # The welcome has reminders of its own (the weekly check-in leaves them to the ladder).
    sim = simulator(services)
    await sim.begin(SAM, SESSION, "onboarding", demo["Pat"])
    page = await sim.view(SAM, SESSION, "onboarding")
    assert page.no_reply == "No reply came for 1 day: a reminder is due."
    await sim.no_reply(SAM, SESSION, "onboarding")
    page = await sim.view(SAM, SESSION, "onboarding")
    reminder = page.lines[-1]
    assert (reminder.who, reminder.detail) == ("bot", "reminder")
    assert reminder.text.startswith("No rush, Pat.")
    assert page.no_reply.startswith("No reply came for 2 days: the time to answer is over")
    await sim.no_reply(SAM, SESSION, "onboarding")
    page = await sim.view(SAM, SESSION, "onboarding")
    assert page.lines[-1].text == "The conversation ended: unfinished."
    with pytest.raises(Invalid, match="has ended"):
        await sim.no_reply(SAM, SESSION, "onboarding")


async def test_the_weekly_check_in_sends_no_reminder_of_its_own_and_counts_as_missed(
    services: Runtime, demo: dict[str, int]
) -> None:
    sim = simulator(services)
    await sim.begin(SAM, SESSION, "weekly_checkin", demo["Pat"])
    assert (await view(services)).no_reply.startswith(
        "No reply came for 3 days: the time to answer is over"
    )
    await sim.no_reply(SAM, SESSION, "weekly_checkin")
    page = await view(services)
    assert [(r.name, r.label) for r in page.results] == [("checkin", "missed")]
    assert page.lines[-1].text == "The conversation ended: missed."


async def test_from_offer_call_a_yes_shows_the_alert_but_raises_none_and_sends_nothing(
    services: Runtime, demo: dict[str, int]
) -> None:
    alerts, outbox, sessions = [
        await count(services, table) for table in ("alerts", "outbox", "sessions")
    ]
    sim = simulator(services)
    await sim.begin(SAM, SESSION, "weekly_checkin", demo["Pat"], at_step="offer_call")
    assert texts(await view(services), "bot")[0].startswith("I'm sorry you're not feeling")
    await sim.reply(SAM, SESSION, "weekly_checkin", "yes")
    page = await view(services)
    [alert] = page.actions
    assert alert.text.startswith("Would alert the catalyst, Abby (routine): Pat would like a call")
    assert alert.step == "call_booked"
    assert await count(services, "alerts") == alerts
    assert await count(services, "outbox") == outbox
    assert await count(services, "sessions") == sessions


async def test_restart_begins_again_as_the_same_resident(
    services: Runtime, demo: dict[str, int]
) -> None:
    sim = simulator(services)
    await sim.begin(SAM, SESSION, "weekly_checkin", demo["Lucy"], at_step="offer_chat")
    await sim.reply(SAM, SESSION, "weekly_checkin", "no")
    await sim.begin(SAM, SESSION, "weekly_checkin", None)
    page = await view(services)
    assert page.resident is not None and page.resident.name == "Lucy"
    assert texts(page, "you") == [] and page.results == ()
    assert texts(page, "bot") == [
        "Hi Lucy, it's Susie. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    ]


async def test_each_login_has_its_own_simulation(services: Runtime, demo: dict[str, int]) -> None:
    sim = simulator(services)
    await sim.begin(SAM, SESSION, "weekly_checkin", demo["Pat"])
    other = await view(services, session=SESSION + 1)
    assert other.resident is None and other.lines == ()
    with pytest.raises(Invalid, match="Start a simulation first"):
        await sim.reply(SAM, SESSION + 1, "weekly_checkin", "1")


async def test_bad_requests_are_refused_in_words(services: Runtime, demo: dict[str, int]) -> None:
    sim = simulator(services)
    with pytest.raises(Invalid, match="no step called 'nowhere'"):
        await sim.begin(SAM, SESSION, "weekly_checkin", demo["Pat"], at_step="nowhere")
    with pytest.raises(NotFound):
        await sim.begin(SAM, SESSION, "weekly_checkin", 9999)
    with pytest.raises(NotFound):
        await sim.begin(SAM, SESSION, "no_such_flow", demo["Pat"])
    await sim.begin(SAM, SESSION, "weekly_checkin", demo["Pat"])
    with pytest.raises(Invalid, match="Type a reply"):
        await sim.reply(SAM, SESSION, "weekly_checkin", "   ")


async def test_a_catalyst_cannot_simulate_as_another_catalysts_resident(
    services: Runtime, demo: dict[str, int]
) -> None:
    catalysts = {c.first_name: c.id for c in await services.services.catalysts.list_catalysts()}
    abby = Viewer(2, "abby", "Abby Clarke", "catalyst", catalysts["Abby"])
    with pytest.raises(NotFound):
        await simulator(services).begin(abby, SESSION, "weekly_checkin", demo["Lucy"])
    offered = (await simulator(services).view(abby, SESSION, "weekly_checkin")).residents
    assert [r.name for r in offered] == ["Pat"]


async def test_simulations_are_kept_in_bounds_of_number_and_idle_time(
    services: Runtime, demo: dict[str, int], clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flow_simulator, "MAX_SIMULATIONS", 2)
    sim = simulator(services)
    for session in (1, 2, 3):
        await sim.begin(SAM, session, "weekly_checkin", demo["Pat"])
    assert (await view(services, session=1)).resident is None  # the oldest went
    assert (await view(services, session=3)).resident is not None
    clock.advance(flow_simulator.MAX_IDLE + timedelta(minutes=1))
    assert (await view(services, session=3)).resident is None
