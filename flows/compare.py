"""This module compares two versions of a flow and says in words what staff changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import timedelta
from typing import Any

from flows.durations import format_duration
from flows.types import Ask, Branches, Choice, End, Flow, Goto, Language, RunFlow, Step, Text


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that differs between two versions, e.g. a branch that now leads elsewhere.

    `kind` is stable, for pages and tests: step_added, step_removed, start_changed,
    message_changed, choice_added, choice_removed, choice_label_changed, choice_words_added,
    choice_words_removed, branch_changed, question_changed, timeout_changed, reminder_added,
    reminder_removed, reminder_changed, action_added, action_removed, ending_changed.
    """

    step: str | None
    kind: str
    summary: str
    old: str | None = None
    new: str | None = None


def compare_flows(old: Flow, new: Flow) -> list[Change]:
    """What changed from `old` to `new`, step by step in the new flow's order."""
    changes: list[Change] = []
    if old.start != new.start:
        changes.append(
            Change(
                None,
                "start_changed",
                f"The flow now starts at {new.start} (was {old.start}).",
                old.start,
                new.start,
            )
        )
    for step_id in old.steps:
        if step_id not in new.steps:
            changes.append(
                Change(step_id, "step_removed", f"The step {step_id} was removed.", step_id, None)
            )
    for step_id, step in new.steps.items():
        before = old.steps.get(step_id)
        if before is None:
            changes.append(
                Change(step_id, "step_added", f"The step {step_id} was added.", None, step_id)
            )
        else:
            changes += _compare_steps(before, step, new.default_language)
    return changes


def _compare_steps(old: Step, new: Step, default: Language) -> list[Change]:
    changes: list[Change] = []
    old_says, new_says = _says(old), _says(new)
    for index in range(max(len(old_says), len(new_says))):
        what = "The message" if max(len(old_says), len(new_says)) == 1 else f"Message {index + 1}"
        changes += _compare_texts(
            new.id,
            what,
            old_says[index] if index < len(old_says) else None,
            new_says[index] if index < len(new_says) else None,
        )
    changes += _compare_actions(old, new, default)
    old_ask = old.exit.ask if isinstance(old.exit, Branches) else None
    new_ask = new.exit.ask if isinstance(new.exit, Branches) else None
    if old_ask is not None and new_ask is not None:
        changes += _compare_asks(new.id, old_ask, new_ask, default)
    changes += _compare_exits(new.id, old, new)
    return changes


def _says(step: Step) -> list[Text]:
    return [call.params.text for call in step.actions if call.kind == "say"]


def _compare_texts(step: str, what: str, old: Text | None, new: Text | None) -> list[Change]:
    old_templates = dict(old.templates) if old is not None else {}
    new_templates = dict(new.templates) if new is not None else {}
    changes = []
    for language in dict.fromkeys([*old_templates, *new_templates]):
        before, after = old_templates.get(language), new_templates.get(language)
        if before == after:
            continue
        if before is None:
            summary = f"{what} ({language}) was added: “{after}”"
        elif after is None:
            summary = f"{what} ({language}) was removed (was “{before}”)"
        else:
            summary = f"{what} ({language}) now reads “{after}” (was “{before}”)"
        changes.append(Change(step, "message_changed", summary + ".", before, after))
    return changes


def _compare_actions(old: Step, new: Step, default: Language) -> list[Change]:
    before = Counter(_describe_action(c.kind, c.params, default) for c in _actions(old))
    after = Counter(_describe_action(c.kind, c.params, default) for c in _actions(new))
    changes = []
    for action in (before - after).elements():
        changes.append(
            Change(new.id, "action_removed", f"The action {action} was removed.", action, None)
        )
    for action in (after - before).elements():
        changes.append(
            Change(new.id, "action_added", f"The action {action} was added.", None, action)
        )
    return changes


def _actions(step: Step) -> Iterator[Any]:
    return (call for call in step.actions if call.kind != "say")


def _describe_action(kind: str, params: Any, default: Language) -> str:
    if not is_dataclass(params):
        return kind
    settings = ", ".join(
        f"{item.name}: {_describe_value(getattr(params, item.name), default)}"
        for item in fields(params)
    )
    return f"{kind} ({settings})" if settings else kind


def _describe_value(value: Any, default: Language) -> str:
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Text):
        return value.templates.get(default) or next(iter(value.templates.values()), "")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compare_asks(step: str, old: Ask, new: Ask, default: Language) -> list[Change]:
    changes = []
    if old.kind != new.kind:
        changes.append(
            Change(
                step,
                "question_changed",
                f"The question is now a {new.kind} question (was {old.kind}).",
                str(old.kind),
                str(new.kind),
            )
        )
    changes += _compare_choices(step, old.choices, new.choices, default)
    old_timeout, new_timeout = _duration(old.timeout), _duration(new.timeout)
    if old_timeout != new_timeout:
        if new_timeout is None:
            summary = f"The question no longer times out (was after {old_timeout})."
        elif old_timeout is None:
            summary = f"The question now times out after {new_timeout}."
        else:
            summary = f"The question now times out after {new_timeout} (was {old_timeout})."
        changes.append(Change(step, "timeout_changed", summary, old_timeout, new_timeout))
    changes += _compare_reminders(step, old, new)
    changes += _compare_texts(step, "The re-ask", old.reask, new.reask)
    changes += _compare_texts(step, "The clarifying question", old.clarify, new.clarify)
    return changes


