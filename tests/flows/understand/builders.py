"""This module contains small builders shared by the reply-understanding tests."""

from __future__ import annotations

from datetime import date

from flows.types import Ask, AskKind, Choice
from flows.understand import Understander, Understanding

#: A Thursday. "next tues" from here is Tuesday 24 November.
TODAY = date(2026, 11, 19)

FEELINGS = (
    Choice("good", 1, {"en": "Good", "pl": "Dobrze"}, {"en": ("great", "fine", "well", "happy")},
           ("😊", "👍")),
    Choice("ok", 2, {"en": "OK", "pl": "W porządku"}, {"en": ("alright", "so so", "not bad")}),
    Choice("low", 3, {"en": "Low", "pl": "Źle"}, {"en": ("lonely", "sad", "down", "bad")},
           ("😢", "😞")),
    Choice("need_help", 4, {"en": "I need help", "pl": "Potrzebuję pomocy"},
           {"en": ("help", "call me")}, ("🆘",)),
)  # fmt: skip


def understand(ask: Ask, text: str, *, language: str = "en", today: date = TODAY) -> Understanding:
    return Understander(ask).understand(text, language=language, today=today)


def choice_ask(choices: tuple[Choice, ...] = FEELINGS) -> Ask:
    return Ask(AskKind.CHOICE, choices=choices)


def numbered_choices(count: int) -> tuple[Choice, ...]:
    """`count` choices with ids c1, c2… and letters-only labels "Pick aaa", "Pick bbb"…"""
    return tuple(
        Choice(f"c{n}", n, {"en": f"Pick {'abcdefghijklmnopqrstuvwxyz'[n - 1] * 3}"})
        for n in range(1, count + 1)
    )
