"""This module contains the reader for choice answers: by number, label, synonym, typo or emoji.

Besides the flow's own words it knows everyday hedges ("not too bad", "could be better"), which
it places on the choice labelled for that way of being. A reply that says more than a choice is
passed on rather than read at face value, and a number in a time or date is never a choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flows.types import Choice
from flows.understand.normalise import Reply, emoji_form
from flows.understand.number_context import has_time_or_date, part_of_time_or_date
from flows.understand.number_words import ONE_AS_PRONOUN_AFTER, is_ordinal, token_number
from flows.understand.phrases import PhraseMatcher, closest
from flows.understand.results import (
    Ambiguous,
    NotUnderstood,
    PassOn,
    Understanding,
    Understood,
)
from flows.understand.vocabulary import VOCABULARIES, Vocabulary, negated, vocabulary_language

#: The way of being whose choice is never followed when a reply says more than it.
HAPPIEST = "good"
#: Words of a reply that no choice, hedge or filler explains; this many means it says more.
MANY_OTHER_WORDS = 3


@dataclass
class _Scan:
    """What one reading of a reply's words found."""

    edits: dict[int, int] = field(default_factory=dict)
    covered: set[int] = field(default_factory=set)
    refused: list[int] = field(default_factory=list)
    beyond: list[int] = field(default_factory=list)
    unplaced: bool = False
    says_more: bool = False

    @property
    def found(self) -> list[int]:
        return sorted(closest(self.edits))


@dataclass(frozen=True)
class _Language:
    """A question's matchers for one language: its own phrases, and the hedges it can place."""

    phrases: PhraseMatcher[int]
    hedges: PhraseMatcher[str]
    moods: dict[str, int]


