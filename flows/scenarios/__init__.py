"""Scenario tests: conversations staff write to check that a flow does what they mean."""

from __future__ import annotations

from flows.scenarios.format import Scenario, ScenarioFile, parse_scenarios
from flows.scenarios.runner import Failure, Outcome, run_scenario

__all__ = ["Failure", "Outcome", "Scenario", "ScenarioFile", "parse_scenarios", "run_scenario"]
