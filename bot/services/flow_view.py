"""This module turns a checked flow into what the editor shows of each step: its messages per
language with their SMS cost in words, its choices and their words, where each answer leads, its
timeout and reminders, its actions, and the validator's problems about it.

It reads a `LoadedFlow` and returns plain data, so the page templates hold no flow logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from flows.durations import format_duration
from flows.loading import LoadedFlow
from flows.problems import Problem, Severity
from flows.sms import explain
from flows.types import (
    ANSWERED,
    NO_RESPONSE,
    OTHER,
    THEN,
    AskKind,
    Branches,
    End,
    Flow,
    Goto,
    RunFlow,
    Step,
    Text,
)
from flows.validation.messages import SmsLine

#: How the editor names the branches every question has.
BRANCH_WORDS = {
    OTHER: "A reply it cannot read",
    NO_RESPONSE: "No reply in time",
    ANSWERED: "Any answer",
    THEN: "Anything else",
    "yes": "Yes",
    "no": "No",
}


@dataclass(frozen=True, slots=True)
class Wording:
    language: str
    text: str
    #: Its SMS cost in words, e.g. "2 segments: the curly quote ’ makes it UCS-2; use ' for ’".
    sms: str


@dataclass(frozen=True, slots=True)
class Message:
    #: Its number among the step's messages, from 1 (for the edit form).
    number: int
    wordings: tuple[Wording, ...]


@dataclass(frozen=True, slots=True)
class ChoiceView:
    key: str
    number: int
    labels: tuple[tuple[str, str], ...]
    words: tuple[tuple[str, str], ...]
    goes_to: str | None


@dataclass(frozen=True, slots=True)
class BranchView:
    name: str
    label: str
    goes_to: str | None


@dataclass(frozen=True, slots=True)
class ReminderView:
    number: int
    after: str
    wordings: tuple[Wording, ...]


@dataclass(frozen=True, slots=True)
class StepView:
    id: str
    line: int | None
    is_start: bool
    messages: tuple[Message, ...]
    #: What the question expects ("a choice", "yes or no" ...); None: the step asks nothing.
    question: str | None
    choices: tuple[ChoiceView, ...]
    branches: tuple[BranchView, ...]
    timeout: str | None
    reminders: tuple[ReminderView, ...]
    reask: tuple[Wording, ...]
    clarify: tuple[Wording, ...]
    actions: tuple[str, ...]
    #: What happens after: "Goes on to glad", "Ends (completed)", "Runs the flow help, then ...".
    after: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class FlowView:
    flow: Flow | None
    steps: tuple[StepView, ...]
    #: Problems about no one step (the file, its id, its languages ...), and about steps the
    #: flow could not read.
    general: tuple[Problem, ...]
    problems: tuple[Problem, ...]
    languages: tuple[str, ...]
    #: Where a branch can lead: every step, and "end".
    targets: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


_QUESTIONS = {
    AskKind.CHOICE: "a choice",
    AskKind.YES_NO: "yes or no",
    AskKind.NUMBER: "a number",
    AskKind.DATE: "a date",
    AskKind.TIME: "a time",
    AskKind.TEXT: "any words",
}


def flow_view(loaded: LoadedFlow) -> FlowView:
    flow = loaded.flow
    if flow is None:
        return FlowView(None, (), tuple(loaded.problems), tuple(loaded.problems), ())
    by_step: dict[str, list[Problem]] = {}
    general = []
    for problem in loaded.problems:
        if problem.step is not None and problem.step in flow.steps:
            by_step.setdefault(problem.step, []).append(problem)
        else:
            general.append(problem)
    sms = {(s.line, s.language): s for s in loaded.sms}
    steps = tuple(
        _step(flow, step, sms, tuple(by_step.get(step.id, ()))) for step in flow.steps.values()
    )
    return FlowView(
        flow,
        steps,
        tuple(general),
        tuple(loaded.problems),
        flow.languages,
        (*flow.steps, "end"),
    )


def _step(
    flow: Flow,
    step: Step,
    sms: dict[tuple[int | None, str], SmsLine],
    problems: tuple[Problem, ...],
) -> StepView:
    says = [call.params.text for call in step.actions if call.kind == "say"]
    messages = tuple(
        Message(number, _wordings(flow, text, sms)) for number, text in enumerate(says, start=1)
    )
    actions = tuple(
        _describe(call.kind, call.params) for call in step.actions if call.kind != "say"
    )
    exit_ = step.exit
    question: str | None = None
    timeout: str | None = None
    choices: tuple[ChoiceView, ...] = ()
    branches: tuple[BranchView, ...] = ()
    reminders: tuple[ReminderView, ...] = ()
    reask: tuple[Wording, ...] = ()
    clarify: tuple[Wording, ...] = ()
    if isinstance(exit_, Branches):
        ask = exit_.ask
        question = _QUESTIONS.get(ask.kind, str(ask.kind))
        choices = tuple(
            ChoiceView(
                c.id,
                c.number,
                tuple(c.labels.items()),
                tuple((language, ", ".join(words)) for language, words in c.words.items()),
                exit_.target_for(c.id),
            )
            for c in ask.choices
        )
        chosen = {c.id for c in ask.choices}
        branches = tuple(
            BranchView(name, BRANCH_WORDS.get(name, name), exit_.targets.get(name))
            for name in (*ask.outcomes(), *([THEN] if THEN in exit_.targets else []))
            if name not in chosen
        )
        timeout = format_duration(ask.timeout) if ask.timeout else None
        reminders = tuple(
            ReminderView(number, format_duration(r.after), _wordings(flow, r.text, sms))
            for number, r in enumerate(ask.reminders, start=1)
        )
        reask = _wordings(flow, ask.reask, sms) if ask.reask else ()
        clarify = _wordings(flow, ask.clarify, sms) if ask.clarify else ()
    return StepView(
        step.id,
        step.line,
        step.id == flow.start,
        messages,
        question,
        choices,
        branches,
        timeout,
        reminders,
        reask,
        clarify,
        actions,
        _after(exit_),
        problems,
    )


def _wordings(
    flow: Flow, text: Text, sms: dict[tuple[int | None, str], SmsLine]
) -> tuple[Wording, ...]:
    return tuple(
        Wording(language, template, _cost(template, sms.get((text.line, language))))
        for language, template in text.templates.items()
        if language in flow.languages or not flow.languages
    )


def _cost(template: str, line: SmsLine | None) -> str:
    """The SMS cost with sample names filled in (as the validator measures it), and what makes
    it UCS-2 when something does."""
    if line is None:
        return explain(template)
    info = line.info
    count = f"{info.segments} segment{'' if info.segments == 1 else 's'}"
    if info.forcing_ucs2:
        reason = explain(template).split(": ", 1)
        return f"{count}: {reason[1]}" if len(reason) == 2 else f"{count}, {info.encoding}"
    return f"{count}, {info.encoding}"


def _after(exit_: Any) -> str:
    if isinstance(exit_, Goto):
        return f"Goes on to {exit_.target}"
    if isinstance(exit_, End):
        return f"Ends ({exit_.outcome})"
    if isinstance(exit_, RunFlow):
        return f"Runs the flow {exit_.flow_id}, then goes on to {exit_.then}"
    if isinstance(exit_, Branches):
        return "Goes where the answer leads"
    return "Nothing follows: add where it goes next"


def _describe(kind: str, params: Any) -> str:
    if not is_dataclass(params):
        return kind.replace("_", " ")
    settings = "; ".join(
        f"{item.name.replace('_', ' ')}: {getattr(params, item.name)}"
        for item in fields(params)
        if getattr(params, item.name) not in (None, "", ())
    )
    return f"{kind.replace('_', ' ')} ({settings})" if settings else kind.replace("_", " ")
