"""A table of replies to the built-in weekly check-in and to yes/no questions, and how each is read.

A wrong reading is worse than a question asked again, so each row says what an English speaker
means: a choice, "ask again", or "pass on" (a person reads it; with a choice, the flow follows
that choice, and without one it takes `other`). Grow the table from every misreading found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import flows
from flows.loading import load_flow
from flows.types import Ask, AskKind, Branches
from flows.understand import Ambiguous, NotUnderstood, PassOn, Understood
from tests.flows.understand.builders import understand

ASK_AGAIN = "ask again"
#: Passed on to the catalyst without following the guess: the flow takes `other`.
PASS_ON = "pass on"


def _checkin_question() -> Ask:
    path = Path(flows.__file__).parent / "builtin" / "weekly_checkin.yaml"
    flow = load_flow(path.read_text(encoding="utf-8"), source=path.name).flow
    assert flow is not None
    exit_ = flow.steps["how_are_you"].exit
    assert isinstance(exit_, Branches)
    return exit_.ask


CHECKIN = _checkin_question()

# (reply, reading): a choice id of the check-in (1 good, 2 ok, 3 low), ASK_AGAIN, PASS_ON, or
# "pass on: <choice>" for a reply the flow follows while the catalyst is asked to read it.
CHECKIN_READINGS = [
    # Negations and hedges, read as meant.
    ("not too bad", "ok"),
    ("Not too bad thanks", "ok"),
    ("not so bad", "ok"),
    ("not bad", "ok"),
    ("not bad at all", "good"),
    ("never better", "good"),
    ("never been better!", "good"),
    ("couldn't be better", "good"),
    ("cant complain", "ok"),
    ("can't complain", "ok"),
    ("mustn't grumble", "ok"),
    ("could be worse", "ok"),
    ("getting there", "ok"),
    ("not great", "low"),
    ("well not great tbh", "low"),
    ("Well, not great to be honest", "low"),
    ("not well", "low"),
    ("not feeling well", "low"),
    ("I'm not feeling too good", "low"),
    ("not the best", "low"),
    ("not the best tbh", "low"),
    ("could be better", "low"),
    ("been better", "low"),
    ("I've been better", "low"),
    ("not good", "low"),
    ("not so good", "low"),
    ("isn't great", "low"),
    ("don't feel good", "low"),
    ("under the weather", "low"),
    ("struggling", "low"),
    ("fed up", "low"),
    ("not myself", "low"),
    # Plain answers, numbers, typos and short forms.
    ("1", "good"),
    ("2", "ok"),
    ("3", "low"),
    ("good", "good"),
    ("Good thanks", "good"),
    ("fine thanks love", "good"),
    ("very well thank you", "good"),
    ("well", "good"),
    ("gr8", "good"),
    ("v good", "good"),
    ("gud", "good"),
    ("gd thx", "good"),
    ("great ty", "good"),
    ("ok", "ok"),
    ("OK thx", "ok"),
    ("im ok", "ok"),
    ("alrite", "ok"),
    ("so so", "ok"),
    ("meh", "ok"),
    ("poorly", "low"),
    ("terrible", "low"),
    ("👍", "good"),
    ("😢", "low"),
    # Not an answer: ask again.
    ("k", ASK_AGAIN),
    ("thx", ASK_AGAIN),
    ("hjkl", ASK_AGAIN),
    ("not lonely", ASK_AGAIN),
    ("good but lonely", ASK_AGAIN),
    # A number in a date, a time or an amount is not a choice.
    ("back on the 14th", ASK_AGAIN),
    ("at 2", ASK_AGAIN),
    ("2pm", ASK_AGAIN),
    ("on the 3rd", ASK_AGAIN),
    ("see you at 2:30", ASK_AGAIN),
    ("home on 21/11", ASK_AGAIN),
    ("3 days", ASK_AGAIN),
    ("back by 3", ASK_AGAIN),
    ("the 3rd one", "low"),
    ("number 2", "ok"),
    # Says more than a choice: never taken as good.
    ("my knee is killing me and the boiler broke again", ASK_AGAIN),
    ("good but my knee is killing me", PASS_ON),
    ("I'm good but I had a fall", PASS_ON),
    ("fine apart from the boiler", PASS_ON),
    ("great, though the carer never came", PASS_ON),
    ("not great, my knee is killing me and the boiler broke again", "pass on: low"),
    ("ok but tired", "pass on: ok"),
    ("3 the boiler broke and no heating", "pass on: low"),
]


def reading(result: object) -> str:
    if isinstance(result, Understood):
        return str(result.outcome)
    if isinstance(result, PassOn):
        return f"pass on: {result.guess.outcome}" if result.follow else PASS_ON
    assert isinstance(result, NotUnderstood | Ambiguous), result
    return ASK_AGAIN


@pytest.mark.parametrize(("reply", "expected"), CHECKIN_READINGS)
def test_a_checkin_reply_is_read_as_a_person_means_it(reply: str, expected: str) -> None:
    assert reading(understand(CHECKIN, reply)) == expected


def test_the_table_is_large_enough_to_guard_the_reader() -> None:
    assert len(CHECKIN_READINGS) + len(YES_NO_READINGS) >= 60


def test_a_reply_passed_on_never_follows_the_happiest_choice() -> None:
    for reply, _ in CHECKIN_READINGS:
        result = understand(CHECKIN, reply)
        if isinstance(result, PassOn) and result.follow:
            assert result.guess.outcome != "good", reply


# (reply, language, reading) for a yes/no question; the flow declares the language.
YES_NO_READINGS = [
    ("yes", "en", "yes"),
    ("yeah go on then", "en", "yes"),
    ("k", "en", "yes"),
    ("ok", "en", "yes"),
    ("no thanks", "en", "no"),
    ("nah", "en", "no"),
    ("not sure", "en", ASK_AGAIN),
    ("tak", "pl", "yes"),
    ("Tak, proszę", "pl", "yes"),
    ("nie", "pl", "no"),
    ("nie dziękuję", "pl", "no"),
    ("nie wiem", "pl", ASK_AGAIN),
    ("no", "pl", ASK_AGAIN),  # Polish "no" is "yeah": neither is safe to assume
    ("yes", "pl", "yes"),
    ("da", "ro", "yes"),
    ("nu", "ro", "no"),
    ("nu știu", "ro", ASK_AGAIN),
    ("taip", "lt", "yes"),
    ("ne", "lt", "no"),
    ("sim", "pt", "yes"),
    ("não", "pt", "no"),
    ("não obrigada", "pt", "no"),
    ("talvez", "pt", ASK_AGAIN),
    ("ha", "bn", "yes"),
    ("হ্যাঁ", "bn", "yes"),
    ("না", "bn", "no"),
    ("haan ji", "ur", "yes"),
    ("nahi", "ur", "no"),
    ("ہاں", "ur", "yes"),
    ("pata nahi", "ur", ASK_AGAIN),
    ("da", "en", ASK_AGAIN),  # only where the flow declares Romanian
    # How they are, said with a "not", is no answer to "Would you like a call?".
    ("not too bad", "en", ASK_AGAIN),
    ("cant complain", "en", ASK_AGAIN),
    ("not bad at all", "en", ASK_AGAIN),
    ("never better", "en", ASK_AGAIN),
    ("not great tbh", "en", "no"),  # to "Are you alright?" that is a no
    ("could be better", "en", ASK_AGAIN),
    ("not really", "en", "no"),
    ("not now thanks", "en", "no"),
    ("no, not too bad thanks", "en", "no"),
    ("dont think so", "en", "no"),
    ("yes please, not too bad today", "en", "yes"),
]


@pytest.mark.parametrize(("reply", "language", "expected"), YES_NO_READINGS)
def test_yes_or_no_is_read_in_the_residents_language(
    reply: str, language: str, expected: str
) -> None:
    assert reading(understand(Ask(AskKind.YES_NO), reply, language=language)) == expected
