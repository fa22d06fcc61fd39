"""Tests for carrier keywords: whole-message STOP, START and HELP words, and what is not one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.triage.keywords import (
    OPT_IN_ONLY_WHEN_OPTED_OUT,
    TABLES,
    Keyword,
    KeywordMatch,
    carrier_keyword,
    match_keyword,
)
from bot.triage.pace import PaceKind, pace_intent
from bot.triage.safeguarding import RiskKind, triage

# Twilio's own opt-out words, which it acts on whatever we do, and how residents write them.
STOP = [
    "STOP", "stop", "Stop", "Stop.", "STOP!!", " stop ", "stop\n", "STOPALL", "stop all",
    "UNSUBSCRIBE", "unsubscribe", "CANCEL", "Cancel", "END", "end.", "QUIT", "quit!", "REVOKE",
    "OPTOUT", "opt out", "opt-out", "/stop", "/stop@CompanionBot", "/stop@Companion_Bot",
    "stooooop", "STOP STOP", "stop stop stop", "stop please", "please stop", "Stop, thank you",
    "stop pls x", "stop messaging me", "Stop texting me!", "stop sending me messages",
    "stop contacting me", "no more messages", "No more texts please", "unsubscribe me",
    "take me off your list", "remove me from your list", "don't text me", "dont message me again",
    "do not contact me", "opt me out",
]  # fmt: skip
START = ["START", "start", "Start.", "UNSTOP", "unstop!", "/start", "start please"]
HELP = ["HELP", "help", "Help.", "HELP!!!", " help ", "INFO", "info?", "/help"]
NOT_KEYWORDS = [
    "the bus didn't stop", "stop it", "I can't stop laughing", "start again", "when does it start?",
    "help me", "please help", "HELP ME!!!", "help help", "I need help", "what help is there?",
    "more info please", "info about bingo", "the end", "end of the road", "no more", "no",
    "yes no", "fine thanks", "1", "", "   ", "?!", "stopwatch", "stops", "quitting smoking",
    "cancel my bingo", "I want to cancel", "leave me alone", "not today", "stop 2",
]  # fmt: skip


@pytest.mark.parametrize("text", STOP)
def test_stop_words_and_unmistakable_opt_out_phrases_are_stop(text: str) -> None:
    assert carrier_keyword(text) is Keyword.STOP


@pytest.mark.parametrize("text", START)
def test_start_words_opt_in(text: str) -> None:
    assert carrier_keyword(text) is Keyword.START


@pytest.mark.parametrize("text", HELP)
def test_help_words_alone_ask_for_the_help_menu(text: str) -> None:
    assert carrier_keyword(text) is Keyword.HELP


@pytest.mark.parametrize("text", NOT_KEYWORDS)
def test_a_keyword_inside_a_sentence_or_another_word_is_not_a_keyword(text: str) -> None:
    assert match_keyword(text) is None
    assert carrier_keyword(text, opted_out=True) is None


@pytest.mark.parametrize("text", ["yes", "Yes", "YES!", "yes please", "yesss"])
def test_yes_opts_in_only_a_resident_who_has_opted_out(text: str) -> None:
    assert carrier_keyword(text) is None
    assert carrier_keyword(text, opted_out=True) is Keyword.START
    assert match_keyword(text) == KeywordMatch(Keyword.START, "yes")


def test_the_richer_match_says_which_words_are_only_opt_ins_for_the_opted_out() -> None:
    assert frozenset({"yes"}) == OPT_IN_ONLY_WHEN_OPTED_OUT
    yes, start = match_keyword("yes"), match_keyword("start")
    assert yes is not None and yes.only_when_opted_out
    assert start is not None and not start.only_when_opted_out


def test_the_match_names_the_word_so_the_confirmation_can_quote_it() -> None:
    assert match_keyword("Unsubscribe!") == KeywordMatch(Keyword.STOP, "unsubscribe")
    assert match_keyword("Stop texting me please") == KeywordMatch(Keyword.STOP, "stop texting me")


@pytest.mark.parametrize("text", ["please help", "help please", "help thanks", "pls help x"])
def test_courtesy_around_help_is_not_the_help_menu_because_it_may_be_a_call_for_help(
    text: str,
) -> None:
    assert carrier_keyword(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wypisz mnie", Keyword.STOP),
        ("Nie chcę więcej wiadomości", Keyword.STOP),
        ("pomoc", Keyword.HELP),
        ("STOP", Keyword.STOP),  # carriers take the English words in any language
        ("start", Keyword.START),
    ],
)
def test_a_language_table_adds_its_phrases_to_the_english_keywords(
    text: str, expected: Keyword
) -> None:
    assert carrier_keyword(text, "pl") is expected
    assert carrier_keyword(text, "pl-PL") is expected


def test_an_unknown_language_falls_back_to_english() -> None:
    assert carrier_keyword("stop", "xx") is Keyword.STOP
    assert carrier_keyword("wypisz mnie", "xx") is None
    assert carrier_keyword("wypisz mnie", "en") is None


def test_every_table_phrase_is_recognised_as_written() -> None:
    for language, table in TABLES.items():
        for keyword, phrases in (
            (Keyword.STOP, table.stop),
            (Keyword.START, table.start),
            (Keyword.HELP, table.help),
        ):
            for phrase in phrases:
                assert match_keyword(phrase, language) == KeywordMatch(keyword, phrase), phrase


# Routing order: keywords first, then safeguarding, then pace. These pairs pin down which
# router owns the messages that sit near a boundary.
@pytest.mark.parametrize(
    ("text", "keyword", "risk", "pace"),
    [
        ("help", Keyword.HELP, None, None),
        ("please help", None, RiskKind.HELP_ME, None),
        ("HELP ME!!!", None, RiskKind.HELP_ME, None),
        ("stop", Keyword.STOP, None, None),
        ("the bus didn't stop", None, None, None),
        ("start again", None, None, PaceKind.RESUME),
        ("leave me alone", None, None, PaceKind.PAUSE),
        ("not today", None, None, PaceKind.NOT_TODAY),
    ],
)
def test_each_boundary_message_belongs_to_exactly_the_router_that_should_take_it(
    text: str, keyword: Keyword | None, risk: RiskKind | None, pace: PaceKind | None
) -> None:
    assert carrier_keyword(text) is keyword
    found_risk = triage(text)
    assert (found_risk.category if found_risk else None) is risk
    found_pace = pace_intent(text)
    assert (found_pace.kind if found_pace else None) is pace


@given(st.text(), st.sampled_from(["en", "pl", "pl-PL", "", "xx", "EN_gb"]), st.booleans())
def test_any_text_in_any_language_is_read_without_error(
    text: str, language: str, opted_out: bool
) -> None:
    found = carrier_keyword(text, language, opted_out=opted_out)
    assert found is None or isinstance(found, Keyword)


@given(
    st.sampled_from(["stop", "unsubscribe", "quit", "start", "unstop", "help", "info"]),
    st.sampled_from([str.upper, str.lower, str.title, str.capitalize]),
    st.text(alphabet=" \t\n", max_size=3),
    st.text(alphabet=".!?,;: ", max_size=4),
)
def test_a_keyword_survives_case_spaces_and_trailing_punctuation(
    word: str, case: Callable[[str], str], space: str, punctuation: str
) -> None:
    text = f"{space}{case(word)}{punctuation}{space}"
    expected = match_keyword(word)
    assert expected is not None
    assert match_keyword(text) == expected
