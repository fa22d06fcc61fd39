"""Tests that queued check-ins start only as fast as their channel can send them: a check-in
waits in the queue (not as a message in the outbox) while its channel is busy, waits only behind
its own channel, and starts, oldest first, when the channel has room again; so its question is
written just before it goes, and its escalation ladder counts from then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.channels.base import Outgoing
from bot.runtime import Runtime
from bot.sweeps import Sweeps, start_ahead
from storage import consents, identities, messages, people, schedules
from tests.bot.conftest import MovableClock, make_services

#: Tuesday 1 December 2026, 10:00 in London.
DUE = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class Recording:
    """A channel that sends at once and remembers to whom."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[str] = []

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def send(self, message: Outgoing) -> str:
        self.sent.append(message.body)
        return f"{self.name}-{len(self.sent)}"


async def _residents(services: Runtime, channel: str, names: list[str]) -> dict[str, int]:
    """Residents reachable only on `channel`, agreed to check-ins, each due at DUE."""
    ids = {}
    async with services.db.write() as tx:
        for name in names:
            resident = await people.add_resident(
                tx, services.programme.new_resident(name, name, f"{name} Test")
            )
            ids[name] = resident.id
            address = f"+4477009{resident.id:05d}" if channel == "sms" else str(9000 + resident.id)
            await identities.add_identity(tx, channel, address, resident_id=resident.id)
            await consents.record_consent(tx, resident.id, "checkins", True, "test")
            await schedules.set_checkin(
                tx,
                resident.id,
                flow_id="weekly_checkin",
                rule="FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0",
                starts_at=DUE - timedelta(days=7),
                next_due_at=DUE,
            )
    return ids


async def _started(services: Runtime) -> dict[int, str]:
    """Each resident's waiting check-in: when it started."""
    async with services.db.read() as conn:
        found = await conn.execute_fetchall(
            "SELECT resident_id, started_at FROM checkins WHERE status = 'waiting'"
        )
    return {row[0]: row[1] for row in found}


async def _still_queued(services: Runtime) -> list[int]:
    async with services.db.read() as conn:
        found = await conn.execute_fetchall("SELECT resident_id FROM checkin_queue ORDER BY id")
    return [row[0] for row in found]


async def test_check_ins_start_only_as_fast_as_their_channel_can_send(tmp_path: Path) -> None:
    sms, telegram = Recording("sms"), Recording("telegram")
    clock = MovableClock(DUE - timedelta(days=1))
    services = make_services(tmp_path, clock, {"sms": sms, "telegram": telegram})
    await services.start(background=False)
    try:
        # Seven on SMS, queued first; then four on Telegram.
        texting = await _residents(services, "sms", ["Ada", "Bo", "Cal", "Di", "Ed", "Flo", "Gil"])
        on_telegram = await _residents(services, "telegram", ["Hu", "Ivy", "Jo", "Kit"])
        clock.moment = DUE
        sweeps = Sweeps(
            services.db, services.conversations, clock, paced={"sms": 3, "telegram": 10}
        )

        # SMS has room for three: the other four wait in the queue, not in the outbox. Telegram
        # check-ins do not wait behind them.
        assert await sweeps.start_due_checkins() == 3 + 4
        started = await _started(services)
        assert set(started) == {texting[n] for n in ("Ada", "Bo", "Cal")} | set(
            on_telegram.values()
        )
        assert await _still_queued(services) == [texting[n] for n in ("Di", "Ed", "Flo", "Gil")]

        # Nothing has gone yet, so the next sweep starts none.
        clock.moment = DUE + timedelta(seconds=10)
        assert await sweeps.start_due_checkins() == 0

        # The dispatcher sends what is waiting; SMS has room again, and the oldest go next.
        await services.dispatcher.run_once()
        assert [body.split(",")[0] for body in sms.sent] == ["Hi Ada", "Hi Bo", "Hi Cal"]
        assert len(telegram.sent) == 4
        clock.moment = DUE + timedelta(seconds=20)
        assert await sweeps.start_due_checkins() == 3
        assert await _still_queued(services) == [texting["Gil"]]
        started = await _started(services)
        # Each check-in counts from when it started (its ladder too), and keeps when it was due.
        assert datetime.fromisoformat(started[texting["Di"]]) == clock.moment
        assert datetime.fromisoformat(started[texting["Ada"]]) == DUE
        await services.dispatcher.run_once()
        clock.moment = DUE + timedelta(seconds=30)
        assert await sweeps.start_due_checkins() == 1
        await services.dispatcher.run_once()
        assert [body.split(",")[0] for body in sms.sent] == [
            f"Hi {name}" for name in ("Ada", "Bo", "Cal", "Di", "Ed", "Flo", "Gil")
        ]
        assert await _still_queued(services) == []
    finally:
        await services.stop()


async def test_the_service_starts_check_ins_two_minutes_ahead_of_each_channel(
    tmp_path: Path,
) -> None:
    assert start_ahead({"sms": 1, "telegram": 25}) == {"sms": 120, "telegram": 3000}
    assert start_ahead({"sms": 0.1}) == {"sms": 12}
    services = make_services(tmp_path, MovableClock(DUE))
    assert services.sweeps.paced == {"sms": 120, "telegram": 3000}


async def test_a_message_held_till_morning_does_not_hold_up_the_channel(tmp_path: Path) -> None:
    """Only what is to go within the next two minutes counts against a channel's room: a text
    held for someone's quiet hours (or a retry hours away) does not stop check-ins starting."""
    clock = MovableClock(DUE - timedelta(days=1))
    services = make_services(tmp_path, clock, {"sms": Recording("sms")})
    await services.start(background=False)
    try:
        texting = await _residents(services, "sms", ["Ada", "Bo"])
        async with services.db.write() as tx:
            for hours in (1, 20):  # one due in an hour, one tomorrow morning
                await messages.queue_outbound(
                    tx,
                    channel="sms",
                    address="+447700900999",
                    body="Bingo at the library on Friday",
                    purpose="events",
                    routine=True,
                    resident_id=None,
                    due_at=DUE + timedelta(hours=hours),
                )
        clock.moment = DUE
        sweeps = Sweeps(services.db, services.conversations, clock, paced={"sms": 1})
        assert await sweeps.start_due_checkins() == 1
        assert await _still_queued(services) == [texting["Bo"]]
        # Ada's question is now waiting to go: Bo waits for it, not for the held texts.
        assert await sweeps.start_due_checkins() == 0
    finally:
        await services.stop()
