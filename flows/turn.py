"""This module contains `Turn`: everything one event does to a session, step by step.

The engine's `start` and `resume` build a Turn, call one of `run_from`, `answer` or `wake`, and
return the state and events it leaves behind. Actions see a Turn through `actions.base.Turn`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flows.actions import REGISTRY
from flows.context import VARIABLES
from flows.events import (
    ActionRequested,
    Button,
    ErrorEvent,
    Event,
    FlowEntered,
    MessageOut,
    ResultSaved,
    SessionEnded,
    WaitStarted,
)
from flows.limits import MAX_FLOW_DEPTH, MAX_STEPS_PER_TURN
from flows.phrases import join_options, phrase, reask_key
from flows.session import ENDED, WAITING, Frame, SessionState, SessionStateError, Wait
from flows.templates import TemplateError, compile_template
from flows.types import END, NO_RESPONSE, OTHER, Ask, AskKind, Branches, End, Flow, Goto, Step, Text
from flows.understand import Ambiguous, PassOn, Understander, Understood

if TYPE_CHECKING:
    from flows.engine import FlowLibrary

ACTIVE = "active"


class Turn:
    def __init__(
        self,
        library: FlowLibrary,
        flow: Flow,
        state: SessionState,
        context: Mapping[str, Mapping[str, Any]],
        now: datetime,
        *,
        replying: bool,
    ) -> None:
        self.library = library
        self.flow = flow
        self.state = state
        self.context = context
        self._now = now
        self.replying = replying
        self.events: list[Event] = []
        self.ended = False
        self._steps_run = 0
        self._values: dict[str, Any] | None = None

    # -- what actions see -------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self._now

    @property
    def step(self) -> str:
        return self.state.step

    @property
    def language(self) -> str:
        wanted = str(self.context.get("resident", {}).get("language") or self.state.language)
        return wanted if wanted in self.flow.languages else self.flow.default_language

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def message(self, text: str, kind: str = "say", buttons: tuple[Button, ...] = ()) -> MessageOut:
        """A message in the session's language; a reply to the resident is never routine."""
        return MessageOut(text, self.language, self.step, kind, buttons, self.replying)

    def lookup(self, namespace: str, name: str) -> Any:
        return self.context.get(namespace, {}).get(name)

    def render(self, text: Text, extra: Mapping[str, Any] | None = None) -> str | None:
        source = text.templates.get(self.language) or text.templates.get(
            self.flow.default_language, next(iter(text.templates.values()), "")
        )
        return self.render_value(source, extra)

    def render_value(
        self, template: str, extra: Mapping[str, Any] | None = None, *, strict: bool = False
    ) -> str | None:
        """Fill in a template. A name the session lacks is an error event; with `strict` the
        value is then not made at all (so a field is never blanked), otherwise it is left empty
        (a message or an alert still goes)."""
        try:
            compiled = compile_template(template)
        except TemplateError as exc:
            self.emit(ErrorEvent("bad_template", exc.message, self.step))
            return None
        values = self._template_values() if not extra else {**self._template_values(), **extra}
        missing = compiled.missing(values)
        if missing:
            self.emit(
                ErrorEvent(
                    "missing_value",
                    f"This names {', '.join(missing)}, which this session does not have.",
                    self.step,
                )
            )
            if strict:
                return None
        try:
            return compiled.render(values)
        except Exception as exc:
            self.emit(
                ErrorEvent("render_failed", f"The message could not be made: {exc}", self.step)
            )
            return None

    def save_result(
        self, name: str, value: Any, label: str, category: str, input_text: str | None
    ) -> None:
        self.state.results[name] = {
            "value": value,
            "label": label,
            "category": category,
            "input": input_text,
            "at": self._now.astimezone(UTC).isoformat(),
        }
        self._values = None
        self.emit(ResultSaved(name, value, label, category, input_text, self.step))

    def end_session(self, outcome: str) -> None:
        self.state.status = ENDED
        self.state.outcome = outcome
        self.state.wait = None
        self.state.stack.clear()
        self.ended = True
        self.emit(SessionEnded(outcome, self.step))

    # -- running steps ----------------------------------------------------------------------

    def run_from(self, step_id: str) -> None:
        self.state.status = ACTIVE
        current: str | None = step_id
        while current is not None and not self.ended:
            if current == END:
                current = self._finish_flow("completed")
                continue
            self._steps_run += 1
            if self._steps_run > MAX_STEPS_PER_TURN:
                self.emit(
                    ErrorEvent(
                        "too_many_steps",
                        f"The flow ran {MAX_STEPS_PER_TURN} steps without waiting for a reply, "
                        f"so it stopped at '{current}'. Look for a loop with no question in it.",
                        current,
                    )
                )
                self.end_session("failed")
                return
            step = self.flow.steps.get(current)
            if step is None:
                self.emit(ErrorEvent("missing_step", f"There is no step '{current}'.", self.step))
                self.end_session("failed")
                return
            current = self._run_step(step)

    def _run_step(self, step: Step) -> str | None:
        self.state.step = step.id
        for call in step.actions:
            REGISTRY[call.kind].execute(call.params, self)
            if self.ended:
                return None
        exit_ = step.exit
        if exit_ is None or isinstance(exit_, End):
            return self._finish_flow(exit_.outcome if exit_ else "completed")
        if isinstance(exit_, Goto):
            return exit_.target
        if isinstance(exit_, Branches):
            self._start_wait(step, exit_.ask)
            return None
        return self._enter(exit_.flow_id, exit_.then)

    def _finish_flow(self, outcome: str) -> str | None:
        if not self.state.stack:
            self.end_session(outcome)
            return None
        frame = self.state.stack.pop()
        parent = self.library.get(frame.flow_id, frame.revision)
        if parent is None:
            raise SessionStateError(f"Flow '{frame.flow_id}' revision {frame.revision} is gone.")
        self._switch_to(parent)
        return frame.then

    def _enter(self, flow_id: str, then: str) -> str | None:
        if len(self.state.stack) >= MAX_FLOW_DEPTH:
            self.emit(
                ErrorEvent(
                    "too_deep",
                    f"Flows ran inside each other more than {MAX_FLOW_DEPTH} deep; stopped.",
                    self.step,
                )
            )
            self.end_session("failed")
            return None
        child = self.library.get(flow_id)
        if child is None:
            self.emit(
                ErrorEvent("flow_not_found", f"There is no flow '{flow_id}' to run.", self.step)
            )
            return then
        self.state.stack.append(Frame(self.flow.id, self.flow.revision, then))
        self._switch_to(child)
        self.emit(FlowEntered(child.id, child.revision))
        return child.start

    def _switch_to(self, flow: Flow) -> None:
        self.flow = flow
        self.state.flow_id = flow.id
        self.state.revision = flow.revision
        self._values = None

    # -- questions and answers --------------------------------------------------------------

    def _start_wait(self, step: Step, ask: Ask) -> None:
        buttons = self._buttons(ask)
        for index in range(len(self.events) - 1, -1, -1):
            event = self.events[index]
            if isinstance(event, MessageOut) and event.step == step.id:
                self.events[index] = replace(event, kind="question", buttons=buttons)
                break
        since = self._now.astimezone(UTC)
        expires = since + ask.timeout if ask.timeout else None
        wait = Wait(step.id, since.isoformat(), _iso(expires), None)
        wait.wake_at = _iso(self._next_wake(ask, wait))
        self.state.wait = wait
        self.state.status = WAITING
        self.emit(WaitStarted(step.id, expires, _parse(wait.wake_at)))

    def _next_wake(self, ask: Ask, wait: Wait) -> datetime | None:
        since = datetime.fromisoformat(wait.since)
        expires = _parse(wait.expires_at)
        pending = [since + r.after for r in ask.reminders[wait.reminders_sent :]]
        pending = [at for at in pending if expires is None or at < expires]
        return min([*pending, *([expires] if expires else [])], default=None)

    def _waiting_on(self) -> tuple[Wait, Branches]:
        wait = self.state.wait
        step = self.flow.steps.get(wait.step) if wait else None
        if wait is None or step is None or not isinstance(step.exit, Branches):
            raise SessionStateError("The session is not waiting on a question of this flow.")
        self.state.step = step.id
        return wait, step.exit

    def answer(self, text: str) -> None:
        wait, branches = self._waiting_on()
        ask = branches.ask
        result = understander_for(ask).understand(
            text, language=self.language, today=self._now.date()
        )
        if isinstance(result, PassOn):
            self._pass_on(branches, result, text)
        elif isinstance(result, Understood):
            if ask.save_as:
                self.save_result(ask.save_as, result.value, result.label, result.outcome, text)
            self._leave(branches, result.outcome)
        elif wait.reasks < ask.max_reasks:
            wait.reasks += 1
            if isinstance(result, Ambiguous):
                self._clarify(ask, result.candidates)
            else:
                self._reask(ask)
        else:
            if ask.save_as:
                # The resident's own words stay in `input` only: a later message or alert that
                # names this result must never quote them.
                self.save_result(ask.save_as, None, "", OTHER, text)
            self._leave(branches, OTHER)

    def _pass_on(self, branches: Branches, result: PassOn, text: str) -> None:
        """A reply that says more than an answer: a person reads it, with the likeliest answer.

        When the flow may follow that answer, it does, and the catalyst is alerted here. Else the
        flow takes `other` at once, the branch that passes an unread reply on to the catalyst.
        """
        ask = branches.ask
        guess = result.guess
        outcome = guess.outcome if result.follow else OTHER
        if ask.save_as:
            self.save_result(ask.save_as, guess.value, guess.label, outcome, text)
        if result.follow:
            resident = self.context.get("resident", {})
            name = resident.get("preferred_name") or resident.get("first_name") or "A resident"
            # A summary only: the resident's words may go to a pager by SMS, so never quote them.
            reason = f"{name}'s answer to {self.flow.name} needs a read (closest: {guess.label})"
            self.emit(
                ActionRequested(
                    "alert_catalyst", {"reason": reason, "urgency": "routine"}, self.step
                )
            )
        self._leave(branches, outcome)

    def wake(self) -> None:
        """A timeout: send a reminder that is due, or take the no-response branch."""
        wait, branches = self._waiting_on()
        wake_at = _parse(wait.wake_at)
        now = self._now.astimezone(UTC)
        if wake_at is None or now < wake_at:
            return  # early or repeated wake-up: nothing is due yet
        expires = _parse(wait.expires_at)
        if expires is not None and now >= expires:
            self._leave(branches, NO_RESPONSE)
            return
        since = datetime.fromisoformat(wait.since)
        ask = branches.ask
        due = [i for i, r in enumerate(ask.reminders) if since + r.after <= now]
        # After downtime several reminders may be due at once; only the latest is still timely.
        if due and due[-1] >= wait.reminders_sent:
            reminder = ask.reminders[due[-1]]
            text = self.render(reminder.text)
            if text is not None:
                self.emit(self.message(text, "reminder", self._buttons(ask)))
            wait.reminders_sent = due[-1] + 1
        wait.wake_at = _iso(self._next_wake(ask, wait))
        self.emit(WaitStarted(wait.step, expires, _parse(wait.wake_at)))

    def _leave(self, branches: Branches, outcome: str) -> None:
        step = self.state.step
        self.state.wait = None
        target = branches.target_for(outcome)
        if target is None:
            self.emit(
                ErrorEvent(
                    "no_branch", f"No branch for '{outcome}', so the flow finished here.", step
                )
            )
            target = END
        self.run_from(target)

    def _reask(self, ask: Ask) -> None:
        if ask.reask is not None:
            text = self.render(ask.reask)
        else:
            text = phrase(self.language, reask_key(ask.kind), options=self._options(ask))
        if text is not None:
            self.emit(self.message(text, "reask", self._buttons(ask)))

    def _clarify(self, ask: Ask, candidates: tuple[str, ...]) -> None:
        if ask.kind is AskKind.YES_NO:
            text: str | None = phrase(self.language, "clarify_yes_no")
            buttons = self._buttons(ask)
        else:
            options = self._options(ask, candidates)
            buttons = tuple(
                b for b in self._buttons(ask) if b.answer in self._numbers(ask, candidates)
            )
            if ask.clarify is not None:
                text = self.render(ask.clarify, {"options": options})
            else:
                text = phrase(self.language, "clarify", options=options)
        if text is not None:
            self.emit(self.message(text, "clarify", buttons))

    def _label(self, labels: Mapping[str, str]) -> str:
        return labels.get(self.language) or labels.get(self.flow.default_language) or ""

    def _options(self, ask: Ask, only: tuple[str, ...] | None = None) -> str:
        return join_options(
            self.language,
            [
                f"{choice.number} {self._label(choice.labels)}"
                for choice in ask.choices
                if only is None or choice.id in only
            ],
        )

    @staticmethod
    def _numbers(ask: Ask, ids: tuple[str, ...]) -> set[str]:
        return {str(choice.number) for choice in ask.choices if choice.id in ids}

    def _buttons(self, ask: Ask) -> tuple[Button, ...]:
        if ask.kind is AskKind.CHOICE:
            return tuple(Button(self._label(c.labels), str(c.number)) for c in ask.choices)
        if ask.kind is AskKind.YES_NO:
            lang = self.language
            return (Button(phrase(lang, "yes"), "yes"), Button(phrase(lang, "no"), "no"))
        return ()

    def _template_values(self) -> dict[str, Any]:
        if self._values is None:
            self._values = {
                # Every namespace exists, so a missing one reads as empty rather than failing.
                **{namespace: {} for namespace in VARIABLES},
                **self.context,
                "results": {name: r["label"] for name, r in self.state.results.items()},
                "flow": {"name": self.flow.name},
            }
        return self._values


_UNDERSTANDERS: dict[int, tuple[Ask, Understander]] = {}


def understander_for(ask: Ask) -> Understander:
    """One understander per question, built on first use (flows are long-lived and immutable)."""
    entry = _UNDERSTANDERS.get(id(ask))
    if entry is None or entry[0] is not ask:
        if len(_UNDERSTANDERS) > 4096:
            _UNDERSTANDERS.clear()
        entry = (ask, Understander(ask))
        _UNDERSTANDERS[id(ask)] = entry
    return entry[1]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
