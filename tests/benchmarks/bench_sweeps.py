"""This module benchmarks the check-in sweep against the design's targets: a sweep when nothing is
due, with 1,000,000 schedules (target: under 5 ms), and 100,000 residents due in the same minute,
all started and queued (target: within 10 s).

The sweep works in two steps (bot.checkin_starts): it claims every due slot and queues it for its
channel, then starts what its channel can send in the next two minutes (each flow's first turn
run and its messages put in the outbox, oldest first); the rest start in later sweeps as the
channels send. The due residents are half on SMS, half on Telegram, at the service's default
rate limits. The benchmark times the service's sweep, then how fast the rest can be started
when nothing holds them (the sweep's capacity, against the channels' few a second), and how
long a resident's reply waits for the write lock meanwhile.

Run: .venv/bin/python -m tests.benchmarks.bench_sweeps [--schedules N] [--due N] [--plain N]

Baselines, timed in the same run on the same database: a read transaction with `SELECT 1` (the
floor of any sweep), writing as many rows as there are due check-ins in one transaction, and
starting `--plain` other check-ins due together the plain way, one transaction each (what the
sweep did before it started a batch per transaction). Nothing here asserts on time; it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from bot.sweeps import Sweeps
from storage import checkin_starts, consents, identities, outbox, people, schedules

#: Monday 23 November 2026, 09:00 UTC: nothing is due yet.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
#: The minute the due check-ins fall in, and the next day for the rest.
DUE_AT = MONDAY + timedelta(hours=1)
#: The minute the baseline's check-ins, started one at a time, fall in.
PLAIN_AT = MONDAY + timedelta(minutes=30)
BATCH = 5_000
EMPTY_SWEEPS = 200


class Clock:
    def __init__(self) -> None:
        self.moment = MONDAY

    def now(self) -> datetime:
        return self.moment


async def seed(runtime: Runtime, total: int, due: int, plain: int = 0) -> None:
    """`total` residents each with a weekly check-in; the first `due` of them fall due at
    DUE_AT (half reached by SMS, half by Telegram) and the next `plain` at PLAIN_AT (by web
    chat), each with consent given; the rest fall due a day later."""
    rule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0"
    # The baseline's own slot, so that once run its next is a week on, not at DUE_AT.
    plain_rule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=30"
    for first in range(0, total, BATCH):
        async with runtime.db.write() as tx:
            for n in range(first, min(first + BATCH, total)):
                resident = await people.add_resident(
                    tx, runtime.programme.new_resident(f"R{n}", f"R{n}", f"Resident {n}")
                )
                is_due = n < due + plain
                when = DUE_AT if n < due else PLAIN_AT if is_due else DUE_AT + timedelta(days=1)
                await schedules.set_checkin(
                    tx,
                    resident.id,
                    flow_id="weekly_checkin",
                    rule=plain_rule if when == PLAIN_AT else rule,
                    starts_at=MONDAY,
                    next_due_at=when,
                )
                if is_due:
                    channel, address = _reached_by(n, due, resident.id)
                    await identities.add_identity(tx, channel, address, resident_id=resident.id)
                    await consents.record_consent(tx, resident.id, "checkins", True, "bench")


def _reached_by(n: int, due: int, resident_id: int) -> tuple[str, str]:
    if n >= due:
        return "webchat", str(resident_id)
    if n % 2:
        return "telegram", str(100_000_000 + resident_id)
    return "sms", f"+447{resident_id:09d}"


async def _probe_writes(runtime: Runtime, waits: list[float]) -> None:
    """Take the write lock every 20 ms, as an inbound reply would, and note how long it took."""
    while True:
        one = time.perf_counter()
        async with runtime.db.write():
            waits.append(time.perf_counter() - one)
        await asyncio.sleep(0.02)


def bench_runtime(folder: str, clock: Clock) -> Runtime:
    """The service on a database in `folder`, with no quiet hours (a benchmark's moments fall
    at any hour), on `clock`."""
    settings = Settings.load(
        environ={
            "COMPANION_DATABASE": str(Path(folder) / "bench.db"),
            "COMPANION_QUIET_START": "00:00",
            "COMPANION_QUIET_END": "00:00",
        },
        env_file=None,
    )
    return Runtime.build(settings, clock=clock)


def _cuts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e3, ordered[int(len(ordered) * 0.99)] * 1e3


async def main(total: int, due: int, plain: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock()
        runtime = bench_runtime(folder, clock)
        settings = runtime.settings
        await runtime.start(background=False)
        try:
            await seed_demo(runtime)
            started = time.perf_counter()
            await seed(runtime, total, due, plain)
            print(
                f"seeded {total:,} schedules ({due:,} due in one minute, {plain:,} in another)"
                f" in {time.perf_counter() - started:.0f} s"
            )

            floor = []
            for _ in range(EMPTY_SWEEPS):
                one = time.perf_counter()
                async with runtime.db.read() as conn:
                    await (await conn.execute("SELECT 1")).fetchall()
                floor.append(time.perf_counter() - one)
            sweeps = []
            for _ in range(EMPTY_SWEEPS):
                one = time.perf_counter()
                assert await runtime.sweeps.start_due_checkins() == 0
                sweeps.append(time.perf_counter() - one)
            print(
                "{:<58} p50 {:7.3f} ms   p99 {:7.3f} ms".format("baseline: SELECT 1", *_cuts(floor))
            )
            print(
                "{:<58} p50 {:7.3f} ms   p99 {:7.3f} ms".format(
                    f"empty sweep, {total:,} schedules (target under 5 ms)", *_cuts(sweeps)
                )
            )

            one = time.perf_counter()
            async with runtime.db.write() as tx:
                await tx.execute("CREATE TEMP TABLE bench_rows (n INTEGER, at TEXT)")
                await tx.executemany(
                    "INSERT INTO bench_rows VALUES (?, ?)", ((n, "x") for n in range(due))
                )
            label = f"baseline: {due:,} rows written in one transaction"
            print(f"{label:<58} {time.perf_counter() - one:7.2f} s")

            clock.moment = PLAIN_AT + timedelta(seconds=5)
            one_by_one = Sweeps(runtime.db, runtime.conversations, clock, checkin_batch=1)
            one = time.perf_counter()
            started_plain = await one_by_one.start_due_checkins()
            took = time.perf_counter() - one
            label = f"baseline: {plain:,} due, started one at a time (before)"
            print(f"{label:<58} {took:7.2f} s   ({started_plain / took:,.0f}/s)")

            clock.moment = DUE_AT + timedelta(seconds=5)
            async with runtime.db.read() as conn:
                before = await outbox.pending_count(conn)
            one = time.perf_counter()
            claimed = await runtime.sweeps.queue_due_checkins()
            took_claim = time.perf_counter() - one
            label = f"{due:,} due in one minute: claimed and queued"
            print(f"{label:<58} {took_claim:7.2f} s   ({claimed / took_claim:,.0f}/s)")
            started_now = await runtime.sweeps.start_queued_checkins(just_queued=True)
            took_sweep = time.perf_counter() - one
            async with runtime.db.read() as conn:
                waiting = len(await checkin_starts.queued(conn, due))
                in_outbox = await outbox.pending_count(conn) - before
            label = "the service's sweep, all of it (target 10 s)"
            print(
                f"{label:<58} {took_sweep:7.2f} s   ({started_now:,} started, {in_outbox:,}"
                f" messages in the outbox, {waiting:,} queued for their channel)"
            )

            # The sweep's capacity: start all the rest at once, as if the channels had no limit.
            runtime.sweeps.paced = None
            waits: list[float] = []
            probing = asyncio.create_task(_probe_writes(runtime, waits))
            one = time.perf_counter()
            started_rest = await runtime.sweeps.start_queued_checkins()
            took_rest = time.perf_counter() - one
            probing.cancel()
            label = f"capacity: the other {started_rest:,} started with no channel limit"
            print(f"{label:<58} {took_rest:7.2f} s   ({started_rest / took_rest:,.0f}/s)")
            label = "meanwhile, a reply's wait for the write lock"
            print("{:<58} p50 {:7.1f} ms   p99 {:7.1f} ms".format(label, *_cuts(waits)))
            sms, telegram = settings.sms_per_second, settings.telegram_per_second
            label = f"the channels' limits (SMS {sms:g}/s, Telegram {telegram:g}/s)"
            sending = max(due / 2 / sms, due / 2 / telegram)
            print(f"{label:<58} {sms + telegram:7g}/s  ({sending:,.0f} s to send all {due:,})")
        finally:
            await runtime.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schedules", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=100_000)
    parser.add_argument("--plain", type=int, default=2_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.schedules, arguments.due, arguments.plain))
