"""Tests for pace words: not today, later, a pause, a call, less or more often, and resume."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.triage import risk_files
from bot.triage.pace import PaceKind, PaceRequest, pace_intent
from bot.triage.pace_files import known_languages, pace_language, read_pace_file
from bot.triage.risk_files import PhraseFileError
from flows.durations import parse_duration

NOT_TODAY = PaceKind.NOT_TODAY
LATER = PaceKind.LATER
PAUSE = PaceKind.PAUSE
LESS = PaceKind.LESS_OFTEN
MORE = PaceKind.MORE_OFTEN
RESUME = PaceKind.RESUME

REQUESTS: list[tuple[str, PaceRequest]] = [
    ("not today", PaceRequest(NOT_TODAY)), ("Not today.", PaceRequest(NOT_TODAY)),
    ("NOT TODAY THANKS", PaceRequest(NOT_TODAY)), ("no not today", PaceRequest(NOT_TODAY)),
    ("Not today, I'm tired", PaceRequest(NOT_TODAY)),
    ("not today im too tired", PaceRequest(NOT_TODAY)),
    ("Hi Abby, not today thanks x", PaceRequest(NOT_TODAY)),
    ("not up to it today", PaceRequest(NOT_TODAY)), ("skip today", PaceRequest(NOT_TODAY)),
    ("ask me tomorrow", PaceRequest(NOT_TODAY, "tomorrow")),
    ("tomorrow please", PaceRequest(NOT_TODAY, "tomorrow")),
    ("no more messages today", PaceRequest(NOT_TODAY)),
    ("not now", PaceRequest(LATER)), ("later", PaceRequest(LATER)),
    ("Later!", PaceRequest(LATER)), ("later please", PaceRequest(LATER)),
    ("ok later then", PaceRequest(LATER)), ("laaater", PaceRequest(LATER)),
    ("latre", PaceRequest(LATER)), ("another time", PaceRequest(LATER)),
    ("ask me later", PaceRequest(LATER)),
    ("ask me later, I'm at the hairdresser", PaceRequest(LATER)),
    ("maybe later", PaceRequest(LATER)), ("busy", PaceRequest(LATER)),
    ("I'm busy", PaceRequest(LATER)), ("bit busy today", PaceRequest(LATER)),
    ("can't talk now", PaceRequest(LATER)), ("give me an hour", PaceRequest(LATER, "1h")),
    ("Later, I'm going to bingo", PaceRequest(LATER)),
    ("pause", PaceRequest(PAUSE)), ("Pause please", PaceRequest(PAUSE)),
    ("pasue", PaceRequest(PAUSE)), ("pause the messages", PaceRequest(PAUSE)),
    ("pause until I'm home", PaceRequest(PAUSE, "I'm home")),
    ("Pause please, until Im home from hospital thanks x",
     PaceRequest(PAUSE, "Im home from hospital")),
    ("pause till after Christmas", PaceRequest(PAUSE, "after Christmas")),
    ("pause for two weeks", PaceRequest(PAUSE, "2w")),
    ("pause for 2 weeks", PaceRequest(PAUSE, "2w")), ("pause 2wks", PaceRequest(PAUSE, "2w")),
    ("pause for a week", PaceRequest(PAUSE, "1w")),
    ("pause for a few days", PaceRequest(PAUSE, "3d")),
    ("pause for a fortnight", PaceRequest(PAUSE, "2w")),
    ("pause for a month", PaceRequest(PAUSE, "30d")),
    ("hold off", PaceRequest(PAUSE)),
    ("hold off for a couple of weeks", PaceRequest(PAUSE, "2w")),
    ("not till monday", PaceRequest(PAUSE, "monday")),
    ("Not until Monday!", PaceRequest(PAUSE, "monday")),
    ("not till next week", PaceRequest(PAUSE, "next week")),
    ("pause, back on friday", PaceRequest(PAUSE, "friday")),
    ("I need a break", PaceRequest(PAUSE)), ("leave me alone", PaceRequest(PAUSE)),
    ("stop messages for a month", PaceRequest(PAUSE, "30d")),
    ("no more messages, I'm fed up", PaceRequest(PAUSE)),
    ("I'm away until Friday", PaceRequest(PAUSE, "friday")),
    ("on holiday", PaceRequest(PAUSE)),
    ("Not today, I'm at the hospital on Monday", PaceRequest(NOT_TODAY)),
    ("pause until I'm back from the box office x",
     PaceRequest(PAUSE, "I'm back from the box office")),
    ("that's too many", PaceRequest(LESS)), ("maybe another time", PaceRequest(LATER)),
    ("less often", PaceRequest(LESS)), ("less often please", PaceRequest(LESS)),
    ("not so often", PaceRequest(LESS)), ("fewer messages", PaceRequest(LESS)),
    ("too many messages", PaceRequest(LESS)), ("too many texts!", PaceRequest(LESS)),
    ("you send too many", PaceRequest(LESS)), ("could you message me less", PaceRequest(LESS)),
    ("less offten", PaceRequest(LESS)),
    ("more often", PaceRequest(MORE)), ("more messages please", PaceRequest(MORE)),
    ("can you text me more", PaceRequest(MORE)),
    ("resume", PaceRequest(RESUME)), ("start again", PaceRequest(RESUME)),
    ("I'm back", PaceRequest(RESUME)), ("I'm home now", PaceRequest(RESUME)),
    # "I'm home" may answer "are you home yet?"; from a resident who is not paused, the
    # pipeline should pass a RESUME on to the waiting session (see PaceKind.RESUME).
    ("I'm home", PaceRequest(RESUME)),
    ("im back home", PaceRequest(RESUME)), ("you can message me again", PaceRequest(RESUME)),
    ("unpause", PaceRequest(RESUME)), ("carry on", PaceRequest(RESUME)),
]  # fmt: skip

# Answers and news that share a word with a pace request. Routing them as pace would swallow
# the answer a session is waiting for.
NOT_PACE = [
    "1", "2", "yes", "no", "fine thanks", "not too bad", "not really", "ok",
    # "later" starts a sentence of news, and is not the whole clause.
    "later today I'm going to bingo", "I'm going to bingo later", "see you later at bingo",
    # A strong phrase further into a clause is part of something else.
    "its not today, its thursday", "bingo is not today", "is the choir not today?",
    "I'm busy with my jigsaw", "home", "back", "I go out less often now",
    "pausing for breath", "the start again group", "my daughter is home now",
    "I had a lovely break at the seaside", "start", "stop", "the latter", "alter it", "", "  ",
    "?!", "x",
    # "no" before a request for more or a resume is not asking for more.
    "nah more often is too much", "no calls, just texts", "too much going on",
    "bad time at the hospital", "another time I went to bingo", "I need a rest",
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), REQUESTS)
def test_a_pace_request_is_understood_with_when_it_ends(text: str, expected: PaceRequest) -> None:
    assert _kind_and_until(pace_intent(text)) == _kind_and_until(expected)


def _kind_and_until(found: PaceRequest | None) -> tuple[PaceKind, str | None] | None:
    """What the pace stage acts on; the resident's own words are tested on their own."""
    return None if found is None else (found.kind, found.until)


