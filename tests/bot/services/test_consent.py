"""Tests of consent per purpose: given, withdrawn, and unknown purposes refused."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid
from storage import consents


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


async def test_an_answer_for_one_channel_counts_there_until_a_later_one_for_every_channel(
    services: Runtime, demo: dict[str, int]
) -> None:
    consent = services.services.consent
    pat = demo["Pat"]  # agreed to everything on every channel
    await consent.record(pat, {"events": False}, "chat", channel="sms")
    assert (await consent.on_channel(pat, "sms"))["events"] is False
    assert (await consent.on_channel(pat, "webchat"))["events"] is True
    # Still agreed somewhere, so the purpose as a whole stands.
    assert (await consent.current(pat))["events"] is True
    await consent.record(pat, {"events": False}, "chat")
    assert (await consent.on_channel(pat, "webchat"))["events"] is False
    assert (await consent.current(pat))["events"] is False
    await consent.record(pat, {"events": True}, "chat", channel="telegram")
    assert (await consent.on_channel(pat, "telegram"))["events"] is True
    assert (await consent.on_channel(pat, "sms"))["events"] is False
    assert (await consent.current(pat))["events"] is True


async def test_the_history_keeps_every_change_with_how_who_and_a_sealed_note(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    async with services.db.write() as tx:
        await consents.record_consent(
            tx,
            pat,
            "events",
            True,
            "catalyst",
            "sms",
            actor="catalyst:abby",
            note="She told me on the phone she'd like events",
        )
    async with services.db.read() as conn:
        [newest, *older] = await consents.consent_changes(conn, pat)
        stored = list(
            await conn.execute_fetchall(
                "SELECT note FROM consents WHERE resident_id = ? AND note IS NOT NULL", (pat,)
            )
        )
    assert (newest.purpose, newest.channel, newest.given, newest.source, newest.actor) == (
        "events",
        "sms",
        True,
        "catalyst",
        "catalyst:abby",
    )
    assert newest.note == "She told me on the phone she'd like events"
    assert older, "the demo's own consents are still in the history"
    # The note is sealed at rest: the file alone does not give it away.
    assert "phone" not in str(stored[0][0])
