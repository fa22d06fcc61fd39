"""Tests of starting a check-in now."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Conflict
from tests.bot.helpers import sent_to


async def test_a_check_in_started_now_reaches_the_resident(
    services: Runtime, demo: dict[str, int]
) -> None:
    started = await services.services.checkins.start_now(demo["Pat"])
    assert (started.flow, started.channel) == ("weekly_checkin", "webchat")
    await services.dispatcher.run_once()
    [question] = await sent_to(services, demo["Pat"])
    assert question.id == started.messages[0] and "Pat" in question.body


async def test_a_resident_nobody_can_reach_gets_no_check_in(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        await tx.execute(
            "UPDATE identities SET reachable = 0 WHERE resident_id = ?", (demo["Pat"],)
        )
    with pytest.raises(Conflict) as refused:
        await services.services.checkins.start_now(demo["Pat"])
    assert refused.value.message == "Pat has no channel we can reach."
    assert await sent_to(services, demo["Pat"]) == []