def _compare_choices(
    step: str, old: tuple[Choice, ...], new: tuple[Choice, ...], default: Language
) -> list[Change]:
    changes = []
    old_by_id = {choice.id: choice for choice in old}
    new_by_id = {choice.id: choice for choice in new}
    for choice in old:
        if choice.id not in new_by_id:
            label = choice.labels.get(default, choice.id)
            changes.append(
                Change(
                    step,
                    "choice_removed",
                    f"The choice {choice.id} ({label}) was removed.",
                    label,
                    None,
                )
            )
    for choice in new:
        before = old_by_id.get(choice.id)
        label = choice.labels.get(default, choice.id)
        if before is None:
            changes.append(
                Change(
                    step,
                    "choice_added",
                    f"The choice {choice.id} ({label}) was added.",
                    None,
                    label,
                )
            )
            continue
        for language in dict.fromkeys([*before.labels, *choice.labels]):
            was, now = before.labels.get(language), choice.labels.get(language)
            if was != now:
                changes.append(
                    Change(
                        step,
                        "choice_label_changed",
                        f"The choice {choice.id} ({language}) is now labelled “{now or ''}” "
                        f"(was “{was or ''}”).",
                        was,
                        now,
                    )
                )
        changes += _compare_words(step, before, choice)
    return changes


def _compare_words(step: str, old: Choice, new: Choice) -> list[Change]:
    changes = []
    for language in dict.fromkeys([*old.words, *new.words]):
        was = old.words.get(language, ())
        now = new.words.get(language, ())
        added = [word for word in now if word not in was]
        removed = [word for word in was if word not in now]
        where = f"The choice {new.id}" + (f" ({language})" if len(new.labels) > 1 else "")
        if added:
            words = ", ".join(added)
            changes.append(
                Change(
                    step,
                    "choice_words_added",
                    f"{where} now also understands {words}.",
                    None,
                    words,
                )
            )
        if removed:
            words = ", ".join(removed)
            changes.append(
                Change(
                    step,
                    "choice_words_removed",
                    f"{where} no longer understands {words}.",
                    words,
                    None,
                )
            )
    return changes


def _compare_reminders(step: str, old: Ask, new: Ask) -> list[Change]:
    changes = []
    for index in range(max(len(old.reminders), len(new.reminders))):
        name = f"Reminder {index + 1}"
        before = old.reminders[index] if index < len(old.reminders) else None
        after = new.reminders[index] if index < len(new.reminders) else None
        if before is None and after is not None:
            when = format_duration(after.after)
            changes.append(
                Change(
                    step,
                    "reminder_added",
                    f"{name} was added, after {when}.",
                    None,
                    when,
                )
            )
            continue
        if after is None and before is not None:
            when = format_duration(before.after)
            changes.append(
                Change(
                    step,
                    "reminder_removed",
                    f"{name} (after {when}) was removed.",
                    when,
                    None,
                )
            )
            continue
        assert before is not None and after is not None
        was, now = format_duration(before.after), format_duration(after.after)
        if was != now:
            changes.append(
                Change(
                    step,
                    "reminder_changed",
                    f"{name} is now sent after {now} (was {was}).",
                    was,
                    now,
                )
            )
        changes += _compare_texts(step, name, before.text, after.text)
    return changes


def _duration(value: timedelta | None) -> str | None:
    return format_duration(value) if value is not None else None


def _compare_exits(step: str, old: Step, new: Step) -> list[Change]:
    old_ways, new_ways = _ways_on(old), _ways_on(new)
    changes = []
    for way in dict.fromkeys([*old_ways, *new_ways]):
        was, now = old_ways.get(way), new_ways.get(way)
        if was == now:
            continue
        if now is None:
            summary = f"{way} no longer leads anywhere (was {was})."
        elif was is None:
            summary = f"{way} now goes to {now}."
        else:
            summary = f"{way} now goes to {now} (was {was})."
        changes.append(Change(step, "branch_changed", summary, was, now))
    old_end = old.exit.outcome if isinstance(old.exit, End) else None
    new_end = new.exit.outcome if isinstance(new.exit, End) else None
    if old_end != new_end:
        if new_end is None:
            summary = f"The step no longer ends the flow (ended: {old_end})."
        elif old_end is None:
            summary = f"The step now ends the flow: {new_end}."
        else:
            summary = f"The step now ends the flow as {new_end} (was {old_end})."
        changes.append(Change(step, "ending_changed", summary, old_end, new_end))
    return changes


def _ways_on(step: Step) -> dict[str, str]:
    """Each way out of a step, named as staff write it, and the step it leads to."""
    exit_ = step.exit
    if isinstance(exit_, Goto):
        return {"go": exit_.target}
    if isinstance(exit_, RunFlow):
        return {"run": exit_.flow_id, "then": exit_.then}
    if isinstance(exit_, Branches):
        return dict(exit_.targets)
    return {}
