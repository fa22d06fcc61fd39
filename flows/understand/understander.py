"""This module contains Understander, which reads replies to one question by its kind."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from flows.types import Ask, AskKind
from flows.understand.choices import ChoiceReader
from flows.understand.dates import DateReader
from flows.understand.free_text import TextReader
from flows.understand.normalise import Reply
from flows.understand.numbers import NumberReader
from flows.understand.results import NotUnderstood, Understanding
from flows.understand.times import TimeReader
from flows.understand.yes_no import YesNoReader


class Reader(Protocol):
    """Reads one kind of answer from a normalised reply."""

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding: ...


def reader_for(ask: Ask) -> Reader:
    if ask.kind is AskKind.CHOICE:
        return ChoiceReader(ask.choices)
    if ask.kind is AskKind.NUMBER:
        return NumberReader(ask.minimum, ask.maximum)
    readers: dict[AskKind, type[Reader]] = {
        AskKind.YES_NO: YesNoReader,
        AskKind.DATE: DateReader,
        AskKind.TIME: TimeReader,
        AskKind.TEXT: TextReader,
    }
    return readers[ask.kind]()


class Understander:
    """Built once per question (the engine caches it), then asked many times."""

    __slots__ = ("_reader", "ask")

    def __init__(self, ask: Ask) -> None:
        self.ask = ask
        self._reader = reader_for(ask)

    def understand(self, text: str, *, language: str, today: date) -> Understanding:
        """What `text`, a resident's reply in `language`, answers; dates count from `today`."""
        reply = Reply.of(text)
        if not reply.text:
            return NotUnderstood("the reply is empty")
        return self._reader.read(reply, language=language, today=today)
