"""This module checks every message: its template, its languages and its SMS length."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flows.actions import REGISTRY
from flows.context import SAMPLE
from flows.phrases import has_language, join_options, phrase, reask_key
from flows.problems import Problem, Severity
from flows.sms import SmsInfo, describe_character, sms_info
from flows.templates import TemplateError, compile_template, unknown_names
from flows.types import AskKind, Branches, Flow, RunFlow, Text


@dataclass(frozen=True, slots=True)
class SmsLine:
    """How one message in one language goes by SMS, with sample names filled in."""

    step: str
    what: str
    language: str
    line: int | None
    info: SmsInfo


@dataclass(frozen=True, slots=True)
class _Message:
    step: str
    what: str
    text: Text
    extra_names: frozenset[str] = frozenset()
    #: False for action settings (an alert's reason): checked as templates, never sent by SMS.
    sent: bool = True


def check_messages(flow: Flow) -> tuple[list[Problem], list[SmsLine]]:
    saved = _saved_results(flow)
    runs_others = any(isinstance(step.exit, RunFlow) for step in flow.steps.values())
    problems: list[Problem] = []
    sms: list[SmsLine] = []
    for message in _messages(flow):
        for language, source in message.text.templates.items():
            line = message.text.line
            try:
                template = compile_template(source)
            except TemplateError as exc:
                problems.append(Problem("bad_template", exc.message, line, message.step))
                continue
            for name in unknown_names(template, saved, message.extra_names):
                # A flow that runs others may use what they saved; that can only be a hint.
                from_child = runs_others and name.startswith("'results.")
                problems.append(
                    Problem(
                        "unknown_name",
                        f"{message.what}: {name}"
                        + (", unless a flow this one runs saves it." if from_child else "."),
                        line,
                        message.step,
                        Severity.WARNING if from_child else Severity.ERROR,
                    )
                )
            if not message.sent:
                continue
            sample = {**SAMPLE, "results": dict.fromkeys(saved, "something"), "options": "1 Yes"}
            try:
                rendered = template.render(sample)
            except Exception:
                continue
            info = sms_info(rendered)
            sms.append(SmsLine(message.step, message.what, language, line, info))
            problems += _length_problems(message, language, line, info)
    problems += _phrase_problems(flow, sms)
    return problems, sms


def _length_problems(
    message: _Message, language: str, line: int | None, info: SmsInfo
) -> list[Problem]:
    if info.segments <= 1:
        return []
    fix = ""
    if info.forcing_ucs2:
        chars = "; ".join(describe_character(ch).replace("; ", ": ") for ch in info.forcing_ucs2)
        fix = f" Only 70 characters fit a UCS-2 segment; it is UCS-2 because of {chars}."
    return [
        Problem(
            "sms_segments",
            f"{message.what} ({language}) needs {info.segments} SMS segments "
            f"({info.encoding}, {info.units} {'characters' if info.forcing_ucs2 else 'septets'})."
            f"{fix} Residents read one short text best.",
            line,
            message.step,
            Severity.WARNING,
        )
    ]


def _phrase_problems(flow: Flow, sms: list[SmsLine]) -> list[Problem]:
    """Questions that fall back on Companion's own re-ask need it in every declared language."""
    problems = []
    for step in flow.steps.values():
        if not isinstance(step.exit, Branches):
            continue
        ask = step.exit.ask
        for language in flow.languages:
            if has_language(language):
                options = join_options(
                    language,
                    [f"{c.number} {c.labels.get(language, '')}" for c in ask.choices],
                )
                if ask.reask is None and ask.kind is not AskKind.TEXT:
                    info = sms_info(phrase(language, reask_key(ask.kind), options=options))
                    sms.append(SmsLine(step.id, "The built-in re-ask", language, ask.line, info))
                continue
            for key, what in (("reask", "a re-ask"), ("clarify", "a clarifying question")):
                if getattr(ask, key) is None and (key == "reask" or ask.kind is AskKind.CHOICE):
                    problems.append(
                        Problem(
                            "missing_translation",
                            f"Companion has no built-in {what} in '{language}'; write "
                            f"'{key}:' with a '{language}' text.",
                            ask.line,
                            step.id,
                        )
                    )
    return problems


def _messages(flow: Flow) -> Iterator[_Message]:
    for step in flow.steps.values():
        for call in step.actions:
            action = REGISTRY[call.kind]
            what = "The message" if call.kind == "say" else f"The {call.kind} action"
            for text in action.texts(call.params):
                yield _Message(step.id, what, text)
            for value in action.values(call.params):
                yield _Message(step.id, what, Text({"": value}, call.line), sent=False)
        if isinstance(step.exit, Branches):
            ask = step.exit.ask
            for reminder in ask.reminders:
                yield _Message(step.id, "The reminder", reminder.text)
            if ask.reask is not None:
                yield _Message(step.id, "The re-ask", ask.reask)
            if ask.clarify is not None:
                yield _Message(
                    step.id, "The clarifying question", ask.clarify, frozenset({"options"})
                )


def _saved_results(flow: Flow) -> set[str]:
    saved = set()
    for step in flow.steps.values():
        if isinstance(step.exit, Branches) and step.exit.ask.save_as:
            saved.add(step.exit.ask.save_as)
        for call in step.actions:
            name = getattr(call.params, "name", None)
            if call.kind == "save" and isinstance(name, str):
                saved.add(name)
    return saved
