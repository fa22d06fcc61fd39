"""Tests of check-in rhythms: set in words or as a rule, computed in the resident's own zone."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid, NotFound
from bot.services.residents import ResidentDetails
from bot.services.schedules import RhythmRequest


async def test_a_rhythm_in_words_is_described_and_due_in_the_residents_zone(
    services: Runtime,
) -> None:
    # The test clock is Tuesday 24 November 2026, 10:00 UTC; New York is 5 hours behind.
    added = await services.services.residents.create(
        ResidentDetails("Ada", "Ada", "Ada Obi", time_zone="America/New_York")
    )
    saved = await services.services.schedules.set(
        added.resident.id, RhythmRequest(every="week", days=["thursday"], at="2pm")
    )
    assert saved.description == "Every Thursday at 2pm"
    assert saved.next_due_at is not None and saved.next_due_at.startswith("2026-11-26T19:00")
    assert await services.services.schedules.get(added.resident.id) == saved


async def test_a_bad_rhythm_or_flow_is_refused_naming_the_field(
    services: Runtime, demo: dict[str, int]
) -> None:
    schedules = services.services.schedules
    before = await schedules.get(demo["Pat"])
    cases = [
        (RhythmRequest(every="week", days=["funday"], at="2pm"), "every"),
        (RhythmRequest(rule="FREQ=HOURLY"), "rule"),
        (RhythmRequest(every="week"), "every"),
        (RhythmRequest(every="day", at="9am", flow="no_such_flow"), "flow"),
    ]
    for request, field in cases:
        with pytest.raises(Invalid) as refused:
            await schedules.set(demo["Pat"], request)
        assert refused.value.field == field
    assert await schedules.get(demo["Pat"]) == before


async def test_a_schedule_for_nobody_is_not_found(services: Runtime) -> None:
    with pytest.raises(NotFound):
        await services.services.schedules.set(77, RhythmRequest(every="day", at="9am"))
