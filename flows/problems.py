"""This module contains `Problem`, one plain-words finding about a flow file, and its formatting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something staff must fix (error) or should look at (warning) in a flow file.

    `code` is stable, for tests and tools; `message` is for people and says what to do.
    """

    code: str
    message: str
    line: int | None = None
    step: str | None = None
    severity: Severity = Severity.ERROR
    file: str | None = None

    def in_file(self, file: str) -> Problem:
        return replace(self, file=file)

    def format(self) -> str:
        where = self.file or "<flow>"
        if self.line is not None:
            where += f":{self.line}"
        step = f"step '{self.step}': " if self.step else ""
        return f"{where}: {self.severity}: {step}{self.message}"


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity is Severity.ERROR for problem in problems)
