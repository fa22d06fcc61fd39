"""This module benchmarks the outbox dispatcher against an SMS channel's rate limit.

Run: .venv/bin/python -m tests.benchmarks.bench_dispatcher

The design asks that the dispatcher, given a full outbox, send "within 5% of the limit, never
over it in any second". For each limit, a real `Runtime` on a temporary SQLite file is given
SECONDS' worth of replies (not routine, so quiet hours hold none of them) to many residents,
and its dispatcher runs as it does in the service (`run_forever`) until the outbox is empty.
The fake SMS channel notes the moment each message is handed to it and takes LATENCY to answer,
as a provider's API would. Baseline, in the same run: the limit itself, and a bare loop of
`RateLimiter.acquire()` with no database and no channel. Nothing here asserts on time; it
reports. The whole run takes about a minute.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.channels.base import Outgoing
from bot.rate_limit import RateLimiter
from bot.runtime import Runtime
from bot.settings import Settings
from storage import identities, messages, outbox, people
from storage.people import NewResident

LIMITS = (10, 50)  # SMS per second
SECONDS = 20  # of sends queued for the dispatcher, per limit
BASELINE_SECONDS = 5  # of turns taken by the bare limiter loop, per limit
LATENCY = 0.020  # seconds the fake provider takes to answer a send
RESIDENTS = 200  # one send at a time per person, so the sends are spread over many people
MARGIN = 0.05  # "within 5% of the limit"


class RecordingSms:
    """An SMS channel that sends nothing: it notes when each message was handed over."""

    name = "sms"

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.sent_at: list[float] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def send(self, message: Outgoing) -> str:
        self.sent_at.append(time.monotonic())
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.latency)
        finally:
            self.in_flight -= 1
        return f"SM{message.message_id:08d}"


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    sent: int
    #: Sends per second over the steady part: whole seconds, leaving out the first half second
    #: and the ragged end.
    per_second: float
    #: The most sends in any one-second window, wherever it starts.
    most_in_a_second: int
    #: The shortest time in which limit + 1 sends went: under a second means over the limit.
    shortest_over: float
    most_in_flight: int | None


def steady_rate(times: list[float]) -> float:
    # The limiter lets a second's worth go at once and the next when the first frees, so sends
    # come in a burst near each whole second after the first: a window from half a second in,
    # a whole number of seconds long, holds a whole number of bursts.
    begin = times[0] + 0.5
    whole = int(times[-1] - begin)
    if whole < 1:
        return float("nan")
    inside = sum(1 for t in times if begin <= t < begin + whole)
    return inside / whole


def shortest_span(times: list[float], sends: int) -> float:
    """The shortest time from a send to the one `sends - 1` after it (inf: too few sends)."""
    ordered = sorted(times)
    pairs = zip(ordered, ordered[sends - 1 :], strict=False)  # the second list is shorter
    spans = [later - earlier for earlier, later in pairs]
    return min(spans, default=float("inf"))


def most_in_any_second(times: list[float]) -> int:
    """The largest number of sends in a window [t, t + 1 s) starting at any send."""
    ordered = sorted(times)
    most = 0
    first = 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


async def fill_outbox(runtime: Runtime, count: int) -> None:
    """Queue `count` replies, round robin over RESIDENTS residents with SMS numbers."""
    async with runtime.db.write() as tx:
        numbers: list[tuple[int, str]] = []
        for n in range(RESIDENTS):
            resident = await people.add_resident(
                tx, NewResident(f"R{n}", f"Resident{n}", f"Resident {n}")
            )
            number = f"+447700{n:06d}"
            await identities.add_identity(tx, "sms", number, resident_id=resident.id)
            numbers.append((resident.id, number))
        for n in range(count):
            resident_id, number = numbers[n % RESIDENTS]
            await messages.queue_outbound(
                tx,
                channel="sms",
                address=number,
                body=f"Message {n}: thanks, that's noted.",
                purpose="service",
                routine=False,
                resident_id=resident_id,
            )


async def run_dispatcher(limit: int, folder: Path) -> Result:
    settings = Settings.load(
        environ={
            "COMPANION_DATABASE": str(folder / f"bench-{limit}.db"),
            "COMPANION_SMS_PER_SECOND": str(limit),
        },
        env_file=None,
    )
    sms = RecordingSms(LATENCY)
    runtime = Runtime.build(settings, channels={"sms": sms})
    # Without the background work: the scheduler's sweeps are not what is measured here.
    await runtime.start(background=False)
    count = limit * SECONDS
    try:
        await fill_outbox(runtime, count)
        sending = asyncio.create_task(runtime.dispatcher.run_forever())
        deadline = time.monotonic() + SECONDS * 3
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            async with runtime.db.read() as conn:
                if await outbox.pending_count(conn) == 0:
                    break
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
    finally:
        await runtime.stop()
    return Result(
        f"dispatcher, {LATENCY * 1000:.0f} ms sends",
        len(sms.sent_at),
        steady_rate(sms.sent_at),
        most_in_any_second(sms.sent_at),
        shortest_span(sms.sent_at, limit + 1),
        sms.most_in_flight,
    )


async def run_bare_limiter(limit: int) -> Result:
    limiter = RateLimiter(limit)
    times: list[float] = []
    for _ in range(limit * BASELINE_SECONDS):
        await limiter.acquire()
        times.append(time.monotonic())
    return Result(
        "baseline: bare RateLimiter.acquire()",
        len(times),
        steady_rate(times),
        most_in_any_second(times),
        shortest_span(times, limit + 1),
        None,
    )


def report(limit: int, results: list[Result]) -> None:
    print(f"\nlimit {limit} SMS/s")
    print(
        f"{'what':<40}{'sent':>7}{'sends/s':>10}{'% limit':>9}{'max in 1 s':>12}"
        f"{f'{limit + 1} sends in':>16}{'in flight':>11}"
    )
    for result in results:
        in_flight = "" if result.most_in_flight is None else str(result.most_in_flight)
        print(
            f"{result.name:<40}{result.sent:>7}{result.per_second:>10.2f}"
            f"{result.per_second / limit:>9.1%}{result.most_in_a_second:>12}"
            f"{result.shortest_over * 1000:>13.0f} ms{in_flight:>11}"
        )
    print(f"{'limit':<40}{'':>7}{limit:>10.2f}{1:>9.1%}{limit:>12}{'>= 1000 ms':>16}")
    dispatcher = results[0]
    close = dispatcher.per_second >= limit * (1 - MARGIN)
    under = dispatcher.most_in_a_second <= limit
    print(
        f"within {MARGIN:.0%} of the limit: {'yes' if close else 'NO'}; "
        f"never over it in any second: {'yes' if under else 'NO'}"
    )


async def main() -> None:
    print(
        f"{SECONDS} s of sends queued per limit to {RESIDENTS} residents; "
        f"bare limiter loop: {BASELINE_SECONDS} s of turns. "
        "Times are when each send reached the channel."
    )
    with tempfile.TemporaryDirectory() as folder:
        for limit in LIMITS:
            dispatched = await run_dispatcher(limit, Path(folder))
            bare = await run_bare_limiter(limit)
            report(limit, [dispatched, bare])
    print(
        "\n'N sends in': the shortest time in which limit + 1 sends reached the channel; "
        "under 1000 ms is over the limit."
    )


if __name__ == "__main__":
    asyncio.run(main())
