"""This module contains the safeguarding test set's figures, printed at the end of every run."""

from __future__ import annotations

import pytest

from tests.bot.triage.risk_scoring import score, set_languages


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.section("safeguarding risk set")
    for language in set_languages():
        terminalreporter.write_line(score(language).describe())
