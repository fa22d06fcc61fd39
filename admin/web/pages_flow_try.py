"""This module contains the pages for trying a flow's draft before it is published: the
simulator (chat as a resident, nothing sent), its scenario tests run with a readable diff,
its missing translations filled in from one form, and its picture.

Every page here is for staff and admins (`Ability.WRITE_FLOWS`); each parses, calls one
service, and renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.errors import Conflict, Invalid
from bot.services.flow_simulator import SimulationView
from bot.services.flow_tests import FlowPicture, TestRun
from bot.services.flow_translations import TranslationError, TranslationsView, sms_of
from bot.services.ids import parse_id


@dataclass(frozen=True)
class FlowSimulateContext:
    flow_key: str = field(metadata={"help": "The flow being simulated (its id)."})
    sim: SimulationView = field(
        metadata={"help": "The simulation: residents, steps, conversation, results, actions."}
    )
    errors: dict[str, str] = field(metadata={"help": "What is wrong with a control, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


@dataclass(frozen=True)
class FlowTestsContext:
    flow_key: str = field(metadata={"help": "The flow whose scenario tests these are."})
    version: int = field(metadata={"help": "The draft version the form was opened on."})
    scenarios: str = field(metadata={"help": "The scenario tests' YAML, as saved or as typed."})
    run: TestRun | None = field(metadata={"help": "The outcome of running them, once run."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})


@dataclass(frozen=True)
class FlowTranslationsContext:
    flow_key: str = field(metadata={"help": "The flow whose translations these are."})
    view: TranslationsView = field(
        metadata={"help": "The texts missing in each of the flow's languages."}
    )
    values: dict[str, str] = field(metadata={"help": "Translations typed, by box key."})
    sms: dict[str, str] = field(metadata={"help": "Each typed translation's SMS cost in words."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with a box, by box key."})


@dataclass(frozen=True)
class FlowPictureContext:
    flow_key: str = field(metadata={"help": "The flow drawn."})
    picture: FlowPicture = field(
        metadata={"help": "The draft's picture: its version and its problems in words."}
    )
    svg: Markup | None = field(
        metadata={"help": "The SVG to show in the page (its text escaped by flows.picture)."}
    )


# -- the simulator --------------------------------------------------------------------------


async def simulate_page(page: PageRequest) -> Response:
    return await _render_simulator(page, {}, {})


async def simulate_start(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    values = {"resident_id": page.field("resident_id"), "step": page.field("step")}
    resident_id = parse_id(values["resident_id"])
    if resident_id is None:
        errors = {"resident_id": "Choose a resident to simulate."}
        return await _render_simulator(page, errors, values, status=400)
    try:
        await page.site.services.flow_simulator.begin(
            page.user, _session(page), key, resident_id, values["step"] or None
        )
    except Invalid as exc:
        return await _render_simulator(page, {_sim_field(exc): exc.message}, values, status=400)
    return page.redirect(_path(key, "simulate#chat"))


async def simulate_reply(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    text = page.field("reply")
    try:
        await page.site.services.flow_simulator.reply(page.user, _session(page), key, text)
    except Invalid as exc:
        return await _render_simulator(page, {"reply": exc.message}, {"reply": text}, status=400)
    return page.redirect(_path(key, "simulate#chat"))


async def simulate_no_reply(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    try:
        await page.site.services.flow_simulator.no_reply(page.user, _session(page), key)
    except Invalid as exc:
        return await _render_simulator(page, {"reply": exc.message}, {}, status=400)
    return page.redirect(_path(key, "simulate#chat"))


async def simulate_restart(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    try:
        await page.site.services.flow_simulator.begin(page.user, _session(page), key, None)
    except Invalid as exc:
        return await _render_simulator(page, {_sim_field(exc): exc.message}, {}, status=400)
    return page.redirect(_path(key, "simulate#chat"), "Restarted from the beginning.")


async def _render_simulator(
    page: PageRequest, errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Response:
    key = page.keys["flow_key"]
    sim = await page.site.services.flow_simulator.view(page.user, _session(page), key)
    context = FlowSimulateContext(flow_key=key, sim=sim, errors=errors, values=values)
    return page.render("flow_simulate.html", context, status=status)


def _sim_field(exc: Invalid) -> str:
    return {"resident": "resident_id", "step": "step"}.get(exc.field, "resident_id")


# -- scenario tests -------------------------------------------------------------------------


async def tests_page(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    tests = await page.site.services.flow_tests.page(key)
    context = FlowTestsContext(key, tests.version, tests.scenarios, None, {})
    return page.render("flow_tests.html", context)


async def tests_post(page: PageRequest) -> Response:
    """Run the tests as typed, or save them with the draft."""
    key = page.keys["flow_key"]
    service = page.site.services.flow_tests
    scenarios = _text(page, "scenarios")
    version = parse_id(page.field("version"), minimum=0)
    if page.field("do") != "save":
        run = await service.run(key, scenarios)
        return page.render(
            "flow_tests.html", FlowTestsContext(key, version or 0, scenarios, run, {})
        )
    errors: dict[str, str] = {}
    if version is None:
        errors["scenarios"] = "The form lost which version of the draft it was; reload the page."
    else:
        try:
            await service.save(key, scenarios, version=version, viewer=page.user)
        except Invalid as exc:
            errors["scenarios"] = exc.message
        except Conflict as exc:
            context = FlowTestsContext(key, version, scenarios, None, {"scenarios": exc.message})
            return page.render("flow_tests.html", context, status=409)
    if errors:
        context = FlowTestsContext(key, version or 0, scenarios, None, errors)
        return page.render("flow_tests.html", context, status=400)
    return page.redirect(_path(key, "tests"), "The scenario tests are saved with the draft.")


# -- translations ---------------------------------------------------------------------------


async def translations_page(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    view = await page.site.services.flow_translations.missing(key)
    return page.render("flow_translations.html", FlowTranslationsContext(key, view, {}, {}, {}))


async def translations_post(page: PageRequest) -> Response:
    """Check the SMS cost of what was typed, or save every filled translation at once."""
    key = page.keys["flow_key"]
    service = page.site.services.flow_translations
    typed = {
        name: _text(page, name)
        for name in (page.form.keys() if page.form is not None else [])
        if name.startswith("t-")
    }
    sms = {name: sms_of(text) for name, text in typed.items() if text.strip()}
    version = parse_id(page.field("version"), minimum=0)
    errors: dict[str, str] = {}
    status = 400
    if page.field("do") == "check":
        errors, status = {}, 200
    elif version is None:
        errors["translations"] = "The form lost which version of the draft it was; reload it."
    else:
        try:
            filled = await service.fill(key, typed, version=version, viewer=page.user)
        except TranslationError as exc:
            errors = exc.errors
        except Invalid as exc:
            errors["translations"] = exc.message
        except Conflict as exc:
            errors["translations"], status = exc.message, 409
        else:
            saved = "; ".join(f"{f.step}, {f.what.lower()} ({f.language}): {f.sms}" for f in filled)
            count = len(filled)
            return page.redirect(
                _path(key, "translations"),
                f"Saved {count} translation{'s' if count != 1 else ''} in the draft. {saved}.",
            )
    view = await service.missing(key)
    context = FlowTranslationsContext(key, view, typed, sms, errors)
    return page.render("flow_translations.html", context, status=status)


# -- the picture ----------------------------------------------------------------------------


async def picture_page(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    picture = await page.site.services.flow_tests.picture(key)
    return page.render("flow_picture.html", _picture_context(key, picture))


async def picture_svg(page: PageRequest) -> Response:
    key = page.keys["flow_key"]
    picture = await page.site.services.flow_tests.picture(key)
    if picture.svg is None:
        return page.render("flow_picture.html", _picture_context(key, picture), status=400)
    return Response(
        picture.svg,
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="{key}.svg"'},
    )


def _picture_context(key: str, picture: FlowPicture) -> FlowPictureContext:
    # flows.picture escapes every text it draws (xml escaping), so the markup is safe to show.
    svg = None if picture.svg is None else Markup(picture.svg)
    return FlowPictureContext(key, picture, svg)


# -- shared ---------------------------------------------------------------------------------


def _session(page: PageRequest) -> int:
    assert page.session is not None
    return page.session.id


def _path(key: str, rest: str) -> str:
    return f"/admin/flows/{key}/{rest}"


def _text(page: PageRequest, name: str) -> str:
    """A textarea's text as typed (its lines' own spaces kept), newlines made plain."""
    value = page.form.get(name) if page.form is not None else None
    return value.replace("\r\n", "\n") if isinstance(value, str) else ""


_FLOW = "/flows/{flow_key}"
_WRITE = Ability.WRITE_FLOWS

PAGES = (
    Page(f"{_FLOW}/simulate", "flow_simulate", simulate_page, needs=_WRITE),
    Page(f"{_FLOW}/simulate/start", "flow_simulate_start", simulate_start, ("POST",), _WRITE),
    Page(f"{_FLOW}/simulate/reply", "flow_simulate_reply", simulate_reply, ("POST",), _WRITE),
    Page(
        f"{_FLOW}/simulate/no-reply", "flow_simulate_no_reply", simulate_no_reply, ("POST",), _WRITE
    ),
    Page(f"{_FLOW}/simulate/restart", "flow_simulate_restart", simulate_restart, ("POST",), _WRITE),
    Page(f"{_FLOW}/tests", "flow_tests", tests_page, needs=_WRITE),
    Page(f"{_FLOW}/tests", "flow_tests_post", tests_post, ("POST",), _WRITE),
    Page(f"{_FLOW}/translations", "flow_translations", translations_page, needs=_WRITE),
    Page(f"{_FLOW}/translations", "flow_translations_post", translations_post, ("POST",), _WRITE),
    Page(f"{_FLOW}/picture", "flow_picture", picture_page, needs=_WRITE),
    Page(f"{_FLOW}/picture.svg", "flow_picture_svg", picture_svg, needs=_WRITE),
)
