"""Tests of Telegram start links as staff ask for them."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import cast
from urllib.parse import parse_qs, urlparse

import pytest

from bot import linking
from bot.channels.telegram import TelegramUpdates
from bot.runtime import Runtime
from bot.services.errors import Conflict, NotFound, Unavailable
from bot.services.links import Links
from tests.bot.conftest import MovableClock


def links_with_bot(services: Runtime, clock: MovableClock, username: str | None) -> Links:
    telegram = cast(TelegramUpdates, SimpleNamespace(username=username))
    return Links(services.db, clock, telegram, lambda: "on")


async def test_no_link_while_telegram_is_off(services: Runtime, demo: dict[str, int]) -> None:
    with pytest.raises(Conflict) as refused:
        await services.services.links.for_resident(demo["Pat"])
    assert refused.value.message.startswith("Telegram is off")


async def test_no_link_before_telegram_has_connected(
    services: Runtime, clock: MovableClock, demo: dict[str, int]
) -> None:
    with pytest.raises(Unavailable):
        await links_with_bot(services, clock, None).for_resident(demo["Pat"])


async def test_a_residents_link_binds_the_chat_that_opens_it(
    services: Runtime, clock: MovableClock, demo: dict[str, int]
) -> None:
    links = links_with_bot(services, clock, "companion_bot")
    made = await links.for_resident(demo["Pat"])
    url = urlparse(made.url)
    assert (url.netloc, url.path) == ("t.me", "/companion_bot")
    assert made.expires_at.startswith("2026-12-08T10:00")
    token = parse_qs(url.query)["start"][0]
    async with services.db.write() as tx:
        bound = await linking.bind_chat(tx, "telegram", "5550001", token, clock.now())
    assert bound.holder is not None and bound.holder.resident_id == demo["Pat"]
    with pytest.raises(NotFound):
        await links.for_catalyst(demo["Pat"] + 10_000)


async def test_a_link_used_after_it_expires_binds_nobody(
    services: Runtime, clock: MovableClock, demo: dict[str, int]
) -> None:
    made = await links_with_bot(services, clock, "companion_bot").for_resident(demo["Pat"])
    clock.advance(timedelta(days=15))
    token = parse_qs(urlparse(made.url).query)["start"][0]
    async with services.db.write() as tx:
        bound = await linking.bind_chat(tx, "telegram", "5550001", token, clock.now())
    assert bound.refused == "expired"