@pytest.mark.parametrize("text", NOT_PACE)
def test_answers_and_news_sharing_a_pace_word_are_not_pace_requests(text: str) -> None:
    assert pace_intent(text) is None


@pytest.mark.parametrize(
    "text", ["pause for two weeks", "pause for a month", "pause for 3 days", "pause 48 hours"]
)
def test_a_duration_is_written_so_the_engine_can_read_it_back(text: str) -> None:
    found = pace_intent(text)
    assert found is not None and found.until is not None
    assert parse_duration(found.until).total_seconds() > 0


@pytest.mark.parametrize(
    "text", ["less often until Christmas", "more often for two weeks", "resume until monday"]
)
def test_only_requests_that_stop_messages_carry_an_until(text: str) -> None:
    found = pace_intent(text)
    assert found is not None and found.until is None


def test_the_first_request_in_a_message_wins() -> None:
    assert _kind_and_until(pace_intent("Not today. Less often please")) == (NOT_TODAY, None)


def test_an_absence_then_how_long_in_a_request_of_its_own_is_one_pause_until_then() -> None:
    request = pace_intent("Going into hospital tomorrow, pause for a fortnight please")
    assert request is not None
    assert (request.kind, request.until) == (PaceKind.PAUSE, "2w")
    assert request.words == "Going into hospital tomorrow, pause for a fortnight please"


def test_a_time_in_the_next_clause_belongs_to_the_request() -> None:
    assert _kind_and_until(pace_intent("not today - maybe tomorrow")) == (NOT_TODAY, "tomorrow")


@given(st.text())
def test_any_text_is_read_without_error(text: str) -> None:
    found = pace_intent(text)
    assert found is None or isinstance(found.kind, PaceKind)


@given(
    st.lists(
        st.sampled_from(["not", "today", "later", "pause", "until", "till", "for", "a", "two",
                         "weeks", "999999999999", "0", "couple", "of", "im", "home", ",", "!",
                         "'til", "’til", "no", "more", "messages", "\n", "❤️", "ǅ"]),
        max_size=12,
    ).map(" ".join)
)  # fmt: skip
def test_any_mix_of_pace_words_is_read_without_error(text: str) -> None:
    found = pace_intent(text)
    if found is not None and found.until is not None:
        assert found.until.strip()


