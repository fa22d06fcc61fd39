"""This module contains the flow editor's use cases: list flows, keep each flow's draft (every
save numbered, so two people editing at once are never silently overwritten), check it, publish
it as a new revision after its validation and scenario tests pass, and view, compare and
restore revisions.

A flow's draft is the newest saved version of its YAML and scenario tests; with no draft saved
yet, it is the newest revision as it was published (version 0). Publishing stores the draft as
a revision and makes it live in the running service at once; sessions already running stay on
the revision they began with.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from bot.flow_library import StoredFlows
from bot.services.access import Viewer
from bot.services.errors import Conflict, Invalid, NotFound, ServiceError
from bot.services.flow_edits import FlowEdit, apply_edit
from bot.services.flow_view import FlowView, flow_view
from bot.services.unit import Tx, reading, writing
from flows.compare import Change, compare_flows
from flows.loading import LoadedFlow, load_flow
from flows.picture import flow_svg
from flows.problems import Problem, Severity, has_errors
from flows.scenarios import Outcome, run_scenario
from flows.scenarios.format import ScenarioError, parse_scenarios
from flows.types import Flow
from storage import audit, flow_drafts, flow_store
from storage.database import Database

#: What a new flow's id may be: it is also the flow's address in the admin.
FLOW_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")

#: The most text a flow or its tests may hold (a flow is a few kilobytes).
MAX_TEXT = 200_000

DRAFT = "draft"
PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class FlowSummary:
    id: str
    name: str
    #: "draft" when the draft differs from the newest revision (or none is published yet).
    status: str
    languages: tuple[str, ...]
    latest_revision: int | None
    changed_at: str
    changed_by: str


@dataclass(frozen=True, slots=True)
class Draft:
    flow_id: str
    name: str
    source: str
    #: Bumps on every save; a save must name the version it started from.
    version: int
    scenarios: str
    updated_at: str
    updated_by: str
    based_on_revision: int | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    draft: Draft
    #: What the validator found in the saved text (a draft with errors is still saved).
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


@dataclass(frozen=True, slots=True)
class RevisionSummary:
    number: int
    name: str
    published_at: str
    published_by: str


@dataclass(frozen=True, slots=True)
class Revision:
    flow_id: str
    number: int
    name: str
    source: str
    scenarios: str
    published_at: str
    published_by: str


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    name: str
    line: int | None
    passed: bool
    #: "line 12: expected ... but ..." for each way it went otherwise.
    failures: tuple[str, ...]
    transcript: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    flow_id: str
    old_label: str
    new_label: str
    #: What changed, in words (messages, branches, timeouts ...).
    changes: list[Change]
    #: A unified diff of the YAML, for those who want to see every character.
    yaml_diff: list[str]
    #: Set when one side could not be read as a flow, so only the YAML can be compared.
    unreadable: str | None = None


@dataclass(frozen=True, slots=True)
class EditorPage:
    """What the editor shows of a draft: the text, each step with its problems, the picture."""

    draft: Draft
    view: FlowView
    #: The flow drawn as SVG (its text escaped), or "" when the draft cannot be read as a flow.
    picture: str
    #: The newest published revision, if any.
    latest_revision: int | None


@dataclass(frozen=True, slots=True)
class RevisionPage:
    revision: Revision
    view: FlowView
    picture: str


class FlowNotFound(NotFound):
    def __init__(self, flow_id: str, revision: int | None = None) -> None:
        ServiceError.__init__(
            self,
            f"There is no revision {revision} of the flow {flow_id}."
            if revision is not None
            else f"There is no flow called {flow_id}.",
        )
        self.kind = "flow"
        self.thing_id = revision or 0


class DraftConflict(Conflict):
    """Someone saved the draft since this person started: nothing was overwritten."""

    def __init__(
        self, current: Draft, started_from: int, changes: list[Change], yours: str
    ) -> None:
        super().__init__(
            f"Someone else saved this flow since you opened it (it was version {started_from},"
            f" now version {current.version}, saved by {current.updated_by}). Your change was"
            " not saved."
        )
        self.current = current
        self.started_from = started_from
        #: What the other person changed, from the version this person started from.
        self.changes = changes
        #: The text this person meant to save, so that nothing they typed is lost.
        self.yours = yours


class PublishRefused(Conflict):
    """The draft may not go live: the reasons are listed."""

    def __init__(self, problems: list[Problem], scenarios: list[ScenarioResult]) -> None:
        errors = sum(p.severity is Severity.ERROR for p in problems)
        failing = sum(not s.passed for s in scenarios)
        reasons = []
        if errors:
            reasons.append(f"{errors} problem{'s' * (errors != 1)} to fix")
        if failing:
            reasons.append(f"{failing} failing scenario test{'s' * (failing != 1)}")
        super().__init__(f"Not published: {' and '.join(reasons)}.")
        self.problems = [p for p in problems if p.severity is Severity.ERROR]
        self.scenarios = [s for s in scenarios if not s.passed]


class DraftLibrary:
    """The live flows, with one flow's draft in place of its newest revision: what a simulator
    or a scenario test runs the draft against."""

    def __init__(self, live: StoredFlows, draft: Flow) -> None:
        self.live = live
        self.draft = draft

    def get(self, flow_id: str, revision: int | None = None) -> Flow | None:
        if flow_id == self.draft.id:
            return self.draft
        return self.live.get(flow_id, revision)


class FlowEditor:
    def __init__(self, db: Database, flows: StoredFlows) -> None:
        self.db = db
        self.flows = flows

    # -- reading ----------------------------------------------------------------------------

    async def list_flows(self, viewer: Viewer) -> list[FlowSummary]:
        """Every flow, published or only drafted, by name."""
        async with reading(self.db) as conn:
            revisions = {r.flow_id: r for r in await flow_store.latest_of_each(conn)}
            drafts = {d.flow_id: d for d in await flow_drafts.latest_of_each(conn)}
        summaries = []
        for flow_id in sorted(revisions.keys() | drafts.keys()):
            revision, draft = revisions.get(flow_id), drafts.get(flow_id)
            differs = draft is not None and (
                revision is None
                or draft.source != revision.source
                or draft.scenarios != revision.scenarios
            )
            if draft is not None and (revision is None or draft.saved_at >= revision.published_at):
                changed_at, changed_by = draft.saved_at, draft.saved_by
            else:
                assert revision is not None
                changed_at, changed_by = revision.published_at, revision.published_by
            name = draft.name if draft is not None else revision.name if revision else flow_id
            summaries.append(
                FlowSummary(
                    flow_id,
                    name,
                    DRAFT if differs else PUBLISHED,
                    self._languages(flow_id, draft.source if differs and draft else None),
                    revision.revision if revision else None,
                    changed_at,
                    changed_by,
                )
            )
        return sorted(summaries, key=lambda s: (s.name.lower(), s.id))

    async def draft(self, flow_id: str) -> Draft:
        async with reading(self.db) as conn:
            return await self._current(conn, flow_id)

    async def editor_page(self, flow_id: str) -> EditorPage:
        """The draft, checked, with each step as the editor shows it."""
        async with reading(self.db) as conn:
            draft = await self._current(conn, flow_id)
            latest = await flow_store.latest_revision(conn, flow_id)
        loaded = self.check(flow_id, draft.source)
        return EditorPage(
            draft,
            flow_view(loaded),
            flow_svg(loaded.flow) if loaded.flow is not None else "",
            latest.revision if latest else None,
        )

    async def revision_page(self, flow_id: str, number: int) -> RevisionPage:
        """One revision, read-only, as the editor shows a flow."""
        revision = await self.revision(flow_id, number)
        loaded = load_flow(revision.source, source=f"{flow_id} revision {number}")
        picture = flow_svg(loaded.flow) if loaded.flow is not None else ""
        return RevisionPage(revision, flow_view(loaded), picture)

    def check(self, flow_id: str, source: str) -> LoadedFlow:
        """Validate a draft's text as the service would run it: problems with step and line,
        and each message's SMS size."""
        loaded = load_flow(source, source=flow_id, known_flows=self._known(flow_id))
        if loaded.flow is not None and loaded.flow.id != flow_id:
            wrong_id = Problem(
                "id_changed",
                f"The flow's id must stay '{flow_id}' (it is '{loaded.flow.id}'); to make a new"
                " flow, use 'New flow' on the flows page.",
                _line_of_key(source, "id"),
            ).in_file(flow_id)
            loaded = replace(loaded, problems=[wrong_id, *loaded.problems])
        return loaded

    async def revisions(self, flow_id: str) -> list[RevisionSummary]:
        """Every published revision, newest first."""
        async with reading(self.db) as conn:
            found = await flow_store.revisions(conn, flow_id)
            if not found and await flow_drafts.latest(conn, flow_id) is None:
                raise FlowNotFound(flow_id)
        return [RevisionSummary(r.revision, r.name, r.published_at, r.published_by) for r in found]

    async def revision(self, flow_id: str, number: int) -> Revision:
        async with reading(self.db) as conn:
            found = await flow_store.revision(conn, flow_id, number)
        if found is None:
            raise FlowNotFound(flow_id, number)
        return Revision(
            flow_id,
            found.revision,
            found.name,
            found.source,
            found.scenarios,
            found.published_at,
            found.published_by,
        )

    async def compare(self, flow_id: str, old: int | None, new: int | None) -> Comparison:
        """What changed from revision `old` to revision `new` (None: the draft)."""
        async with reading(self.db) as conn:
            old_label, old_source = await self._side(conn, flow_id, old)
            new_label, new_source = await self._side(conn, flow_id, new)
        yaml_diff = list(
            difflib.unified_diff(
                old_source.splitlines(),
                new_source.splitlines(),
                fromfile=old_label,
                tofile=new_label,
                lineterm="",
            )
        )
        before = load_flow(old_source, source=old_label).flow
        after = load_flow(new_source, source=new_label).flow
        if before is None or after is None:
            broken = old_label if before is None else new_label
            return Comparison(
                flow_id,
                old_label,
                new_label,
                [],
                yaml_diff,
                f"The {broken} cannot be read as a flow, so only its YAML is compared.",
            )
        return Comparison(flow_id, old_label, new_label, compare_flows(before, after), yaml_diff)

    def run_scenarios(self, flow: Flow, scenarios: str) -> list[ScenarioResult]:
        """Run a flow's scenario tests against it (with the live flows it may start);
        a scenario file that cannot be read raises `ScenarioError`."""
        if not scenarios.strip():
            return []
        library = DraftLibrary(self.flows, flow)
        return [_result(run_scenario(s, library)) for s in parse_scenarios(scenarios).scenarios]

    # -- changing ---------------------------------------------------------------------------

    async def create(self, flow_id: str, name: str, viewer: Viewer) -> Draft:
        """A new flow's first draft: one step that says hello and ends, valid as it stands."""
        flow_id, name = flow_id.strip(), " ".join(name.split())
        if not FLOW_ID.fullmatch(flow_id):
            raise Invalid(
                "flow_id",
                "A flow's id is one word of small letters, digits and '_', starting with a"
                " letter (at most 60), such as 'garden_club'.",
            )
        if not name or len(name) > 100:
            raise Invalid("name", "Give the flow a name people will recognise (at most 100).")
        async with writing(self.db) as tx:
            if (
                await flow_store.latest_revision(tx, flow_id) is not None
                or await flow_drafts.latest(tx, flow_id) is not None
            ):
                raise Invalid("flow_id", f"There is already a flow called {flow_id}.")
            saved = await flow_drafts.save(
                tx,
                flow_id,
                1,
                name=name,
                source=_starter(flow_id, name),
                scenarios="",
                based_on_revision=None,
                by=viewer.actor,
            )
            await audit.record(tx, viewer.actor, "created the flow", f"flow:{flow_id}")
        return _draft(saved)

    async def save(
        self,
        flow_id: str,
        source: str,
        *,
        version: int,
        viewer: Viewer,
        scenarios: str | None = None,
    ) -> SaveResult:
        """Save the draft's text as a whole. Problems do not stop a save (work in progress is
        kept); a `version` that is not the current one does (`DraftConflict`)."""
        _check_size("source", source)
        if scenarios is not None:
            _check_size("scenarios", scenarios)
        async with writing(self.db) as tx:
            current = await self._current(tx, flow_id)
            await self._refuse_stale(tx, current, version, source)
            return await self._store(tx, current, source, scenarios, viewer)

    async def edit(
        self, flow_id: str, change: FlowEdit, *, version: int, viewer: Viewer
    ) -> SaveResult:
        """Apply one form edit to the draft's YAML and save it; a change that cannot be made
        is `Invalid` (nothing is saved)."""
        async with writing(self.db) as tx:
            current = await self._current(tx, flow_id)
            await self._refuse_stale(tx, current, version, current.source)
            source = apply_edit(current.source, change)
            return await self._store(tx, current, source, None, viewer)

    async def publish(self, flow_id: str, viewer: Viewer, *, version: int) -> int:
        """Check the draft (validation and its scenario tests), store it as the next revision
        with its tests, write the audit entry, and make it live. Returns the revision number."""
        async with writing(self.db) as tx:
            current = await self._current(tx, flow_id)
            await self._refuse_stale(tx, current, version, current.source)
            loaded = self.check(flow_id, current.source)
            results: list[ScenarioResult] = []
            if loaded.flow is not None and loaded.ok:
                try:
                    results = self.run_scenarios(loaded.flow, current.scenarios)
                except ScenarioError as exc:
                    raise PublishRefused(
                        [p.in_file(f"{flow_id} scenarios") for p in exc.problems], []
                    ) from exc
            if not loaded.ok or loaded.flow is None or any(not r.passed for r in results):
                raise PublishRefused(loaded.problems, results)
            latest = await flow_store.latest_revision(tx, flow_id)
            stored = await flow_store.publish(
                tx, flow_id, loaded.flow.name, current.source, viewer.actor, current.scenarios
            )
            if latest is not None and stored.revision == latest.revision:
                raise Conflict(
                    f"Nothing has changed since revision {latest.revision} was published."
                )
            await audit.record(
                tx, viewer.actor, f"published revision {stored.revision}", f"flow:{flow_id}"
            )
        self.flows.add_revision(stored)
        return stored.revision

    async def restore(
        self, flow_id: str, number: int, viewer: Viewer, *, version: int | None = None
    ) -> Draft:
        """Make the draft equal to an old revision (publishing it is a separate step)."""
        async with writing(self.db) as tx:
            old = await flow_store.revision(tx, flow_id, number)
            if old is None:
                raise FlowNotFound(flow_id, number)
            current = await self._current(tx, flow_id)
            if version is not None:
                await self._refuse_stale(tx, current, version, old.source)
            saved = await flow_drafts.save(
                tx,
                flow_id,
                current.version + 1,
                name=old.name,
                source=old.source,
                scenarios=old.scenarios,
                based_on_revision=old.revision,
                by=viewer.actor,
            )
            await audit.record(
                tx, viewer.actor, f"restored revision {number} to the draft", f"flow:{flow_id}"
            )
        return _draft(saved)

    # -- inside -----------------------------------------------------------------------------

    async def _current(self, conn: Tx, flow_id: str) -> Draft:
        saved = await flow_drafts.latest(conn, flow_id)
        if saved is not None:
            return _draft(saved)
        revision = await flow_store.latest_revision(conn, flow_id)
        if revision is None:
            raise FlowNotFound(flow_id)
        return Draft(
            flow_id,
            revision.name,
            revision.source,
            0,
            revision.scenarios,
            revision.published_at,
            revision.published_by,
            revision.revision,
        )

    async def _refuse_stale(self, tx: Tx, current: Draft, version: int, yours: str) -> None:
        if version == current.version:
            return
        started = await self._version_source(tx, current.flow_id, version)
        changes: list[Change] = []
        if started is not None:
            before = load_flow(started, source=f"version {version}").flow
            after = load_flow(current.source, source=f"version {current.version}").flow
            if before is not None and after is not None:
                changes = compare_flows(before, after)
        raise DraftConflict(current, version, changes, yours)

    async def _version_source(self, conn: Tx, flow_id: str, version: int) -> str | None:
        """The draft's text at `version` (0: the revision the first draft was made from)."""
        saved = await flow_drafts.version(conn, flow_id, version)
        if saved is not None:
            return saved.source
        if version == 0:
            first = await flow_drafts.version(conn, flow_id, 1)
            if first is not None and first.based_on_revision is not None:
                revision = await flow_store.revision(conn, flow_id, first.based_on_revision)
                return revision.source if revision else None
        return None

    async def _store(
        self, tx: Tx, current: Draft, source: str, scenarios: str | None, viewer: Viewer
    ) -> SaveResult:
        loaded = self.check(current.flow_id, source)
        scenarios = current.scenarios if scenarios is None else scenarios
        if source == current.source and scenarios == current.scenarios:
            return SaveResult(current, loaded.problems)  # nothing changed: no new version
        name = loaded.flow.name if loaded.flow is not None else current.name
        saved = await flow_drafts.save(
            tx,
            current.flow_id,
            current.version + 1,
            name=name,
            source=source,
            scenarios=scenarios,
            based_on_revision=current.based_on_revision,
            by=viewer.actor,
        )
        return SaveResult(_draft(saved), loaded.problems)

    async def _side(self, conn: Tx, flow_id: str, number: int | None) -> tuple[str, str]:
        if number is None:
            return "the draft", (await self._current(conn, flow_id)).source
        found = await flow_store.revision(conn, flow_id, number)
        if found is None:
            raise FlowNotFound(flow_id, number)
        return f"revision {number}", found.source

    def _known(self, flow_id: str) -> Collection[str]:
        return {*self.flows.ids(), flow_id}

    def _languages(self, flow_id: str, draft_source: str | None) -> tuple[str, ...]:
        if draft_source is None:
            live = self.flows.get(flow_id)
            return live.languages if live is not None else ()
        flow = load_flow(draft_source, source=flow_id).flow
        return flow.languages if flow is not None else ()


