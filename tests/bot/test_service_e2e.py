"""End-to-end tests: the real `companion run` on a loopback port, restarted and killed."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from bot.data_key import key_ring
from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from storage import messages

COMMAND = [sys.executable, "-c", "from bot.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One `companion run` process, with its own database and port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.env = {
            **os.environ,
            "COMPANION_DATABASE": str(folder / "companion.db"),
            "COMPANION_PORT": str(self.port),
            "COMPANION_LOG_LEVEL": "warning",
            # No quiet hours, so a check-in question goes at whatever hour the suite runs;
            # tests/bot/test_programme_settings.py shows quiet hours from the settings held.
            "COMPANION_QUIET_START": "00:00",
            "COMPANION_QUIET_END": "00:00",
        }
        self.process: subprocess.Popen[str] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, *args: str) -> str:
        self.process = subprocess.Popen(
            [*COMMAND, "run", *args],
            cwd=self.folder,
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return output
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise AssertionError(f"companion run exited: {self.process.stdout.read()}")  # type: ignore[union-attr]
            time.sleep(0.1)
        raise AssertionError("companion run did not answer /healthz within 30 s")

    def banner(self) -> str:
        assert self.process is not None and self.process.stdout is not None
        os.set_blocking(self.process.stdout.fileno(), False)
        return self.process.stdout.read() or ""

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=20)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    yield running
    running.stop(signal.SIGKILL)


def test_a_new_user_talks_to_the_demo_and_nothing_is_lost_across_a_restart(server: Server) -> None:
    server.start("--demo")
    token = re.search(r"cmp_[A-Za-z0-9_-]+", server.banner())
    assert token, "the demo prints an API token"
    headers = {"Authorization": f"Bearer {token.group(0)}"}
    pat = 1
    assert (
        httpx.post(f"{server.url}/api/v1/residents/{pat}/checkins", headers=headers).status_code
        == 202
    )
    reply = httpx.post(
        f"{server.url}/api/v1/webchat/{pat}/messages", headers=headers, json={"text": "3"}
    ).json()
    assert "Would you like me to give you a call?" in reply["replies"][0]["text"]

    server.stop()
    server.start()
    answer = httpx.post(
        f"{server.url}/api/v1/webchat/{pat}/messages", headers=headers, json={"text": "yes"}
    ).json()
    assert answer["replies"][0]["text"] == "I'll ring you soon, Pat. Take care until then."
    conversation = httpx.get(
        f"{server.url}/api/v1/residents/{pat}/conversation", headers=headers
    ).json()["messages"]
    assert [m["direction"] for m in conversation] == ["out", "in", "out", "in", "out"]
    assert {m["status"] for m in conversation if m["direction"] == "out"} == {"sent"}


async def _fill_outbox(database: Path, count: int) -> None:
    settings = Settings.load(environ={"COMPANION_DATABASE": str(database)}, env_file=None)
    services = Runtime.build(settings)
    await services.open()
    try:
        ids = await seed_demo(services)
        async with services.db.write() as tx:
            for n in range(count):
                await messages.queue_outbound(
                    tx,
                    channel="webchat",
                    address=str(ids["Pat"]),
                    body=f"message {n}",
                    purpose="service",
                    routine=False,
                    resident_id=ids["Pat"],
                )
    finally:
        await services.stop()


def _statuses(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as conn:
        rows = conn.execute(
            "SELECT status, COUNT(*) FROM messages WHERE direction = 'out' GROUP BY status"
        ).fetchall()
    return {status: count for status, count in rows}


def test_kill_9_in_a_busy_outbox_then_restart_loses_nothing(server: Server) -> None:
    database = server.folder / "companion.db"
    asyncio.run(_fill_outbox(database, 3000))
    server.start()
    deadline = time.monotonic() + 30
    while _statuses(database).get("sent", 0) < 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.stop(signal.SIGKILL)
    at_kill = _statuses(database)
    assert at_kill.get("queued", 0) > 0, f"the kill should land mid-outbox: {at_kill}"

    server.start()
    deadline = time.monotonic() + 60
    while _statuses(database).get("queued", 0) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _statuses(database) == {"sent": 3000}
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
        order = [
            b
            for (b,) in conn.execute(
                "SELECT body FROM messages WHERE direction = 'out' ORDER BY updated_at, id"
            )
        ]
    # Texts are sealed with the key file beside the database.
    keys = key_ring(Settings.load(environ={"COMPANION_DATABASE": str(database)}, env_file=None))
    assert [keys.unseal(body) for body in order] == [f"message {n}" for n in range(3000)]
