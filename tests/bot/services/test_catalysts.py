"""Tests of the catalysts service: adding one, reading it, choosing how alerts reach them."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.catalysts import CatalystDetails
from bot.services.errors import Invalid, NotFound


async def test_a_catalyst_is_added_and_read_back(services: Runtime) -> None:
    catalysts = services.services.catalysts
    added = await catalysts.create(CatalystDetails("Abby", "Abby Clarke", phone="+447700900001"))
    assert (await catalysts.get(added.id)).full_name == "Abby Clarke"
    assert [c.id for c in await catalysts.list_catalysts()] == [added.id]


async def test_someone_who_is_not_a_catalyst_is_not_found_as_one(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.read() as conn:
        found = list(await conn.execute_fetchall("SELECT id FROM people WHERE role = 'buddy'"))
    buddy = int(found[0]["id"])
    with pytest.raises(NotFound):
        await services.services.catalysts.get(buddy)


async def test_alerts_by_sms_need_a_number_and_a_number_is_one_persons(
    services: Runtime,
) -> None:
    catalysts = services.services.catalysts
    abby = await catalysts.create(CatalystDetails("Abby", "Abby Clarke", phone="+447700900001"))
    susie = await catalysts.create(CatalystDetails("Susie", "Susie Khan"))
    with pytest.raises(Invalid) as no_phone:
        await catalysts.set_alert_channel(susie.id, "sms", None)
    assert no_phone.value.field == "phone"
    with pytest.raises(Invalid) as taken:
        await catalysts.set_alert_channel(susie.id, "sms", "+447700900001")
    assert taken.value.detail == "already in use"
    moved = await catalysts.set_alert_channel(susie.id, "sms", "+447700900002")
    assert moved.alert_channel == "sms"
    assert (await catalysts.set_alert_channel(abby.id, None, None)).alert_channel is None
