"""This module contains `companion flows try`: talk to one flow in the terminal, as a resident."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from bot.flow_files import builtin_library, load_flow_file
from flows.context import SAMPLE
from flows.durations import DurationError, parse_duration
from flows.engine import Reply, Sprint, Timeout, resume, start
from flows.events import ActionRequested, ErrorEvent, MessageOut, ResultSaved

HELP = "Type a reply as the resident. '/wait 4h' lets time pass; '/quit' stops."


class _Clock:
    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def now(self) -> datetime:
        return self.moment


@click.command("try")
@click.argument("flow")
@click.option("--name", default="Pat", show_default=True, help="The resident's preferred name.")
@click.option("--catalyst", default="Abby", show_default=True, help="The catalyst's first name.")
def try_command(flow: str, name: str, catalyst: str) -> None:
    """Talk to FLOW (a built-in flow's id, or a flow file) as a resident would.

    Nothing is sent or stored: this tries the conversation only.
    """
    library = builtin_library()
    if flow.endswith(".yaml"):
        loaded = load_flow_file(Path(flow), library.ids())
        if not loaded.ok or loaded.flow is None:
            for problem in loaded.problems:
                click.echo(problem.format())
            raise SystemExit(1)
        flow = library.publish(loaded.flow).id
    if library.get(flow) is None:
        raise click.BadParameter(f"no flow '{flow}'; built-in: {', '.join(library.ids())}")
    context: dict[str, dict[str, Any]] = {
        **{namespace: dict(values) for namespace, values in SAMPLE.items()},
        "resident": {"preferred_name": name, "first_name": name, "language": "en"},
        "catalyst": {"first_name": catalyst},
    }
    clock = _Clock()
    click.echo(HELP)
    sprint = start(library, flow, context=context, clock=clock)
    _show(sprint)
    while sprint.waiting:
        line = click.prompt(name, prompt_suffix="> ", default="", show_default=False)
        if line.strip() == "/quit":
            return
        if line.startswith("/wait"):
            try:
                clock.moment += parse_duration(line.removeprefix("/wait").strip() or "1h")
            except DurationError as exc:
                click.echo(str(exc))
                continue
            sprint = resume(library, sprint.state, Timeout(), context=context, clock=clock)
        else:
            sprint = resume(library, sprint.state, Reply(line), context=context, clock=clock)
        _show(sprint)
    click.echo(f"(the conversation ended: {sprint.state.get('outcome')})")


def _show(sprint: Sprint) -> None:
    for event in sprint.events:
        if isinstance(event, MessageOut):
            buttons = "  ".join(f"[{b.label}]" for b in event.buttons)
            click.secho(f"bot> {event.text}", fg="cyan")
            if buttons:
                click.secho(f"     {buttons}", fg="cyan", dim=True)
        elif isinstance(event, ResultSaved):
            click.secho(f"     (saved {event.name} = {event.label})", dim=True)
        elif isinstance(event, ActionRequested):
            click.secho(f"     (action: {event.kind} {event.params})", fg="yellow")
        elif isinstance(event, ErrorEvent):
            click.secho(f"     (error: {event.text})", fg="red")