CASES: list[Callable[[str], str]] = [str.upper, str.lower, str.title, str.swapcase]


@given(
    st.sampled_from([(text, expected) for text, expected in REQUESTS if expected.until is None]),
    st.sampled_from(["", "ok ", "Sorry, ", "oh ", "hi, "]),
    st.sampled_from(["", " x", " please", "!!", ".", " thanks", " ta"]),
    st.sampled_from(CASES),
)
def test_courtesy_punctuation_and_case_do_not_change_a_request(
    case: tuple[str, PaceRequest], before: str, after: str, change: Callable[[str], str]
) -> None:
    text, expected = case
    assert _kind_and_until(pace_intent(change(f"{before}{text}{after}"))) == _kind_and_until(
        expected
    )


# What the issue tried: each way of asking, as a new user would write it.
ISSUE_REQUESTS: list[tuple[str, PaceKind, str | None]] = [
    ("later", LATER, None), ("in a couple of hours", LATER, "2h"),
    ("this afternoon", LATER, "afternoon"), ("tonight", LATER, "evening"),
    ("after lunch", LATER, "afternoon"), ("not today", NOT_TODAY, None),
    ("give me a ring", PaceKind.CALL, None), ("can someone phone", PaceKind.CALL, None),
    ("can someone phone me", PaceKind.CALL, None), ("call me please", PaceKind.CALL, None),
    ("pause for a fortnight", PAUSE, "2w"), ("going into hospital tomorrow", PAUSE, None),
    ("back on the 14th", PAUSE, "day:14"), ("till the 14th", PAUSE, "day:14"),
    ("away until 14 December", PAUSE, "date:12-14"), ("pause till 14/12", PAUSE, "date:12-14"),
    ("away till Dec 14th", PAUSE, "date:12-14"), ("less often", LESS, None),
    ("more often", MORE, None), ("I'm back", RESUME, None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "until"), ISSUE_REQUESTS)
def test_every_way_of_asking_the_issue_tried_is_understood(
    text: str, kind: PaceKind, until: str | None
) -> None:
    assert _kind_and_until(pace_intent(text)) == (kind, until)


def test_later_is_not_not_today() -> None:
    assert _kind_and_until(pace_intent("later")) == (LATER, None)
    assert _kind_and_until(pace_intent("not today")) == (NOT_TODAY, None)


@pytest.mark.parametrize(
    "text", ["I'll call you", "my daughter rang", "call me Pat", "the doctor will ring me tomorrow",
             "call of nature", "my son called", "can I call you", "don't ring me"],
)  # fmt: skip
def test_a_call_someone_else_makes_or_a_name_is_no_call_request(text: str) -> None:
    assert pace_intent(text) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("going into hospital tomorrow", "going into hospital tomorrow"),
        ("Hi Abby, not today thanks x", "not today thanks x"),
        ("not today - maybe tomorrow", "not today - maybe tomorrow"),
        ("Pause please, until Im home from hospital", "Pause please, until Im home from hospital"),
        ("I'm fine. Give me a ring when you can!", "Give me a ring when you can"),
        ("Grandkids here so not now, try at 3", "Grandkids here so not now, try at 3"),
    ],
)
def test_the_residents_own_words_of_the_request_are_kept_as_typed(text: str, words: str) -> None:
    found = pace_intent(text)
    assert found is not None and found.words == words


def test_a_request_in_another_language_is_understood_only_when_that_language_is_configured() -> (
    None
):
    assert pace_intent("nie dzisiaj") is None
    assert _kind_and_until(pace_intent("nie dzisiaj", ("en", "pl"))) == (NOT_TODAY, None)
    assert _kind_and_until(pace_intent("Not today", ("pl", "en"))) == (NOT_TODAY, None)


@pytest.mark.parametrize(
    ("text", "languages", "until"),
    [
        ("14 তারিখ পর্যন্ত বন্ধ রাখুন", ("bn",), "day:14"),
        ("do hafte ke liye band kar dein", ("ur",), "2w"),
        ("wracam 14 grudnia", ("pl",), "date:12-14"),
        ("vou de férias até 3 de janeiro", ("pt",), "date:01-03"),
        ("vou de ferias ate 3 de janeiro", ("pt",), "date:01-03"),
    ],
)
def test_a_pause_until_a_date_is_read_in_each_languages_own_order_with_or_without_accents(
    text: str, languages: tuple[str, ...], until: str
) -> None:
    assert _kind_and_until(pace_intent(text, languages)) == (PAUSE, until)


