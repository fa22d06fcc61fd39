"""This module finds which messages of a flow are missing in which of its declared languages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flows.types import Branches, Flow, Language, Text

#: The kinds of text a `MessageRef` can point at.
MESSAGE = "message"
REMINDER = "reminder"
CHOICE_LABEL = "choice_label"
REASK = "reask"
CLARIFY = "clarify"


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where one text of a flow is written, so a form can show it and fill in a translation.

    `part` is one of message, reminder, choice_label, reask or clarify; `index` counts a
    step's messages (`say:` then `do:` says) or its reminders from 0; `choice` names the choice
    of a label. `what` names it for staff and `text` is its wording in the flow's first
    language, to translate from. `editing.set_translation` writes a text at a ref.
    """

    step: str
    part: str
    what: str
    text: str
    index: int = 0
    choice: str | None = None
    line: int | None = None


def missing_translations(flow: Flow) -> dict[Language, list[MessageRef]]:
    """For each declared language, the texts that have no wording in it yet, in flow order."""
    missing: dict[Language, list[MessageRef]] = {language: [] for language in flow.languages}
    for ref, text in texts(flow):
        for language in flow.languages:
            if not text.templates.get(language, "").strip():
                missing[language].append(ref)
    return missing


def texts(flow: Flow) -> Iterator[tuple[MessageRef, Text]]:
    """Every text staff write in `flow` that residents can receive, with where it is."""
    default = flow.default_language
    for step in flow.steps.values():
        says = [call.params.text for call in step.actions if call.kind == "say"]
        for index, text in enumerate(says):
            what = "The message" if len(says) == 1 else f"Message {index + 1}"
            yield (
                MessageRef(step.id, MESSAGE, what, _first(text, default), index, None, text.line),
                text,
            )
        if not isinstance(step.exit, Branches):
            continue
        ask = step.exit.ask
        for index, reminder in enumerate(ask.reminders):
            text = reminder.text
            ref = MessageRef(
                step.id,
                REMINDER,
                f"Reminder {index + 1}",
                _first(text, default),
                index,
                None,
                text.line,
            )
            yield ref, text
        for choice in ask.choices:
            text = Text(choice.labels, choice.line)
            ref = MessageRef(
                step.id,
                CHOICE_LABEL,
                f"The label of choice '{choice.id}'",
                _first(text, default),
                0,
                choice.id,
                choice.line,
            )
            yield ref, text
        for part, what, asked in (
            (REASK, "The re-ask", ask.reask),
            (CLARIFY, "The clarifying question", ask.clarify),
        ):
            if asked is not None:
                yield (
                    MessageRef(step.id, part, what, _first(asked, default), 0, None, asked.line),
                    asked,
                )


def _first(text: Text, default: Language) -> str:
    return text.templates.get(default) or next(iter(text.templates.values()), "")
