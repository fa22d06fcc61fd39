"""This module contains a session's state: plain, versioned JSON that can be stored and resumed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATE_VERSION = 1

WAITING = "waiting"
ENDED = "ended"


class SessionStateError(ValueError):
    """Stored state that this engine cannot resume (a bug or a corrupted row, not bad input)."""


@dataclass(slots=True)
class Frame:
    """A flow that ran another with `run:`, and the step it carries on at afterwards."""

    flow_id: str
    revision: int
    then: str


@dataclass(slots=True)
class Wait:
    """A question waiting for its answer. Times are ISO 8601 in UTC."""

    step: str
    since: str
    expires_at: str | None
    wake_at: str | None
    reminders_sent: int = 0
    reasks: int = 0


@dataclass(slots=True)
class SessionState:
    flow_id: str
    revision: int
    language: str
    step: str
    status: str = WAITING
    outcome: str | None = None
    stack: list[Frame] = field(default_factory=list)
    wait: Wait | None = None
    #: name -> {"value", "label", "category", "input", "at"}
    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        # Written out by hand: dataclasses.asdict deep-copies every value and was a third of
        # the engine's time per reply (see tests/benchmarks/bench_engine.py).
        wait = self.wait
        return {
            "v": STATE_VERSION,
            "flow_id": self.flow_id,
            "revision": self.revision,
            "language": self.language,
            "step": self.step,
            "status": self.status,
            "outcome": self.outcome,
            "stack": [
                {"flow_id": f.flow_id, "revision": f.revision, "then": f.then} for f in self.stack
            ],
            "wait": None
            if wait is None
            else {
                "step": wait.step,
                "since": wait.since,
                "expires_at": wait.expires_at,
                "wake_at": wait.wake_at,
                "reminders_sent": wait.reminders_sent,
                "reasks": wait.reasks,
            },
            "results": {name: dict(result) for name, result in self.results.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionState:
        version = data.get("v")
        if version != STATE_VERSION:
            raise SessionStateError(
                f"Session state version {version!r} is not {STATE_VERSION}; it cannot be resumed."
            )
        try:
            wait = data.get("wait")
            return cls(
                flow_id=data["flow_id"],
                revision=data["revision"],
                language=data["language"],
                step=data["step"],
                status=data["status"],
                outcome=data.get("outcome"),
                stack=[Frame(**frame) for frame in data.get("stack", [])],
                wait=Wait(**wait) if wait else None,
                results=dict(data.get("results", {})),
            )
        except (KeyError, TypeError) as exc:
            raise SessionStateError(f"Session state is incomplete: {exc}") from exc
