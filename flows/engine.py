"""This module contains the engine: `start` and `resume` a session, purely and deterministically.

Each call takes a flow library, the session's JSON state, one event (start, a reply, a timeout),
the names to fill into messages and a clock, and returns a `Sprint`: the new state and the
events the bot must carry out. Nothing here reads or writes anything outside its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.events import Event, FlowEntered, MessageOut, SessionEnded
from flows.limits import MAX_REPLY_CHARS
from flows.session import ENDED, WAITING, SessionState, SessionStateError
from flows.turn import Turn
from flows.types import Flow

DEFAULT_TIME_ZONE = "Europe/London"


class FlowLibrary(Protocol):
    """Where the engine finds flows: a revision when given, else the newest."""

    def get(self, flow_id: str, revision: int | None = None) -> Flow | None: ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""


class FlowNotFound(LookupError):
    def __init__(self, flow_id: str, revision: int | None) -> None:
        at = f" revision {revision}" if revision is not None else ""
        super().__init__(f"Flow '{flow_id}'{at} is not in the library.")
        self.flow_id = flow_id
        self.revision = revision


class StepNotFound(LookupError):
    """A session was asked to begin at a step the flow does not have."""

    def __init__(self, flow_id: str, step: str) -> None:
        super().__init__(f"Flow '{flow_id}' has no step called '{step}'.")
        self.flow_id = flow_id
        self.step = step


class SessionNotWaiting(RuntimeError):
    """A reply was given to a session that has ended; the bot should route it elsewhere."""


@dataclass(frozen=True, slots=True)
class Start:
    pass


@dataclass(frozen=True, slots=True)
class Reply:
    text: str


@dataclass(frozen=True, slots=True)
class Timeout:
    pass


Input = Start | Reply | Timeout


@dataclass(frozen=True, slots=True)
class Sprint:
    """What one event did: the new state (plain JSON) and the events to carry out."""

    state: dict[str, Any]
    events: tuple[Event, ...]

    @property
    def ended(self) -> bool:
        return bool(self.state["status"] == ENDED)

    @property
    def waiting(self) -> bool:
        return bool(self.state["status"] == WAITING)

    @property
    def messages(self) -> list[MessageOut]:
        return [event for event in self.events if isinstance(event, MessageOut)]

    @property
    def outcome(self) -> str | None:
        return next((e.outcome for e in self.events if isinstance(e, SessionEnded)), None)


def start(
    library: FlowLibrary,
    flow_id: str,
    *,
    context: Mapping[str, Mapping[str, Any]],
    clock: Clock,
    at_step: str | None = None,
) -> Sprint:
    """Begin `flow_id` (its newest revision) for the resident described in `context`.

    `at_step` begins at that step instead of the flow's start, as the admin's simulator does
    to try one part of a draft; the results earlier steps would have saved are then absent.
    """
    flow = _get(library, flow_id, None)
    if at_step is not None and at_step not in flow.steps:
        raise StepNotFound(flow.id, at_step)
    first = flow.start if at_step is None else at_step
    wanted = str(context.get("resident", {}).get("language") or "")
    language = wanted if wanted in flow.languages else flow.default_language
    state = SessionState(flow.id, flow.revision, language, first)
    turn = Turn(library, flow, state, context, _local_now(clock, context), replying=False)
    turn.emit(FlowEntered(flow.id, flow.revision))
    turn.run_from(first)
    return Sprint(state.to_json(), tuple(turn.events))


def resume(
    library: FlowLibrary,
    state_json: Mapping[str, Any],
    event: Input,
    *,
    context: Mapping[str, Mapping[str, Any]],
    clock: Clock,
) -> Sprint:
    """Carry a stored session on with a reply or a timeout, on the revision it started on."""
    state = SessionState.from_json(dict(state_json))
    if isinstance(event, Start):
        raise SessionStateError("A session that exists cannot be started again; use start().")
    if state.status != WAITING or state.wait is None:
        if isinstance(event, Timeout):
            return Sprint(state.to_json(), ())  # a late wake-up for a finished session
        raise SessionNotWaiting(f"The session on '{state.flow_id}' is not waiting for a reply.")
    flow = _get(library, state.flow_id, state.revision)
    now = _local_now(clock, context)
    turn = Turn(library, flow, state, context, now, replying=isinstance(event, Reply))
    if isinstance(event, Reply):
        turn.answer(event.text[:MAX_REPLY_CHARS])
    else:
        turn.wake()
    return Sprint(state.to_json(), tuple(turn.events))


def _get(library: FlowLibrary, flow_id: str, revision: int | None) -> Flow:
    flow = library.get(flow_id, revision)
    if flow is None:
        raise FlowNotFound(flow_id, revision)
    return flow


def _local_now(clock: Clock, context: Mapping[str, Mapping[str, Any]]) -> datetime:
    """Now in the resident's own time zone, so 'tomorrow' means their tomorrow."""
    now = clock.now()
    if now.tzinfo is None:
        raise ValueError("The clock must give timezone-aware times.")
    name = str(context.get("resident", {}).get("time_zone") or DEFAULT_TIME_ZONE)
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIME_ZONE)
    return now.astimezone(zone)
