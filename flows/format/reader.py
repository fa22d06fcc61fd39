"""This module contains `Reader`, which turns raw YAML values into typed parts and records problems.

Parsing never stops at the first mistake: each bad value becomes a `Problem` naming the line and
step, and the reader hands back `None` so the rest of the file can still be checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flows.durations import DurationError, parse_duration
from flows.format.yaml_loader import LocatedDict, LocatedList
from flows.problems import Problem, Severity
from flows.types import Language, Text

_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping (name: value lines)",
    type(None): "nothing",
}


def describe_type(value: Any) -> str:
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return name
    return type(value).__name__


def line_of(container: Any, key: str | int, default: int | None = None) -> int | None:
    """The line of `key` in a located mapping or of item `key` in a located list."""
    if isinstance(container, LocatedDict) and isinstance(key, str):
        return container.key_lines.get(key, default)
    if isinstance(container, LocatedList) and isinstance(key, int):
        return container.item_lines[key] if key < len(container.item_lines) else default
    return getattr(container, "line", default)


@dataclass
class Reader:
    """Reads one flow document; `step` is the step being read, for messages."""

    languages: tuple[Language, ...]
    problems: list[Problem] = field(default_factory=list)
    step: str | None = None

    def error(self, code: str, message: str, line: int | None) -> None:
        self.problems.append(Problem(code, message, line, self.step))

    def warn(self, code: str, message: str, line: int | None) -> None:
        self.problems.append(Problem(code, message, line, self.step, Severity.WARNING))

    def mapping(self, raw: Any, what: str, line: int | None) -> LocatedDict | None:
        if isinstance(raw, LocatedDict):
            return raw
        self.error(
            "wrong_type",
            f"{what} should be a mapping (lines of 'name: value'), not {describe_type(raw)}.",
            line,
        )
        return None

    def items(self, raw: Any, what: str, line: int | None) -> Iterator[tuple[Any, int | None]]:
        """Each item of a list (a single value counts as a list of one) with its line."""
        if isinstance(raw, LocatedList):
            for index, item in enumerate(raw):
                yield item, line_of(raw, index, line)
        elif raw is None:
            self.error("wrong_type", f"{what} is empty; give at least one.", line)
        else:
            yield raw, line

    def string(self, raw: Any, what: str, line: int | None) -> str | None:
        if isinstance(raw, str) and raw.strip():
            return raw.strip()
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return str(raw)
        self.error("wrong_type", f"{what} should be text, not {describe_type(raw)}.", line)
        return None

    def identifier(self, raw: Any, what: str, line: int | None) -> str | None:
        value = self.string(raw, what, line)
        if value is None:
            return None
        if not value.replace("_", "").replace("-", "").isalnum() or not value.isascii():
            self.error(
                "bad_name",
                f"{what} '{value}' should be one word of letters, digits, '_' or '-'.",
                line,
            )
            return None
        return value

    def duration(self, raw: Any, what: str, line: int | None) -> timedelta | None:
        try:
            return parse_duration(raw)
        except DurationError as exc:
            self.error("bad_duration", f"{what}: {exc}", line)
            return None

    def text(self, raw: Any, what: str, line: int | None) -> Text | None:
        """A message: plain text for a one-language flow, or `{language: text}`."""
        if isinstance(raw, str):
            if not raw.strip():
                self.error("empty_message", f"{what} is empty; write the message.", line)
                return None
            if len(self.languages) > 1:
                langs = ", ".join(self.languages)
                self.error(
                    "missing_translation",
                    f"{what} is written once, but the flow declares {langs}; "
                    f"give it as 'language: text' lines, one per language.",
                    line,
                )
                return None
            return Text({self.languages[0]: raw.strip()}, line)
        if isinstance(raw, LocatedDict):
            templates: dict[Language, str] = {}
            for lang, value in raw.items():
                lang_line = line_of(raw, lang, line)
                if lang not in self.languages:
                    self.error(
                        "unknown_language",
                        f"{what} has a '{lang}' text, but the flow's languages are "
                        f"{', '.join(self.languages)}; add it to 'languages' or remove it.",
                        lang_line,
                    )
                    continue
                text = self.string(value, f"{what} ({lang})", lang_line)
                if text is not None:
                    templates[lang] = text
            for lang in self.languages:
                if lang not in raw:
                    self.error(
                        "missing_translation",
                        f"{what} has no '{lang}' text; every message needs one per declared "
                        "language.",
                        line,
                    )
            return Text(templates, line) if templates else None
        self.error(
            "wrong_type",
            f"{what} should be text (or 'language: text' lines), not {describe_type(raw)}.",
            line,
        )
        return None

    def known_keys(self, raw: LocatedDict, allowed: tuple[str, ...], what: str) -> None:
        for key in raw:
            if key not in allowed:
                self.error(
                    "unknown_key",
                    f"{what} has '{key}', which Companion does not know. "
                    f"It can have: {', '.join(allowed)}.",
                    line_of(raw, key, raw.line),
                )
