"""This module contains carrier keywords: whole messages that opt out, opt in or ask for help."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.triage.phrases import read_words
from flows.understand.normalise import squeeze


class Keyword(StrEnum):
    """What a carrier keyword asks for."""

    STOP = "stop"
    START = "start"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    """A message that is a carrier keyword. `word` is the keyword or phrase as matched, folded."""

    keyword: Keyword
    word: str

    @property
    def only_when_opted_out(self) -> bool:
        """True for an opt-in word that is an everyday answer ("yes") unless opted out."""
        return self.word in OPT_IN_ONLY_WHEN_OPTED_OUT


@dataclass(frozen=True, slots=True)
class KeywordTable:
    """One language's keywords and fixed phrases, written folded (no capitals or apostrophes).

    Every phrase must be the whole message. Single words are the carrier's own keywords;
    longer phrases are everyday ways of saying the same that nobody says about anything else.
    """

    stop: tuple[str, ...]
    start: tuple[str, ...]
    help: tuple[str, ...]


#: Opt-in words that are also everyday answers: "yes" opts in only a resident who has opted
#: out, and is otherwise an answer for the session waiting for it.
OPT_IN_ONLY_WHEN_OPTED_OUT = frozenset({"yes"})

# Twilio acts on its own keywords whatever we do: after STOP, CANCEL, END, QUIT and the rest it
# refuses to deliver to that number (error 21610) until START, YES or UNSTOP. So all of them
# are honoured here, exactly, and our records agree with the carrier's. Opting in stays with
# Twilio's words only: re-subscribing someone on a loose phrase is the unsafe direction.
ENGLISH = KeywordTable(
    stop=(
        "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
        "opt out",
        # Everyday opt-outs, each unmistakable as a whole message. "Leave me alone" is not
        # here: it is often said in a low moment, so it pauses (see pace) rather than ending
        # everything, and the catalyst hears of it.
        "stop messaging me", "stop texting me", "stop messaging", "stop texting",
        "stop sending me messages", "stop sending messages", "stop sending me texts",
        "stop sending texts", "stop contacting me", "stop the messages", "stop these messages",
        "stop all messages", "stop the texts", "stop these texts", "stop all texts",
        "stop messages", "stop texts", "no more messages", "no more texts", "no more texting",
        "no more messaging", "unsubscribe me", "take me off your list", "take me off the list",
        "remove me from your list", "remove me from the list", "remove me", "dont text me",
        "dont message me", "dont text me again", "dont message me again", "dont contact me",
        "do not text me", "do not message me", "do not contact me", "opt me out",
    ),
    start=("start", "unstop", "yes"),
    help=("help", "info"),
)  # fmt: skip

# Carriers accept the English keywords whatever the language; a language's table adds its own
# everyday phrases. The Polish ones want a review by a Polish speaker before wider use.
TABLES: Mapping[str, KeywordTable] = {
    "en": ENGLISH,
    "pl": KeywordTable(
        stop=("wypisz mnie", "nie chce wiecej wiadomosci", "nie chce wiecej smsow"),
        start=(),
        help=("pomoc",),
    ),
}

# Courteous words around an opt-out do not change it: "stop please", "please stop, thanks x".
# Nor around an opt-in ("yes please"). They do not count around HELP: "please help" is a call
# for help, for safeguarding to answer, not a request for the help menu.
_COURTESY = frozenset(
    {"please", "pls", "plz", "thanks", "thank", "you", "thankyou", "ta", "thx", "x", "xx", "xxx"}
)
_KINDS = (Keyword.STOP, Keyword.START, Keyword.HELP)
# Telegram sends commands as "/stop", or "/stop@CompanionBot" in a group.
_COMMAND = re.compile(r"/([A-Za-z]+)(?:@\w+)?")
_STRETCHED = re.compile(r"([^\W\d_])\1\1")


def _phrases(table: KeywordTable) -> dict[tuple[str, ...], tuple[Keyword, str]]:
    entries = {Keyword.STOP: table.stop, Keyword.START: table.start, Keyword.HELP: table.help}
    return {
        read_words(phrase): (keyword, phrase) for keyword in _KINDS for phrase in entries[keyword]
    }


_LOOKUP = {language: _phrases(table) for language, table in TABLES.items()}


def match_keyword(text: str, language: str = "en") -> KeywordMatch | None:
    """The carrier keyword `text` is as a whole message, in `language` or English, or None.

    Case, surrounding spaces and punctuation ("Stop.", "STOP!!", " stop ") are ignored, as is
    a Telegram command's slash ("/stop"). A keyword inside a sentence never counts: "the bus
    didn't stop" is a message, not an opt-out.
    """
    command = _COMMAND.fullmatch(text.strip())
    # A stretched word ("stoooop") is the same word said loudly.
    words = tuple(
        squeeze(word) if _STRETCHED.search(word) else word
        for word in read_words(command.group(1) if command else text)
    )
    if not words:
        return None
    base = language.lower().replace("_", "-").split("-")[0]
    tables = [_LOOKUP[base]] if base in _LOOKUP and base != "en" else []
    for lookup in [*tables, _LOOKUP["en"]]:
        found = _look_up(lookup, words)
        if found is not None:
            return found
    return None


def carrier_keyword(text: str, language: str = "en", *, opted_out: bool = False) -> Keyword | None:
    """The carrier keyword `text` is, or None.

    "yes" counts as START only when `opted_out` is True; otherwise it is an answer, and None
    is returned so that the pipeline passes it on. Use `match_keyword` to see the word itself.
    """
    found = match_keyword(text, language)
    if found is None or (found.only_when_opted_out and not opted_out):
        return None
    return found.keyword


def _look_up(
    lookup: Mapping[tuple[str, ...], tuple[Keyword, str]], words: tuple[str, ...]
) -> KeywordMatch | None:
    exact = lookup.get(words)
    if exact is not None:
        return KeywordMatch(*exact)
    # A repeated opt-out ("stop stop stop") or one wrapped in courtesy is still an opt-out.
    core = _strip_courtesy(words)
    if core and len(set(core)) == 1 and len(core) > 1:
        core = core[:1]
    found = lookup.get(core)
    if found is not None and found[0] is not Keyword.HELP:
        return KeywordMatch(*found)
    return None


def _strip_courtesy(words: tuple[str, ...]) -> tuple[str, ...]:
    start, end = 0, len(words)
    while start < end and words[start] in _COURTESY:
        start += 1
    while end > start and words[end - 1] in _COURTESY:
        end -= 1
    return words[start:end]
