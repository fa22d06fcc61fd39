"""Tests for reading answers to time questions, as a 24-hour "HH:MM" with a friendly label."""

from __future__ import annotations

import pytest

from flows.types import ANSWERED, Ask, AskKind
from flows.understand import NotUnderstood, Understood
from tests.flows.understand.builders import understand

ASK = Ask(AskKind.TIME)

REPLIES = [
    ("2pm", "14:00", "2pm"), ("2 pm", "14:00", "2pm"), ("2PM", "14:00", "2pm"),
    ("2.30pm", "14:30", "2:30pm"), ("2:30 pm", "14:30", "2:30pm"), ("14:00", "14:00", "2pm"),
    ("14.00", "14:00", "2pm"), ("1430", "14:30", "2:30pm"), ("0930", "09:30", "9:30am"),
    ("930", "09:30", "9:30am"), ("09:00", "09:00", "9am"), ("10am", "10:00", "10am"),
    ("10 a.m.", "10:00", "10am"), ("2:30", "14:30", "2:30pm"), ("9:30", "09:30", "9:30am"),
    ("half two", "14:30", "2:30pm"), ("half past two", "14:30", "2:30pm"),
    ("quarter past 3", "15:15", "3:15pm"), ("quarter to 4", "15:45", "3:45pm"),
    ("ten past 10", "10:10", "10:10am"), ("20 to 3", "14:40", "2:40pm"),
    ("twenty past three", "15:20", "3:20pm"), ("two thirty", "14:30", "2:30pm"),
    ("3 o'clock", "15:00", "3pm"), ("three o clock", "15:00", "3pm"), ("noon", "12:00", "12pm"),
    ("midday", "12:00", "12pm"), ("12 noon", "12:00", "12pm"), ("12pm", "12:00", "12pm"),
    ("12am", "00:00", "12am"), ("midnight", "00:00", "12am"), ("morning", "10:00", "10am"),
    ("in the afternoon", "14:00", "2pm"), ("afternoon", "14:00", "2pm"),
    ("evening", "18:00", "6pm"), ("tonight", "19:00", "7pm"), ("tonite", "19:00", "7pm"),
    ("lunchtime", "12:30", "12:30pm"), ("10 in the morning", "10:00", "10am"),
    ("7 in the evening", "19:00", "7pm"), ("8 at night", "20:00", "8pm"), ("2", "14:00", "2pm"),
    ("at 2", "14:00", "2pm"), ("about 2", "14:00", "2pm"), ("2ish", "14:00", "2pm"),
    ("7", "19:00", "7pm"), ("8", "08:00", "8am"), ("11", "11:00", "11am"),
    ("12", "12:00", "12pm"), ("the 1 at 2pm", "14:00", "2pm"), ("tomorrow at 3", "15:00", "3pm"),
    ("afternon", "14:00", "2pm"),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "value", "label"), REPLIES)
def test_a_resident_reply_to_a_time_question_is_read_as_a_24_hour_time(
    reply: str, value: str, label: str
) -> None:
    assert understand(ASK, reply) == Understood(ANSWERED, value, label)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("25:00", "25:00 is not a time of day"),
        ("2:75", "2:75 is not a time of day"),
        ("14am", "14am is not a time of day"),
        ("61 to 3", "61 to 3 is not a time of day"),
        ("2 or 3", "the reply mentions more than one time: 2pm, 3pm"),
        ("2pm or 3pm", "the reply mentions more than one time: 2pm, 3pm"),
        ("morning or afternoon", "the reply mentions more than one time of day"),
        ("soon", "no time found"),
        ("", "the reply is empty"),
    ],
)
def test_impossible_or_unclear_times_are_not_understood_and_say_why(
    reply: str, reason: str
) -> None:
    assert understand(ASK, reply) == NotUnderstood(reason)


def test_a_word_one_letter_from_night_is_not_read_as_night() -> None:
    assert understand(ASK, "I might") == NotUnderstood("no time found")
