"""A running Companion on a loopback port, talking to fake Twilio and Telegram servers.

The service is the real app under uvicorn, with the real twilio SDK and python-telegram-bot
pointed at the fakes through TWILIO_API_URL and TELEGRAM_API_URL, exactly as an operator would
configure it. The fakes call the service back over HTTP: signed Twilio webhooks, Telegram
updates with the secret token. The demo programme is seeded, with Pat on SMS, Lucy on
Telegram (Susie is her catalyst), and Abby (Pat's catalyst) paged by SMS.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.app import create_app
from bot.demo import demo_token, seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from storage import identities, messages, people
from storage.records import Message
from tests.bot.conftest import MovableClock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio

PAT_PHONE = "+447700900001"
ABBY_PHONE = "+447700900099"
LUCY_CHAT = 5550001
SERVICE_NUMBER = "+447700900123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class World:
    services: Runtime
    twilio: FakeTwilio
    telegram: FakeTelegram
    clock: MovableClock
    url: str
    token: str
    ids: dict[str, int]
    client: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.AsyncClient(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=10
        )

    @property
    def sms_webhook(self) -> str:
        return f"{self.url}/webhooks/twilio/sms"

    @property
    def status_webhook(self) -> str:
        return f"{self.url}/webhooks/twilio/status"

    async def api(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return await self.client.request(method, f"/api/v1{path}", json=body)

    async def conversation(self, name: str) -> list[Message]:
        async with self.services.db.read() as conn:
            return await messages.conversation(conn, self.ids[name])

    async def settle(self) -> None:
        """Let the dispatcher send everything due now."""
        for _ in range(50):
            if not await self.services.dispatcher.run_once():
                return
        raise AssertionError("the outbox never settled")


async def _add_channels(services: Runtime, ids: dict[str, int]) -> None:
    async with services.db.write() as tx:
        await identities.add_identity(tx, "sms", PAT_PHONE, resident_id=ids["Pat"])
        await identities.add_identity(tx, "telegram", str(LUCY_CHAT), resident_id=ids["Lucy"])
        abby = next(p for p in await people.list_people(tx, "catalyst") if p.first_name == "Abby")
        await identities.add_identity(tx, "sms", ABBY_PHONE, person_id=abby.id)
        await people.set_alert_channel(tx, abby.id, "sms")


async def start_world(
    tmp_path: Path, *, public: bool = True, extra_env: dict[str, str] | None = None
) -> AsyncIterator[World]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with (
        FakeTwilio(number=SERVICE_NUMBER) as twilio,
        FakeTelegram() as telegram,
    ):
        env = {
            "COMPANION_DATABASE": str(tmp_path / "companion.db"),
            "COMPANION_SECRET_KEY": "test-secret-key",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": SERVICE_NUMBER,
            "TWILIO_API_URL": twilio.url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_API_URL": telegram.url,
            **({"COMPANION_PUBLIC_URL": url} if public else {}),
            **(extra_env or {}),
        }
        clock = MovableClock()
        services = Runtime.build(Settings.load(environ=env, env_file=None), clock=clock)
        app = create_app(services, background=True)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        serving = asyncio.create_task(server.serve())
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.02)
        assert server.started, "the service did not start"
        ids = await seed_demo(services)
        await _add_channels(services, ids)
        world = World(services, twilio, telegram, clock, url, await demo_token(services), ids)
        try:
            yield world
        finally:
            await world.client.aclose()
            server.should_exit = True
            await serving


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async for built in start_world(tmp_path):
        yield built
