"""This module contains `companion flows …`: validate, test and try flows from the shell."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli_try import try_command
from bot.flow_files import (
    SCENARIO_SUFFIX,
    builtin_flow_paths,
    builtin_library,
    load_flow_files,
    read_text,
)
from flows.library import MemoryLibrary
from flows.loading import LoadedFlow
from flows.problems import Severity
from flows.scenarios import Outcome, run_scenario
from flows.scenarios.format import ScenarioError, parse_scenarios

paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.group("flows")
def flows_group() -> None:
    """Write, check, test and try conversation flows."""


flows_group.add_command(try_command)


@flows_group.command("validate")
@paths_argument
@click.option(
    "-q", "--quiet", is_flag=True, help="Show problems only, not each message's SMS size."
)
def validate_command(paths: tuple[Path, ...], quiet: bool) -> None:
    """Check flow files (or every flow in a folder); exit 0 when all are valid, 1 otherwise.

    Every problem names the file, the line, the step and what to do. Each message's SMS size
    (segments and encoding, with sample names filled in) is listed unless --quiet is given.
    """
    builtin_ids = builtin_ids_safely()
    results = load_flow_files(_flow_files(paths), builtin_ids)
    failed = 0
    for loaded in results:
        _report(loaded, quiet)
        failed += not loaded.ok
    if len(results) > 1:
        click.echo(f"{len(results) - failed} of {len(results)} flows are valid.")
    raise SystemExit(1 if failed else 0)


def _flow_files(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for its flow files (not its scenario files)."""
    files: list[Path] = []
    for path in paths:
        inside = sorted(path.glob("*.yaml")) if path.is_dir() else []
        flows = [p for p in inside if not p.name.endswith(SCENARIO_SUFFIX)]
        files += flows or [path]
    return list(dict.fromkeys(files))


def builtin_ids_safely() -> set[str]:
    """Ids of the built-in flows that load, so staff flows may run or start them."""
    return {loaded.flow.id for loaded in load_flow_files(builtin_flow_paths()) if loaded.flow}


def _report(loaded: LoadedFlow, quiet: bool) -> None:
    for problem in loaded.problems:
        color = "red" if problem.severity is Severity.ERROR else "yellow"
        click.secho(problem.format(), fg=color, err=False)
    errors = sum(p.severity is Severity.ERROR for p in loaded.problems)
    warnings = len(loaded.problems) - errors
    if loaded.ok and loaded.flow is not None:
        summary = f"{loaded.source}: valid ({len(loaded.flow.steps)} steps"
        summary += f", {warnings} warning{'s' * (warnings != 1)})" if warnings else ")"
        click.secho(summary, fg="green")
    else:
        click.secho(
            f"{loaded.source}: not valid ({errors} error{'s' * (errors != 1)}"
            + (f", {warnings} warning{'s' * (warnings != 1)})" if warnings else ")"),
            fg="red",
        )
    if not quiet and loaded.sms:
        for sms in loaded.sms:
            where = f":{sms.line}" if sms.line else ""
            click.echo(
                f"  {sms.step}{where} {sms.what.lower()} [{sms.language}]: {sms.info.describe()}"
            )


@flows_group.command("test")
@paths_argument
@click.option("-v", "--verbose", is_flag=True, help="Show each conversation, passed or not.")
def test_command(paths: tuple[Path, ...], verbose: bool) -> None:
    """Run scenario tests (*.test.yaml); exit 0 when all pass.

    PATH is a scenario file, a flow file (its NAME.test.yaml beside it is run), or a folder
    (every *.test.yaml in it). Flows come from the built-in ones and the flow files in the
    scenario file's folder.
    """
    scenario_files = _scenario_files(paths)
    if not scenario_files:
        click.secho("No scenario files (*.test.yaml) found.", fg="red")
        raise SystemExit(1)
    passed = failed = 0
    for file in scenario_files:
        text, problem = read_text(file)
        if text is None:
            click.secho(problem.format() if problem else str(file), fg="red")
            failed += 1
            continue
        try:
            scenarios = parse_scenarios(text)
        except ScenarioError as exc:
            for p in exc.problems:
                click.secho(p.in_file(str(file)).format(), fg="red")
            failed += 1
            continue
        library = _library_for(file)
        if library is None:
            failed += 1
            continue
        for scenario in scenarios.scenarios:
            outcome = run_scenario(scenario, library)
            _report_outcome(file, outcome, verbose)
            passed += outcome.passed
            failed += not outcome.passed
    colour = "green" if not failed else "red"
    click.secho(f"{passed} passed, {failed} failed", fg=colour)
    raise SystemExit(1 if failed else 0)


def _scenario_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob(f"*{SCENARIO_SUFFIX}"))
        elif path.name.endswith(SCENARIO_SUFFIX):
            files.append(path)
        elif path.suffix == ".yaml":
            files.append(path.with_name(path.name[: -len(".yaml")] + SCENARIO_SUFFIX))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _library_for(scenario_file: Path) -> MemoryLibrary | None:
    """Built-in flows, then the flows in the scenario's folder (which win on the same id)."""
    library = builtin_library()
    local = [
        p
        for p in sorted(scenario_file.parent.glob("*.yaml"))
        if not p.name.endswith(SCENARIO_SUFFIX)
    ]
    builtin = {p.resolve() for p in builtin_flow_paths()}
    local = [p for p in local if p.resolve() not in builtin]
    loaded = load_flow_files(local, library.ids())
    broken = [item for item in loaded if not item.ok or item.flow is None]
    for item in broken:
        for problem in item.problems:
            if problem.severity is Severity.ERROR:
                click.secho(problem.format(), fg="red")
    if broken:
        click.secho(f"{scenario_file}: fix the flows above before testing.", fg="red")
        return None
    for item in loaded:
        if item.flow is not None:
            library.publish(item.flow)
    return library


def _report_outcome(file: Path, outcome: Outcome, verbose: bool) -> None:
    scenario = outcome.scenario
    where = f"{file}:{scenario.line}" if scenario.line else str(file)
    if outcome.passed:
        click.secho(f"PASS {where}: {scenario.name}", fg="green")
    else:
        click.secho(f"FAIL {where}: {scenario.name}", fg="red")
        for failure in outcome.failures:
            at = f"line {failure.line}: " if failure.line else ""
            click.echo(f"  {at}expected {failure.expected}")
            click.echo(f"  {' ' * len(at)}but     {failure.happened}")
    if verbose or not outcome.passed:
        click.echo("  conversation:")
        for entry in outcome.transcript:
            click.echo(f"    {entry}")
