"""This module contains the consent pages of a resident: their consent per purpose and channel
with its history, and the form where a catalyst (for their own residents) or staff record
consent given or withdrawn on the resident's behalf, with a note of what the resident told
them. The resident's own page shows the same section; a mistake in the form is explained here,
with what was typed kept, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.consent import ConsentSection
from bot.services.errors import Invalid
from bot.services.records import Resident

#: The form's fields, kept as typed when it is shown again after a mistake.
FIELDS = ("consent_purpose", "consent_channel", "consent_given", "consent_note")


@dataclass(frozen=True)
class ConsentContext:
    resident: Resident = field(metadata={"help": "Whose consent this is."})
    consent: ConsentSection = field(
        metadata={"help": "Consent per purpose and channel, its history, and the form's choices."}
    )
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


async def consent_page(page: PageRequest) -> Response:
    return await _render(page)


async def record_consent(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    typed = {name: page.field(name) for name in FIELDS}
    try:
        what = await page.site.services.consent.record_for_resident(
            page.user,
            resident_id,
            purpose=typed["consent_purpose"],
            channel=typed["consent_channel"],
            given=typed["consent_given"],
            note=typed["consent_note"],
        )
    except Invalid as exc:
        return await _render(page, {exc.field: exc.message}, typed, status=400)
    return page.redirect(f"/admin/residents/{resident_id}#consent", f"Recorded: {what}.")


async def _render(
    page: PageRequest,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    resident, section = await page.site.services.consent.view(page.user, page.ids["resident_id"])
    return page.render(
        "resident_consent.html",
        ConsentContext(
            resident=resident, consent=section, errors=errors or {}, values=values or {}
        ),
        status=status,
    )


_LOOK_AFTER = Ability.LOOK_AFTER_RESIDENTS
_CONSENT = "/residents/{resident_id}/consent"

PAGES = (
    Page(_CONSENT, "resident_consent", consent_page, needs=_LOOK_AFTER),
    Page(_CONSENT, "record_consent", record_consent, ("POST",), needs=_LOOK_AFTER),
)
