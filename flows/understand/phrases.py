"""This module contains PhraseMatcher, which finds known phrases in a reply, typos and all."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from flows.understand.normalise import fold, split_words, squeeze

K = TypeVar("K")
K2 = TypeVar("K2")

_DIGIT = re.compile(r"\d")


def allowed_edits(length: int) -> int:
    """How many typos (OSA edits: insert, delete, substitute, swap) a word of `length` may have.

    Words of one or two letters get none: one edit turns "no" into "not", "now" or "on", and
    "ok" into "oh". Three to five letters get one ("yse" → yes, "gud" → "god", the squeezed
    "good"); longer words two ("wensday" → wednesday). Lengths are after squeezing repeats.
    """
    if length <= 2:
        return 0
    return 1 if length <= 5 else 2


@dataclass(frozen=True, slots=True)
class Match(Generic[K]):
    """Phrase `key` was found at words[start:end] with `edits` typos (0 for an exact match)."""

    key: K
    start: int
    end: int
    edits: int


class PhraseMatcher(Generic[K]):
    """Finds phrases in a reply's words: longest exact matches first, then typo matches.

    A phrase may lead to several keys (two choices sharing a synonym); all are reported.
    """

    def __init__(
        self, phrases: Iterable[tuple[str, K]], *, exact_only: Iterable[tuple[str, K]] = ()
    ) -> None:
        self._literal: dict[tuple[str, ...], list[K]] = {}
        self._squeezed: dict[tuple[str, ...], list[K]] = {}
        fuzzy: dict[int, dict[str, list[K]]] = {}
        for allow_typos, entries in ((True, phrases), (False, exact_only)):
            for phrase, key in entries:
                words = split_words(fold(phrase))
                if not words:
                    continue
                squeezed = tuple(squeeze(word) for word in words)
                _add(self._literal, words, key)
                _add(self._squeezed, squeezed, key)
                if allow_typos and not _DIGIT.search(phrase):
                    _add(fuzzy.setdefault(len(words), {}), " ".join(squeezed), key)
        self._lengths = sorted({len(words) for words in self._literal}, reverse=True)
        self._fuzzy = {n: (list(table), list(table.values())) for n, table in fuzzy.items()}
        self._fuzzy_lengths = sorted(self._fuzzy, reverse=True)

    def find(
        self, words: Sequence[str], *, skip: Collection[str] = (), taken: Collection[int] = ()
    ) -> list[Match[K]]:
        """Every phrase in `words`, without overlaps. Words in `skip` are never typo-matched;
        positions in `taken` are already read as something else and are left alone."""
        squeezed = [squeeze(word) for word in words]
        covered = [i in taken for i in range(len(words))]
        found: list[Match[K]] = []
        for n in self._lengths:
            for i in range(len(words) - n + 1):
                if True in covered[i : i + n]:
                    continue
                keys = self._literal.get(tuple(words[i : i + n])) or self._squeezed.get(
                    tuple(squeezed[i : i + n])
                )
                if keys:
                    found.extend(Match(key, i, i + n, 0) for key in keys)
                    covered[i : i + n] = [True] * n
        for n in self._fuzzy_lengths:
            for i in range(len(words) - n + 1):
                window = squeezed[i : i + n]
                if True in covered[i : i + n] or (n == 1 and words[i] in skip):
                    continue
                matches = self._fuzzy_window(window)
                if matches:
                    edits, keys = matches
                    found.extend(Match(key, i, i + n, edits) for key in keys)
                    covered[i : i + n] = [True] * n
        return found

    def _fuzzy_window(self, window: list[str]) -> tuple[int, list[K]] | None:
        query = " ".join(window)
        limit = allowed_edits(len(query))
        # Digits never match by typo: "1" must not be read as "11".
        if not limit or _DIGIT.search(query):
            return None
        strings, keys = self._fuzzy[len(window)]
        hits = [
            (edits, index)
            for phrase, edits, index in process.extract(
                query, strings, scorer=OSA.distance, score_cutoff=limit, limit=None
            )
            if edits <= allowed_edits(min(len(query), len(phrase)))
            # Two slips and a different first letter is another word ("killing" is not
            # "middling"): people seldom mistype the letter they start with.
            and (edits < 2 or phrase[:1] == query[:1])
        ]
        if not hits:
            return None
        best = min(edits for edits, _ in hits)
        return best, [key for edits, index in hits if edits == best for key in keys[index]]


def closest(edits_by_key: Mapping[K, int], margin: int = 1) -> list[K]:
    """The keys whose typo count is within `margin` of the best: they are equally likely meant.

    With a margin of one, "gud and bad" names both choices, while a word two typos away
    does not outweigh an exact match.
    """
    if not edits_by_key:
        return []
    best = min(edits_by_key.values())
    return [key for key, edits in edits_by_key.items() if edits <= best + margin]


def _add(table: dict[K2, list[K]], phrase: K2, key: K) -> None:
    keys = table.setdefault(phrase, [])
    if key not in keys:
        keys.append(key)
