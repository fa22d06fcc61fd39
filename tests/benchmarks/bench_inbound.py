"""This module benchmarks the inbound pipeline: web chat replies from the demo residents.

Run: .venv/bin/python -m tests.benchmarks.bench_inbound

A real `Runtime` on a temporary SQLite file, with the demo seeded, takes rounds of MESSAGES
replies through `pipeline.handle`, one after another, as the web chat hands them on. Whenever a
resident has no conversation waiting, a check-in is started for them first (not timed), so most
replies carry a check-in on; the rest go where the pipeline sends them ("not today" ends the
check-in at the pace stage). The dispatcher does not run: sending is not what is measured.

Reported, for the best of ROUNDS rounds: messages per second and p50/p99 latency per message;
and the SQL statements each message runs inside its write transaction, counted in a later,
untimed pass with SQLite's trace callback on the writer connection. Baseline, in the same run:
one write transaction of a single INSERT per message through `db.write()`, into a temporary
table (the floor: the lock, BEGIN IMMEDIATE and COMMIT) and into an ordinary table in the same
file (a commit that also writes the WAL). Nothing here asserts on time; it reports.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.demo import seed_demo
from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.settings import Settings
from storage import sessions

MESSAGES = 2_000  # per timed round
ROUNDS = 3  # the best round counts: the machine is shared
COUNTED = 400  # in the untimed pass that counts SQL statements
TEXTS = ("3", "yes", "hello", "not today", "2", "grand, thanks", "1", "no")
#: Not statements of their own: the transaction around them, and the lines SQLite's trace
#: reports for statements a trigger runs ("-- TRIGGER name").
FRAMING = ("BEGIN", "COMMIT", "ROLLBACK", "--")


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    per_second: float
    p50_ms: float
    p99_ms: float
    statements: float | None


def summarise(name: str, durations: list[int], statements: float | None) -> Result:
    cuts = statistics.quantiles(durations, n=100)
    total = sum(durations) / 1e9
    return Result(name, len(durations) / total, cuts[49] / 1e6, cuts[98] / 1e6, statements)


class Replies:
    """Replies from the demo residents in turn, each in a conversation when one can be had."""

    def __init__(self, runtime: Runtime, residents: list[int]) -> None:
        self.runtime = runtime
        self.residents = residents
        self.sent = 0

    async def next(self) -> InboundMessage:
        """The next reply; first, untimed, a check-in for its sender if none is waiting."""
        n = self.sent
        self.sent += 1
        resident_id = self.residents[n % len(self.residents)]
        async with self.runtime.db.read() as conn:
            waiting = await sessions.waiting_session(conn, resident_id)
        if waiting is None:
            await self.runtime.services.checkins.start_now(resident_id)
        text = TEXTS[(n // len(self.residents)) % len(TEXTS)]
        return InboundMessage("webchat", str(resident_id), text, f"bench-{n}")


def best(rounds: list[list[int]]) -> list[int]:
    """The round that took least time in all."""
    return min(rounds, key=sum)


async def time_pipeline(replies: Replies) -> tuple[list[int], Counter[str]]:
    rounds: list[list[int]] = []
    routes: Counter[str] = Counter()
    for _ in range(ROUNDS):
        durations: list[int] = []
        for _ in range(MESSAGES):
            inbound = await replies.next()
            began = time.perf_counter_ns()
            handled = await replies.runtime.pipeline.handle(inbound)
            durations.append(time.perf_counter_ns() - began)
            routes[handled.route] += 1
        rounds.append(durations)
    return best(rounds), routes


async def count_statements(replies: Replies) -> dict[str, list[int]]:
    """Statements each message ran in its write transaction, by the route it took."""
    traced: list[str] = []
    counting = False

    def note(statement: str) -> None:
        if counting:
            traced.append(statement)

    # The writer connection is private to `Database`; a benchmark may look inside it.
    writer = replies.runtime.db._writer
    assert writer is not None
    await writer.set_trace_callback(note)
    by_route: dict[str, list[int]] = defaultdict(list)
    try:
        for _ in range(COUNTED):
            inbound = await replies.next()
            traced.clear()
            counting = True
            handled = await replies.runtime.pipeline.handle(inbound)
            counting = False
            # The callback runs on aiosqlite's thread, but each statement is awaited in
            # turn, so all of this message's are in by now.
            own = [s for s in traced if not s.lstrip().upper().startswith(FRAMING)]
            by_route[handled.route].append(len(own))
    finally:
        # sqlite3 takes None to stop tracing; aiosqlite's type hint leaves it out.
        await writer.set_trace_callback(None)  # type: ignore[arg-type]
    return by_route


async def time_bare_writes(runtime: Runtime, table: str) -> list[int]:
    async def insert(n: int) -> None:
        async with runtime.db.write() as tx:
            await tx.execute(f"INSERT INTO {table} (body) VALUES (?)", (f"reply {n}",))

    return best([await timed(insert) for _ in range(ROUNDS)])


async def timed(work: Callable[[int], Awaitable[None]]) -> list[int]:
    durations: list[int] = []
    for n in range(MESSAGES):
        began = time.perf_counter_ns()
        await work(n)
        durations.append(time.perf_counter_ns() - began)
    return durations


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.load(
            environ={"COMPANION_DATABASE": str(Path(folder) / "bench.db")}, env_file=None
        )
        runtime = Runtime.build(settings)
        await runtime.start(background=False)
        try:
            residents = list((await seed_demo(runtime)).values())
            replies = Replies(runtime, residents)
            durations, routes = await time_pipeline(replies)
            by_route = await count_statements(replies)
            async with runtime.db.write() as tx:
                await tx.execute("CREATE TEMP TABLE bench_temp (id INTEGER PRIMARY KEY, body TEXT)")
                await tx.execute("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT)")
            temp = await time_bare_writes(runtime, "bench_temp")
            ordinary = await time_bare_writes(runtime, "bench_rows")
        finally:
            await runtime.stop()

    counts = [n for route in by_route.values() for n in route]
    results = [
        summarise("pipeline.handle, web chat reply", durations, statistics.mean(counts)),
        summarise("baseline: db.write(), INSERT temp table", temp, 1),
        summarise("baseline: db.write(), INSERT table", ordinary, 1),
    ]
    pipeline_rate = results[0].per_second
    print(
        f"{MESSAGES:,} messages per round, one at a time, best of {ROUNDS} rounds, "
        f"{len(residents)} demo residents, one process\n"
    )
    print(f"{'what':<42}{'msgs/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'SQL/msg':>9}{'vs row':>9}")
    for result in results:
        statements = "" if result.statements is None else f"{result.statements:.1f}"
        print(
            f"{result.name:<42}{result.per_second:>10,.0f}{result.p50_ms:>9.2f}"
            f"{result.p99_ms:>9.2f}{statements:>9}{result.per_second / pipeline_rate:>8.1f}x"
        )
    print("\nvs row: that row's messages per second over the pipeline's.")
    print("SQL/msg: statements inside the write transaction, BEGIN and COMMIT left out.")
    print(f"\nRoutes taken in the timed rounds: {dict(routes.most_common())}")
    print(f"SQL statements per message by route ({COUNTED} messages, untimed pass):")
    for route, route_counts in sorted(by_route.items(), key=lambda item: -len(item[1])):
        mean = statistics.mean(route_counts)
        print(
            f"  {route:<12}{len(route_counts):>5} messages, mean {mean:.1f},"
            f" min {min(route_counts)}, max {max(route_counts)}"
        )


if __name__ == "__main__":
    asyncio.run(main())
