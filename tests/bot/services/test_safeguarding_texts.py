"""Tests of the safeguarding texts service: staff add and retire phrases (checked, tried on an
example, audited), admins edit the fixed replies (checked), and the running pipeline's
detector and replies follow every change, rebuilt only when something changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.errors import Invalid, NotFound
from bot.services.safeguarding_texts import (
    PhraseRefused,
    SafeguardingTexts,
    detector_for,
    reply_for,
    reply_problems,
)
from bot.settings import Settings
from bot.triage.safeguarding import RiskKind, builtin_replies
from tests.bot.conftest import MovableClock

SAM = Viewer(2, "sam", "Sam Staff", "staff", None)
ADA = Viewer(1, "ada", "Ada Admin", "admin", None)
ABBY = Viewer(3, "abby", "Abby Clarke", "catalyst", 1)

# "I'd like to blow out my candle now": one resident's own way of wishing her life over, in
# Polish. The files cannot know it (the test checks that first); staff who hear it add it.
POLISH = "Chciałabym już zgasić swoją świeczkę."
POLISH_PHRASE = "(chcę|chciałabym|chciałbym) już zgasić (swoją|moją) świeczkę"


@pytest.fixture
def texts(services: Runtime, clock: MovableClock) -> SafeguardingTexts:
    return SafeguardingTexts(services.db, clock, ("en", "pl"))


async def _add_polish(texts: SafeguardingTexts, **changes: object) -> None:
    fields: dict[str, object] = {
        "kind": "suicide",
        "language": "pl",
        "pattern": POLISH_PHRASE,
        "urgency": "now",
        "everyday": False,
        "note": "A resident's own words for wishing her life over, heard by her catalyst.",
        "example": POLISH,
        **changes,
    }
    await texts.add_phrase(SAM, **fields)  # type: ignore[arg-type]


async def _risks(services: Runtime, text: str) -> list[tuple[str, str, bool]]:
    async with services.db.read() as conn:
        detector = await detector_for(conn, ("en", "pl"))
    return [(m.kind.value, m.language, m.urgent) for m in detector.find_risks(text)]


async def test_staff_add_a_polish_phrase_with_a_note_and_it_is_caught_from_then_on(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    assert await _risks(services, POLISH) == []

    added, found = await texts.add_phrase(
        SAM,
        kind="suicide",
        language="pl",
        pattern=POLISH_PHRASE,
        urgency="now",
        everyday=False,
        note="A resident's own words for wishing her life over.",
        example=POLISH,
    )

    assert [(f.kind, f.language, f.urgent) for f in found] == [("suicide", "pl", True)]
    assert await _risks(services, POLISH) == [("suicide", "pl", True)]
    assert await _risks(services, "chce juz zgasic moja swieczke") == [("suicide", "pl", True)]
    book = await texts.kind_book("suicide")
    (mine,) = [p for p in book.phrases["pl"] if not p.from_file]
    assert mine.note == "A resident's own words for wishing her life over."
    assert mine.origin == f"admin:{added.id}"
    assert mine.added_by == "staff:sam"
    overview = {kind.kind: kind for kind in await texts.overview()}
    assert overview["suicide"].phrases["pl"] >= 1


async def test_adding_a_phrase_is_audited_in_its_own_words(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    await _add_polish(texts)
    (entry,) = await services.services.audit.entries(subject="safeguarding:suicide")
    assert (entry.actor, entry.action) == ("staff:sam", "added a safeguarding phrase")
    assert entry.detail["language"] == "pl"
    assert entry.detail["pattern"] == POLISH_PHRASE


async def test_a_bad_pattern_is_explained_and_changes_nothing(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    async with services.db.read() as conn:
        before = await detector_for(conn, ("en", "pl"))
    with pytest.raises(PhraseRefused) as refused:
        await _add_polish(texts, pattern="(chcę|chciałabym już zgasić swoją świeczkę")
    assert refused.value.field == "pattern"
    assert refused.value.message  # the checker's own words, shown beside the field
    assert await services.services.audit.entries(subject="safeguarding:suicide") == []
    assert (await texts.kind_book("suicide")).phrases["pl"] == [
        p for p in (await texts.kind_book("suicide")).phrases["pl"] if p.from_file
    ]
    async with services.db.read() as conn:
        assert await detector_for(conn, ("en", "pl")) is before  # nothing changed to rebuild


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"note": "  "}, "note", "Write a note"),
        ({"kind": "gout"}, "kind", "Choose the kind"),
        ({"language": "fr"}, "language", "Choose one of the programme's languages"),
        ({"urgency": "whenever"}, "urgency", "how urgent"),
        ({"example": "Dzień dobry, wszystko w porządku."}, "example", "does not match"),
    ],
)
async def test_a_phrase_missing_what_it_needs_is_refused_with_the_reason(
    services: Runtime, texts: SafeguardingTexts, changes: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(PhraseRefused) as refused:
        await _add_polish(texts, **changes)
    assert refused.value.field == field
    assert words in refused.value.message
    assert await services.services.audit.entries(subject="safeguarding:suicide") == []


async def test_a_phrase_already_in_the_book_is_refused(texts: SafeguardingTexts) -> None:
    await _add_polish(texts)
    with pytest.raises(PhraseRefused) as refused:
        await _add_polish(texts, pattern=f"  {POLISH_PHRASE} ")
    assert "already has this phrase" in refused.value.message


async def test_a_retired_phrase_no_longer_raises_an_alert_and_stays_in_the_history(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    await _add_polish(texts)
    (mine,) = [p for p in (await texts.kind_book("suicide")).phrases["pl"] if not p.from_file]
    with pytest.raises(Invalid):
        await texts.retire_phrase(SAM, mine.id or 0, "")
    await texts.retire_phrase(SAM, mine.id or 0, "Too broad: caught birthday candles.")
    assert await _risks(services, POLISH) == []
    with pytest.raises(NotFound):
        await texts.retire_phrase(SAM, mine.id or 0, "again")
    history = [(c.what, c.by) for c in await texts.history()]
    assert history == [("retired a phrase", "staff:sam"), ("added a phrase", "staff:sam")]


async def test_an_everyday_look_alike_stops_its_kind_in_the_example(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    await _add_polish(texts)
    # "I want to blow out my candle on the cake now!": a birthday, not a risk.
    birthday = "Chcę już zgasić swoją świeczkę na torcie!"
    assert ("suicide", "pl", True) in await _risks(services, birthday)
    _, found = await texts.add_phrase(
        SAM,
        kind="suicide",
        language="pl",
        pattern="zgasić (swoją|moją) świeczkę na torcie",
        urgency="now",
        everyday=True,
        note="Birthday candles.",
        example=birthday,
    )
    assert all(f.kind != "suicide" for f in found)
    assert all(kind != "suicide" for kind, _, _ in await _risks(services, birthday))
    assert await _risks(services, POLISH) == [("suicide", "pl", True)]


async def test_staff_cannot_edit_a_reply_and_an_admin_can(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    text = "Had a fall? If you are hurt or can't get up, call 999. I'm not an emergency service. I'm telling the team now."  # noqa: E501
    with pytest.raises(Invalid):
        await texts.edit_reply(SAM, "fall", "en", text)
    with pytest.raises(Invalid):
        await texts.edit_reply(ABBY, "fall", "en", text)
    async with services.db.read() as conn:
        assert await reply_for(conn, RiskKind.FALL, "en") == builtin_replies()[RiskKind.FALL, "en"]

    saved = await texts.edit_reply(ADA, "fall", "en", text)

    assert (saved.source, saved.saved_by) == ("edited", "admin:ada")
    async with services.db.read() as conn:
        assert await reply_for(conn, RiskKind.FALL, "en") == text
    (entry,) = await services.services.audit.entries(subject="safeguarding:fall")
    assert (entry.actor, entry.action) == ("admin:ada", "changed a safeguarding reply")
    (fall,) = [k for k in await texts.overview() if k.kind == "fall"]
    assert fall.replies[0].text == text and fall.replies[0].source == "edited"


async def test_an_english_reply_of_two_segments_is_refused_with_the_reason(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    long = "If you have fallen and cannot get up, or you are hurt, please call 999 now. " * 3
    with pytest.raises(Invalid) as refused:
        await texts.edit_reply(ADA, "fall", "en", long)
    assert "An English reply must fit one SMS" in refused.value.message
    assert "2 segments" in refused.value.message
    async with services.db.read() as conn:
        assert await reply_for(conn, RiskKind.FALL, "en") == builtin_replies()[RiskKind.FALL, "en"]
    assert await services.services.audit.entries(subject="safeguarding:fall") == []


def test_a_reply_must_give_999_and_never_sound_like_an_emergency_service() -> None:
    assert reply_problems("en", "") == [
        "Write the reply: a resident at risk must always get an answer."
    ]
    (no_999,) = reply_problems("en", "Please ring NHS 111. I'm telling the team now.")
    assert "999" in no_999
    for claim in (
        "This is an emergency service. Call 999.",
        "Call 999. Help is on the way.",
        "I've called an ambulance. Call 999 too.",
    ):
        (problem,) = reply_problems("en", claim)
        assert "emergency help itself" in problem, claim
    assert reply_problems("en", "This is not an emergency service: call 999.") == []
    # A curly quote makes English UCS-2, and so a smaller SMS: said, with the fix.
    (curly,) = reply_problems("en", "Call 999 if you’re hurt.")
    assert "use ' for ’" in curly
    # Another language may take up to three segments.
    assert reply_problems("pl", "Zadzwoń pod 999. " * 6) == []


def test_every_reply_in_the_files_passes_the_checks_an_admin_edit_must() -> None:
    failing = {
        (kind.value, language): problems
        for (kind, language), text in builtin_replies().items()
        if (problems := reply_problems(language, text))
    }
    assert failing == {}


async def test_reply_for_an_unknown_language_falls_back_to_english(
    services: Runtime, texts: SafeguardingTexts
) -> None:
    async with services.db.read() as conn:
        english = builtin_replies()[RiskKind.STROKE, "en"]
        assert await reply_for(conn, RiskKind.STROKE, "xx") == english
    edited = "Face, arm or speech not right? Call 999 now. I'm not an emergency service."
    await texts.edit_reply(ADA, "stroke", "en", edited)
    async with services.db.read() as conn:
        assert await reply_for(conn, RiskKind.STROKE, "xx") == edited


async def test_the_detector_is_rebuilt_after_a_change_and_not_otherwise(
    services: Runtime, texts: SafeguardingTexts, demo: dict[str, int]
) -> None:
    async with services.db.read() as conn:
        first = await detector_for(conn, ("en", "pl"))
        statements: list[str] = []
        await conn.set_trace_callback(statements.append)
        try:
            assert await detector_for(conn, ("en", "pl")) is first
        finally:
            await conn.set_trace_callback(None)  # type: ignore[arg-type]
        # A message costs one small read of the version while nothing has changed.
        assert len(statements) == 1 and "safeguarding_texts_version" in statements[0]
    # Other work in the database is not a change to the texts.
    await services.services.notes.add(ADA, demo["Pat"], "Rang Pat, all well.")
    async with services.db.read() as conn:
        assert await detector_for(conn, ("en", "pl")) is first
    await _add_polish(texts)
    async with services.db.read() as conn:
        second = await detector_for(conn, ("en", "pl"))
        assert second is not first
        assert await detector_for(conn, ("en", "pl")) is second
    await texts.edit_reply(ADA, "fall", "en", "Hurt or can't get up? Call 999.")
    async with services.db.read() as conn:
        assert await detector_for(conn, ("en", "pl")) is not second


async def test_trying_a_message_saves_nothing(services: Runtime, texts: SafeguardingTexts) -> None:
    found = await texts.try_message("I've fallen and can't get up")
    assert [(f.kind, f.urgent) for f in found] == [("fall", True)]
    assert found[0].kind_words == "A fall, or cannot get up"
    assert await texts.history() == []
    assert await services.services.alerts.list_alerts() == []


def test_the_pages_use_the_programme_s_languages(tmp_path: Path, clock: MovableClock) -> None:
    settings = Settings.load(
        environ={
            "COMPANION_DATABASE": str(tmp_path / "companion.db"),
            "COMPANION_LANGUAGES": "en,pl",
        },
        env_file=None,
    )
    runtime = Runtime.build(settings, clock=clock)
    assert runtime.services.safeguarding_texts.languages == ("en", "pl")
