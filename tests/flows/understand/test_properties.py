"""Property tests: replies never crash the reader, and known answers survive small changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from flows.types import Ask, AskKind, Choice
from flows.understand import Ambiguous, NotUnderstood, PassOn, Understander, Understood
from flows.understand.normalise import fold, split_words
from flows.understand.number_words import token_number
from tests.flows.understand import test_dates, test_numbers, test_times, test_yes_no
from tests.flows.understand.builders import TODAY, choice_ask, numbered_choices
from tests.flows.understand.test_choices import REPLIES as CHOICE_REPLIES

ASKS = {kind: choice_ask() if kind is AskKind.CHOICE else Ask(kind) for kind in AskKind}
UNDERSTANDERS = {kind: Understander(ask) for kind, ask in ASKS.items()}
KNOWN_REPLIES = {
    AskKind.CHOICE: [reply for reply, _ in CHOICE_REPLIES],
    AskKind.YES_NO: test_yes_no.YES + test_yes_no.NO,
    AskKind.NUMBER: [reply for reply, _ in test_numbers.NUMBER_REPLIES],
    AskKind.DATE: [reply for reply, _ in test_dates.REPLIES],
    AskKind.TIME: [reply for reply, _, _ in test_times.REPLIES],
}

# Emoji, control characters, combining marks, digits in other scripts and plain words.
awkward_text = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("1 ./-:#❤️👍🏽\ufe0f\u20e3\u200d\x00\n٣５ǅ̈ßİ")),
    st.lists(
        st.sampled_from(["yes", "no", "not", "1", "11", "half", "two", "21/11", "next", "tues",
                         "2pm", "out of", "a", "and", "hundred", "may", "1st", "good", "9" * 30]),
        max_size=6,
    ).map(" ".join),
)  # fmt: skip
kinds = st.sampled_from(list(AskKind))


@given(kind=kinds, text=awkward_text, language=st.sampled_from(["en", "pl", "so", ""]))
def test_any_text_in_any_language_gives_a_result_and_never_raises(
    kind: AskKind, text: str, language: str
) -> None:
    result = UNDERSTANDERS[kind].understand(text, language=language, today=TODAY)
    assert isinstance(result, Understood | Ambiguous | NotUnderstood | PassOn)
    if isinstance(result, Understood):
        assert result.outcome in ASKS[kind].outcomes()
        assert type(result.value) in (str, int, float)
    if isinstance(result, Ambiguous):
        assert len(result.candidates) >= 2
        assert set(result.candidates) <= set(ASKS[kind].outcomes())


@given(
    data=st.data(),
    kind=st.sampled_from(sorted(KNOWN_REPLIES)),
    case=st.sampled_from([str.upper, str.lower, str.title, str.capitalize]),
    before=st.text(alphabet=" \t\n", max_size=3),
    after=st.text(alphabet=" \t\n", max_size=3),
    punctuation=st.text(alphabet="!?.,", max_size=3),
)
def test_case_surrounding_whitespace_and_trailing_punctuation_do_not_change_a_known_answer(
    data: st.DataObject,
    kind: AskKind,
    case: Callable[[str], str],
    before: str,
    after: str,
    punctuation: str,
) -> None:
    reply = data.draw(st.sampled_from(KNOWN_REPLIES[kind]))
    changed = f"{before}{case(reply)}{punctuation}{after}"
    understander = UNDERSTANDERS[kind]
    expected = understander.understand(reply, language="en", today=TODAY)
    assert isinstance(expected, Understood)
    assert understander.understand(changed, language="en", today=TODAY) == expected


label_word = st.from_regex(r"[a-z]{3,9}", fullmatch=True).filter(
    lambda word: token_number(word) is None
)
labels = st.lists(
    st.lists(label_word, min_size=1, max_size=3).map(" ".join),
    min_size=2,
    max_size=6,
    unique_by=lambda label: split_words(fold(label)),
)


@given(labels=labels, data=st.data())
def test_a_choices_own_label_always_maps_to_that_choice(
    labels: list[str], data: st.DataObject
) -> None:
    choices = tuple(Choice(f"c{n}", n, {"en": label}) for n, label in enumerate(labels, 1))
    picked = data.draw(st.sampled_from(choices))
    result = Understander(choice_ask(choices)).understand(
        picked.labels["en"].capitalize(), language="en", today=TODAY
    )
    assert result == Understood(picked.id, picked.id, picked.labels["en"])


@given(count=st.integers(1, 12), data=st.data())
def test_any_number_from_one_to_n_in_digits_maps_to_that_numbered_choice(
    count: int, data: st.DataObject
) -> None:
    number = data.draw(st.integers(1, count))
    form = data.draw(st.sampled_from(["{}", "{}.", "{})", "#{}", "no {}", "no. {}", "option {}"]))
    result = Understander(choice_ask(numbered_choices(count))).understand(
        form.format(number), language="en", today=TODAY
    )
    assert isinstance(result, Understood)
    assert result.outcome == f"c{number}"


@given(count=st.integers(1, 12), beyond=st.integers(1, 10_000))
def test_any_number_beyond_the_choices_is_not_understood(count: int, beyond: int) -> None:
    result = Understander(choice_ask(numbered_choices(count))).understand(
        str(count + beyond), language="en", today=TODAY
    )
    assert isinstance(result, NotUnderstood)


date_words = st.sampled_from(
    ["today", "tomorrow", "next", "this", "tues", "friday", "week", "in", "3", "days", "21/11",
     "29/2", "31st", "nov", "may", "2027", "18/11/2026", "yesterday", "the", "1st", "feb"]
)  # fmt: skip
date_replies = st.one_of(st.text(), st.lists(date_words, max_size=4).map(" ".join))


@given(reply=date_replies, today=st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_an_understood_date_is_never_before_today(reply: str, today: date) -> None:
    result = Understander(Ask(AskKind.DATE)).understand(reply, language="en", today=today)
    if isinstance(result, Understood):
        assert isinstance(result.value, str)
        assert date.fromisoformat(result.value) >= today


@given(weekday=st.integers(0, 6), today=st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_a_bare_weekday_is_that_weekday_within_the_next_seven_days(
    weekday: int, today: date
) -> None:
    name = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][weekday]
    result = Understander(Ask(AskKind.DATE)).understand(name, language="en", today=today)
    assert isinstance(result, Understood)
    assert isinstance(result.value, str)
    found = date.fromisoformat(result.value)
    assert found.weekday() == weekday
    assert 0 <= (found - today).days < 7


time_words = st.sampled_from(
    ["half", "quarter", "past", "to", "2", "12", "0", "23", "7", "pm", "am", "o'clock", ":",
     "30", "1430", "noon", "morning", "evening", "two", "twenty", "at", "ish", "99"]
)  # fmt: skip
time_replies = st.one_of(st.text(), st.lists(time_words, max_size=5).map(" ".join))
VALID_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@given(reply=time_replies)
def test_an_understood_time_is_a_valid_24_hour_time(reply: str) -> None:
    result = Understander(Ask(AskKind.TIME)).understand(reply, language="en", today=TODAY)
    if isinstance(result, Understood):
        assert isinstance(result.value, str)
        assert VALID_TIME.fullmatch(result.value), result


@given(value=st.integers(-1_000_000, 1_000_000))
def test_any_whole_number_in_digits_is_read_back_as_that_int(value: int) -> None:
    result = Understander(Ask(AskKind.NUMBER)).understand(str(value), language="en", today=TODAY)
    assert result == Understood("answered", value, str(value))
