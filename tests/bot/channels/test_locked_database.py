"""Tests of a database another process holds locked (a backup, a second copy of the service):
no text Twilio delivers to us is lost, nothing answers 500, and Telegram is asked to try again.

The lock is real: a second sqlite3 connection to the same file holds `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.channels.intake import Intake, to_record
from bot.inbound import InboundMessage
from bot.services import unit
from storage.spool import Spool
from tests.bot.channels.conftest import LUCY_CHAT, PAT_PHONE, World
from tests.bot.channels.test_telegram import connected
from tests.bot.channels.test_twilio import eventually, world_with

#: Twilio gives up on a webhook after 15 s; an answer must come before.
TWILIO_WEBHOOK_LIMIT = 15.0


@contextmanager
def held(database: Path) -> Iterator[None]:
    """Another process's write lock on the database, held until the block ends."""
    other = sqlite3.connect(database, isolation_level=None, timeout=10)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


async def recorded_once(world: World, sids: list[str]) -> bool:
    async with world.services.db.read() as conn:
        counts = []
        for sid in sids:
            query = "SELECT COUNT(*) FROM messages WHERE channel = 'sms' AND provider_id = ?"
            async with conn.execute(query, (sid,)) as cursor:
                row = await cursor.fetchone()
            counts.append(row[0] if row else 0)
    assert all(count <= 1 for count in counts), counts
    return counts == [1] * len(sids)


async def test_texts_sent_while_another_process_holds_the_lock_are_all_kept_and_answered(
    tmp_path: Path,
) -> None:
    async with world_with(tmp_path) as world:
        await connected(world)
        database = world.services.db.path
        spool = world.services.intake.spool
        sids = [f"SM{uuid.uuid4().hex}" for _ in range(8)]
        texts = ["menu", "not today", "I'm fine", "3", "hello", "menu", "thanks", "ok"]

        async def text(i: int) -> tuple[int, str]:
            return await asyncio.wait_for(
                world.twilio.send_inbound(
                    world.sms_webhook, PAT_PHONE, texts[i], message_sid=sids[i]
                ),
                TWILIO_WEBHOOK_LIMIT,
            )

        with held(database):
            # Several at once, as Twilio delivers them; then more, one after another.
            first = await asyncio.gather(*(text(i) for i in range(4)))
            later = [await text(i) for i in range(4, 8)]
            update = world.telegram.text_update(LUCY_CHAT, "hello")
            telegram_status, telegram_text = await world.telegram.deliver(update)
            assert spool.path.exists()
            assert stat.S_IMODE(spool.path.stat().st_mode) == 0o600
            assert not await recorded_once(world, sids[:1])

        assert [status for status, _ in first + later] == [200] * 8
        assert all("<Response" in body for _, body in first + later)
        # Telegram sends an update again after a 5xx: a clear 503, never a 500.
        assert telegram_status == 503, telegram_text
        await eventually(lambda: recorded_once(world, sids), "every text is recorded", 30)
        await eventually(lambda: asyncio.sleep(0, not spool.path.exists()), "the spool is gone")
        # In the order Twilio delivered them (the concurrent four in any order among themselves).
        async with world.services.db.read() as conn:
            query = "SELECT provider_id FROM messages WHERE direction = 'in' AND channel = 'sms'"
            async with conn.execute(query + " ORDER BY id") as cursor:
                stored = [row[0] for row in await cursor.fetchall() if row[0] in sids]
        assert set(stored[:4]) == set(sids[:4]) and stored[4:] == sids[4:]
        # Telegram's retry, once the database is free again, is taken.
        status, _ = await world.telegram.deliver(update)
        assert status == 200


async def test_texts_kept_in_the_spool_before_a_crash_are_taken_at_the_next_start(
    tmp_path: Path,
) -> None:
    kept = [
        InboundMessage("sms", PAT_PHONE, "menu", f"SM{uuid.uuid4().hex}"),
        InboundMessage("sms", PAT_PHONE, "thanks", f"SM{uuid.uuid4().hex}"),
    ]
    async with world_with(tmp_path) as world:
        # Sealed with the service's own key, as the service spools them.
        spool = Spool(tmp_path / "companion.db.spool", world.services.db.keys)
        await world.services.intake.stop()
        # As if the service had spooled these and died before replaying them; one was even
        # recorded already (replaying it again must not store it twice).
        await world.services.pipeline.handle(kept[0])
        for inbound in kept:
            spool.append(to_record(inbound))
        intake: Intake = world.services.intake
        intake.start()
        await eventually(
            lambda: recorded_once(world, [k.provider_id for k in kept]), "the spool is replayed"
        )
        await eventually(lambda: asyncio.sleep(0, not spool.path.exists()), "the spool is gone")


async def test_polling_does_not_confirm_an_update_it_could_not_store(tmp_path: Path) -> None:
    async with world_with(tmp_path, public=False) as world:
        await connected(world)
        updates = world.services.telegram_updates
        assert updates is not None
        update = world.telegram.text_update(LUCY_CHAT, "I finished a chapter of my book")
        confirmed = update["update_id"] + 1

        def confirming_polls() -> int:
            return sum(
                1
                for method, params in world.telegram.calls
                if method == "getUpdates" and params.get("offset") == confirmed
            )

        async def waiting() -> bool:
            return updates.state == "on (polling), waiting for the database"

        with held(world.services.db.path):
            world.telegram.queue_update(update)
            await eventually(waiting, "polling waits for the database", 30)
            assert confirming_polls() == 0

        async def taken() -> bool:
            inbound = [m for m in await world.conversation("Lucy") if m.direction == "in"]
            return [m.body for m in inbound] == ["I finished a chapter of my book"]

        await eventually(taken, "the update is stored once", 30)
        await eventually(lambda: asyncio.sleep(0, confirming_polls() > 0), "it is confirmed")


async def test_web_chat_and_the_api_answer_503_while_the_database_is_held_and_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unit, "WRITE_WAIT", 0.5)  # not Twilio's 15 s: a person is waiting
    async with world_with(tmp_path) as world:
        pat = world.ids["Pat"]
        before = await world.conversation("Pat")
        new_resident = {"preferred_name": "Pip", "first_name": "Pip", "full_name": "Pip Jones"}

        async def api(method: str, path: str, body: object = None) -> httpx.Response:
            # SQLite itself waits up to its busy_timeout (5 s) before saying it is held.
            return await world.client.request(method, f"/api/v1{path}", json=body, timeout=30)

        with held(world.services.db.path):
            chat = await api("POST", f"/webchat/{pat}/messages", {"text": "hello"})
            added = await api("POST", "/residents", new_resident)
            listed = await api("GET", "/residents")  # reading still works
        for refused in (chat, added):
            assert refused.status_code == 503, refused.text
            assert refused.headers["retry-after"] == "30"
            assert "try again" in refused.json()["error"]
        assert listed.status_code == 200
        assert await world.conversation("Pat") == before
        assert "Pip" not in [r["preferred_name"] for r in listed.json()["residents"]]
        # Sent again once the database is free, both go through.
        chat = await world.api("POST", f"/webchat/{pat}/messages", {"text": "hello"})
        assert chat.status_code == 200, chat.text
        assert (await world.api("POST", "/residents", new_resident)).status_code == 201
