"""This module contains the flow editor's pages: the list of flows (and a new one), a flow's
draft with a form for each common edit beside its YAML, publishing, and its revisions (view one,
compare two, restore one).

Every form carries the draft's version: a save made from an older version is answered 409 with
what the other person changed, and what this person typed is shown again so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from starlette.responses import JSONResponse, Response

from admin.web.framework import Page, PageError, PageRequest
from bot.services.access import Ability
from bot.services.errors import Invalid
from bot.services.flow_editor import (
    Comparison,
    DraftConflict,
    EditorPage,
    FlowSummary,
    PublishRefused,
    RevisionPage,
    RevisionSummary,
)
from bot.services.flow_edits import EDITS, FlowEdit

#: The form fields an edit may carry (anything else in the form is ignored).
EDIT_FIELDS = (
    "text",
    "language",
    "index",
    "key",
    "label",
    "words",
    "goes_to",
    "branch",
    "target",
    "duration",
    "after",
)


@dataclass(frozen=True)
class FlowsContext:
    flows: list[FlowSummary] = field(metadata={"help": "Every flow, by name."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the new-flow form."})
    values: dict[str, str] = field(metadata={"help": "What was typed in the new-flow form."})


@dataclass(frozen=True)
class FlowContext:
    flow_key: str = field(metadata={"help": "The flow's id, as in its address."})
    page: EditorPage = field(metadata={"help": "The draft, its steps and problems, its picture."})
    picture: Markup = field(metadata={"help": "The flow drawn as SVG, its text already escaped."})
    source: str = field(metadata={"help": "The YAML shown in the text box (theirs after a 409)."})
    version: int = field(metadata={"help": "The draft version the forms were made from."})
    step_errors: dict[str, str] = field(
        metadata={"help": "A form edit's error, by the step it was for ('' for the YAML form)."}
    )
    conflict: DraftConflict | None = field(
        metadata={"help": "Set when a save was refused because someone else saved first."}
    )
    tried: dict[str, str] = field(metadata={"help": "A refused form edit's fields, to show again."})
    refused: PublishRefused | None = field(
        metadata={"help": "Set when a publish was refused: the problems and failing tests."}
    )


@dataclass(frozen=True)
class RevisionsContext:
    flow_key: str = field(metadata={"help": "The flow's id."})
    revisions: list[RevisionSummary] = field(metadata={"help": "Every revision, newest first."})
    version: int = field(metadata={"help": "The draft's version, for the restore forms."})


@dataclass(frozen=True)
class RevisionContext:
    flow_key: str = field(metadata={"help": "The flow's id."})
    page: RevisionPage = field(metadata={"help": "The revision, its steps and picture."})
    picture: Markup = field(metadata={"help": "The revision drawn as SVG, its text escaped."})


@dataclass(frozen=True)
class CompareContext:
    flow_key: str = field(metadata={"help": "The flow's id."})
    comparison: Comparison = field(metadata={"help": "What changed, in words and in YAML."})
    revisions: list[RevisionSummary] = field(metadata={"help": "Revisions to choose from."})
    old: str = field(metadata={"help": "The older side chosen: a revision number."})
    new: str = field(metadata={"help": "The newer side chosen: a revision number or 'draft'."})


# -- the list --------------------------------------------------------------------------------


async def flows_page(page: PageRequest) -> Response:
    return await _render_list(page, {}, {})


async def new_flow(page: PageRequest) -> Response:
    values = {"flow_id": page.field("flow_id"), "name": page.field("name")}
    try:
        draft = await page.site.services.flow_editor.create(
            values["flow_id"], values["name"], page.user
        )
    except Invalid as exc:
        return await _render_list(page, {exc.field: exc.message}, values, status=400)
    return page.redirect(f"/admin/flows/{draft.flow_id}", f"The flow {draft.name} was made.")


async def _render_list(
    page: PageRequest, errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Response:
    flows = await page.site.services.flow_editor.list_flows(page.user)
    return page.render("flows.html", FlowsContext(flows, errors, values), status=status)


# -- one flow's draft ------------------------------------------------------------------------


async def flow_page(page: PageRequest) -> Response:
    return await _render_flow(page)


async def edit_flow(page: PageRequest) -> Response:
    """One form edit (a message's wording, a choice, a branch ...) written into the draft."""
    key, step, kind = page.keys["flow_key"], page.field("step"), page.field("kind")
    values = {name: page.field(name) for name in EDIT_FIELDS if page.form and name in page.form}
    if kind not in EDITS:
        raise PageError(400, "That is not an edit the flow editor makes.")
    try:
        result = await page.site.services.flow_editor.edit(
            key, FlowEdit(kind, step, values), version=_version(page), viewer=page.user
        )
    except Invalid as exc:
        return await _render_flow(page, step_errors={step: exc.message}, tried=values, status=400)
    except DraftConflict as exc:
        tried = {"kind": kind, "step": step, **values}
        return await _render_flow(page, conflict=exc, tried=tried, status=409)
    return page.redirect(f"/admin/flows/{key}#step-{step}", _saved(result.ok, result.problems))


async def save_source(page: PageRequest) -> Response:
    """The YAML saved as a whole; problems are shown, and the draft is saved all the same."""
    key = page.keys["flow_key"]
    source = _raw(page, "source")
    try:
        result = await page.site.services.flow_editor.save(
            key, source, version=_version(page), viewer=page.user
        )
    except Invalid as exc:
        return await _render_flow(page, step_errors={"": exc.message}, source=source, status=400)
    except DraftConflict as exc:
        return await _render_flow(page, conflict=exc, source=source, status=409)
    return page.redirect(f"/admin/flows/{key}", _saved(result.ok, result.problems))


async def check_source(page: PageRequest) -> Response:
    """For the page's optional script: the problems in the text as typed (nothing is saved)."""
    source = _raw(page, "source")
    loaded = page.site.services.flow_editor.check(page.keys["flow_key"], source[:200_000])
    return JSONResponse(
        {
            "ok": loaded.ok,
            "problems": [
                {
                    "severity": str(p.severity),
                    "step": p.step,
                    "line": p.line,
                    "message": p.message,
                }
                for p in loaded.problems
            ],
        }
    )


async def publish_flow(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    try:
        number = await page.site.services.flow_editor.publish(
            key, page.user, version=_version(page)
        )
    except PublishRefused as exc:
        return await _render_flow(page, refused=exc, status=409)
    except DraftConflict as exc:
        return await _render_flow(page, conflict=exc, status=409)
    return page.redirect(
        f"/admin/flows/{key}", f"Published as revision {number}: new conversations use it now."
    )


async def _render_flow(
    page: PageRequest,
    *,
    step_errors: dict[str, str] | None = None,
    conflict: DraftConflict | None = None,
    refused: PublishRefused | None = None,
    tried: dict[str, str] | None = None,
    source: str | None = None,
    status: int = 200,
) -> Response:
    editor = await page.site.services.flow_editor.editor_page(page.keys["flow_key"])
    return page.render(
        "flow.html",
        FlowContext(
            flow_key=page.keys["flow_key"],
            page=editor,
            # flow_svg escapes every piece of text it draws (flows/picture.py).
            picture=Markup(editor.picture),
            source=editor.draft.source if source is None else source,
            version=editor.draft.version,
            step_errors=step_errors or {},
            conflict=conflict,
            tried=tried or {},
            refused=refused,
        ),
        status=status,
    )


# -- revisions -------------------------------------------------------------------------------


async def revisions_page(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    editor = page.site.services.flow_editor
    revisions = await editor.revisions(key)
    draft = await editor.draft(key)
    return page.render("flow_revisions.html", RevisionsContext(key, revisions, draft.version))


async def revision_page(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    shown = await page.site.services.flow_editor.revision_page(key, page.ids["revision_id"])
    return page.render(
        "flow_revision.html",
        # flow_svg escapes every piece of text it draws (flows/picture.py).
        RevisionContext(key, shown, Markup(shown.picture)),
    )


async def compare_page(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    editor = page.site.services.flow_editor
    revisions = await editor.revisions(key)
    newest = revisions[0].number if revisions else 1
    old_text = page.query("old") or str(max(newest - 1, 1))
    new_text = page.query("new") or "draft"
    old, new = _side(old_text), _side(new_text)
    if old is None:
        raise PageError(404, "Choose a revision by its number to compare.")
    comparison = await editor.compare(key, old, new)
    return page.render(
        "flow_compare.html",
        CompareContext(key, comparison, revisions, old_text, "draft" if new is None else new_text),
    )


async def restore_revision(page: PageRequest) -> Response:
    key, number = page.keys["flow_key"], page.ids["revision_id"]
    try:
        await page.site.services.flow_editor.restore(key, number, page.user, version=_version(page))
    except DraftConflict as exc:
        return await _render_flow(page, conflict=exc, status=409)
    return page.redirect(
        f"/admin/flows/{key}",
        f"The draft is now revision {number}. Publish it to make it live.",
    )


# -- reading forms ---------------------------------------------------------------------------


def _version(page: PageRequest) -> int:
    value = page.field("version")
    if not value.isdigit() or len(value) > 9:
        raise PageError(400, "The form is missing the draft's version. Reload the page.")
    return int(value)


def _raw(page: PageRequest, name: str) -> str:
    """A text box as typed (YAML's leading spaces matter), with Windows line ends made plain."""
    value: Any = page.form.get(name) if page.form is not None else None
    return value.replace("\r\n", "\n") if isinstance(value, str) else ""


def _side(value: str) -> int | None:
    """A revision number, or None for the draft; anything else is a 404."""
    if value == "draft":
        return None
    if not value.isdigit() or len(value) > 9:
        raise PageError(404, "Choose a revision by its number to compare.")
    return int(value)


def _saved(ok: bool, problems: list[Any]) -> str:
    if ok:
        return "Saved. The draft has no problems."
    errors = sum(str(p.severity) == "error" for p in problems)
    return f"Saved, with {errors} problem{'s' * (errors != 1)} to fix before publishing."


_FLOW = "/flows/{flow_key}"
_WRITE = Ability.WRITE_FLOWS

PAGES = (
    Page("/flows", "flows", flows_page, needs=_WRITE),
    Page("/flows", "new_flow", new_flow, methods=("POST",), needs=_WRITE),
    Page(_FLOW, "flow", flow_page, needs=_WRITE),
    Page(f"{_FLOW}/edit", "edit_flow", edit_flow, methods=("POST",), needs=_WRITE),
    Page(f"{_FLOW}/source", "save_flow_source", save_source, methods=("POST",), needs=_WRITE),
    Page(f"{_FLOW}/check", "check_flow", check_source, methods=("POST",), needs=_WRITE),
    Page(f"{_FLOW}/publish", "publish_flow", publish_flow, methods=("POST",), needs=_WRITE),
    Page(f"{_FLOW}/revisions", "flow_revisions", revisions_page, needs=_WRITE),
    Page(f"{_FLOW}/revisions/{{revision_id}}", "flow_revision", revision_page, needs=_WRITE),
    Page(f"{_FLOW}/compare", "compare_flow", compare_page, needs=_WRITE),
    Page(
        f"{_FLOW}/revisions/{{revision_id}}/restore",
        "restore_flow_revision",
        restore_revision,
        methods=("POST",),
        needs=_WRITE,
    ),
)
