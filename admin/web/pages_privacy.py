"""This module contains the pages for a resident's privacy rights: their data (everything held
about them, in plain words, with the JSON and the summary to download) and erasing them (an
admin types the resident's preferred name to confirm).

Anyone who may see the resident may export their data (a catalyst only for their own residents:
another's is a 404); only an admin may erase. Every export and erasure is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.errors import Conflict, Invalid
from bot.services.privacy import ErasePreview, ResidentExport, SummarySection


@dataclass(frozen=True)
class ResidentExportContext:
    export: ResidentExport = field(
        metadata={"help": "Everything held about the resident, as JSON data and its filename."}
    )
    sections: list[SummarySection] = field(
        metadata={"help": "The summary in plain words: a heading and its lines, per section."}
    )


@dataclass(frozen=True)
class ResidentEraseContext:
    preview: ErasePreview = field(
        metadata={"help": "The resident, what erasing removes, and why it is refused if it is."}
    )
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


async def resident_data(page: PageRequest) -> Response:
    found = await page.site.services.privacy.export(page.user, page.ids["resident_id"])
    return page.render(
        "resident_export.html", ResidentExportContext(export=found, sections=found.summary)
    )


async def resident_data_json(page: PageRequest) -> Response:
    found = await page.site.services.privacy.export(page.user, page.ids["resident_id"])
    return _download(f"{found.filename}.json", "application/json", found.as_json())


async def resident_data_text(page: PageRequest) -> Response:
    found = await page.site.services.privacy.export(page.user, page.ids["resident_id"])
    return _download(f"{found.filename}.txt", "text/plain", found.summary_text())


def _download(filename: str, media_type: str, text: str) -> Response:
    # The filename names the resident by id only ("resident-12-data.json"): nothing to quote.
    return Response(
        text,
        media_type=f"{media_type}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def erase_form(page: PageRequest) -> Response:
    return await _render_erase(page)


async def erase(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    typed = page.field("name")
    try:
        done = await page.site.services.privacy.erase(page.user, resident_id, typed)
    except Invalid as exc:
        return await _render_erase(page, {"name": exc.message}, {"name": typed}, status=400)
    except Conflict:
        # The page itself says why (an open safeguarding alert, or erased already).
        return await _render_erase(page, status=409)
    return page.redirect(
        f"/admin/residents/{resident_id}",
        f"Resident R{resident_id}'s personal data was erased; they are now '{done.name}'. "
        "The safeguarding record is kept.",
    )


async def _render_erase(
    page: PageRequest,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    preview = await page.site.services.privacy.preview(page.user, page.ids["resident_id"])
    return page.render(
        "resident_erase.html",
        ResidentEraseContext(preview=preview, errors=errors or {}, values=values or {}),
        status=status,
    )


_RESIDENT = "/residents/{resident_id}"
_LOOK_AFTER = Ability.LOOK_AFTER_RESIDENTS
_ERASE = Ability.ERASE_RESIDENTS

PAGES = (
    Page(f"{_RESIDENT}/data", "resident_data", resident_data, needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/data.json", "resident_data_json", resident_data_json, needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/data.txt", "resident_data_text", resident_data_text, needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/erase", "erase_resident_form", erase_form, needs=_ERASE),
    Page(f"{_RESIDENT}/erase", "erase_resident", erase, ("POST",), needs=_ERASE),
)
