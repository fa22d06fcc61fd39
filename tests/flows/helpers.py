"""Helpers for flow tests: a frozen clock, and flows compiled from inline YAML."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.engine import Reply, Sprint, Timeout, resume, start
from flows.library import MemoryLibrary
from flows.loading import LoadedFlow, load_flow
from flows.problems import Severity
from flows.types import Flow

LONDON = ZoneInfo("Europe/London")
#: A Monday morning in November, in London.
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)

PAT: dict[str, dict[str, Any]] = {
    "resident": {"preferred_name": "Pat", "first_name": "Patricia", "language": "en"},
    "catalyst": {"first_name": "Abby"},
}


class FrozenClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, moment: datetime = MONDAY_10AM) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


def load(yaml_text: str, source: str = "test.yaml") -> LoadedFlow:
    return load_flow(textwrap.dedent(yaml_text), source=source)


def compile_flow(yaml_text: str) -> Flow:
    """A flow that must have no errors (warnings are allowed)."""
    loaded = load(yaml_text)
    errors = [p.format() for p in loaded.problems if p.severity is Severity.ERROR]
    assert loaded.flow is not None and not errors, errors
    return loaded.flow


def codes(yaml_text: str) -> list[str]:
    return [problem.code for problem in load(yaml_text).problems]


class Conversation:
    """Drives one session the way the bot would, keeping the state between turns."""

    def __init__(
        self,
        *flows: Flow,
        context: dict[str, dict[str, Any]] | None = None,
        clock: FrozenClock | None = None,
    ) -> None:
        self.library = MemoryLibrary(list(flows))
        self.context = context if context is not None else PAT
        self.clock = clock or FrozenClock()
        self.state: dict[str, Any] = {}

    def start(self, flow_id: str | None = None) -> Sprint:
        ids = self.library.ids()
        sprint = start(self.library, flow_id or ids[0], context=self.context, clock=self.clock)
        self.state = sprint.state
        return sprint

    def reply(self, text: str) -> Sprint:
        sprint = resume(
            self.library, self.state, Reply(text), context=self.context, clock=self.clock
        )
        self.state = sprint.state
        return sprint

    def timeout(self, after: timedelta | None = None) -> Sprint:
        if after is not None:
            self.clock.advance(after)
        sprint = resume(self.library, self.state, Timeout(), context=self.context, clock=self.clock)
        self.state = sprint.state
        return sprint


def texts(sprint: Sprint) -> list[str]:
    return [message.text for message in sprint.messages]
