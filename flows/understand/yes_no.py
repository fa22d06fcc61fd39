"""This module contains the reader for yes/no answers, in everyday words, typos and emoji."""

from __future__ import annotations

from datetime import date

from flows.understand.normalise import Reply, emoji_form
from flows.understand.phrases import PhraseMatcher, closest
from flows.understand.results import Ambiguous, NotUnderstood, Understanding, Understood
from flows.understand.vocabulary import VOCABULARIES, Vocabulary, negated, vocabulary_language

_UNSURE = "unsure"


class _Reading:
    """One language's yes/no vocabulary, prepared for matching."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.matcher = PhraseMatcher(
            [(phrase, "yes") for phrase in vocabulary.yes]
            + [(phrase, "no") for phrase in vocabulary.no]
            + [(phrase, _UNSURE) for phrase in vocabulary.unsure]
        )
        self.emoji = [(emoji_form(e), "yes") for e in vocabulary.yes_emoji] + [
            (emoji_form(e), "no") for e in vocabulary.no_emoji
        ]


# Shared by every yes/no question: the vocabulary is per language, not per question.
_READINGS: dict[str, _Reading] = {}


def _reading(language: str) -> _Reading:
    key = vocabulary_language(language)
    if key not in _READINGS:
        _READINGS[key] = _Reading(VOCABULARIES[key])
    return _READINGS[key]


class YesNoReader:
    """Reads "yes"/"no" answers. Digits are not answers: Telegram's buttons send the words."""

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        reading = _reading(language)
        vocabulary = reading.vocabulary
        edits: dict[str, int] = {}
        words = vocabulary.respell(reply.words)
        for match in reading.matcher.find(words, skip=vocabulary.known):
            key = match.key
            if key == "yes" and negated(words, match.start, vocabulary):
                key = "no"  # "not good", "not too great": a yes word turned round
            edits[key] = min(edits.get(key, match.edits), match.edits)
        if not reply.text.isascii():
            symbols = emoji_form(reply.text)
            for emoji, key in reading.emoji:
                if emoji in symbols:
                    edits[key] = 0
        unsure = edits.pop(_UNSURE, None) is not None
        answers = closest(edits)
        if len(answers) > 1:
            return Ambiguous(("yes", "no"))
        if answers:
            return Understood(answers[0], answers[0], answers[0])
        return NotUnderstood("the reply sounds unsure" if unsure else "no yes or no found")