def _draft(saved: flow_drafts.DraftVersion) -> Draft:
    return Draft(
        saved.flow_id,
        saved.name,
        saved.source,
        saved.version,
        saved.scenarios,
        saved.saved_at,
        saved.saved_by,
        saved.based_on_revision,
    )


def _result(outcome: Outcome) -> ScenarioResult:
    failures = tuple(
        f"{f'line {f.line}: ' if f.line else ''}expected {f.expected}, but {f.happened}"
        for f in outcome.failures
    )
    return ScenarioResult(
        outcome.scenario.name,
        outcome.scenario.line,
        outcome.passed,
        failures,
        tuple(outcome.transcript),
    )


def _check_size(field: str, text: str) -> None:
    if len(text) > MAX_TEXT:
        raise Invalid(field, f"That is too long to save (the most is {MAX_TEXT:,} characters).")
    if field == "source" and not text.strip():
        raise Invalid(field, "The flow's text is empty; a flow needs at least one step.")


def _line_of_key(source: str, key: str) -> int | None:
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def _starter(flow_id: str, name: str) -> str:
    """A new flow's first text: valid as it stands, for staff to build on."""
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "format: 1\n"
        f"id: {flow_id}\n"
        f'name: "{quoted}"\n'
        "purpose: service\n"
        "languages: [en]\n"
        "start: hello\n"
        "\n"
        "steps:\n"
        "  hello:\n"
        '    say: "Hello {{ resident.preferred_name }}, it\'s {{ catalyst.first_name }}."\n'
        "    end: completed\n"
    )
