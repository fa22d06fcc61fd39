"""This module contains the safeguarding texts pages: the overview (kinds, phrases per language,
replies, and a form to try a message), a kind's phrase book with the forms to add and retire
phrases and to edit its replies, and the history of changes.

Staff and admins read the book and add or retire phrases; only admins edit the replies, which
the programme approves. Catalysts do not see these pages: their work is their residents, and
a catalyst who hears a new way of saying something tells staff, who add it here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import PlainTextResponse, Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.errors import Invalid
from bot.services.ids import parse_id
from bot.services.safeguarding_texts import (
    URGENCY_WORDS,
    Change,
    Finding,
    KindBook,
    KindSummary,
    PhraseRefused,
    language_name,
)


@dataclass(frozen=True)
class OverviewContext:
    kinds: list[KindSummary] = field(
        metadata={"help": "Each kind of risk: its words, phrases per language, its replies."}
    )
    languages: tuple[str, ...] = field(metadata={"help": "The programme's languages, in order."})
    language_names: dict[str, str] = field(metadata={"help": "Each language code in words."})
    message: str = field(metadata={"help": "The message typed to try, to show it again."})
    findings: list[Finding] | None = field(
        metadata={"help": "What the detector found in the message tried; None before a try."}
    )
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the try form."})


@dataclass(frozen=True)
class KindContext:
    book: KindBook = field(
        metadata={"help": "The kind's phrases and look-alikes per language, and its replies."}
    )
    language_names: dict[str, str] = field(metadata={"help": "Each language code in words."})
    urgency_words: dict[str, str] = field(metadata={"help": "Each urgency in words."})
    may_edit_replies: bool = field(metadata={"help": "Whether the viewer may edit the replies."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with a form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})
    findings: list[Finding] | None = field(
        metadata={"help": "What the detector found in a refused phrase's example, if anything."}
    )


@dataclass(frozen=True)
class HistoryContext:
    changes: list[Change] = field(
        metadata={"help": "Every change made in the admin, newest first."}
    )
    language_names: dict[str, str] = field(metadata={"help": "Each language code in words."})


async def overview(page: PageRequest) -> Response:
    return await _render_overview(page, "", None, {})


async def try_message(page: PageRequest) -> Response:
    message = page.field("message")[:1000]
    if not message:
        return await _render_overview(
            page, "", None, {"message": "Type a message to try."}, status=400
        )
    found = await page.site.services.safeguarding_texts.try_message(message)
    return await _render_overview(page, message, found, {})


async def kind_page(page: PageRequest) -> Response:
    return await _render_kind(page, {}, {}, None)


async def add_phrase(page: PageRequest) -> Response:
    kind = page.keys["kind_key"]
    names = ("language", "pattern", "urgency", "note", "example")
    values = {name: page.field(name) for name in names}
    values["everyday"] = "yes" if page.field("everyday") == "yes" else ""
    try:
        added, found = await page.site.services.safeguarding_texts.add_phrase(
            page.user,
            kind=kind,
            language=values["language"],
            pattern=values["pattern"],
            urgency=values["urgency"] or "now",
            everyday=bool(values["everyday"]),
            note=values["note"],
            example=values["example"],
        )
    except PhraseRefused as exc:
        return await _render_kind(page, {exc.field: exc.message}, values, exc.findings, 400)
    read_as = "; ".join(_finding_words(f) for f in found) or "no risk"
    return page.redirect(
        f"/admin/safeguarding/{kind}",
        f"Phrase “{added.pattern}” added in {language_name(added.language)}. "
        f"The example is now read as: {read_as}.",
    )


async def retire_phrase(page: PageRequest) -> Response:
    kind = page.keys["kind_key"]
    phrase_id = parse_id(page.field("phrase_id"))
    note = page.field("note")
    if phrase_id is None:
        return await _render_kind(
            page, {"retire": "Choose a phrase added in the admin to retire."}, {}, None, 400
        )
    try:
        retired = await page.site.services.safeguarding_texts.retire_phrase(
            page.user, phrase_id, note
        )
    except Invalid as exc:
        return await _render_kind(
            page, {f"retire-{phrase_id}": exc.message}, {f"retire-{phrase_id}": note}, None, 400
        )
    return page.redirect(
        f"/admin/safeguarding/{kind}",
        f"Phrase “{retired.pattern}” retired: it no longer raises or stops an alert.",
    )


async def edit_reply(page: PageRequest) -> Response:
    kind = page.keys["kind_key"]
    language, text = page.field("language"), page.field("text")
    try:
        saved = await page.site.services.safeguarding_texts.edit_reply(
            page.user, kind, language, text
        )
    except Invalid as exc:
        key = f"reply-{language}" if exc.field == "text" else "reply"
        return await _render_kind(page, {key: exc.message}, {key: text}, None, 400)
    return page.redirect(
        f"/admin/safeguarding/{kind}",
        f"The {language_name(saved.language)} reply is saved and is sent from now on.",
    )


async def file_entries(page: PageRequest) -> Response:
    entries = await page.site.services.safeguarding_texts.file_entries()
    return PlainTextResponse(
        entries,
        media_type="text/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="phrases-added-in-the-admin.yaml"'},
    )


async def history(page: PageRequest) -> Response:
    changes = await page.site.services.safeguarding_texts.history()
    return page.render("safeguarding_history.html", HistoryContext(changes, _names(page)))


async def _render_overview(
    page: PageRequest,
    message: str,
    found: list[Finding] | None,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    texts = page.site.services.safeguarding_texts
    context = OverviewContext(
        kinds=await texts.overview(),
        languages=texts.languages,
        language_names=_names(page),
        message=message,
        findings=found,
        errors=errors,
    )
    return page.render("safeguarding.html", context, status=status)


async def _render_kind(
    page: PageRequest,
    errors: dict[str, str],
    values: dict[str, str],
    found: tuple[Finding, ...] | list[Finding] | None,
    status: int = 200,
) -> Response:
    book = await page.site.services.safeguarding_texts.kind_book(page.keys["kind_key"])
    context = KindContext(
        book=book,
        language_names=_names(page),
        urgency_words=URGENCY_WORDS,
        may_edit_replies=page.user.may(Ability.EDIT_SAFEGUARDING_TEXTS),
        errors=errors,
        values=values,
        findings=list(found) if found is not None else None,
    )
    return page.render("safeguarding_kind.html", context, status=status)


def _names(page: PageRequest) -> dict[str, str]:
    return {code: language_name(code) for code in page.site.services.safeguarding_texts.languages}


def _finding_words(finding: Finding) -> str:
    urgency = "urgent" if finding.urgent else "not urgent"
    return f"{finding.kind_words} ({urgency}, {language_name(finding.language)})"


_REVIEW = Ability.REVIEW_SAFEGUARDING_PHRASES

PAGES = (
    Page("/safeguarding", "safeguarding", overview, needs=_REVIEW),
    Page("/safeguarding/try", "safeguarding_try", try_message, ("POST",), needs=_REVIEW),
    Page("/safeguarding/history", "safeguarding_history", history, needs=_REVIEW),
    # Before the kind's page, which would take "added.yaml" for a kind.
    Page("/safeguarding/added.yaml", "safeguarding_file_entries", file_entries, needs=_REVIEW),
    Page("/safeguarding/{kind_key}", "safeguarding_kind", kind_page, needs=_REVIEW),
    Page(
        "/safeguarding/{kind_key}/phrases",
        "safeguarding_add_phrase",
        add_phrase,
        ("POST",),
        needs=_REVIEW,
    ),
    Page(
        "/safeguarding/{kind_key}/phrases/retire",
        "safeguarding_retire_phrase",
        retire_phrase,
        ("POST",),
        needs=_REVIEW,
    ),
    Page(
        "/safeguarding/{kind_key}/replies",
        "safeguarding_edit_reply",
        edit_reply,
        ("POST",),
        needs=Ability.EDIT_SAFEGUARDING_TEXTS,
    ),
)
