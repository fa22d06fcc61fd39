"""This module plays a scenario against the engine and records each way it differs from the plan."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows.engine import FlowLibrary, FlowNotFound, Reply, Sprint, Timeout, resume, start
from flows.events import ActionRequested, ErrorEvent, Event, FieldSet, MessageOut
from flows.scenarios.format import Expect, Line, Scenario


@dataclass(frozen=True, slots=True)
class Failure:
    line: int | None
    expected: str
    happened: str


@dataclass
class Outcome:
    scenario: Scenario
    failures: list[Failure] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


class _Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@dataclass
class _Play:
    scenario: Scenario
    library: FlowLibrary
    outcome: Outcome
    clock: _Clock
    state: dict[str, Any] = field(default_factory=dict)
    pending: deque[MessageOut] = field(default_factory=deque)
    unmatched_actions: list[ActionRequested] = field(default_factory=list)
    actions: list[ActionRequested] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def who(self) -> str:
        resident = self.scenario.context.get("resident", {})
        return str(resident.get("preferred_name") or "resident")

    def absorb(self, sprint: Sprint) -> None:
        self.state = sprint.state
        for event in sprint.events:
            self._note(event)

    def _note(self, event: Event) -> None:
        if isinstance(event, MessageOut):
            self.pending.append(event)
            self.outcome.transcript.append(f"bot: {event.text}")
        elif isinstance(event, ActionRequested):
            self.actions.append(event)
            self.unmatched_actions.append(event)
            self.outcome.transcript.append(f"action: {event.kind} {event.params}")
        elif isinstance(event, FieldSet):
            self.fields[event.name] = event.value
        elif isinstance(event, ErrorEvent):
            self.fail(
                None, "the flow to run without errors", f"error at '{event.step}': {event.text}"
            )

    def fail(self, line: int | None, expected: str, happened: str) -> None:
        self.outcome.failures.append(Failure(line, expected, happened))

    def unsaid(self, line: int | None, before: str) -> None:
        while self.pending:
            extra = self.pending.popleft()
            self.fail(
                line, f"nothing more from the bot {before}", f'the bot also said: "{extra.text}"'
            )


def run_scenario(scenario: Scenario, library: FlowLibrary) -> Outcome:
    outcome = Outcome(scenario)
    play = _Play(scenario, library, outcome, _Clock(scenario.start))
    context = scenario.context
    try:
        play.absorb(start(library, scenario.flow, context=context, clock=play.clock))
    except FlowNotFound:
        play.fail(scenario.line, f"a flow called '{scenario.flow}'", "there is no such flow")
        return outcome
    for line in scenario.conversation:
        before = len(outcome.failures)
        _play_line(play, line)
        if len(outcome.failures) > before:
            return outcome  # later lines would only repeat the same difference
    play.unsaid(scenario.expect.line, "at the end")
    _check_expect(play, scenario.expect)
    return outcome


def _play_line(play: _Play, line: Line) -> None:
    if line.kind == "bot":
        if not play.pending:
            play.fail(line.line, _wanted(line.texts), "the bot said nothing more")
            return
        said = play.pending.popleft()
        missing = [t for t in line.texts if _fold(t) not in _fold(said.text)]
        if missing:
            play.fail(line.line, _wanted(line.texts), f'the bot said: "{said.text}"')
    elif line.kind == "resident":
        text = line.texts[0]
        play.unsaid(line.line, f'before {play.who} said "{text}"')
        play.outcome.transcript.append(f"{play.who}: {text}")
        if play.state.get("status") != "waiting":
            play.fail(
                line.line, f'the bot to be waiting for "{text}"', "the conversation had ended"
            )
            return
        play.absorb(
            resume(
                play.library,
                play.state,
                Reply(text),
                context=play.scenario.context,
                clock=play.clock,
            )
        )
    elif line.kind == "wait" and line.wait is not None:
        target = play.clock.moment + line.wait
        play.outcome.transcript.append(f"({line.wait} passes)")
        while play.state.get("status") == "waiting":
            wake = (play.state.get("wait") or {}).get("wake_at")
            if not wake or datetime.fromisoformat(wake) > target:
                break
            play.clock.moment = datetime.fromisoformat(wake)
            play.absorb(
                resume(
                    play.library,
                    play.state,
                    Timeout(),
                    context=play.scenario.context,
                    clock=play.clock,
                )
            )
        play.clock.moment = target
    elif line.kind == "action" and line.action:
        match = next(
            (a for a in play.unmatched_actions if _action_matches(a, line.action, line.params)),
            None,
        )
        if match is None:
            seen = ", ".join(f"{a.kind} {a.params}" for a in play.unmatched_actions) or "none"
            play.fail(
                line.line,
                f"the action {line.action} {line.params or ''}".rstrip(),
                f"actions since the last check: {seen}",
            )
        else:
            play.unmatched_actions = play.unmatched_actions[
                play.unmatched_actions.index(match) + 1 :
            ]


def _check_expect(play: _Play, expect: Expect) -> None:
    results = play.state.get("results", {})
    for name, wanted in expect.results.items():
        got = results.get(name)
        if got is None:
            play.fail(expect.line, f"result {name} = {wanted}", f"no result called {name}")
        elif _fold(wanted) not in {_fold(str(got[key])) for key in ("value", "label", "category")}:
            shown = got["label"] or got["category"]
            play.fail(expect.line, f"result {name} = {wanted}", f"{name} = {shown}")
    for name, wanted in expect.fields.items():
        if _fold(play.fields.get(name, "")) != _fold(wanted):
            play.fail(expect.line, f"field {name} = {wanted}", f"{name} = {play.fields.get(name)}")
    for kind, params in expect.actions:
        if not any(_action_matches(a, kind, params) for a in play.actions):
            seen = ", ".join(f"{a.kind} {a.params}" for a in play.actions) or "no actions"
            play.fail(expect.line, f"the action {kind} {params or ''}".rstrip(), seen)
    for kind in expect.no_actions:
        if any(a.kind == kind for a in play.actions):
            play.fail(expect.line, f"no {kind} action", f"{kind} happened")
    status = play.state.get("status")
    if expect.ends is not None:
        ended = play.state.get("outcome") if status == "ended" else "waiting"
        if ended != expect.ends:
            at = f" at step '{play.state.get('step')}'" if status == "waiting" else ""
            play.fail(expect.line, f"the conversation ends: {expect.ends}", f"{ended}{at}")
    if expect.at_step is not None and play.state.get("step") != expect.at_step:
        play.fail(
            expect.line,
            f"the flow at step '{expect.at_step}'",
            f"it is at '{play.state.get('step')}'",
        )


def _action_matches(action: ActionRequested, kind: str, params: dict[str, Any]) -> bool:
    if action.kind != kind:
        return False
    for key, wanted in params.items():
        got = action.params.get(key)
        if isinstance(wanted, str) and isinstance(got, str):
            if _fold(wanted) not in _fold(got):
                return False
        elif got != wanted:
            return False
    return True


def _wanted(texts: tuple[str, ...]) -> str:
    return "the bot to say something with " + " and ".join(f'"{t}"' for t in texts)


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())
