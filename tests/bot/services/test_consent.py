"""Tests of consent per purpose: given, withdrawn, and unknown purposes refused."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid


async def test_consent_is_given_and_withdrawn_purpose_by_purpose(
    services: Runtime, demo: dict[str, int]
) -> None:
    consent = services.services.consent
    await consent.record(demo["Pat"], {"events": False}, "test")
    assert await consent.current(demo["Pat"]) == {
        "checkins": True,
        "events": False,
        "buddying": True,
    }
    with pytest.raises(Invalid) as refused:
        await consent.record(demo["Pat"], {"checkins": False, "marketing": True}, "test")
    assert refused.value.field == "consents"
    assert (await consent.current(demo["Pat"]))["checkins"] is True
