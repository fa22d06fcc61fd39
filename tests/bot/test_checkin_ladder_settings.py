"""Tests of the escalation ladder's words and settings: the programme's ladder and a resident's
own, read with clear errors, and when a first rung falls (quiet hours, clock changes)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.programme import Programme
from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.checkin_ladder import first_rung_at, ladder_for
from bot.settings import Settings, SettingsError
from bot.timing.ladder import LadderError, parse_ladder
from storage import alerts, people
from storage.records import Resident
from tests.bot.conftest import MovableClock
from tests.bot.helpers import sent_to

PAT = Resident(
    1,
    "Pat",
    "Patricia",
    "Patricia Fuller",
    "en",
    "Europe/London",
    "20:00",
    "09:00",
    None,
    "",
    "active",
    None,
)

SAM = Viewer(1, "sam", "Sam Staff", "staff", None)


def test_the_default_ladder_reads_back_in_the_same_words() -> None:
    ladder = parse_ladder("2h reminder, 2h other channel, 4h missed")
    assert str(ladder) == "2h reminder, 2h other channel, 4h missed"
    assert [(s.wait, s.rung) for s in ladder.steps] == [
        (timedelta(hours=2), "reminder"),
        (timedelta(hours=2), "other channel"),
        (timedelta(hours=4), "missed"),
    ]
    assert str(parse_ladder("  90 minutes Reminder,1d MISSED ")) == "1h 30m reminder, 1d missed"


@pytest.mark.parametrize(
    ("typed", "explained"),
    [
        ("", "The ladder is empty."),
        ("2h reminder", "The ladder must end with missed"),
        ("reminder, 4h missed", "Step 1 ('reminder') has no wait before reminder."),
        ("2h ring them, 4h missed", "Step 1 ('2h ring them') does not end with reminder"),
        ("2h reminder, 1h reminder, 4h missed", "Reminder is given twice"),
        ("4h missed, 2h reminder", "Missed must be the last step"),
        ("1d other channel, 1d 1h missed", "The ladder takes 2d 1h in all; at most 2d"),
        ("2 reminder, 4h missed", "Step 1 ('2 reminder'): '2' has no unit. Write 2m, 2h, 2d"),
    ],
)
def test_a_ladder_that_cannot_be_read_says_why(typed: str, explained: str) -> None:
    with pytest.raises(LadderError, match="^" + re.escape(explained)):
        parse_ladder(typed)


def test_the_programme_ladder_and_misses_come_from_the_settings() -> None:
    settings = Settings.load(
        environ={
            "COMPANION_CHECKIN_LADDER": "3h reminder,  5h missed",
            "COMPANION_MISSES_FOR_URGENT": "2",
        },
        env_file=None,
    )
    programme = Programme.from_settings(settings)
    assert (programme.checkin_ladder, programme.misses_for_urgent) == ("3h reminder, 5h missed", 2)
    defaults = Programme.from_settings(Settings.load(environ={}, env_file=None))
    assert defaults.checkin_ladder == "2h reminder, 2h other channel, 4h missed"
    assert defaults.misses_for_urgent == 3


def test_a_bad_ladder_setting_stops_the_service_with_a_clear_error() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.load(environ={"COMPANION_CHECKIN_LADDER": "2h reminder"}, env_file=None)
    assert "COMPANION_CHECKIN_LADDER" in str(caught.value)
    assert "ending with missed" in str(caught.value)


def test_a_residents_own_ladder_comes_before_the_programmes() -> None:
    programme = Programme()
    assert str(ladder_for(PAT, programme)) == "2h reminder, 2h other channel, 4h missed"
    assert str(ladder_for(replace(PAT, ladder="1h missed"), programme)) == "1h missed"


def test_a_first_rung_in_quiet_hours_waits_for_them_to_end_across_the_clock_change() -> None:
    # Saturday 24 October 2026, 19:00 BST: two hours on is 21:00, in Pat's quiet hours. The
    # clocks go back that night, so 09:00 on Sunday is 09:00 UTC.
    started = datetime(2026, 10, 24, 18, 0, tzinfo=UTC)
    assert first_rung_at(PAT, started, Programme()) == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    # At 10:00 BST the first rung is at noon BST, 11:00 UTC.
    morning = datetime(2026, 10, 24, 9, 0, tzinfo=UTC)
    assert first_rung_at(PAT, morning, Programme()) == datetime(2026, 10, 24, 11, 0, tzinfo=UTC)


async def test_pats_own_one_step_ladder_tells_abby_after_an_hour_with_no_reminder(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    async with services.db.write() as tx:
        await people.update_resident(tx, pat, quiet_start="20:00", quiet_end="09:00")
    await services.services.ladders.set(SAM, pat, "1h missed")
    await services.services.checkins.start_now(pat)
    await services.dispatcher.run_once()
    clock.advance(timedelta(minutes=59))
    assert await services.sweeps.climb_ladders() == 0
    clock.advance(timedelta(minutes=1))
    assert await services.sweeps.climb_ladders() == 1
    await services.dispatcher.run_once()
    assert len(await sent_to(services, pat)) == 1  # the question only: no reminder
    async with services.db.read() as conn:
        [alert] = [a for a in await alerts.list_alerts(conn) if a.kind == "missed"]
    assert alert.summary.startswith("Pat hasn't answered Tuesday's check-in.")
