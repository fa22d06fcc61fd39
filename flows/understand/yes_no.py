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
        # "Not too bad", "can't complain": how someone is, said with a "not". The "not" in
        # them is no answer to "Would you like a call?".
        self.how_they_are = PhraseMatcher((), exact_only=_negated_moods(vocabulary))

    def says_how_they_are(self, words: tuple[str, ...]) -> bool:
        plain = self.vocabulary.plain_negations(words)
        return bool(self.how_they_are.find(plain))


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
        # A "no" that is only a "not" or a yes word turned round ("not good"), in a reply
        # that says how the resident is ("not too bad"), is no answer: ask again.
        only_negation = True
        for match in reading.matcher.find(words, skip=vocabulary.known):
            key = match.key
            turned = key == "yes" and negated(words, match.start, vocabulary)
            if turned:
                key = "no"  # "not good", "not too great": a yes word turned round
            bare_negator = vocabulary.negators.issuperset(words[match.start : match.end])
            if key == "no" and not (turned or bare_negator):
                only_negation = False
            edits[key] = min(edits.get(key, match.edits), match.edits)
        if "no" in edits and only_negation and reading.says_how_they_are(words):
            del edits["no"]
            edits[_UNSURE] = 0
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


def _negated_moods(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Every way of being well enough said with a negator ("not too bad", "cant complain"),
    as read. ("not good" stays a no: to "Are you alright?" it is one.)"""
    found = []
    for mood in ("good", "ok"):
        for phrase in (*vocabulary.hedges.get(mood, ()), *vocabulary.moods.get(mood, ())):
            plain = vocabulary.plain_phrase(phrase)
            words = plain.split()
            if len(words) > 1 and not vocabulary.negators.isdisjoint(words):
                found.append((plain, "mood"))
    return found
