"""This module contains the answers to pace requests in the resident's language: the texts of
bot/triage/pace_replies.yaml (read by pace_reply_files.py), with the times and days inside
them written in that language by babel ("15:00", "4 grudnia", "দুপুর 3:00").

A language without a text, or a language with no texts at all, answers in English, and then
with English times and days too: a reply is never half in one language and half in another
(the rhythm in "welcome back" is the exception: it is English in every language for now).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.triage.pace_reply_files import ENGLISH, ReplyLanguage, builtin_pace_replies
from flows.sms import suggest_replacement

#: Letters GSM-7 lacks that do not decompose into a plain letter and an accent.
_UNDECOMPOSED = {"ł": "l", "Ł": "L"}
#: The end of a sentence in the scripts of the configured languages ("." "।" "۔"). A text
#: never opens with a placeholder, and a piece of one ("{weekday}, pe la {time}") is inside a
#: sentence, so only a placeholder after one of these opens a sentence.
_SENTENCE_END = re.compile(r"[.!?\u0964\u06d4]\s+$")


class PaceVoice:
    """The pace replies in one language, falling back to English where a text is missing."""

    def __init__(self, book: ReplyLanguage) -> None:
        self.book = book

    @property
    def language(self) -> str:
        return self.book.language

    def say(self, text: str, /, **values: str) -> str:
        """The text named `text` with `values` filled in, in this language's letters. A value that
        opens a sentence ("zespół Companion dowie się ...") starts with a capital."""
        template = self.book.texts[text]
        filled = {
            key: _capital(value) if _opens_sentence(template, key) else value
            for key, value in values.items()
        }
        return self.letters(template.format(**filled))

    def letters(self, text: str) -> str:
        """`text` as this language sends it: in GSM-7 letters where it says so."""
        return to_gsm7(text) if self.book.gsm7 else text

    def clock(self, moment: datetime, zone: str) -> str:
        """A time on the resident's clock: "3pm" in English, "15:00" in Polish."""
        local = moment.astimezone(ZoneInfo(zone))
        if self.book.time is None:
            hour = local.hour % 12 or 12
            minutes = f":{local.minute:02d}" if local.minute else ""
            return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
        return format_time(local.time(), self.book.time, locale=self.book.locale)

    def day(self, day: date) -> str:
        """A date as this language writes it in a sentence: "Monday 14 December"."""
        return format_date(day, self.book.day, locale=self.book.locale)

    def weekday(self, day: date) -> str:
        """A day of the week: "Friday", "piątek"."""
        return format_date(day, self.book.weekday, locale=self.book.locale)

    def team(self, programme: str) -> str:
        """Who speaks for a resident with no catalyst: "the Companion team"."""
        return self.book.team.format(programme=programme)


def voice_for(
    language: str, *names: str, books: Mapping[str, ReplyLanguage] | None = None
) -> PaceVoice:
    """The voice to answer in: `language` when it has every text in `names` (a reply and the
    pieces that go into it), otherwise English."""
    books = builtin_pace_replies() if books is None else books
    book = books.get(language)
    if book is None or any(name not in book.texts for name in names):
        book = books[ENGLISH]
    return PaceVoice(book)


def to_gsm7(text: str) -> str:
    """`text` in the letters of the GSM-7 alphabet: "dziś" as "dzis", "ł" as "l"; a
    character with no plain form is kept (and the text is then sent as UCS-2)."""
    if text.isascii():
        return text
    return "".join(_UNDECOMPOSED.get(ch) or suggest_replacement(ch) or ch for ch in text)


def _opens_sentence(template: str, key: str) -> bool:
    where = template.find(f"{{{key}}}")
    return where >= 0 and _SENTENCE_END.search(template[:where]) is not None


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]
