"""This module contains exporting a flow's results: as CSV (one row per result) and as a FLOIP
Flow Results package (a Data Package whose one resource, `flow-results-data`, has the flow's
questions in its schema and the responses as rows).

Exports name residents by id only, never by name or number. Each export is written in the audit
log: who took which flow's results, in which format, and how many rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from bot.clock import SystemClock
from bot.flow_library import StoredFlows
from bot.services.access import Viewer
from bot.services.errors import NotFound, ServiceError
from bot.services.unit import reading, writing
from flows.engine import Clock
from flows.types import AskKind, Branches, Flow
from storage import audit, rows
from storage.database import Database
from storage.flow_results import FlowResult, results_of_flow

FLOIP_VERSION = "1.0.0"
#: The columns of every Flow Results package's responses, in order.
FLOIP_FIELDS = (
    ("timestamp", "Timestamp", "datetime"),
    ("row_id", "Row ID", "string"),
    ("contact_id", "Contact ID", "string"),
    ("session_id", "Session ID", "string"),
    ("question_id", "Question ID", "string"),
    ("response", "Response", "any"),
    ("response_metadata", "Response Metadata", "object"),
)
CSV_HEADER = (
    "resident_id",
    "flow",
    "revision",
    "session_id",
    "name",
    "value",
    "label",
    "category",
    "at",
)
#: A question's FLOIP type, by what the flow's question expects.
FLOIP_TYPES = {
    AskKind.CHOICE: "select_one",
    AskKind.YES_NO: "select_one",
    AskKind.NUMBER: "numeric",
    AskKind.DATE: "date",
    AskKind.TIME: "time",
    AskKind.TEXT: "text",
}


class UnknownFlow(NotFound):
    """No flow has this id (a flow's id is text, not a number)."""

    def __init__(self, flow_id: str) -> None:
        ServiceError.__init__(self, f"There is no flow called {flow_id}.")
        self.kind = "flow"
        self.thing_id = 0


@dataclass(frozen=True, slots=True)
class Export:
    filename: str
    media_type: str
    text: str
    rows: int


@dataclass(frozen=True, slots=True)
class ExportableFlow:
    id: str
    name: str


def package_id(flow_id: str) -> str:
    """The flow's package id: a version 4 UUID that stays the same for the flow, so each
    export is a new version of one package rather than a new package."""
    digest = hashlib.sha256(f"companion flow results {flow_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ResultsExport:
    def __init__(self, db: Database, flows: StoredFlows, clock: Clock | None = None) -> None:
        self.db = db
        self.flows = flows
        self.clock = clock or SystemClock()

    def exportable(self) -> list[ExportableFlow]:
        """The flows whose results can be exported, by id."""
        found = [self.flows.get(flow_id) for flow_id in self.flows.ids()]
        return [ExportableFlow(f.id, f.name) for f in found if f is not None]

    async def as_csv(self, viewer: Viewer, flow_id: str) -> Export:
        results = await self._results(flow_id)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for r in results:
            writer.writerow(
                [
                    r.resident_id,
                    r.flow_id,
                    r.revision,
                    r.session_id,
                    r.name,
                    _cell(r.value),
                    r.label,
                    r.category,
                    r.at,
                ]
            )
        await self._audit(viewer, flow_id, "csv", len(results))
        return Export(f"{flow_id}-results.csv", "text/csv", out.getvalue(), len(results))

    async def as_floip(self, viewer: Viewer, flow_id: str) -> Export:
        results = await self._results(flow_id)
        package = self._package(flow_id, results)
        await self._audit(viewer, flow_id, "floip", len(results))
        return Export(
            f"{flow_id}-results.floip.json",
            "application/json",
            json.dumps(package, ensure_ascii=False, indent=1),
            len(results),
        )

    async def _results(self, flow_id: str) -> list[FlowResult]:
        async with reading(self.db) as conn:
            found = await results_of_flow(conn, flow_id)
        if not found and self.flows.get(flow_id) is None:
            raise UnknownFlow(flow_id)
        return found

    async def _audit(self, viewer: Viewer, flow_id: str, form: str, count: int) -> None:
        async with writing(self.db) as work:
            await audit.record(
                work, viewer.actor, "exported results", f"flow:{flow_id}", format=form, rows=count
            )

    def _package(self, flow_id: str, results: list[FlowResult]) -> dict[str, Any]:
        now = rows.now_text(self.clock.now())
        latest = self.flows.get(flow_id)
        return {
            "profile": "flow-results-package",
            "flow_results_specification_version": FLOIP_VERSION,
            "created": results[0].at if results else now,
            "modified": now,
            "id": package_id(flow_id),
            "name": f"{flow_id}_results",
            "title": f"{latest.name if latest else flow_id}: results",
            "resources": [
                {
                    "name": "flow-results-data",
                    "mediatype": "application/json",
                    "encoding": "utf-8",
                    "schema": {
                        "language": "eng",
                        "fields": [
                            {"name": name, "title": title, "type": kind}
                            for name, title, kind in FLOIP_FIELDS
                        ],
                        "questions": self._questions(flow_id, results),
                    },
                    # One file to download, so the responses come inline rather than at a path.
                    "data": [
                        [
                            r.at,
                            r.id,
                            str(r.resident_id),
                            str(r.session_id),
                            r.name,
                            r.value,
                            {"label": r.label, "category": r.category, "revision": r.revision},
                        ]
                        for r in results
                    ],
                }
            ],
        }

    def _questions(self, flow_id: str, results: list[FlowResult]) -> dict[str, Any]:
        """Every question the responses answer, from the revisions they were given under
        (newest first, so a question's wording is the newest), then any other saved value."""
        questions: dict[str, Any] = {}
        revisions = sorted({r.revision for r in results}, reverse=True)
        latest = self.flows.get(flow_id)
        flows = [latest] if latest is not None else []
        flows += [f for n in revisions if (f := self.flows.get(flow_id, n)) is not None]
        for flow in flows:
            for name, question in _asks(flow).items():
                questions.setdefault(name, question)
        for r in results:
            questions.setdefault(
                r.name,
                {"type": "text", "label": f"{r.name} (kept by the flow)", "type_options": {}},
            )
        return questions


def _asks(flow: Flow) -> dict[str, Any]:
    """The flow's questions that save an answer, as FLOIP questions by result name."""
    found: dict[str, Any] = {}
    for step in flow.steps.values():
        if not isinstance(step.exit, Branches) or step.exit.ask.save_as is None:
            continue
        ask, name = step.exit.ask, step.exit.ask.save_as
        said = [c.params.text for c in step.actions if c.kind == "say"]
        label = said[-1].templates.get(flow.default_language, step.id) if said else step.id
        options: dict[str, Any] = {}
        if ask.kind is AskKind.CHOICE:
            options["choices"] = [choice.id for choice in ask.choices]
        elif ask.kind is AskKind.YES_NO:
            options["choices"] = ["yes", "no"]
        elif ask.kind is AskKind.NUMBER and ask.minimum is not None and ask.maximum is not None:
            options["range"] = [ask.minimum, ask.maximum]
        found[name] = {
            "type": FLOIP_TYPES.get(ask.kind, "text"),
            "label": label,
            "type_options": options,
        }
    return found
