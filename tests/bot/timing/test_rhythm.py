"""Tests for bot.timing.rhythm: check-in rhythms stepped in the resident's own wall time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.timing.rhythm import (
    Rhythm,
    RhythmError,
    describe,
    next_due,
    parse_rule,
    rhythm_from_words,
    wall_to_utc,
)

LDN, NYC = "Europe/London", "America/New_York"
LONDON, NEW_YORK = ZoneInfo(LDN), ZoneInfo(NYC)
NEW_YEAR = datetime(2026, 1, 1, tzinfo=LONDON)  # a Thursday
TUESDAYS = "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;BYHOUR=10;BYMINUTE=0"
FORTNIGHTLY = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;BYHOUR=14;BYMINUTE=0"
DAILY_0930 = "FREQ=DAILY;INTERVAL=1;BYHOUR=9;BYMINUTE=30"
DAILY_0130 = "FREQ=DAILY;INTERVAL=1;BYHOUR=1;BYMINUTE=30"
FIRST_OF_MONTH = "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1;BYHOUR=10;BYMINUTE=0"
FIRST_MONDAY = "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10;BYMINUTE=0"
NOT_A_ZONE = "is not a time zone Companion knows. Use a name such as Europe/London."
NEVER = "never happens: no day matches all of its parts together."
BAD_UNTIL = "is not right: write a date (20261124) or a UTC time ending in Z (20261124T100000Z)."
NOT_A_PART = (
    "is not a part of a rule Companion knows. The parts are FREQ, INTERVAL, BYMONTH, BYWEEKNO, "
    "BYYEARDAY, BYMONTHDAY, BYDAY, BYHOUR, BYMINUTE, BYSECOND, BYSETPOS, WKST, COUNT, UNTIL."
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(text: str, zone: str = LDN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


# The rhythms the table below steps through: rule, zone, starts_at on the resident's wall clock.
RHYTHMS = {
    "Tuesdays": (TUESDAYS, LDN, "2026-01-01"),
    "Tuesdays since 2019": (TUESDAYS, LDN, "2019-01-01"),
    "Tuesdays from June": (TUESDAYS, LDN, "2026-06-01"),
    "Tuesdays from 10:00:30 on Tue 6 Jan": (TUESDAYS, LDN, "2026-01-06T10:00:30"),
    "daily 09:30": (DAILY_0930, LDN, "2026-01-01"),
    "daily 01:30": (DAILY_0130, LDN, "2026-01-01"),
    "fortnightly Mon+Thu": (FORTNIGHTLY, LDN, "2026-01-05"),
    "fortnightly Tue since 2019": (TUESDAYS.replace("INTERVAL=1", "INTERVAL=2"), LDN, "2019-01-01"),
    "1st of the month": (FIRST_OF_MONTH, LDN, "2026-01-01"),
    "first Monday": (FIRST_MONDAY, LDN, "2026-01-01"),
    "New York Tuesdays": (TUESDAYS, NYC, "2026-01-01"),
    "New York daily 02:30": ("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", NYC, "2026-01-01"),
    "3 Tuesdays": (TUESDAYS + ";COUNT=3", LDN, "2026-01-01"),
    "Tuesdays until 20 Jan": (TUESDAYS + ";UNTIL=20260120", LDN, "2026-01-01"),
    "Tuesdays until 09:59:59Z 20 Jan": (TUESDAYS + ";UNTIL=20260120T095959Z", LDN, "2026-01-01"),
}
NEXT_DUE = [
    ("Tuesdays", "2026-03-23T12:00Z", "2026-03-24T10:00Z"),  # GMT
    ("Tuesdays", "2026-03-24T10:00Z", "2026-03-31T09:00Z"),  # on a slot: the next, in BST
    ("Tuesdays", "2026-10-20T09:00Z", "2026-10-27T10:00Z"),  # on a slot: the next, in GMT
    ("Tuesdays", "2026-11-20T00:00Z", "2026-11-24T10:00Z"),
    ("Tuesdays", "2026-11-24T05:00-05:00", "2026-12-01T10:00Z"),  # on a slot, in New York time
    ("Tuesdays since 2019", "2026-11-20T00:00Z", "2026-11-24T10:00Z"),
    ("Tuesdays from June", "2026-01-01T00:00Z", "2026-06-02T09:00Z"),
    ("Tuesdays from 10:00:30 on Tue 6 Jan", "2026-01-01T00:00Z", "2026-01-13T10:00Z"),
    ("daily 09:30", "2026-03-28T09:30Z", "2026-03-29T08:30Z"),  # into BST
    ("daily 09:30", "2026-10-24T08:30Z", "2026-10-25T09:30Z"),  # into GMT
    # 01:30 on 29 March never shows in London: the slot fires as the clocks jump to 02:00 BST.
    ("daily 01:30", "2026-03-28T12:00Z", "2026-03-29T01:00Z"),
    ("daily 01:30", "2026-03-29T01:00Z", "2026-03-30T00:30Z"),
    # 01:30 on 25 October shows twice: the slot fires at the first (BST), and only then.
    ("daily 01:30", "2026-10-24T12:00Z", "2026-10-25T00:30Z"),
    ("daily 01:30", "2026-10-25T00:30Z", "2026-10-26T01:30Z"),
    ("daily 01:30", "2026-10-25T01:00Z", "2026-10-26T01:30Z"),
    ("fortnightly Mon+Thu", "2026-01-09T00:00Z", "2026-01-19T14:00Z"),  # skips the off week
    ("fortnightly Mon+Thu", "2026-01-19T14:00Z", "2026-01-22T14:00Z"),
    ("fortnightly Mon+Thu", "2026-03-20T00:00Z", "2026-03-30T13:00Z"),  # into BST
    ("fortnightly Tue since 2019", "2026-11-24T10:00Z", "2026-12-08T10:00Z"),  # keeps its phase
    ("1st of the month", "2026-03-15T00:00Z", "2026-04-01T09:00Z"),
    ("1st of the month", "2026-12-01T10:00Z", "2027-01-01T10:00Z"),
    ("first Monday", "2026-03-01T00:00Z", "2026-03-02T10:00Z"),
    ("first Monday", "2026-03-03T00:00Z", "2026-04-06T09:00Z"),
    ("New York Tuesdays", "2026-03-04T00:00Z", "2026-03-10T14:00Z"),  # EDT from 8 March
    ("New York Tuesdays", "2026-10-28T00:00Z", "2026-11-03T15:00Z"),  # EST from 1 November
    ("New York daily 02:30", "2026-03-07T12:00Z", "2026-03-08T07:00Z"),  # skipped: 03:00 EDT
    ("3 Tuesdays", "2026-01-13T10:00Z", "2026-01-20T10:00Z"),
    ("3 Tuesdays", "2026-01-20T10:00Z", None),
    ("Tuesdays until 20 Jan", "2026-01-13T10:00Z", "2026-01-20T10:00Z"),
    ("Tuesdays until 20 Jan", "2026-01-20T10:00Z", None),
    ("Tuesdays until 09:59:59Z 20 Jan", "2026-01-13T10:00Z", None),
]


@pytest.mark.parametrize(
    ("name", "after", "expected"), NEXT_DUE, ids=[f"{row[0]}, after {row[1]}" for row in NEXT_DUE]
)
def test_next_due_is_the_first_slot_strictly_after_in_utc(
    name: str, after: str, expected: str | None
) -> None:
    rule, zone, starts_at = RHYTHMS[name]
    due = next_due(Rhythm(rule, zone, local(starts_at, zone)), datetime.fromisoformat(after))
    assert due == (expected and datetime.fromisoformat(expected))
    assert due is None or due.tzinfo is UTC


@pytest.mark.parametrize(
    ("wall", "fold", "expected"),
    [
        ("2026-03-29T00:59", 0, "2026-03-29T00:59Z"),
        ("2026-03-29T01:00", 0, "2026-03-29T01:00Z"),
        ("2026-03-29T01:30", 0, "2026-03-29T01:00Z"),
        ("2026-03-29T01:59:59", 1, "2026-03-29T01:00Z"),
        ("2026-03-29T02:00", 0, "2026-03-29T01:00Z"),
        ("2026-10-25T01:30", 0, "2026-10-25T00:30Z"),
        ("2026-10-25T01:30", 1, "2026-10-25T01:30Z"),
        ("2026-07-01T10:00", 1, "2026-07-01T09:00Z"),
    ],
)
def test_wall_to_utc_moves_a_skipped_time_to_the_jump_and_reads_a_doubled_one_by_fold(
    wall: str, fold: int, expected: str
) -> None:
    due = wall_to_utc(datetime.fromisoformat(wall), LONDON, fold=fold)
    assert due == datetime.fromisoformat(expected)


def test_a_rhythm_normalises_its_rule_and_keeps_starts_at_in_the_residents_zone() -> None:
    rhythm = Rhythm("RRULE:freq=weekly;byday=tu", LDN, utc(2026, 6, 30, 23, 30))
    assert rhythm.rule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU"
    assert rhythm.starts_at == utc(2026, 6, 30, 23, 30)
    assert rhythm.starts_at.tzinfo == LONDON
    assert rhythm == Rhythm(rhythm.rule, LDN, local("2026-07-01T00:30"))


@pytest.mark.parametrize(
    ("zone", "starts_at", "message"),
    [
        ("Mars/Olympus", NEW_YEAR, f"'Mars/Olympus' {NOT_A_ZONE}"),
        ("Europe", NEW_YEAR, f"'Europe' {NOT_A_ZONE}"),
        ("", NEW_YEAR, f"'' {NOT_A_ZONE}"),
        (
            LDN,
            datetime(2026, 1, 1),
            "starts_at must say its time zone; 2026-01-01T00:00:00 does not.",
        ),
    ],
)
def test_a_rhythm_refuses_an_unknown_zone_or_a_naive_start(
    zone: str, starts_at: datetime, message: str
) -> None:
    with pytest.raises(RhythmError) as caught:
        Rhythm(TUESDAYS, zone, starts_at)
    assert str(caught.value) == message


def test_next_due_refuses_a_naive_after() -> None:
    with pytest.raises(RhythmError, match=r"^after must say its time zone"):
        next_due(Rhythm(TUESDAYS, LDN, NEW_YEAR), datetime(2026, 3, 1))


# (every, days, at, interval, starts_at on the resident's wall clock, rule, description)
WORDS = [
    ("week", ["tuesday"], "10:00", 1, "2026-01-01", TUESDAYS, "Every Tuesday at 10am"),
    (
        "week",
        ["Thu", "mon"],
        "2pm",
        2,
        "2026-01-01",
        FORTNIGHTLY,
        "Every 2 weeks on Monday and Thursday at 2pm",
    ),
    (
        "fortnight",
        ["mon", "thurs"],
        "2:00 P.M.",
        1,
        "2026-01-01",
        FORTNIGHTLY,
        "Every 2 weeks on Monday and Thursday at 2pm",
    ),
    (
        "fortnight",
        ["wed"],
        "10am",
        3,
        "2026-01-01",
        "FREQ=WEEKLY;INTERVAL=6;BYDAY=WE;BYHOUR=10;BYMINUTE=0",
        "Every 6 weeks on Wednesday at 10am",
    ),
    (
        "week",
        ["mo", "Friday", "we", "fri"],
        "10.30am",
        1,
        "2026-01-01",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;BYHOUR=10;BYMINUTE=30",
        "Every Monday, Wednesday and Friday at 10:30am",
    ),
    (
        "week",
        ["Tuesdays", "weds"],
        "noon",
        1,
        "2026-01-01",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,WE;BYHOUR=12;BYMINUTE=0",
        "Every Tuesday and Wednesday at midday",
    ),
    (
        "week",
        None,
        "12pm",
        1,
        "2026-01-01",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;BYHOUR=12;BYMINUTE=0",
        "Every Thursday at midday",
    ),
    (
        "week",
        None,
        "9",
        1,
        "2026-07-01T00:30",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;BYHOUR=9;BYMINUTE=0",
        "Every Wednesday at 9am",
    ),
    ("day", None, "9:30am", 1, "2026-01-01", DAILY_0930, "Every day at 9:30am"),
    (
        " Day ",
        [],
        "21:15",
        3,
        "2026-01-01",
        "FREQ=DAILY;INTERVAL=3;BYHOUR=21;BYMINUTE=15",
        "Every 3 days at 9:15pm",
    ),
    ("month", None, "10am", 1, "2026-01-01", FIRST_OF_MONTH, "Every month on the 1st at 10am"),
    (
        "MONTH",
        None,
        "12am",
        3,
        "2026-01-22",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=22;BYHOUR=0;BYMINUTE=0",
        "Every 3 months on the 22nd at midnight",
    ),
    (
        "month",
        None,
        "10am",
        1,
        "2026-01-30",
        "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYHOUR=10;BYMINUTE=0;BYSETPOS=-1",
        "Every month on the 30th (or the last day of a shorter month) at 10am",
    ),
    (
        "month",
        None,
        "10am",
        1,
        "2026-01-31",
        "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1;BYHOUR=10;BYMINUTE=0",
        "Every month on the last day at 10am",
    ),
]


@pytest.mark.parametrize(("every", "days", "at", "interval", "starts_at", "rule", "words"), WORDS)
def test_rhythm_from_words_writes_the_rule_staff_mean(
    every: str,
    days: list[str] | None,
    at: str,
    interval: int,
    starts_at: str,
    rule: str,
    words: str,
) -> None:
    rhythm = rhythm_from_words(every, days, at, LDN, local(starts_at).astimezone(UTC), interval)
    assert rhythm == Rhythm(rule, LDN, local(starts_at))
    assert describe(rhythm) == words


def test_a_monthly_rhythm_on_the_30th_falls_on_the_last_day_of_february() -> None:
    rhythm = rhythm_from_words("month", None, "10am", LDN, local("2026-01-30"))
    assert next_due(rhythm, utc(2026, 1, 31)) == utc(2026, 2, 28, 10)
    assert next_due(rhythm, utc(2026, 2, 28, 10)) == utc(2026, 3, 30, 9)


@pytest.mark.parametrize(
    ("every", "days", "interval", "message"),
    [
        (
            "yearly",
            None,
            1,
            "'yearly' is not a rhythm Companion knows. Choose day, week, fortnight or month.",
        ),
        ("week", None, 0, "Every 0 weeks is not allowed: choose from 1 to 12."),
        ("fortnight", None, 13, "Every 13 fortnights is not allowed: choose from 1 to 12."),
        (
            "week",
            ["funday"],
            1,
            "'funday' is not a day of the week. Write a day such as Tuesday or Tue.",
        ),
        ("week", ["t"], 1, "'t' is not a day of the week. Write a day such as Tuesday or Tue."),
        (
            "day",
            ["tu"],
            1,
            "Every day already means every day of the week; to choose days, use every week.",
        ),
        (
            "month",
            ["tu"],
            1,
            "A monthly check-in is on a date (the day of the month it starts on), "
            "so leave the days out.",
        ),
    ],
)
def test_rhythm_from_words_refuses_a_rhythm_or_day_it_cannot_use(
    every: str, days: list[str] | None, interval: int, message: str
) -> None:
    with pytest.raises(RhythmError) as caught:
        rhythm_from_words(every, days, "10am", LDN, NEW_YEAR, interval)
    assert str(caught.value) == message


@pytest.mark.parametrize("at", ["25:00", "13pm", "0am", "10:60", "10:5", "ten", "", "١٠:٠٠"])
def test_rhythm_from_words_refuses_a_time_it_cannot_read(at: str) -> None:
    with pytest.raises(RhythmError) as caught:
        rhythm_from_words("week", ["tu"], at, LDN, NEW_YEAR)
    assert str(caught.value) == f"{at!r} is not a time of day. Write it like 10:00, 10am or 2:30pm."


def test_rhythm_from_words_refuses_an_unknown_zone_and_a_naive_start() -> None:
    with pytest.raises(RhythmError) as caught:
        rhythm_from_words("week", ["tu"], "10am", "London", NEW_YEAR)
    assert str(caught.value) == f"'London' {NOT_A_ZONE}"
    with pytest.raises(RhythmError) as caught:
        rhythm_from_words("week", ["tu"], "10am", LDN, datetime(2026, 1, 1))
    assert str(caught.value) == "starts_at must say its time zone; 2026-01-01T00:00:00 does not."


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0", TUESDAYS),
        (
            "RRULE:freq=weekly;byminute=0;byhour=10;byday=th,tu;",
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=0",
        ),
        (
            " rrule: FREQ = MONTHLY ; BYDAY = +1MO,-1FR ; COUNT = 6 ",
            "FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO,-1FR;COUNT=6",
        ),
        ("FREQ=DAILY;UNTIL=20261124T100000Z", "FREQ=DAILY;INTERVAL=1;UNTIL=20261124T100000Z"),
        (
            "FREQ=YEARLY;WKST=SU;BYMONTHDAY=3,1,3;BYMONTH=3",
            "FREQ=YEARLY;INTERVAL=1;BYMONTH=3;BYMONTHDAY=1,3;WKST=SU",
        ),
        (
            "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
            "FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        ),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=29"),
        ("FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=1"),
    ],
)
def test_parse_rule_writes_an_accepted_rule_in_one_canonical_form(
    written: str, normal: str
) -> None:
    assert parse_rule(written) == normal
    assert parse_rule(normal) == normal


ONE_TO_31 = (
    "is not right: each value must be a whole number from 1 to 31, "
    "or -31 to -1 counting back from the end."
)
ONCE_A_DAY = "would check in more than once a day; check-ins are at most daily"
RULE_ERRORS = [
    ("", "The rule is empty. Write it like FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0."),
    ("RRULE:", "The rule is empty. Write it like FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0."),
    (
        "BYDAY=TU",
        "The rule 'BYDAY=TU' has no FREQ. Start it with FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.",
    ),
    ("FREQ=HOURLY", f"FREQ=HOURLY {ONCE_A_DAY}, so use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."),
    (
        "FREQ=MINUTELY;INTERVAL=1440",
        f"FREQ=MINUTELY {ONCE_A_DAY}, so use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.",
    ),
    (
        "FREQ=FORTNIGHTLY",
        "FREQ=FORTNIGHTLY is not a frequency. Use DAILY, WEEKLY, MONTHLY or YEARLY.",
    ),
    ("FREQ=DAILY;BYHOUR=9,17", f"BYHOUR=9,17 {ONCE_A_DAY}, so give one hour."),
    ("FREQ=DAILY;BYMINUTE=0,30", f"BYMINUTE=0,30 {ONCE_A_DAY}, so give one minute."),
    ("FREQ=DAILY;FOO=1", f"'FOO' {NOT_A_PART}"),
    ("FREQ=DAILY;BYEASTER=0", f"'BYEASTER' {NOT_A_PART}"),
    ("FREQ=DAILY;BYHOUR", "'BYHOUR' in the rule is not written as NAME=VALUE."),
    ("FREQ=DAILY;BYHOUR=", "'BYHOUR=' in the rule is not written as NAME=VALUE."),
    ("FREQ=DAILY;FREQ=WEEKLY", "FREQ appears twice in the rule; give it once."),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0 is not right: it must be a whole number from 1 to 366."),
    (
        "FREQ=DAILY;INTERVAL=2,3",
        "INTERVAL=2,3 is not right: it must be a whole number from 1 to 366.",
    ),
    ("FREQ=DAILY;COUNT=1001", "COUNT=1001 is not right: it must be a whole number from 1 to 1000."),
    (
        "FREQ=DAILY;BYHOUR=24",
        "BYHOUR=24 is not right: each value must be a whole number from 0 to 23.",
    ),
    (
        "FREQ=DAILY;BYHOUR=٩",
        "BYHOUR=٩ is not right: each value must be a whole number from 0 to 23.",
    ),
    (
        "FREQ=MONTHLY;BYMONTHDAY=0",
        f"BYMONTHDAY=0 {ONE_TO_31}",
    ),
    (
        "FREQ=MONTHLY;BYMONTHDAY=1,,2",
        f"BYMONTHDAY=1,,2 {ONE_TO_31}",
    ),
    (
        "FREQ=WEEKLY;BYDAY=XX",
        "BYDAY=XX is not right: write days like MO or TU, or 1MO (the first Monday).",
    ),
    ("FREQ=MONTHLY;BYDAY=0MO", "BYDAY=0MO is not right: there is no 0th MO."),
    ("FREQ=WEEKLY;WKST=1MO", "WKST=1MO is not right: write days like MO."),
    (
        "FREQ=WEEKLY;BYDAY=TU,1MO",
        "BYDAY=TU,1MO counts weekdays within a month or year (1MO is the first Monday), "
        "so it needs FREQ=MONTHLY or FREQ=YEARLY.",
    ),
    ("FREQ=MONTHLY;BYDAY=6MO", "BYDAY=6MO is not right: a month has at most 5 of each weekday."),
    ("FREQ=YEARLY;BYDAY=54MO", "BYDAY=54MO is not right: a year has at most 53 of each weekday."),
    ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "BYDAY=1MO can't be numbered together with BYWEEKNO."),
    ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY can't be used with FREQ=WEEKLY; use FREQ=MONTHLY."),
    ("FREQ=MONTHLY;BYYEARDAY=100", "BYYEARDAY can only be used with FREQ=YEARLY."),
    ("FREQ=MONTHLY;BYWEEKNO=10", "BYWEEKNO can only be used with FREQ=YEARLY."),
    (
        "FREQ=DAILY;BYSETPOS=1",
        "BYSETPOS picks among the days the other BY parts give, so it needs one of them, "
        "such as BYDAY or BYMONTHDAY.",
    ),
    (
        "FREQ=DAILY;COUNT=3;UNTIL=20260101",
        "A rule ends either after COUNT check-ins or at UNTIL, not both.",
    ),
    ("FREQ=DAILY;UNTIL=2026", f"UNTIL=2026 {BAD_UNTIL}"),
    ("FREQ=DAILY;UNTIL=20260230", f"UNTIL=20260230 {BAD_UNTIL}"),
    ("FREQ=DAILY;UNTIL=20261124T100000", f"UNTIL=20261124T100000 {BAD_UNTIL}"),
    (
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
        f"The rule FREQ=MONTHLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=30 {NEVER}",
    ),
    (
        "FREQ=DAILY;BYMONTH=4,6,9,11;BYMONTHDAY=31",
        f"The rule FREQ=DAILY;INTERVAL=1;BYMONTH=4,6,9,11;BYMONTHDAY=31 {NEVER}",
    ),
    (
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
        f"The rule FREQ=MONTHLY;INTERVAL=1;BYDAY=MO;BYSETPOS=6 {NEVER}",
    ),
]


@pytest.mark.parametrize(("rule", "message"), RULE_ERRORS)
def test_parse_rule_says_in_plain_words_what_is_wrong(rule: str, message: str) -> None:
    with pytest.raises(RhythmError) as caught:
        parse_rule(rule)
    assert str(caught.value) == message


DESCRIPTIONS = [
    (TUESDAYS, "2026-01-01", "Every Tuesday at 10am"),
    ("FREQ=DAILY;BYHOUR=9;BYMINUTE=30", "2026-01-01", "Every day at 9:30am"),
    (FORTNIGHTLY, "2026-01-01", "Every 2 weeks on Monday and Thursday at 2pm"),
    (FIRST_OF_MONTH, "2026-01-01", "Every month on the 1st at 10am"),
    ("FREQ=WEEKLY", "2026-01-01T14:30", "Every Thursday at 2:30pm"),
    ("FREQ=MONTHLY", "2026-01-03T11:15", "Every month on the 3rd at 11:15am"),
    (
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=12;BYMINUTE=0",
        "2026-01-01",
        "Every Monday, Tuesday, Wednesday, Thursday and Friday at midday",
    ),
    ("FREQ=DAILY;BYHOUR=0;BYMINUTE=0", "2026-01-01", "Every day at midnight"),
    ("FREQ=DAILY;BYHOUR=0;BYMINUTE=5", "2026-01-01", "Every day at 12:05am"),
    ("FREQ=DAILY;BYHOUR=12;BYMINUTE=45", "2026-01-01", "Every day at 12:45pm"),
    (
        "FREQ=MONTHLY;BYDAY=1TU;BYHOUR=10;BYMINUTE=0",
        "2026-01-01",
        "Every month on the first Tuesday at 10am",
    ),
    (
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;BYHOUR=16;BYMINUTE=45",
        "2026-01-01",
        "Every 2 months on the last Friday at 4:45pm",
    ),
    (
        "FREQ=MONTHLY;BYMONTHDAY=-1,15,1,2,3,11,21,22,23;BYHOUR=10;BYMINUTE=0",
        "2026-01-01",
        "Every month on the 1st, the 2nd, the 3rd, the 11th, the 15th, the 21st, the 22nd, "
        "the 23rd and the last day at 10am",
    ),
    (
        "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3;BYHOUR=10;BYMINUTE=0",
        "2026-01-01",
        "Every year on 3 March at 10am",
    ),
    ("FREQ=YEARLY;INTERVAL=2", "2026-07-09T15:00", "Every 2 years on 9 July at 3pm"),
    (TUESDAYS + ";COUNT=6", "2026-01-01", "Every Tuesday at 10am, 6 times"),
    (TUESDAYS + ";COUNT=1", "2026-01-01", "Every Tuesday at 10am, once"),
    (TUESDAYS + ";UNTIL=20261124", "2026-01-01", "Every Tuesday at 10am, until 24 November 2026"),
    (
        TUESDAYS + ";UNTIL=20260630T233000Z",
        "2026-01-01",
        "Every Tuesday at 10am, until 1 July 2026",
    ),
    (
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;BYHOUR=10;BYMINUTE=0",
        "2026-01-01",
        "FREQ=YEARLY;INTERVAL=1;BYWEEKNO=20;BYDAY=MO;BYHOUR=10;BYMINUTE=0",
    ),
    (
        "FREQ=MONTHLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0",
        "2026-01-01",
        "FREQ=MONTHLY;INTERVAL=1;BYDAY=TU;BYHOUR=10;BYMINUTE=0",
    ),
    (
        "FREQ=DAILY;INTERVAL=2;BYDAY=MO;BYHOUR=10",
        "2026-01-01",
        "FREQ=DAILY;INTERVAL=2;BYDAY=MO;BYHOUR=10",
    ),
    (
        "FREQ=DAILY;BYHOUR=10;BYSECOND=30",
        "2026-01-01",
        "FREQ=DAILY;INTERVAL=1;BYHOUR=10;BYSECOND=30",
    ),
]


@pytest.mark.parametrize(("rule", "starts_at", "words"), DESCRIPTIONS)
def test_describe_puts_a_rhythm_in_plain_words_or_falls_back_to_the_rule(
    rule: str, starts_at: str, words: str
) -> None:
    assert describe(Rhythm(rule, LDN, local(starts_at))) == words


# -- properties -------------------------------------------------------------------------------

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ZONES = [LDN, NYC, "Australia/Sydney", "Asia/Kolkata", "UTC"]
afters = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))


def _is_a_clock_jump(moment: datetime, zone: ZoneInfo) -> bool:
    just_before = (moment - timedelta(seconds=1)).astimezone(zone)
    return just_before.utcoffset() != moment.astimezone(zone).utcoffset()


@given(
    zone_name=st.sampled_from(ZONES),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    interval=st.integers(1, 3),
    start=st.dates(date(2024, 1, 1), date(2026, 6, 30)),
    after=afters,
)
@settings(deadline=None)
def test_a_weekly_rhythm_lands_on_its_weekday_and_wall_time_after_after(
    zone_name: str,
    weekdays: set[int],
    hour: int,
    minute: int,
    interval: int,
    start: date,
    after: datetime,
) -> None:
    zone = ZoneInfo(zone_name)
    codes = ",".join(CODES[day] for day in sorted(weekdays))
    rule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={codes};BYHOUR={hour};BYMINUTE={minute}"
    rhythm = Rhythm(rule, zone_name, datetime.combine(start, time(), zone))
    due = next_due(rhythm, after)
    assert due is not None and due > after
    on_the_wall = due.astimezone(zone)
    assert on_the_wall.weekday() in weekdays
    assert on_the_wall.fold == 0  # a wall time shown twice fires at its first showing
    if (on_the_wall.hour, on_the_wall.minute) != (hour, minute):
        # Only a wall time the clocks skip moves, and then to the moment they jump.
        assert _is_a_clock_jump(due, zone)
        assert wall_to_utc(datetime.combine(on_the_wall.date(), time(hour, minute)), zone) == due
    following = next_due(rhythm, due)
    assert following is not None and following > due


@st.composite
def rules(draw: st.DrawFn) -> str:
    """Rules of every frequency, at daytime hours so no slot meets a London clock change."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 5))}"]
    if freq in ("DAILY", "WEEKLY") and draw(st.booleans()):
        parts.append("BYDAY=" + ",".join(draw(st.sets(st.sampled_from(CODES), min_size=1))))
    kind = draw(st.sampled_from(["start's day", "days of the month", "a weekday"]))
    if freq == "MONTHLY" and kind == "days of the month":
        days = draw(st.sets(st.sampled_from([1, 2, 15, 28, 29, 30, 31, -1, -2]), min_size=1))
        parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
    elif freq == "MONTHLY" and kind == "a weekday":
        parts.append(f"BYDAY={draw(st.sampled_from([1, 2, 4, -1]))}{draw(st.sampled_from(CODES))}")
    elif freq == "YEARLY" and kind != "start's day":
        parts.append(f"BYMONTH={draw(st.integers(1, 12))};BYMONTHDAY={draw(st.integers(1, 28))}")
    if draw(st.booleans()):
        parts.append(f"BYHOUR={draw(st.integers(9, 20))};BYMINUTE={draw(st.integers(0, 59))}")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"COUNT={draw(st.integers(1, 400))}")
    return ";".join(parts)


@given(
    rule=rules(),
    start_day=st.dates(date(2015, 1, 1), date(2025, 12, 31)),
    start_hour=st.integers(9, 20),
    start_minute=st.integers(0, 59),
    after=afters,
)
@settings(deadline=None)
def test_next_due_of_an_old_rhythm_matches_walking_every_slot_from_its_start(
    rule: str, start_day: date, start_hour: int, start_minute: int, after: datetime
) -> None:
    # next_due moves a long-running rhythm's start forward before asking dateutil; walking
    # every slot from the real start must give the same answer.
    start = datetime.combine(start_day, time(start_hour, start_minute))
    expected = None
    for slot in rrulestr(parse_rule(rule), dtstart=start):
        if slot.replace(tzinfo=LONDON) > after:
            expected = slot.replace(tzinfo=LONDON).astimezone(UTC)
            break
    assert next_due(Rhythm(rule, LDN, start.replace(tzinfo=LONDON)), after) == expected
