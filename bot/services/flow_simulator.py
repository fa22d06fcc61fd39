"""This module contains the simulator: staff chat with a flow's draft as one of the residents,
entirely in memory with the pure engine.

Nothing is sent, no session is stored and no alert is raised: each step's actions are shown
as words ("Would alert the catalyst, Abby ..."). A simulation is kept per login session and
flow, in memory here, bounded in number and idle age; the page never sends the engine's state,
so there is nothing a browser could forge.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.context import resident_context
from bot.programme import Programme
from bot.services.access import Viewer
from bot.services.errors import Invalid, NotFound
from bot.services.flow_editor import DraftLibrary, FlowEditor
from bot.services.flow_tests import compiled_draft
from bot.services.unit import reading
from flows.context import SAMPLE
from flows.engine import Clock, Reply, Sprint, Timeout, resume, start
from flows.events import (
    ActionRequested,
    ErrorEvent,
    Event,
    FieldSet,
    FlowEntered,
    MessageOut,
    ResultSaved,
    SessionEnded,
)
from flows.limits import MAX_REPLY_CHARS
from flows.types import Flow
from storage import people
from storage.database import Database
from storage.records import Resident

#: Simulations kept at once; the one left alone longest goes first.
MAX_SIMULATIONS = 200
#: A simulation nobody has touched for this long is forgotten.
MAX_IDLE = timedelta(hours=2)
#: Lines kept per simulation: a loop of re-asks cannot grow one without end.
MAX_LINES = 400
#: Residents offered in the simulator's list.
MAX_RESIDENTS = 200

_RSVP_WORDS = {"going": "going", "interested": "interested", "not_going": "not going"}
_PURPOSE_WORDS = {"checkins": "check-ins", "events": "event news", "buddying": "buddying"}


@dataclass(frozen=True, slots=True)
class SimResident:
    id: int
    name: str
    catalyst: str


@dataclass(frozen=True, slots=True)
class SimLine:
    """One line of the simulation. `who` is bot, you, action, result, note, end or problem."""

    who: str
    text: str
    step: str | None = None
    #: For the bot: the kind of message (question, reminder, reask...); else empty.
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SimResult:
    name: str
    label: str
    how: str
    typed: str | None


@dataclass(frozen=True, slots=True)
class SimulationView:
    """What the simulator page shows for one flow and login."""

    flow_id: str
    flow_name: str
    version: int
    residents: tuple[SimResident, ...]
    steps: tuple[str, ...]
    resident: SimResident | None
    lines: tuple[SimLine, ...]
    results: tuple[SimResult, ...]
    actions: tuple[SimLine, ...]
    status: str
    waiting: bool
    #: What pressing "No reply came" would do now, in words ("" when it can do nothing).
    no_reply: str
    #: The draft was saved again since this simulation began.
    stale: bool
    #: The draft has errors, so it cannot be simulated.
    draft_problems: tuple[str, ...]


@dataclass
class _SimClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


@dataclass
class _Simulation:
    flow: Flow
    version: int
    resident: SimResident
    context: dict[str, dict[str, Any]]
    clock: _SimClock
    touched: datetime
    state: dict[str, Any] = field(default_factory=dict)
    lines: list[SimLine] = field(default_factory=list)
    actions: list[SimLine] = field(default_factory=list)


class FlowSimulator:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        programme: Programme,
        editor: FlowEditor,
    ) -> None:
        self.db = db
        self.clock = clock
        self.programme = programme
        self.editor = editor
        self._simulations: OrderedDict[tuple[int, str], _Simulation] = OrderedDict()

    async def view(self, viewer: Viewer, session_id: int, flow_key: str) -> SimulationView:
        compiled = await compiled_draft(self.editor, flow_key)
        residents = await self._residents(viewer)
        simulation = self._find(session_id, flow_key)
        flow = compiled.flow
        steps = tuple(flow.steps) if flow is not None else ()
        name = flow.name if flow is not None else flow_key
        if simulation is None:
            return SimulationView(
                compiled.flow_id, name, compiled.version, residents, steps, None, (), (), (),
                "Choose a resident and start.", False, "", False, compiled.problems,
            )  # fmt: skip
        return SimulationView(
            compiled.flow_id,
            name,
            compiled.version,
            residents,
            steps,
            simulation.resident,
            tuple(simulation.lines),
            _results(simulation.state),
            tuple(simulation.actions),
            _status(simulation),
            simulation.state.get("status") == "waiting",
            _no_reply_words(simulation),
            simulation.version != compiled.version,
            compiled.problems,
        )

    async def begin(
        self,
        viewer: Viewer,
        session_id: int,
        flow_key: str,
        resident_id: int | None,
        at_step: str | None = None,
    ) -> None:
        """Start a new simulation as `resident_id` (None: the one simulated before), at the
        flow's start or at `at_step`."""
        compiled = await compiled_draft(self.editor, flow_key)
        if compiled.flow is None:
            raise Invalid("flow", "The draft has errors; fix them before simulating it.")
        flow = compiled.flow
        if at_step is not None and at_step not in flow.steps:
            raise Invalid("step", f"The flow has no step called '{at_step}'.")
        if resident_id is None:
            previous = self._find(session_id, flow_key)
            if previous is None:
                raise Invalid("resident", "Choose a resident to simulate.")
            resident_id = previous.resident.id
        resident, context = await self._resident(viewer, resident_id)
        now = self.clock.now()
        simulation = _Simulation(flow, compiled.version, resident, context, _SimClock(now), now)
        library = DraftLibrary(self.editor.flows, flow)
        if at_step is not None:
            simulation.lines.append(SimLine("note", f"Started at the step {at_step}.", at_step))
        sprint = start(library, flow.id, context=context, clock=simulation.clock, at_step=at_step)
        _absorb(simulation, sprint)
        self._keep(session_id, flow_key, simulation)

    async def reply(self, viewer: Viewer, session_id: int, flow_key: str, text: str) -> None:
        simulation = self._waiting(session_id, flow_key)
        text = text.strip()
        if not text:
            raise Invalid("reply", "Type a reply to send.")
        if len(text) > MAX_REPLY_CHARS:
            raise Invalid("reply", f"A reply can be at most {MAX_REPLY_CHARS} characters.")
        simulation.lines.append(SimLine("you", text, simulation.state.get("step")))
        sprint = resume(
            DraftLibrary(self.editor.flows, simulation.flow),
            simulation.state,
            Reply(text),
            context=simulation.context,
            clock=simulation.clock,
        )
        _absorb(simulation, sprint)

    async def no_reply(self, viewer: Viewer, session_id: int, flow_key: str) -> None:
        """Let time pass to the next reminder or to the end of the time to answer."""
        simulation = self._waiting(session_id, flow_key)
        wait = simulation.state.get("wait") or {}
        if not wait.get("wake_at"):
            raise Invalid(
                "no_reply",
                "This question has no time limit: the bot would wait for a reply for as long "
                "as it takes.",
            )
        simulation.lines.append(
            SimLine("note", _no_reply_words(simulation), simulation.state.get("step"))
        )
        simulation.clock.moment = max(
            simulation.clock.moment, datetime.fromisoformat(wait["wake_at"])
        )
        sprint = resume(
            DraftLibrary(self.editor.flows, simulation.flow),
            simulation.state,
            Timeout(),
            context=simulation.context,
            clock=simulation.clock,
        )
        _absorb(simulation, sprint)

    def forget(self, session_id: int, flow_key: str) -> None:
        self._simulations.pop((session_id, flow_key), None)

    def _waiting(self, session_id: int, flow_key: str) -> _Simulation:
        simulation = self._find(session_id, flow_key)
        if simulation is None:
            raise Invalid("resident", "Start a simulation first: choose a resident and start.")
        if simulation.state.get("status") != "waiting":
            raise Invalid(
                "reply", "The conversation has ended. Restart it, or start from another step."
            )
        return simulation

    def _find(self, session_id: int, flow_key: str) -> _Simulation | None:
        self._forget_idle()
        simulation = self._simulations.get((session_id, flow_key))
        if simulation is not None:
            simulation.touched = self.clock.now()
            self._simulations.move_to_end((session_id, flow_key))
        return simulation

    def _keep(self, session_id: int, flow_key: str, simulation: _Simulation) -> None:
        self._simulations[(session_id, flow_key)] = simulation
        self._simulations.move_to_end((session_id, flow_key))
        while len(self._simulations) > MAX_SIMULATIONS:
            self._simulations.popitem(last=False)

    def _forget_idle(self) -> None:
        cutoff = self.clock.now() - MAX_IDLE
        for key in [k for k, s in self._simulations.items() if s.touched < cutoff]:
            del self._simulations[key]

    async def _residents(self, viewer: Viewer) -> tuple[SimResident, ...]:
        async with reading(self.db) as conn:
            residents = [
                r
                for r in await people.list_residents(conn)
                if r.status != "unknown" and viewer.sees_resident(r.catalyst_id)
            ][:MAX_RESIDENTS]
            catalysts = {p.id: p.first_name for p in await people.list_people(conn, "catalyst")}
        return tuple(_sim_resident(r, catalysts, self.programme) for r in residents)

    async def _resident(
        self, viewer: Viewer, resident_id: int
    ) -> tuple[SimResident, dict[str, dict[str, Any]]]:
        async with reading(self.db) as conn:
            resident = await people.get_resident(conn, resident_id)
            if resident is None or not viewer.sees_resident(resident.catalyst_id):
                raise NotFound("resident", resident_id)
            samples = {space: dict(values) for space, values in SAMPLE.items()}
            context = await resident_context(conn, resident, self.programme, None)
        context = {**samples, **context}
        who = SimResident(
            resident.id,
            str(context["resident"]["preferred_name"]),
            str(context["catalyst"]["first_name"]),
        )
        return who, context


