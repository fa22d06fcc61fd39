"""This module contains `FlowEdit`, one change a form in the flow editor asks for (the wording
of a message, a choice and its words, where an answer leads, a timeout, a reminder ...), and
`apply_edit`, which writes it into the flow's YAML with `flows.editing`.

A form sends text fields; this is where they are read, so that a missing or wrong one is
`Invalid` in plain words and the YAML is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.services.errors import Invalid
from flows import editing


@dataclass(frozen=True, slots=True)
class FlowEdit:
    """`kind` names the edit (see `EDITS`); `values` are the form's fields for it."""

    kind: str
    step: str
    values: Mapping[str, str] = field(default_factory=dict)


def apply_edit(source: str, change: FlowEdit) -> str:
    """The flow's YAML with the edit made; `Invalid` (nothing changed) when it can't be."""
    edit = EDITS.get(change.kind)
    if edit is None:
        raise Invalid("kind", f"'{change.kind}' is not an edit the flow editor makes.")
    try:
        return edit(source, change.step, _Fields(change.values))
    except editing.EditError as exc:
        raise Invalid("edit", exc.message) from exc


class _Fields:
    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def text(self, name: str, what: str) -> str:
        value = self.values.get(name, "").strip()
        if not value:
            raise Invalid(name, f"{what} is empty; write something to save.")
        return value

    def optional(self, name: str) -> str | None:
        return self.values.get(name, "").strip() or None

    def number(self, name: str, what: str) -> int:
        value = self.values.get(name, "").strip()
        if not value.isdigit() or not 1 <= int(value) <= 1000:
            raise Invalid(name, f"{what} should be a number from 1.")
        return int(value) - 1  # forms count from 1, flows.editing from 0

    def words(self, name: str) -> list[str]:
        """Words or phrases written one per line or separated by commas."""
        raw = self.values.get(name, "").replace("\n", ",")
        return [w.strip() for w in raw.split(",") if w.strip()]


def _message(source: str, step: str, f: _Fields) -> str:
    return editing.set_message(
        source,
        step,
        f.text("text", "The message"),
        f.optional("language"),
        index=f.number("index", "The message's number") if "index" in f.values else 0,
    )


def _choice_label(source: str, step: str, f: _Fields) -> str:
    key, label = f.text("key", "The choice"), f.text("label", "The label")
    return editing.set_choice_label(source, step, key, label, f.optional("language"))


def _add_choice(source: str, step: str, f: _Fields) -> str:
    return editing.add_choice(
        source,
        step,
        f.text("key", "The choice's name"),
        f.text("label", "The choice's label"),
        f.words("words"),
        goes_to=f.text("goes_to", "Where the choice leads"),
    )


def _remove_choice(source: str, step: str, f: _Fields) -> str:
    return editing.remove_choice(source, step, f.text("key", "The choice"))


def _choice_words(source: str, step: str, f: _Fields) -> str:
    return editing.set_choice_words(
        source, step, f.text("key", "The choice"), f.words("words"), f.optional("language")
    )


def _branch(source: str, step: str, f: _Fields) -> str:
    return editing.set_branch(
        source, step, f.text("branch", "The answer"), f.text("target", "Where it leads")
    )


def _timeout(source: str, step: str, f: _Fields) -> str:
    return editing.set_timeout(source, step, f.optional("duration"))


def _add_reminder(source: str, step: str, f: _Fields) -> str:
    return editing.add_reminder(
        source,
        step,
        f.text("after", "When the reminder goes"),
        f.text("text", "The reminder"),
        f.optional("language"),
    )


def _reminder(source: str, step: str, f: _Fields) -> str:
    return editing.set_reminder(
        source,
        step,
        f.number("index", "The reminder's number"),
        f.optional("after"),
        f.optional("text"),
        f.optional("language"),
    )


def _remove_reminder(source: str, step: str, f: _Fields) -> str:
    return editing.remove_reminder(source, step, f.number("index", "The reminder's number"))


def _ask_text(key: str) -> Callable[[str, str, _Fields], str]:
    def edit(source: str, step: str, f: _Fields) -> str:
        return editing.set_ask_text(
            source, step, key, f.text("text", "The message"), f.optional("language")
        )

    return edit


#: Every edit a form can ask for, by kind.
EDITS: dict[str, Callable[[str, str, _Fields], str]] = {
    "message": _message,
    "choice_label": _choice_label,
    "add_choice": _add_choice,
    "remove_choice": _remove_choice,
    "choice_words": _choice_words,
    "branch": _branch,
    "timeout": _timeout,
    "add_reminder": _add_reminder,
    "reminder": _reminder,
    "remove_reminder": _remove_reminder,
    "reask": _ask_text("reask"),
    "clarify": _ask_text("clarify"),
}