@given(st.text(), st.sampled_from([("en",), tuple(known_languages())]))
def test_any_text_is_read_without_error_in_every_language(
    text: str, languages: tuple[str, ...]
) -> None:
    found = pace_intent(text, languages)
    if found is not None and found.until is not None:
        assert _until_is_in_a_documented_form(found.until)


def _until_is_in_a_documented_form(until: str) -> bool:
    if until.startswith("day:"):
        return 1 <= int(until[4:]) <= 31
    if until.startswith("date:"):
        month, day = until[5:].split("-")
        return 1 <= int(month) <= 12 and 1 <= int(day) <= 31
    return bool(until.strip())


def test_every_pace_file_reads_cleanly_and_says_whether_a_native_speaker_reviewed_it() -> None:
    for language in known_languages():
        file = pace_language(language)
        assert file.phrases, language
        assert file.reviewed is (language == "en"), language


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        ("phrases: {later: {strong: ['(later']}}", "never closed"),
        ("phrases: {soon: {strong: [later]}}", "unknown section"),
        ("phrases: {later: {loud: [later]}}", "should be one of"),
        ("words: {lead_ins: [no]}\nphrases: {later: {weak: [later]}}", "quote it"),
        ("units: {week: seven}\nphrases: {later: {weak: [later]}}", "units"),
        ("language: pl\nphrases: {later: {weak: [later]}}", "'language' is 'pl'"),
        ("hours: 13\nphrases: {later: {weak: [later]}}", "'hours' should be 12 or 24"),
    ],
)
def test_a_mistake_in_a_pace_file_is_explained_by_file_and_reason(
    tmp_path: Path, yaml_text: str, problem: str
) -> None:
    path = tmp_path / "en.yaml"
    path.write_text(yaml_text if "language:" in yaml_text else f"language: en\n{yaml_text}")
    with pytest.raises(PhraseFileError, match=re.escape(problem)) as raised:
        read_pace_file(path)
    assert str(raised.value).startswith("en.yaml")


def test_every_language_the_settings_accept_has_a_pace_file() -> None:
    # COMPANION_LANGUAGES accepts the languages with a risk phrase file; the pace stage reads
    # a message in each of them.
    assert set(known_languages()) == set(risk_files.known_languages())


@pytest.mark.parametrize("text", ["pause till 31 February", "pause till 31/4"])
def test_a_date_no_calendar_has_is_kept_as_typed_rather_than_read_as_a_date(text: str) -> None:
    found = pace_intent(text)
    assert found is not None and found.kind is PAUSE
    assert found.until is not None and not found.until.startswith("date:")


@pytest.mark.parametrize(
    ("text", "languages", "kind", "rhythm"),
    [
        ("once a month is enough", ("en",), LESS, "FREQ=MONTHLY"),
        ("every other week would be better", ("en",), LESS, "FREQ=WEEKLY;INTERVAL=2"),
        ("fortnightly", ("en",), LESS, "FREQ=WEEKLY;INTERVAL=2"),
        ("only on Mondays", ("en",), LESS, "FREQ=WEEKLY;BYDAY=MO"),
        ("every day would be nice", ("en",), MORE, "FREQ=DAILY"),
        ("could you message more", ("en",), MORE, None),
        ("less often", ("en",), LESS, None),
        ("raz w miesiącu wystarczy", ("pl",), LESS, "FREQ=MONTHLY"),
        ("uma vez por mes chega", ("pt",), LESS, "FREQ=MONTHLY"),
        ("mahine mein ek baar kafi hai", ("ur",), LESS, "FREQ=MONTHLY"),
        ("প্রতিদিন মেসেজ করুন", ("bn",), MORE, "FREQ=DAILY"),
    ],
)
def test_a_rhythm_the_resident_names_is_kept_for_the_proposal(
    text: str, languages: tuple[str, ...], kind: PaceKind, rhythm: str | None
) -> None:
    found = pace_intent(text, languages)
    assert found is not None and (found.kind, found.rhythm) == (kind, rhythm)


@pytest.mark.parametrize("text", ["pause, every day is the same", "not today, every day I'm tired"])
def test_only_a_request_for_less_or_more_carries_a_rhythm(text: str) -> None:
    found = pace_intent(text)
    assert found is not None and found.rhythm is None


