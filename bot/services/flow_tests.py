"""This module contains trying a flow's draft without running it for real: its scenario tests,
run from the admin with the differences in words, and its picture with the steps nobody can
reach and the dead ends. It also holds what the admin's other try-out pages share: reading the
draft (from the flow editor) and checking it into a flow the engine can run.

Nothing here sends, stores a session or raises an alert: the pure engine runs in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.flow_library import StoredFlows
from bot.services.access import Viewer
from bot.services.errors import Invalid
from bot.services.flow_editor import DraftLibrary, FlowEditor
from flows.picture import flow_svg
from flows.problems import Severity
from flows.scenarios import parse_scenarios, run_scenario
from flows.scenarios.format import ScenarioError
from flows.types import Flow
from flows.validation.graph import check_graph

#: The most scenario text a page may send to be run or saved.
MAX_SCENARIO_CHARS = 200_000

#: Graph problems the picture marks, as staff know them.
_UNREACHABLE = ("unreachable",)
_DEAD_ENDS = ("dead_end", "missing_step", "missing_branch")


@dataclass(frozen=True, slots=True)
class CompiledDraft:
    """A draft read and checked: `flow` is None when it has errors, listed in `problems`;
    `parsed` is the flow as written even then (for its picture and its translations), None
    only when it cannot be read as a flow at all."""

    flow_id: str
    version: int
    source: str
    scenarios: str
    flow: Flow | None
    problems: tuple[str, ...]
    parsed: Flow | None = None


async def compiled_draft(editor: FlowEditor, flow_key: str) -> CompiledDraft:
    """Read the draft of `flow_key` and check it as the editor does; a draft with errors has
    no `flow` (a missing flow is the editor's `NotFound`)."""
    draft = await editor.draft(flow_key)
    loaded = editor.check(draft.flow_id, draft.source)
    errors = tuple(
        _problem_words(p.line, p.step, p.message)
        for p in loaded.problems
        if p.severity is Severity.ERROR
    )
    parsed = loaded.flow
    if parsed is not None and parsed.id != draft.flow_id:
        parsed = None  # the editor has said so among the errors
    if parsed is not None:
        # Revision 0: a draft is no revision; the engine pins it, the draft library ignores it.
        parsed = replace(parsed, revision=0)
    flow = parsed if loaded.ok else None
    return CompiledDraft(
        draft.flow_id, draft.version, draft.source, draft.scenarios, flow, errors, parsed
    )


def _problem_words(line: int | None, step: str | None, message: str) -> str:
    where = [f"line {line}"] if line is not None else []
    where += [f"step {step}"] if step else []
    return f"{', '.join(where)}: {message}" if where else message


@dataclass(frozen=True, slots=True)
class Difference:
    """One way a scenario went otherwise than written: expected beside what happened."""

    line: int | None
    expected: str
    actual: str


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    name: str
    line: int | None
    passed: bool
    differences: tuple[Difference, ...]
    #: The conversation as it went, line by line ("bot: ...", "Pat: 1").
    transcript: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScenarioProblem:
    """Something wrong in the scenario text, with the line it is on."""

    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class TestRun:
    """The outcome of running scenario text against a draft."""

    results: tuple[ScenarioResult, ...] = ()
    #: The text could not be read as scenarios: nothing ran.
    problems: tuple[ScenarioProblem, ...] = ()
    #: The draft has errors, so there is no flow to run the scenarios against.
    draft_problems: tuple[str, ...] = ()
    scenarios_for: str | None = None

    @property
    def passed(self) -> int:
        return sum(result.passed for result in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed


@dataclass(frozen=True, slots=True)
class TestsPage:
    flow_id: str
    version: int
    scenarios: str


@dataclass(frozen=True, slots=True)
class FlowPicture:
    flow_id: str
    version: int
    #: The whole SVG document; its text is XML-escaped by `flows.picture`.
    svg: str | None
    unreachable: tuple[str, ...]
    dead_ends: tuple[str, ...]
    #: The graph problems in words, for those who cannot see the picture.
    notes: tuple[str, ...]
    draft_problems: tuple[str, ...] = field(default=())


class FlowTests:
    """Scenario tests and the picture of a flow's draft."""

    def __init__(self, editor: FlowEditor) -> None:
        self.editor = editor

    async def page(self, flow_key: str) -> TestsPage:
        draft = await self.editor.draft(flow_key)
        return TestsPage(draft.flow_id, draft.version, draft.scenarios)

    async def run(self, flow_key: str, scenarios: str) -> TestRun:
        """Run `scenarios` (the text as typed, saved or not) against the draft."""
        compiled = await compiled_draft(self.editor, flow_key)
        return run_tests(compiled, scenarios, self.editor.flows)

    async def save(self, flow_key: str, scenarios: str, *, version: int, viewer: Viewer) -> None:
        """Save the scenario text with the draft; text that is not scenarios is refused."""
        problems = scenario_problems(scenarios)
        if problems:
            first = problems[0]
            at = f"Line {first.line}: " if first.line is not None else ""
            raise Invalid("scenarios", f"{at}{first.message}")
        draft = await self.editor.draft(flow_key)
        await self.editor.save(
            flow_key, draft.source, version=version, viewer=viewer, scenarios=scenarios
        )

    async def picture(self, flow_key: str) -> FlowPicture:
        compiled = await compiled_draft(self.editor, flow_key)
        if compiled.parsed is None:
            return FlowPicture(
                compiled.flow_id, compiled.version, None, (), (), (), compiled.problems
            )
        flow = compiled.parsed
        problems = check_graph(flow)
        unreachable = tuple(
            dict.fromkeys(p.step for p in problems if p.code in _UNREACHABLE and p.step)
        )
        dead_ends = tuple(
            dict.fromkeys(p.step for p in problems if p.code in _DEAD_ENDS and p.step)
        )
        notes = tuple(
            _problem_words(None, p.step, p.message)
            for p in problems
            if p.code in (*_UNREACHABLE, *_DEAD_ENDS)
        )
        return FlowPicture(
            compiled.flow_id,
            compiled.version,
            flow_svg(flow),
            unreachable,
            dead_ends,
            notes,
            compiled.problems,
        )


def scenario_problems(text: str) -> list[ScenarioProblem]:
    """What is wrong with scenario text (empty when it reads as scenarios)."""
    if len(text) > MAX_SCENARIO_CHARS:
        return [ScenarioProblem(None, "The scenarios are too long to run from the page.")]
    if not text.strip():
        return []
    try:
        parse_scenarios(text)
    except ScenarioError as exc:
        return [ScenarioProblem(p.line, p.message) for p in exc.problems]
    except (LookupError, ValueError) as exc:  # e.g. a time zone that does not exist
        return [ScenarioProblem(None, f"The scenarios could not be read: {exc}")]
    return []


def run_tests(compiled: CompiledDraft, text: str, flows: StoredFlows) -> TestRun:
    problems = scenario_problems(text)
    if problems:
        return TestRun(problems=tuple(problems))
    if not text.strip():
        return TestRun()
    if compiled.flow is None:
        return TestRun(draft_problems=compiled.problems)
    parsed = parse_scenarios(text)
    library = DraftLibrary(flows, compiled.flow)
    results = []
    for scenario in parsed.scenarios:
        try:
            outcome = run_scenario(scenario, library)
        except (LookupError, ValueError) as exc:  # a draft the engine cannot carry on
            results.append(_stopped(scenario.name, scenario.line, str(exc)))
            continue
        results.append(
            ScenarioResult(
                scenario.name,
                scenario.line,
                outcome.passed,
                tuple(Difference(f.line, f.expected, f.happened) for f in outcome.failures),
                tuple(outcome.transcript),
            )
        )
    return TestRun(results=tuple(results), scenarios_for=parsed.flow)


def _stopped(name: str, line: int | None, why: str) -> ScenarioResult:
    stopped = Difference(line, "the scenario to run to its end", f"it stopped: {why}")
    return ScenarioResult(name, line, False, (stopped,), ())
