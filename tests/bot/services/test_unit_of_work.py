"""Tests that a use case's work is one unit: given the caller's transaction, several use cases
commit together, or not at all."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid
from bot.services.residents import ResidentDetails


async def test_two_use_cases_in_one_transaction_commit_together(services: Runtime) -> None:
    residents = services.services.residents
    async with services.db.write() as tx:
        await residents.create(ResidentDetails("Ada", "Ada", "Ada Obi"), tx)
        await residents.create(ResidentDetails("Bo", "Bo", "Bo Lee"), tx)
    assert {p.resident.preferred_name for p in await residents.list_residents()} == {"Ada", "Bo"}


async def test_a_refused_use_case_undoes_the_whole_batch(services: Runtime) -> None:
    residents = services.services.residents
    with pytest.raises(Invalid):
        async with services.db.write() as tx:
            await residents.create(
                ResidentDetails("Ada", "Ada", "Ada Obi", phone="+447700900555"), tx
            )
            await residents.create(ResidentDetails("Bo", "Bo", "Bo Lee", phone="+447700900555"), tx)
    assert await residents.list_residents() == []