def _sim_resident(
    resident: Resident, catalysts: dict[int, str], programme: Programme
) -> SimResident:
    catalyst = catalysts.get(resident.catalyst_id or 0, programme.team)
    return SimResident(resident.id, resident.preferred_name or resident.first_name, catalyst)


def _absorb(simulation: _Simulation, sprint: Sprint) -> None:
    simulation.state = sprint.state
    for event in sprint.events:
        line = _line(event, simulation)
        if line is None:
            continue
        simulation.lines.append(line)
        if line.who == "action":
            simulation.actions.append(line)
    del simulation.lines[:-MAX_LINES]
    del simulation.actions[:-MAX_LINES]


def _line(event: Event, simulation: _Simulation) -> SimLine | None:
    if isinstance(event, MessageOut):
        return SimLine("bot", event.text, event.step, "" if event.kind == "say" else event.kind)
    if isinstance(event, ResultSaved):
        return SimLine("result", f"Saved {event.name} = {event.label}", event.step)
    if isinstance(event, FieldSet):
        field_name = event.name.replace("_", " ")
        return SimLine("action", f"Would change their {field_name} to “{event.value}”", event.step)
    if isinstance(event, ActionRequested):
        return SimLine("action", describe_action(event, simulation.resident), event.step)
    if isinstance(event, FlowEntered) and event.flow_id != simulation.flow.id:
        return SimLine("note", f"Runs the flow {event.flow_id}.")
    if isinstance(event, SessionEnded):
        return SimLine("end", f"The conversation ended: {event.outcome}.", event.step)
    if isinstance(event, ErrorEvent):
        return SimLine("problem", event.text, event.step)
    return None