def test_a_rhythm_that_is_no_recurrence_is_refused_in_a_pace_file(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text("language: en\nrhythms: {monthly: every month}\nphrases: {later: {weak: [x]}}")
    with pytest.raises(PhraseFileError, match="not a recurrence"):
        read_pace_file(path)


@pytest.mark.parametrize(
    ("text", "languages", "until"),
    [
        # English is 12-hour talk: "till 3" is 15:00, "till 14" the 14th.
        ("busy till 3", ("en",), "clock:15:00"),
        ("busy till 14", ("en",), "day:14"),
        # Polish is 24-hour talk: "do 15" is 15:00 when Polish is configured.
        ("jestem zajęta do 15", ("pl",), "clock:15:00"),
        ("jestem zajęta do 15", ("en", "pl"), "clock:15:00"),
        ("jestem zajęta do 15 grudnia", ("pl",), "date:12-15"),
    ],
)
def test_a_bare_hour_after_until_is_a_time_of_day_on_the_clock_of_its_language(
    text: str, languages: tuple[str, ...], until: str
) -> None:
    found = pace_intent(text, languages)
    assert found is not None
    assert found.until == until


@pytest.mark.parametrize("text", ["away till 3", "in hospital till 3", "on holiday till 5"])
def test_a_bare_number_after_an_absence_is_the_day_it_ends_not_a_time_today(text: str) -> None:
    found = pace_intent(text)
    assert found is not None
    assert found.kind is PaceKind.PAUSE
    assert found.until is not None and found.until.startswith("day:")


@pytest.mark.parametrize(
    "text", ["not till 4", "pause till 3", "dont text me till 3", "stop messages until 3"]
)
def test_a_pause_until_a_time_today_is_a_question_asked_later(text: str) -> None:
    found = pace_intent(text)
    assert found is not None
    assert found.kind is PaceKind.LATER
    assert found.until is not None and found.until.startswith("clock:")


def test_a_point_after_a_clock_abbreviation_ends_no_clause() -> None:
    # "po 15 val. ateis dukra": after 15:00 my daughter comes (news, not "after 15:00").
    assert pace_intent("po 15 val. ateis dukra", ("lt",)) is None
    found = pace_intent("parašykite po 15 val.", ("lt",))
    assert found is not None
    assert (found.kind, found.until) == (PaceKind.LATER, "clock:15:00")


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("my son will be visiting this weekend so dont message", "monday"),
        ("my daughter is coming on Friday so no messages", "saturday"),
        ("the grandkids are here tomorrow so please don't text", "2d"),
    ],
)
def test_a_pause_asked_for_after_so_lasts_through_the_day_its_reason_names(
    text: str, until: str
) -> None:
    found = pace_intent(text)
    assert found is not None and (found.kind, found.until) == (PaceKind.PAUSE, until)
    # The reason is the catalyst's to read too.
    assert found.words == text


def test_no_messages_on_a_day_is_a_pause_through_that_day_and_until_a_day_ends_before_it() -> None:
    assert _kind_and_until(pace_intent("no messages this weekend please")) == (PAUSE, "monday")
    assert _kind_and_until(pace_intent("pause for the weekend")) == (PAUSE, "monday")
    assert _kind_and_until(pace_intent("not till the weekend")) == (PAUSE, "weekend")


def test_not_today_then_a_day_to_ask_again_with_a_verb_keeps_the_day() -> None:
    assert _kind_and_until(pace_intent("not today, ask me on friday")) == (NOT_TODAY, "friday")
    assert _kind_and_until(pace_intent("aaj nahi, jumma ko poochna", ("ur",))) == (
        NOT_TODAY,
        "friday",
    )
    assert _kind_and_until(pace_intent("আজ না, কাল জিজ্ঞেস করুন", ("bn",))) == (
        NOT_TODAY,
        "tomorrow",
    )
    # A request with no day after it stays a plain "not today".
    assert _kind_and_until(pace_intent("not today, ask me in 2 hours")) == (NOT_TODAY, None)


@pytest.mark.parametrize(
    ("text", "until", "at"),
    [
        ("ring me tomorrow at 9am", "tomorrow", "clock:09:00am"),
        ("call me on friday at 2", "friday", "clock:14:00"),
        ("ring me on the 14th at 3pm", "day:14", "clock:15:00"),
        ("not today, ask me tomorrow at 10am", "tomorrow", "clock:10:00am"),
        ("kal 9 baje phone karein", "tomorrow", "clock:09:00"),
        ("ring me tomorrow", "tomorrow", None),
        ("ring me at 9am", "clock:09:00am", None),  # the time is `until` itself
        ("away for 2 weeks", "2w", None),
    ],
)
def test_a_day_asked_for_keeps_the_time_of_day_said_with_it(
    text: str, until: str, at: str | None
) -> None:
    found = pace_intent(text, known_languages())
    assert found is not None and (found.until, found.at) == (until, at)
