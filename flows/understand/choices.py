"""This module contains the reader for choice answers: by number, label, synonym, typo or emoji."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flows.types import Choice
from flows.understand.normalise import Reply, emoji_form, fold, split_words
from flows.understand.number_words import ONE_AS_PRONOUN_AFTER, is_ordinal, token_number
from flows.understand.phrases import PhraseMatcher, closest
from flows.understand.results import Ambiguous, NotUnderstood, Understanding, Understood
from flows.understand.vocabulary import VOCABULARIES, negated, vocabulary_language


class ChoiceReader:
    """Reads which of `choices` a reply means; built once per question, matching per language."""

    def __init__(self, choices: Sequence[Choice]) -> None:
        self._choices = tuple(choices)
        self._by_number = {choice.number: i for i, choice in enumerate(self._choices)}
        self._emoji = [(emoji_form(e), i) for i, c in enumerate(self._choices) for e in c.emoji]
        self._languages = {lang for c in self._choices for lang in (*c.labels, *c.words)}
        self._matchers: dict[tuple[str, str], PhraseMatcher[int]] = {}

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        vocabulary = VOCABULARIES[vocabulary_language(language)]
        sent = vocabulary.respell(reply.words)
        # "no 1", "number 1", "option 1": the prefix only introduces the number.
        words = [
            word
            for i, word in enumerate(sent)
            if not (
                word in vocabulary.number_prefixes
                and sent[i + 1 : i + 2]
                and sent[i + 1].isdecimal()
            )
        ]
        if len(words) == 1 and (number := token_number(words[0])) is not None:
            return self._numbered(number, language)  # a bare number wins over any label
        edits: dict[int, int] = {}
        covered: set[int] = set()
        refused: list[int] = []
        for match in self._matcher(language).find(words, skip=vocabulary.known):
            covered.update(range(match.start, match.end))
            if negated(words, match.start, vocabulary):
                refused.append(match.key)  # "not good" must not be read as "good"
            else:
                edits[match.key] = min(edits.get(match.key, match.edits), match.edits)
        beyond: list[int] = []
        for i, word in enumerate(words):
            number = None if i in covered else token_number(word)
            if number is None or (word == "one" and i and _pronoun_one(words[i - 1])):
                continue
            if number in self._by_number:
                edits[self._by_number[number]] = 0
            else:
                beyond.append(number)
        if not reply.text.isascii():
            symbols = emoji_form(reply.text)
            edits.update((i, 0) for emoji, i in self._emoji if emoji in symbols)
        found = sorted(closest(edits))
        if len(found) > 1:
            return Ambiguous(tuple(self._choices[i].id for i in found))
        if found:
            return self._understood(found[0], language)
        if beyond:
            return self._numbered(beyond[0], language)
        if refused:
            return NotUnderstood(f"the reply says it is not {self._label(refused[0], language)!r}")
        return NotUnderstood("no choice found")

    def _numbered(self, number: int, language: str) -> Understanding:
        if number in self._by_number:
            return self._understood(self._by_number[number], language)
        return NotUnderstood(f"number {number} is not one of the choices 1 to {len(self._choices)}")

    def _understood(self, index: int, language: str) -> Understood:
        choice = self._choices[index]
        return Understood(choice.id, choice.id, self._label(index, language))

    def _label(self, index: int, language: str) -> str:
        choice = self._choices[index]
        return choice.labels.get(language) or next(iter(choice.labels.values()), choice.id)

    def _matcher(self, language: str) -> PhraseMatcher[int]:
        # Languages no choice mentions share one fallback matcher per vocabulary.
        vocabulary_key = vocabulary_language(language)
        key = (language if language in self._languages else "", vocabulary_key)
        if key not in self._matchers:
            # Labels are respelt like replies, so a label "luv" still matches a reply "luv".
            respell = VOCABULARIES[vocabulary_key].respell
            self._matchers[key] = PhraseMatcher(
                (" ".join(respell(split_words(fold(phrase)))), i)
                for i, c in enumerate(self._choices)
                for phrase in _phrases(c, key[0])
            )
        return self._matchers[key]


def _phrases(choice: Choice, language: str) -> list[str]:
    """The choice's id, label and synonyms in `language`; all languages' if it has no label."""
    if language in choice.labels:
        return [choice.id, choice.labels[language], *choice.words.get(language, ())]
    return [choice.id, *choice.labels.values(), *(w for ws in choice.words.values() for w in ws)]


def _pronoun_one(previous: str) -> bool:
    return previous in ONE_AS_PRONOUN_AFTER or is_ordinal(previous)
