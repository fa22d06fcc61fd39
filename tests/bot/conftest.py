"""Fixtures for service tests: real SQLite files, a clock the test moves, the demo people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.base import Channel
from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.settings import Settings

#: Tuesday 24 November 2026, 10:00 in London (GMT).
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class MovableClock:
    def __init__(self, moment: datetime = TUESDAY_10AM) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


def make_services(
    tmp_path: Path, clock: MovableClock, channels: dict[str, Channel] | None = None
) -> Runtime:
    settings = Settings.load(
        environ={"COMPANION_DATABASE": str(tmp_path / "companion.db")}, env_file=None
    )
    return Runtime.build(settings, clock=clock, channels=channels)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def services(tmp_path: Path, clock: MovableClock) -> AsyncIterator[Runtime]:
    built = make_services(tmp_path, clock)
    await built.start(background=False)
    yield built
    await built.stop()


@pytest.fixture
async def demo(services: Runtime) -> dict[str, int]:
    return await seed_demo(services)
