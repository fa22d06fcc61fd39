"""Tests of alerts as staff see them: listed by state, acknowledged once by someone."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid, NotFound
from tests.bot.helpers import say


async def test_an_alert_is_listed_then_acknowledged(
    services: Runtime, demo: dict[str, int]
) -> None:
    alerts = services.services.alerts
    await say(services, demo["Lucy"], "I had a fall")
    [open_one] = await alerts.list_alerts("open")
    assert open_one.reference and open_one.alert.resident_id == demo["Lucy"]
    done = await alerts.acknowledge(open_one.alert.id, "susie")
    assert (done.alert.status, done.alert.acknowledged_by) == ("acknowledged", "susie")
    assert await alerts.list_alerts("open") == []
    assert [a.alert.id for a in await alerts.list_alerts("acknowledged")] == [open_one.alert.id]


async def test_a_wrong_state_or_alert_is_refused(services: Runtime) -> None:
    with pytest.raises(Invalid):
        await services.services.alerts.list_alerts("maybe")
    with pytest.raises(NotFound):
        await services.services.alerts.acknowledge(5, "susie")
