"""Logs at their most talkative (COMPANION_LOG_LEVEL=debug) while residents write in by SMS and
Telegram, a risk message raises an alert, and sends fail: no record carries a phone number, a
chat id or what anyone wrote, neither as the record stands nor as it is written out."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.channels.base import Outgoing, SendError
from bot.demo import seed_demo
from bot.inbound import InboundMessage
from bot.logs import JsonFormatter, configure
from storage import identities
from tests.bot.conftest import MovableClock, make_services

PAT_NUMBER = "+447700900123"
LUCY_CHAT = "918273645"
TEXTS = ("my secret jigsaw news", "the sewing circle was lovely", "ive fallen and cant get up")


class RefusingChannel:
    """A provider that takes nothing: every send fails, first for a while, then for good."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tries = 0

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, message: Outgoing) -> str:
        self.tries += 1
        if self.tries == 1:
            raise SendError("the provider had a server error (500)", retry_after=0)
        raise SendError("the person cannot be reached here", unreachable=True)


@pytest.fixture
def debug_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure("debug")
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def raw(record: logging.LogRecord) -> str:
    """Everything a record holds before any masking: its message, arguments and extra fields."""
    return " ".join([record.getMessage(), *map(str, vars(record).values())])


async def test_no_log_record_carries_a_number_a_chat_id_or_a_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, debug_logging: None
) -> None:
    caplog.set_level(logging.DEBUG)
    channels = {"sms": RefusingChannel("sms"), "telegram": RefusingChannel("telegram")}
    clock = MovableClock()
    services = make_services(tmp_path, clock, channels)  # type: ignore[arg-type]
    await services.start(background=False)
    try:
        demo = await seed_demo(services)
        async with services.db.write() as tx:
            await identities.add_identity(tx, "sms", PAT_NUMBER, resident_id=demo["Pat"])
            await identities.add_identity(tx, "telegram", LUCY_CHAT, resident_id=demo["Lucy"])
        await services.pipeline.handle(InboundMessage("sms", PAT_NUMBER, TEXTS[0], "SM-1"))
        await services.pipeline.handle(InboundMessage("telegram", LUCY_CHAT, TEXTS[1], "u-1"))
        await services.pipeline.handle(InboundMessage("sms", PAT_NUMBER, TEXTS[2], "SM-2"))
        # An unknown number writing in, too.
        await services.pipeline.handle(InboundMessage("sms", "+447700900999", TEXTS[0], "SM-3"))
        for _ in range(3):  # a failure, a retry, a failure for good
            await services.dispatcher.run_once()
            clock.advance(timedelta(hours=1))
    finally:
        await services.stop()
    assert all(channel.tries >= 2 for channel in channels.values()), "sends failed, twice"
    records = caplog.records
    assert any(record.levelno == logging.DEBUG for record in records), "debug is on"
    assert "send will be retried" in [record.getMessage() for record in records]
    written = "\n".join(JsonFormatter().format(record) for record in records)
    held = "\n".join(raw(record) for record in records)
    for secret in (PAT_NUMBER, "7700900123", "7700900999", LUCY_CHAT, *TEXTS, "jigsaw", "fallen"):
        assert secret not in written, secret
        assert secret not in held, secret
