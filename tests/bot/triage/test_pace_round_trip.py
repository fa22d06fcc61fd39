"""Tests of the new user's pace requests of round 3 as Pat and her catalyst Abby notice them:
"I'll be away next week" pauses until the Monday after it, "ring me tomorrow at 9am" asks Abby
to ring tomorrow in Pat's own words, and "after 6pm" while a check-in waits brings the question
back at six. The clock is set to a named date (the world of test_pace_chat.py)."""

from __future__ import annotations

from datetime import timedelta

from tests.bot.test_pace_chat import DEC_1_10AM, Opener, world

__all__ = ["world"]  # the fixture, shared with test_pace_chat.py


async def test_away_next_week_pauses_until_the_monday_after_it(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    w.clock.moment = DEC_1_10AM  # Tuesday 1 December: next week is 7 to 13 December
    [reply] = await w.said(w.pat, "I'll be away next week")
    assert "until Monday 14 December" in reply
    resident = await w.resident(w.pat)
    assert resident.status == "paused"
    assert resident.paused_until is not None and resident.paused_until.startswith("2026-12-14")


async def test_ring_me_tomorrow_at_9am_asks_abby_to_ring_then_in_pats_words(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    [reply] = await w.said(w.pat, "ring me tomorrow at 9am")
    assert reply.startswith("Of course, Pat. I've asked Abby to ring you.")
    [alert] = await w.alerts_about(w.pat)
    assert alert.summary.startswith("Pat would like a call (tomorrow at about 9am).")
    assert "ring me tomorrow at 9am" in alert.summary


async def test_after_6pm_while_a_check_in_waits_asks_again_at_six(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    [reply] = await w.said(w.pat, "after 6pm")
    assert "6pm" in reply
    before = len(await w.texts_to(w.pat))
    await w.at(DEC_1_10AM + timedelta(hours=7, minutes=59))
    assert len(await w.texts_to(w.pat)) == before
    await w.at(DEC_1_10AM + timedelta(hours=8, minutes=1))
    assert len(await w.texts_to(w.pat)) == before + 1
