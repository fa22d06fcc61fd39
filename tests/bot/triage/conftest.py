"""This module contains the safeguarding and pace test sets' figures, printed at the end of every
run."""

from __future__ import annotations

import pytest

from tests.bot.triage import pace_scoring
from tests.bot.triage.risk_scoring import score, set_languages


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.section("safeguarding risk set")
    for language in set_languages():
        terminalreporter.write_line(score(language).describe())
    terminalreporter.section("pace set")
    for language in pace_scoring.set_languages():
        terminalreporter.write_line(pace_scoring.score(language).describe())
