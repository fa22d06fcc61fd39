"""Tests of pace replies in the resident's own language, as Pat notices them in the chat when her
record says she reads Polish, Bengali or Urdu: the answer to "nie dzisiaj", "later" with its time
in her language, a pause until a date and the hello when it ends, a call, and the team named in
her language when she has no catalyst. Every clock is set to a named date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.schedules import RhythmRequest
from storage import people
from tests.bot.test_pace_chat import DEC_1_10AM, Opener, World, world

__all__ = ["world"]


async def _reads(w: World, language: str) -> None:
    async with w.services.db.write() as tx:
        await people.update_resident(tx, w.pat, language=language)


async def test_a_polish_resident_saying_nie_dzisiaj_gets_the_polish_reply(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "pl")
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "nie dzisiaj") == [
        "Dobrze, Pat. Zostawmy to na dzis. Prosze pisac w kazdej chwili."
    ]
    for hours in (2, 4, 8, 24):  # past every rung of the ladder: nothing escalates
        await w.at(DEC_1_10AM + timedelta(hours=hours))
    assert await w.alerts_about(w.pat) == []


async def test_a_polish_not_today_maybe_tomorrow_says_tomorrow_in_polish(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "pl")
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "nie dzisiaj, może jutro") == [
        "Dobrze, Pat. Zostawmy to na dzis. Zapytam ponownie jutro okolo 10:00."
    ]


async def test_a_bengali_resident_asking_for_later_gets_the_time_in_bengali(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "bn")
    await w.at(DEC_1_10AM)
    await w.at(DEC_1_10AM + timedelta(minutes=3))
    assert await w.said(w.pat, "পরে") == ["অবশ্যই, Pat। দুপুর 12:05 নাগাদ আবার জিজ্ঞেস করব।"]
    await w.at(datetime(2026, 12, 1, 12, 5, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_a_bengali_later_late_in_the_evening_is_tomorrow_morning_in_bengali(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "bn")
    evening = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    await w.services.services.schedules.set(
        w.pat, RhythmRequest(every="week", days=["TU"], at="19:00")
    )
    await w.at(evening)
    await w.at(evening + timedelta(minutes=30))
    assert await w.said(w.pat, "পরে") == ["আচ্ছা, Pat। দেরি হয়েছে, কাল সকাল 9:00 লিখব।"]


async def test_an_urdu_not_today_ask_me_on_friday_names_friday_in_urdu(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "ur")
    await w.at(DEC_1_10AM)
    [reply] = await w.said(w.pat, "آج نہیں، جمعہ کو")
    assert reply == "اچھا، Pat۔ جمعہ کو صبح 10:00 پھر پوچھیں گے۔"


async def test_a_polish_pause_until_a_date_and_the_polish_hello_when_it_ends(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "pl")
    assert await w.said(w.pat, "proszę o przerwę do 14 grudnia") == [
        "Dobrze, Pat. Wstrzymuje nasze rozmowy do 14 grudnia; Abby sie dowie. "
        "Jesli wczesniej, prosze napisac JESTEM Z POWROTEM."
    ]
    await w.at(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    # Rhythms are described in English only: the hello names the next check-in instead.
    assert (await w.texts_to(w.pat))[-1] == (
        "Witamy z powrotem, Pat. Tu Abby. Odezwe sie jak zwykle, nastepnym razem 15 grudnia "
        "o 10:00."
    )
    assert (await w.resident(w.pat)).status == "active"


async def test_a_polish_resident_back_early_is_welcomed_in_polish(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "pl")
    await w.said(w.pat, "proszę o przerwę do 14 grudnia")
    # It is still the week before (Tuesday 24 November): her next check-in is on the 1st.
    assert await w.said(w.pat, "jestem z powrotem") == [
        "Witamy z powrotem, Pat. Tu Abby. Odezwe sie jak zwykle, nastepnym razem 1 grudnia o 10:00."
    ]


async def test_a_polish_call_names_the_catalyst_and_the_next_working_day(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "pl")
    assert await w.said(w.pat, "zadzwońcie do mnie") == [
        "Oczywiscie, Pat. Abby zadzwoni najpozniej do konca nastepnego dnia roboczego."
    ]
    [alert] = await w.alerts_about(w.pat)
    assert alert.kind == "call"  # the catalyst's alert stays in English


async def test_a_polish_resident_with_no_catalyst_hears_of_the_team_in_polish(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "pl")
    async with w.services.db.write() as tx:
        await people.update_resident(tx, w.pat, catalyst_id=None)
    [reply] = await w.said(w.pat, "proszę o przerwę")
    assert reply.startswith("Dobrze, Pat. Wstrzymuje nasze rozmowy; zespol Companion sie dowie.")


async def test_a_resident_whose_language_has_no_replies_is_answered_in_english(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    await _reads(w, "de")
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "not today thanks") == [
        "That's fine, Pat. We'll leave it for today. Message me any time."
    ]