def describe_action(action: ActionRequested, resident: SimResident) -> str:
    """What the bot would do for a flow's action, in words for staff."""
    params = action.params
    if action.kind == "alert_catalyst":
        if params.get("urgency") == "urgent":
            return (
                f"Would alert the catalyst, {resident.catalyst}, urgently (paged at once): "
                f"{params.get('reason')}"
            )
        return f"Would alert the catalyst, {resident.catalyst} (routine): {params.get('reason')}"
    if action.kind == "record_rsvp":
        answer = _RSVP_WORDS.get(str(params.get("response")), str(params.get("response")))
        return (
            f"Would record the RSVP “{answer}” for the event {params.get('event_id')}, and tell "
            f"{resident.catalyst}"
        )
    if action.kind == "record_consent":
        purpose = _PURPOSE_WORDS.get(str(params.get("purpose")), str(params.get("purpose")))
        said = "yes" if params.get("given") else "no"
        return f"Would record that {resident.name} said {said} to {purpose}"
    if action.kind == "schedule_followup":
        return f"Would start the flow {params.get('flow')} again at {_when(params.get('due_at'))}"
    if action.kind == "start_flow":
        return f"Would start the flow {params.get('flow')} once this conversation ends"
    settings = ", ".join(f"{k}: {v}" for k, v in params.items())
    return f"Would carry out {action.kind}" + (f" ({settings})" if settings else "")


def _when(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value)).strftime("%A %-d %B %Y, %H:%M")
    except ValueError:
        return str(value)


def _results(state: dict[str, Any]) -> tuple[SimResult, ...]:
    return tuple(
        SimResult(
            name,
            str(result.get("label") or result.get("value")),
            str(result.get("category") or ""),
            result.get("input"),
        )
        for name, result in (state.get("results") or {}).items()
    )


def _status(simulation: _Simulation) -> str:
    state = simulation.state
    if state.get("status") == "waiting":
        return f"Waiting for {simulation.resident.name}'s reply at the step {state.get('step')}."
    return f"The conversation has ended ({state.get('outcome')})."


def _no_reply_words(simulation: _Simulation) -> str:
    """What 'No reply came' does next: a reminder, or the end of the time to answer."""
    state = simulation.state
    wait = state.get("wait") or {}
    if state.get("status") != "waiting" or not wait.get("wake_at"):
        return ""
    wake = datetime.fromisoformat(wait["wake_at"])
    expires = wait.get("expires_at")
    gap = _duration_words(wake - simulation.clock.moment)
    if expires is not None and wake >= datetime.fromisoformat(expires):
        return f"No reply came for {gap}: the time to answer is over (the no-reply branch)."
    return f"No reply came for {gap}: a reminder is due."


def _duration_words(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "a moment"
