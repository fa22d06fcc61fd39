"""Tests of the residents service on a real SQLite file: adding, reading back, the rules."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid, NotFound
from bot.services.residents import ResidentDetails


async def test_a_resident_is_added_with_channels_and_consents_and_read_back(
    services: Runtime, demo: dict[str, int]
) -> None:
    catalyst = (await services.services.catalysts.list_catalysts())[0]
    added = await services.services.residents.create(
        ResidentDetails(
            "Ada",
            "Adaeze",
            "Adaeze Obi",
            catalyst_id=catalyst.id,
            phone="+447700900555",
            consents={"checkins": True},
        )
    )
    again = await services.services.residents.profile(added.resident.id)
    assert again.resident.preferred_name == "Ada"
    assert {(c.channel, c.address) for c in again.channels} == {
        ("webchat", str(added.resident.id)),
        ("sms", "+447700900555"),
    }
    assert again.consents == {"checkins": True, "events": False, "buddying": False}
    mine = await services.services.residents.list_residents(catalyst.id)
    assert added.resident.id in [p.resident.id for p in mine]


async def test_a_residents_catalyst_must_be_a_catalyst(
    services: Runtime, demo: dict[str, int]
) -> None:
    before = len(await services.services.residents.list_residents())
    people = await services.services.residents.list_residents()
    for wrong in (99999, people[0].resident.id + 1000):
        with pytest.raises(Invalid) as refused:
            await services.services.residents.create(
                ResidentDetails("A", "A", "A B", catalyst_id=wrong)
            )
        assert refused.value.field == "catalyst_id"
    assert len(await services.services.residents.list_residents()) == before


async def test_a_phone_number_belongs_to_one_person_and_nothing_is_half_added(
    services: Runtime, demo: dict[str, int]
) -> None:
    residents = services.services.residents
    await residents.create(ResidentDetails("Ada", "Ada", "Ada Obi", phone="+447700900555"))
    before = len(await residents.list_residents())
    with pytest.raises(Invalid) as refused:
        await residents.create(ResidentDetails("Bo", "Bo", "Bo Lee", phone="+447700900555"))
    assert refused.value.field == "phone" and refused.value.detail == "already in use"
    assert len(await residents.list_residents()) == before


async def test_an_unknown_resident_is_not_found(services: Runtime) -> None:
    with pytest.raises(NotFound) as missing:
        await services.services.residents.profile(4242)
    assert missing.value.message == "There is no resident 4242."
