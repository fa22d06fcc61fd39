"""This module contains the pages that bring residents in: the form that adds one, the CSV
import with its preview (nothing is saved until the preview is confirmed), its template file,
and a resident's Telegram start link with a QR code to print or send.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from markupsafe import Markup
from starlette.datastructures import UploadFile
from starlette.responses import Response

from admin.web.framework import Page, PageError, PageRequest
from bot.services.access import Ability
from bot.services.consent import PURPOSES
from bot.services.errors import Conflict, Unavailable
from bot.services.qr import LinkCard
from bot.services.records import Person, Resident
from bot.services.resident_import import (
    COLUMNS,
    LANGUAGES,
    MAX_ROWS,
    PURPOSE_WORDS,
    Column,
    FormInvalid,
    ImportNotReady,
    ImportPreview,
    template_csv,
)

#: The form's text fields, as the service reads them.
TEXT_FIELDS = (
    "preferred_name",
    "first_name",
    "full_name",
    "language",
    "mobile",
    "catalyst",
    "interests",
    "consent_note",
    "checkin_time",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ResidentNewContext:
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})
    days: list[str] = field(metadata={"help": "The check-in days ticked, to tick them again."})
    consents: list[str] = field(metadata={"help": "The purposes ticked, to tick them again."})
    catalysts: list[Person] = field(
        metadata={"help": "Catalysts to choose from; empty for a catalyst (theirs is fixed)."}
    )
    languages: dict[str, str] = field(metadata={"help": "The programme's languages by code."})
    purposes: dict[str, str] = field(metadata={"help": "Consent purposes and their words."})
    week_days: tuple[str, ...] = field(metadata={"help": "The days of the week, Monday first."})


@dataclass(frozen=True)
class ResidentImportContext:
    preview: ImportPreview | None = field(
        metadata={"help": "What the uploaded file would add, row by row; None before one."}
    )
    carried: str = field(
        metadata={"help": "The uploaded file, base64, carried to the confirm form."}
    )
    filename: str = field(metadata={"help": "The uploaded file's name, as the browser gave it."})
    problem: str = field(metadata={"help": "Why the upload could not be used, in plain words."})
    columns: tuple[Column, ...] = field(metadata={"help": "The file's columns, documented."})
    max_rows: int = field(metadata={"help": "The most residents one file may add."})
    chooses_catalyst: bool = field(
        metadata={"help": "Whether the file's catalyst column counts (not for a catalyst)."}
    )


@dataclass(frozen=True)
class ResidentLinkContext:
    resident: Resident = field(metadata={"help": "The resident the link is for."})
    card: LinkCard | None = field(metadata={"help": "The link just made, with its QR code."})
    qr: Markup = field(metadata={"help": "The QR code's SVG, XML-escaped, to put in the page."})
    download: str = field(metadata={"help": "A data: address to download the QR code's SVG."})
    telegram_off: str = field(
        metadata={"help": "Why no link can be made (Telegram off), or empty when one can."}
    )


async def new_resident_form(page: PageRequest) -> Response:
    return await _render_form(page, {}, {"language": "en"}, [], [])


async def add_resident(page: PageRequest) -> Response:
    values = {name: page.field(name) for name in TEXT_FIELDS}
    days = [day for day in page.fields("checkin_days") if day in DAYS]
    consents = [purpose for purpose in page.fields("consents") if purpose in PURPOSES]
    typed = {
        **values,
        "checkin_days": " ".join(days),
        **{f"consent_{purpose}": "yes" if purpose in consents else "no" for purpose in PURPOSES},
    }
    try:
        resident_id = await page.site.services.new_residents.add(page.user, typed)
    except FormInvalid as exc:
        return await _render_form(page, exc.errors, values, days, consents, status=400)
    name = values["preferred_name"] or values["first_name"]
    return page.redirect(f"/admin/residents/{resident_id}", f"{name} has been added.")


async def import_page(page: PageRequest) -> Response:
    return _render_import(page)


async def import_preview(page: PageRequest) -> Response:
    upload = page.form.get("file") if page.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _render_import(page, problem="Choose a CSV file to upload.", status=400)
    try:
        content = await upload.read()
    finally:
        # The framework does not close uploads; an open spooled file would linger until GC.
        await upload.close()
    preview = await page.site.services.new_residents.preview(page.user, content)
    carried = base64.urlsafe_b64encode(content).decode("ascii") if preview.ready else ""
    status = 200 if preview.ready else 400
    return _render_import(page, preview, carried, upload.filename, status=status)


async def import_confirm(page: PageRequest) -> Response:
    carried, filename = page.field("content"), page.field("filename")
    try:
        content = base64.urlsafe_b64decode(carried.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise PageError(400, "The file could not be read back. Please upload it again.") from None
    try:
        added = await page.site.services.new_residents.confirm(page.user, content)
    except ImportNotReady as exc:
        return _render_import(page, exc.preview, "", filename, status=400)
    noun = "resident has" if added == 1 else "residents have"
    return page.redirect("/admin/residents", f"{added} {noun} been added from {filename}.")


async def import_template(page: PageRequest) -> Response:
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="residents-template.csv"'},
    )


async def link_page(page: PageRequest) -> Response:
    cards = page.site.services.link_cards
    resident = await cards.resident(page.user, page.ids["resident_id"])
    return _render_link(page, resident, None, cards.telegram_off() or "")


async def make_link(page: PageRequest) -> Response:
    cards = page.site.services.link_cards
    try:
        card = await cards.make(page.user, page.ids["resident_id"])
    except (Conflict, Unavailable) as exc:
        resident = await cards.resident(page.user, page.ids["resident_id"])
        return _render_link(page, resident, None, exc.message, status=503)
    # Rendered, not redirected to: the link's token is kept only as a hash, so this answer is
    # the one place it can be shown (reloading makes a new link, which replaces this one).
    return _render_link(page, card.resident, card, "")


async def _render_form(
    page: PageRequest,
    errors: dict[str, str],
    values: dict[str, str],
    days: list[str],
    consents: list[str],
    status: int = 200,
) -> Response:
    services = page.site.services
    chooses = page.user.may(Ability.SEE_ALL_RESIDENTS)
    return page.render(
        "resident_new.html",
        ResidentNewContext(
            errors=errors,
            values=values,
            days=days,
            consents=consents,
            catalysts=await services.new_residents.catalysts() if chooses else [],
            languages=LANGUAGES,
            purposes=PURPOSE_WORDS,
            week_days=DAYS,
        ),
        status=status,
    )


def _render_import(
    page: PageRequest,
    preview: ImportPreview | None = None,
    carried: str = "",
    filename: str = "",
    problem: str = "",
    status: int = 200,
) -> Response:
    return page.render(
        "resident_import.html",
        ResidentImportContext(
            preview=preview,
            carried=carried,
            filename=filename,
            problem=problem,
            columns=COLUMNS,
            max_rows=MAX_ROWS,
            chooses_catalyst=page.user.may(Ability.SEE_ALL_RESIDENTS),
        ),
        status=status,
    )


def _render_link(
    page: PageRequest,
    resident: Resident,
    card: LinkCard | None,
    telegram_off: str,
    status: int = 200,
) -> Response:
    # The SVG was built with ElementTree, which escapes its text as XML: safe to put in as is.
    svg = card.svg if card else ""
    download = (
        "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        if card
        else ""
    )
    return page.render(
        "resident_link.html",
        ResidentLinkContext(
            resident=resident,
            card=card,
            qr=Markup(svg),
            download=download,
            telegram_off=telegram_off,
        ),
        status=status,
    )


_LOOK_AFTER = Ability.LOOK_AFTER_RESIDENTS

PAGES = (
    Page("/residents/new", "new_resident", new_resident_form, needs=_LOOK_AFTER),
    Page("/residents/new", "add_resident", add_resident, methods=("POST",), needs=_LOOK_AFTER),
    Page("/residents/import", "import_residents", import_page, needs=_LOOK_AFTER),
    Page(
        "/residents/import",
        "preview_import",
        import_preview,
        methods=("POST",),
        needs=_LOOK_AFTER,
    ),
    Page(
        "/residents/import/confirm",
        "confirm_import",
        import_confirm,
        methods=("POST",),
        needs=_LOOK_AFTER,
    ),
    Page("/residents/import/template.csv", "import_template", import_template, needs=_LOOK_AFTER),
    Page("/residents/{resident_id}/link", "resident_link", link_page, needs=_LOOK_AFTER),
    Page(
        "/residents/{resident_id}/link",
        "make_resident_link",
        make_link,
        methods=("POST",),
        needs=_LOOK_AFTER,
    ),
)
