"""Tests of `companion run` as an operator starts it, pointed at fake Twilio and Telegram
servers through TWILIO_API_URL and TELEGRAM_API_URL: real signed webhooks in, real sends out."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx

from tests.bot.channels.conftest import free_port
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio

STRANGER = "+447700900555"


async def _wait_healthy(url: str, process: asyncio.subprocess.Process) -> dict[str, object]:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.returncode is not None:
                raise AssertionError("companion run exited early")
            try:
                response = await client.get(f"{url}/healthz", timeout=1)
                body: dict[str, object] = response.json()
                channels = body.get("channels")
                if isinstance(channels, dict) and channels.get("telegram") == "on (webhook)":
                    return body
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("companion run did not become healthy with Telegram connected")


async def test_the_service_runs_against_the_providers_from_its_settings(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with FakeTwilio() as twilio, FakeTelegram() as telegram:
        env = {
            **os.environ,
            "COMPANION_DATABASE": str(tmp_path / "companion.db"),
            "COMPANION_PORT": str(port),
            "COMPANION_PUBLIC_URL": url,
            "COMPANION_LOG_LEVEL": "warning",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": twilio.number,
            "TWILIO_API_URL": twilio.url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": "a-secret_token",
            "TELEGRAM_API_URL": telegram.url,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "run",
            "--demo",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            health = await _wait_healthy(url, process)
            assert health["channels"] == {
                "sms": "on",
                "telegram": "on (webhook)",
                "webchat": "on",
            }
            assert telegram.webhook is not None
            assert telegram.webhook["url"] == f"{url}/webhooks/telegram"
            assert telegram.webhook["secret_token"] == "a-secret_token"

            status, body = await twilio.send_inbound(f"{url}/webhooks/twilio/sms", STRANGER, "hi")
            assert status == 200 and "<Response" in body
            [sms] = await twilio.wait_for_sent(1, timeout=10)
            assert sms.to == STRANGER and "We don't know this number yet" in sms.body
            assert sms.status_callback == f"{url}/webhooks/twilio/status"

            status, _ = await telegram.deliver(telegram.text_update(4242, "hello"))
            assert status == 200
            [chat] = await telegram.wait_for_sent(1, timeout=10)
            assert chat.chat_id == 4242 and "We don't know this number yet" in chat.text

            forged, _ = await telegram.deliver(telegram.text_update(4242, "again"), secret="no")
            assert forged == 403
            async with httpx.AsyncClient() as client:
                unsigned = await client.post(
                    f"{url}/webhooks/twilio/sms", data={"From": STRANGER, "Body": "x"}
                )
            assert unsigned.status_code == 403
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            # uvicorn shuts down gracefully, then re-raises the signal it caught.
            assert await asyncio.wait_for(process.wait(), 20) in (0, -signal.SIGTERM)
