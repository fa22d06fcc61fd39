"""A kill -9 while the outbox is busy, against the fake Twilio: after a restart every text
arrives, and the only ones sent twice are those in flight at the kill (sent, but not yet
recorded), which the dispatcher keeps to what it is actually sending."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

from bot.data_key import key_ring
from bot.runtime import Runtime
from bot.settings import Settings
from storage import identities, messages, people
from tests.bot.channels.conftest import free_port
from tests.fakes.twilio_api import FakeTwilio

TEXTS = 150
#: Texts a second: the dispatcher starts no more sends than this in any second.
RATE = 20


async def _fill_outbox(database: Path) -> None:
    """TEXTS replies queued to TEXTS residents, so sends may run side by side."""
    settings = Settings.load(environ={"COMPANION_DATABASE": str(database)}, env_file=None)
    runtime = Runtime.build(settings)
    await runtime.open()
    try:
        async with runtime.db.write() as tx:
            for n in range(TEXTS):
                resident = await people.add_resident(
                    tx, people.NewResident(f"R{n}", f"R{n}", f"Resident {n}")
                )
                phone = f"+4477009{n:05d}"
                await identities.add_identity(tx, "sms", phone, resident_id=resident.id)
                await messages.queue_outbound(
                    tx,
                    channel="sms",
                    address=phone,
                    body=f"text {n}",
                    purpose="service",
                    routine=False,
                    resident_id=resident.id,
                )
    finally:
        await runtime.stop()


def _recorded_sent(database: Path) -> set[str]:
    with closing(sqlite3.connect(database)) as conn:
        rows = conn.execute(
            "SELECT body FROM messages WHERE direction = 'out' AND status = 'sent'"
        ).fetchall()
    # Texts are sealed with the key file beside the database.
    keys = key_ring(Settings.load(environ={"COMPANION_DATABASE": str(database)}, env_file=None))
    return {keys.unseal(body) for (body,) in rows}


def _outbox_size(database: Path) -> int:
    with closing(sqlite3.connect(database)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])


async def test_kill_9_mid_send_repeats_at_most_the_sends_in_flight(tmp_path: Path) -> None:
    database = tmp_path / "companion.db"
    await _fill_outbox(database)
    async with FakeTwilio() as twilio:
        port = free_port()
        env = {
            **os.environ,
            "COMPANION_DATABASE": str(database),
            "COMPANION_PORT": str(port),
            "COMPANION_LOG_LEVEL": "warning",
            "COMPANION_SMS_PER_SECOND": str(RATE),
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": twilio.number,
            "TWILIO_API_URL": twilio.url,
        }

        async def start() -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                "from bot.cli import main; main()",
                "run",
                cwd=tmp_path,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )

        twilio.delay_next(0.05, times=TEXTS * 2)  # a provider that takes its time
        process = await start()
        try:
            async with asyncio.timeout(60):
                while len(twilio.sent) < TEXTS // 3:
                    await asyncio.sleep(0.01)
            process.send_signal(signal.SIGKILL)
            await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await asyncio.sleep(0.3)  # let the fake finish any request that reached it
        taken_at_kill = Counter(sms.body for sms in twilio.sent)
        in_flight = set(taken_at_kill) - _recorded_sent(database)
        assert 0 < len(taken_at_kill) < TEXTS, "the kill should land mid-outbox"

        process = await start()
        try:
            async with asyncio.timeout(60):
                while _outbox_size(database) or len(set(s.body for s in twilio.sent)) < TEXTS:
                    await asyncio.sleep(0.05)
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 20)

    delivered = Counter(sms.body for sms in twilio.sent)
    assert set(delivered) == {f"text {n}" for n in range(TEXTS)}  # nothing lost
    twice = {body for body, times in delivered.items() if times > 1}
    # Only what Twilio had taken but we had not yet recorded can go again, and that is no
    # more than one second's sends under the rate limit, not the hundred and more queued.
    assert twice <= in_flight, (twice, in_flight)
    assert len(in_flight) <= RATE, in_flight
    assert max(delivered.values()) <= 2
    assert _recorded_sent(database) == set(delivered)
