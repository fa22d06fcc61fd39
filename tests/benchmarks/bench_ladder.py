"""This module benchmarks the escalation ladder's sweep: 100,000 check-ins unanswered at the same
time (they began in the same minute, so their reminders fall due together 2 hours later) all
reminded (target: well under 30 s), then their missed check-in alerts raised, and a sweep when
no rung is due (target: under 5 ms).

Run: .venv/bin/python -m tests.benchmarks.bench_ladder [--due N] [--plain N]

Baselines, timed in the same run on the same database: a read transaction with `SELECT 1` (the
floor of any sweep), and `--plain` other check-ins' reminders taken the plain way, one at a time
through `climb`, 25 per transaction (what the sweep did before it climbed a batch per
transaction). Nothing here asserts on time; it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import timedelta

from bot.demo import seed_demo
from bot.runtime import Runtime
from storage import outbox
from tests.benchmarks.bench_sweeps import (
    DUE_AT,
    EMPTY_SWEEPS,
    PLAIN_AT,
    Clock,
    _cuts,
    bench_runtime,
    seed,
)

#: Past each check-in's first rung (the default ladder's: a reminder 2 hours on), its second
#: (the other channel 2 hours later: skipped, they have only the web chat) and its third
#: (missed, 4 hours after that).
REMINDED = timedelta(hours=2, seconds=10)
OTHER_CHANNEL = timedelta(hours=4, seconds=10)
MISSED = timedelta(hours=8, seconds=10)


async def _queued(runtime: Runtime) -> int:
    async with runtime.db.read() as conn:
        return await outbox.pending_count(conn)


async def _alerts(runtime: Runtime) -> int:
    async with runtime.db.read() as conn:
        row = await (await conn.execute("SELECT COUNT(*) FROM alerts")).fetchone()
    return int(row[0]) if row else 0


async def main(due: int, plain: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock()
        runtime = bench_runtime(folder, clock)
        await runtime.start(background=False)
        sweeps = runtime.sweeps
        try:
            await seed_demo(runtime)
            started = time.perf_counter()
            await seed(runtime, due + plain, due, plain)
            clock.moment = PLAIN_AT + timedelta(seconds=5)
            await sweeps.start_due_checkins()
            clock.moment = DUE_AT + timedelta(seconds=5)
            await sweeps.start_due_checkins()
            print(
                f"seeded and started {due:,} check-ins in one minute and {plain:,} in another"
                f" in {time.perf_counter() - started:.0f} s"
            )

            floor, idle = [], []
            for _ in range(EMPTY_SWEEPS):
                one = time.perf_counter()
                async with runtime.db.read() as conn:
                    await (await conn.execute("SELECT 1")).fetchall()
                floor.append(time.perf_counter() - one)
            for _ in range(EMPTY_SWEEPS):
                one = time.perf_counter()
                assert await sweeps.climb_ladders() == 0
                idle.append(time.perf_counter() - one)
            print(
                "{:<62} p50 {:7.3f} ms   p99 {:7.3f} ms".format("baseline: SELECT 1", *_cuts(floor))
            )
            label = f"idle ladder sweep, {due + plain:,} waiting (target under 5 ms)"
            print("{:<62} p50 {:7.3f} ms   p99 {:7.3f} ms".format(label, *_cuts(idle)))

            clock.moment = PLAIN_AT + REMINDED
            one = time.perf_counter()
            climbed = await sweeps.climb_ladders(batch=1)
            took = time.perf_counter() - one
            label = f"baseline: {plain:,} reminders due, one at a time (before)"
            print(f"{label:<62} {took:7.2f} s   ({climbed / took:,.0f}/s)")

            for label, after, what in [
                (f"{due:,} reminders due together (target well under 30 s)", REMINDED, "queued"),
                (f"{due:,} other-channel rungs, none to take (skipped)", OTHER_CHANNEL, "queued"),
                (f"{due:,} missed check-in alerts due together", MISSED, "alerts"),
            ]:
                # The baseline's check-ins climb their rungs just before, the plain way, so that
                # each figure is of the batch alone.
                clock.moment = PLAIN_AT + after
                await sweeps.climb_ladders(batch=1)
                queued, alerts = await _queued(runtime), await _alerts(runtime)
                clock.moment = DUE_AT + after
                one = time.perf_counter()
                climbed = await sweeps.climb_ladders()
                took = time.perf_counter() - one
                made = (
                    await _queued(runtime) - queued
                    if what == "queued"
                    else await _alerts(runtime) - alerts
                )
                print(
                    f"{label:<62} {took:7.2f} s   ({climbed:,} rungs, {made:,} {what},"
                    f" {climbed / took:,.0f}/s)"
                )
        finally:
            await runtime.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--due", type=int, default=100_000)
    parser.add_argument("--plain", type=int, default=2_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.due, arguments.plain))
