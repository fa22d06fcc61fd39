"""This module contains the reader for free-text answers: any non-empty reply, trimmed."""

from __future__ import annotations

from datetime import date

from flows.types import ANSWERED
from flows.understand.normalise import Reply
from flows.understand.results import Understanding, Understood


class TextReader:
    """Takes the reply as written; only surrounding whitespace is removed."""

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        return Understood(ANSWERED, reply.text, reply.text)
