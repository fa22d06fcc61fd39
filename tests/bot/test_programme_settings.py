"""Tests that the programme's settings take effect: its name, time zone and quiet hours."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.services.residents import ResidentDetails
from bot.settings import Settings
from storage import consents, messages, people
from tests.bot.conftest import MovableClock
from tests.bot.helpers import replies, say, sent_to, start_checkin

#: 22:30 in London, 17:30 in New York.
EVENING = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)


@asynccontextmanager
async def running(tmp_path: Path, clock: MovableClock, **env: str) -> AsyncIterator[Runtime]:
    settings = Settings.load(
        environ={"COMPANION_DATABASE": str(tmp_path / "companion.db"), **env}, env_file=None
    )
    runtime = Runtime.build(settings, clock=clock)
    await runtime.start(background=False)
    try:
        yield runtime
    finally:
        await runtime.stop()


async def _add(runtime: Runtime, name: str, **details: str | None) -> int:
    profile = await runtime.services.residents.create(
        ResidentDetails(name, name, f"{name} Example", **details)  # type: ignore[arg-type]
    )
    async with runtime.db.write() as tx:
        await consents.record_consent(tx, profile.resident.id, "checkins", True, "test")
    return profile.resident.id


async def _queue_routine(runtime: Runtime, resident_id: int) -> None:
    async with runtime.db.write() as tx:
        await messages.queue_outbound(
            tx,
            channel="webchat",
            address=str(resident_id),
            body="How are you this week?",
            purpose="checkins",
            routine=True,
            resident_id=resident_id,
        )


async def _status(runtime: Runtime, resident_id: int) -> str:
    [message] = await sent_to(runtime, resident_id)
    return message.status


async def test_the_programme_name_speaks_for_a_resident_with_no_catalyst(
    tmp_path: Path, clock: MovableClock
) -> None:
    async with running(tmp_path, clock, COMPANION_PROGRAMME_NAME="Sunrise") as runtime:
        pip = await _add(runtime, "Pip")
        [question] = await start_checkin(runtime, pip)
    assert question.startswith("Hi Pip, it's the Sunrise team.")


async def test_new_residents_get_the_programme_time_zone_and_quiet_hours_follow_it(
    tmp_path: Path, clock: MovableClock
) -> None:
    clock.moment = EVENING
    async with running(tmp_path, clock, COMPANION_TIMEZONE="America/New_York") as runtime:
        ada = await _add(runtime, "Ada")
        london = await _add(runtime, "Len", time_zone="Europe/London")
        assert (await runtime.services.residents.get(ada)).time_zone == "America/New_York"
        for resident in (ada, london):
            await _queue_routine(runtime, resident)
        await runtime.dispatcher.run_once()
        # 17:30 for Ada in New York: it goes. 22:30 for Len in London: it waits for morning.
        assert await _status(runtime, ada) == "sent"
        assert await _status(runtime, london) == "queued"


async def test_quiet_hours_come_from_the_settings(tmp_path: Path, clock: MovableClock) -> None:
    clock.moment = EVENING
    env = {"COMPANION_QUIET_START": "23:00", "COMPANION_QUIET_END": "07:30"}
    async with running(tmp_path, clock, **env) as runtime:
        owl = await _add(runtime, "Owl")
        resident = await runtime.services.residents.get(owl)
        assert (resident.quiet_start, resident.quiet_end) == ("23:00", "07:30")
        await _queue_routine(runtime, owl)
        await runtime.dispatcher.run_once()
        assert await _status(runtime, owl) == "sent"  # 22:30 is before this programme's 23:00
        await _queue_routine(runtime, owl)
        clock.moment = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
        await runtime.dispatcher.run_once()
        held = [m.status for m in await sent_to(runtime, owl)]
        assert held == ["sent", "queued"]
        clock.moment = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
        await runtime.dispatcher.run_once()
        assert [m.status for m in await sent_to(runtime, owl)] == ["sent", "sent"]


async def test_replies_name_the_team_when_there_is_no_catalyst_yet(
    tmp_path: Path, clock: MovableClock
) -> None:
    async with running(tmp_path, clock, COMPANION_PROGRAMME_NAME="Sunrise") as runtime:
        pip = await _add(runtime, "Pip")
        handled = await say(runtime, pip, "I made a cake today")
        assert await replies(runtime, handled) == [
            "Thank you, Pip. I've passed your message to the Sunrise team, who will get back "
            "to you."
        ]


async def test_someone_unknown_is_kept_with_the_programme_time_zone(
    tmp_path: Path, clock: MovableClock
) -> None:
    async with running(tmp_path, clock, COMPANION_TIMEZONE="Europe/Warsaw") as runtime:
        await runtime.pipeline.handle(InboundMessage("sms", "+447700900777", "hello", "SM1"))
        async with runtime.db.read() as conn:
            [stranger] = [r for r in await people.list_residents(conn) if r.status == "unknown"]
    assert stranger.time_zone == "Europe/Warsaw"
