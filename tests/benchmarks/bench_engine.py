"""This module benchmarks how many reply events per second the engine handles on one core.

Run: .venv/bin/python -m tests.benchmarks.bench_engine

Every event resumes a fresh copy of a started weekly check-in with one reply, as the bot does
for each inbound message. Two baselines are timed in the same run, on the same machine: a JSON
round trip of the state (the floor any engine that keeps its state as JSON must pay) and
`SessionState.from_json`. Nothing here asserts on time; it reports.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.flow_files import builtin_library
from flows.context import SAMPLE
from flows.engine import Reply, resume, start
from flows.session import SessionState
from tests.flows.helpers import FrozenClock

TARGET = 20_000  # reply events per second
EVENTS = 20_000  # per round
ROUNDS = 5
REPLIES = ("1", "3", "yes", "not so gud", "👍", "purple", "2", "grand", "feeling a bit low")
NOW = datetime.fromisoformat("2026-11-23T10:00:00+00:00")

Work = Callable[[dict[str, Any], str], object]


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    per_second: float
    p50_us: float
    p99_us: float


def measure(name: str, work: Work, states: list[dict[str, Any]], replies: list[str]) -> Result:
    """The best of ROUNDS rounds by throughput, with that round's latency percentiles."""
    best: list[int] = []
    for _ in range(ROUNDS):
        durations: list[int] = []
        for state, reply in zip(states, replies, strict=True):
            began = time.perf_counter_ns()
            work(state, reply)
            durations.append(time.perf_counter_ns() - began)
        if not best or sum(durations) < sum(best):
            best = durations
    cuts = statistics.quantiles(best, n=100)
    return Result(name, len(best) / (sum(best) / 1e9), cuts[49] / 1e3, cuts[98] / 1e3)


def main() -> None:
    library = builtin_library()
    clock = FrozenClock(NOW)
    context = {namespace: dict(values) for namespace, values in SAMPLE.items()}
    started = start(library, "weekly_checkin", context=context, clock=clock).state
    # Separate copies, so no event sees objects another event touched.
    states = [json.loads(json.dumps(started)) for _ in range(EVENTS)]
    replies = [REPLIES[i % len(REPLIES)] for i in range(EVENTS)]

    def engine(state: dict[str, Any], text: str) -> object:
        return resume(library, state, Reply(text), context=context, clock=clock)

    def json_round_trip(state: dict[str, Any], _text: str) -> object:
        return json.loads(json.dumps(state))

    def from_json(state: dict[str, Any], _text: str) -> object:
        return SessionState.from_json(state)

    results = [
        measure("engine.resume, weekly check-in", engine, states, replies),
        measure("baseline: json.loads(json.dumps(state))", json_round_trip, states, replies),
        measure("baseline: SessionState.from_json", from_json, states, replies),
    ]
    engine_rate = results[0].per_second
    print(f"{EVENTS:,} reply events per round, best of {ROUNDS} rounds, one process\n")
    print(f"{'what':<42}{'events/s':>12}{'p50 µs':>10}{'p99 µs':>10}{'engine/row':>12}")
    for result in results:
        ratio = result.per_second / engine_rate
        print(
            f"{result.name:<42}{result.per_second:>12,.0f}"
            f"{result.p50_us:>10.1f}{result.p99_us:>10.1f}{ratio:>11.1f}x"
        )
    print(f"{'target':<42}{TARGET:>12,}")
    print("\nengine/row: the engine's time per event divided by that row's.")
    verdict = "meets" if engine_rate >= TARGET else "is below"
    print(f"\nThe engine {verdict} the target ({engine_rate / TARGET:.0%} of it).")


if __name__ == "__main__":
    main()