class ChoiceReader:
    """Reads which of `choices` a reply means; built once per question, matching per language."""

    def __init__(self, choices: Sequence[Choice]) -> None:
        self._choices = tuple(choices)
        self._by_number = {choice.number: i for i, choice in enumerate(self._choices)}
        self._emoji = [(emoji_form(e), i) for i, c in enumerate(self._choices) for e in c.emoji]
        self._languages = {lang for c in self._choices for lang in (*c.labels, *c.words)}
        self._prepared: dict[tuple[str, str], _Language] = {}

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        vocabulary = VOCABULARIES[vocabulary_language(language)]
        words = _words(reply, vocabulary)
        if len(words) == 1 and (number := token_number(words[0])) is not None:
            return self._numbered(number, language)  # a bare number wins over any label
        prepared = self._language(language)
        scan = self._scan(words, reply, prepared, vocabulary)
        if len(words) > 1 and words[0] in vocabulary.openers:
            # "well not great": a leading "well" opens the answer rather than being one.
            rest = self._scan(words[1:], reply, prepared, vocabulary)
            if rest.edits or rest.unplaced:
                scan = rest
        return self._decide(scan, prepared, language)

    def _decide(self, scan: _Scan, prepared: _Language, language: str) -> Understanding:
        found = scan.found
        if scan.says_more:
            if len(found) != 1:
                # Nothing to follow (or two answers): asking again is better than guessing.
                return NotUnderstood("the reply says more than a choice")
            follow = prepared.moods.get(HAPPIEST) != found[0]
            return PassOn(self._understood(found[0], language), follow, "it says more than that")
        if scan.unplaced and not found:
            return NotUnderstood("the reply says how they are in words no choice is labelled for")
        if len(found) > 1:
            return Ambiguous(tuple(self._choices[i].id for i in found))
        if found:
            return self._understood(found[0], language)
        if scan.beyond:
            return self._numbered(scan.beyond[0], language)
        if scan.refused:
            label = self._label(scan.refused[0], language)
            return NotUnderstood(f"the reply says it is not {label!r}")
        return NotUnderstood("no choice found")

    def _scan(
        self, words: Sequence[str], reply: Reply, prepared: _Language, vocabulary: Vocabulary
    ) -> _Scan:
        scan = _Scan()
        for hedge in prepared.hedges.find(words):
            scan.covered.update(range(hedge.start, hedge.end))
            index = prepared.moods.get(hedge.key)
            if index is None:
                scan.unplaced = True
            else:
                scan.edits[index] = 0
        for match in prepared.phrases.find(words, skip=vocabulary.known, taken=scan.covered):
            scan.covered.update(range(match.start, match.end))
            if negated(words, match.start, vocabulary):
                scan.refused.append(match.key)  # "not good" must not be read as "good"
            else:
                scan.edits[match.key] = min(scan.edits.get(match.key, match.edits), match.edits)
        clock = has_time_or_date(reply.folded)
        for i, word in enumerate(words):
            number = None if i in scan.covered else token_number(word)
            if number is None or (word == "one" and i and _pronoun_one(words[i - 1])):
                continue
            scan.covered.add(i)
            if clock or part_of_time_or_date(words, i, vocabulary):
                continue
            if number in self._by_number:
                scan.edits[self._by_number[number]] = 0
            else:
                scan.beyond.append(number)
        if not reply.text.isascii():
            symbols = emoji_form(reply.text)
            scan.edits.update((i, 0) for emoji, i in self._emoji if emoji in symbols)
        scan.says_more = _says_more(words, scan.covered, vocabulary)
        return scan

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

    def _language(self, language: str) -> _Language:
        # Languages no choice mentions share one fallback per vocabulary.
        vocabulary_key = vocabulary_language(language)
        key = (language if language in self._languages else "", vocabulary_key)
        if key not in self._prepared:
            self._prepared[key] = self._prepare(key[0], VOCABULARIES[vocabulary_key])
        return self._prepared[key]

    def _prepare(self, language: str, vocabulary: Vocabulary) -> _Language:
        # Labels and hedges are read like replies, so "luv" or "not so good" in a label still
        # meets the same words in a reply.
        phrases = [
            (vocabulary.plain_phrase(phrase), i)
            for i, choice in enumerate(self._choices)
            for phrase in _phrases(choice, language)
        ]
        own = {phrase for phrase, _ in phrases}
        moods = {}
        for mood, words in vocabulary.moods.items():
            for word in (vocabulary.plain_phrase(w) for w in words):
                matching = {i for phrase, i in phrases if phrase == word}
                if matching:
                    if len(matching) == 1:
                        moods[mood] = matching.pop()
                    break
        hedges = [
            (plain, mood)
            for mood, items in vocabulary.hedges.items()
            for plain in (vocabulary.plain_phrase(item) for item in items)
            if plain not in own  # the flow's own words say where they belong
        ]
        return _Language(PhraseMatcher(phrases), PhraseMatcher((), exact_only=hedges), moods)


def _words(reply: Reply, vocabulary: Vocabulary) -> tuple[str, ...]:
    sent = vocabulary.plain_negations(vocabulary.respell(reply.words))
    # "no 1", "number 1", "option 1": the prefix only introduces the number.
    return tuple(
        word
        for i, word in enumerate(sent)
        if not (
            word in vocabulary.number_prefixes and sent[i + 1 : i + 2] and sent[i + 1].isdecimal()
        )
    )


def _says_more(words: Sequence[str], covered: set[int], vocabulary: Vocabulary) -> bool:
    """Whether the reply says more than an answer: several words nothing explains, or a second
    thought joined on ("fine but my knee hurts")."""
    unexplained = [
        i
        for i, word in enumerate(words)
        if i not in covered
        and word not in vocabulary.known
        and word not in vocabulary.openers
        and word not in vocabulary.joiners
        and word not in vocabulary.softeners
        and word not in vocabulary.negators
    ]
    if len(unexplained) >= MANY_OTHER_WORDS:
        return True
    joins = [i for i, word in enumerate(words) if word in vocabulary.joiners and i not in covered]
    return bool(joins) and any(i > joins[0] for i in unexplained)


def _phrases(choice: Choice, language: str) -> list[str]:
    """The choice's id, label and synonyms in `language`; all languages' if it has no label."""
    if language in choice.labels:
        return [choice.id, choice.labels[language], *choice.words.get(language, ())]
    return [choice.id, *choice.labels.values(), *(w for ws in choice.words.values() for w in ws)]


def _pronoun_one(previous: str) -> bool:
    return previous in ONE_AS_PRONOUN_AFTER or is_ordinal(previous)
