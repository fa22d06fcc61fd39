"""This module contains the phrase matching the classifiers share: patterns and a cautious speller.

It imports none of the classifiers (`safeguarding`, `pace`), so that they can import it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from flows.understand.normalise import split_words, squeeze

K = TypeVar("K")
K_co = TypeVar("K_co", covariant=True)

#: Pattern anchors: "^" only at the start of the message, "$" only at its end (words the book
#: was told are ignorable, such as "please" or "x", may stand beyond either).
START = "^"
END = "$"
_ANCHORS = frozenset({START, END})
_GROUP = re.compile(r"\(([^()]*)\)")
_STRETCHED = re.compile(r"([^\W\d_])\1\1")
_CACHE_LIMIT = 10_000


# Marks dropped after decomposition: Latin accents ("pomóż" is often typed "pomoz", "não"
# "nao"), and the Arabic-script vowel marks, tatweel and hamza sign that Urdu writers add or
# leave out at will. Bengali vowel signs are kept: they are letters of the word, not accents.
_DROPPED = dict.fromkeys(
    [
        *range(0x0300, 0x0370),
        *range(0x064B, 0x0660),
        0x0640,
        0x0670,
        *range(0x200B, 0x2010),  # zero-width space, joiners, direction marks
        0x2060,
        0xFEFF,
        *map(ord, "'’‘ʼ`´"),
    ]
)
# Latin letters that do not decompose, and Arabic-script letters that keyboards type in two
# forms (Arabic yeh and kaf, Urdu yeh and keheh): each is folded to one form.
_LETTERS = str.maketrans(
    {
        "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i",
        "ħ": "h", "þ": "th", "ŀ": "l",
        "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """`text` as patterns see it: lower case, decomposed, accents and optional marks gone.

    Compatibility decomposition (NFKD) puts every script in one normal form, so that a Bengali
    or Urdu letter typed precomposed or in parts, or an Arabic presentation form, compares equal.
    """
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_DROPPED).translate(_LETTERS)
    else:
        text = text.translate(_DROPPED)
    return _SPACES.sub(" ", text).strip()


def read_words(text: str) -> tuple[str, ...]:
    """The words of a message as patterns see them: folded, apostrophes and punctuation gone."""
    return split_words(fold(text))


def expand(pattern: str) -> list[tuple[str, ...]]:
    """Every word sequence a pattern stands for.

    "(a|b c|) d" gives ("a", "d"), ("b", "c", "d") and ("d",): an empty choice makes a group
    optional. Writing phrases this way keeps the tables short enough for staff to review.
    """
    pieces = _GROUP.split(pattern)
    # re.split with one group alternates plain text (even indexes) and group contents (odd).
    options = [[piece] if i % 2 == 0 else piece.split("|") for i, piece in enumerate(pieces)]
    sequences = (tuple(" ".join(choice).split()) for choice in product(*options))
    return list(dict.fromkeys(words for words in sequences if words))


#: More word sequences than this from one pattern is a mistake (a choice list pasted twice),
#: and would slow every rebuild of the book.
MAX_SEQUENCES = 5_000


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` could never match a folded message, in plain words, or None if it can."""
    if not pattern.strip():
        return "the pattern is empty"
    depth = 0
    for char in pattern:
        if char == "(":
            if depth:
                return "a choice '(...)' is inside another choice; write them one after another"
            depth += 1
        elif char == ")":
            if not depth:
                return "a ')' closes a choice that was never opened"
            depth -= 1
        elif char == "|" and not depth:
            return "a '|' stands outside a choice '(a|b)'"
    if depth:
        return "a '(' opens a choice that is never closed"
    count = 1
    for group in _GROUP.findall(pattern):
        count *= group.count("|") + 1
    if count > MAX_SEQUENCES:
        return f"the choices make {count} phrases, more than the {MAX_SEQUENCES} allowed"
    for sequence in expand(pattern):
        for word in sequence:
            if word not in _ANCHORS and not read_words(word):
                return f"{word!r} has no letter or digit, so no message can hold it"
    try:
        sequences = folded_sequences(pattern)
    except ValueError as exc:
        return str(exc)
    if not sequences:
        return "the pattern has no words"
    return None


def folded_sequences(pattern: str) -> list[tuple[str, ...]]:
    """Every word sequence `pattern` stands for, folded as messages are: "Can't" gives "cant".

    Raises ValueError when an anchor stands away from the ends of a sequence, or alone.
    """
    folded: list[tuple[str, ...]] = []
    for sequence in expand(pattern):
        words: list[str] = []
        for word in sequence:
            words.extend((word,) if word in _ANCHORS else read_words(word))
        if words:
            _check_anchors(tuple(words))
            folded.append(tuple(words))
    return list(dict.fromkeys(folded))


def _check_anchors(words: tuple[str, ...]) -> None:
    if START in words[1:] or END in words[:-1] or set(words) <= _ANCHORS:
        raise ValueError(
            "'^' may stand only first and '$' only last, with at least one word beside them"
        )


@dataclass(frozen=True, slots=True)
class Hit(Generic[K_co]):
    """A phrase for `key` was found at words[start:end]."""

    key: K_co
    start: int
    end: int


class _Node(Generic[K]):
    """One word of a trie of patterns: what ends here, at the message end or anywhere."""

    __slots__ = ("children", "keys", "keys_at_end")  # many thousands are made: keep them small

    def __init__(self) -> None:
        self.children: dict[str, _Node[K]] = {}
        self.keys: list[K] = []
        self.keys_at_end: list[K] = []


class PhraseBook(Generic[K]):
    """Finds every pattern in a message's words, exactly, word for word.

    Typos are dealt with before this, by `Speller`, so that what counts as a typo is decided
    in one cautious place rather than by a loose whole-phrase distance. Patterns sit in a trie,
    so a long message costs its length times the longest pattern, not times the number of
    patterns.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, K]] = (),
        *,
        ignorable: Iterable[str] = (),
        sequences: Iterable[tuple[tuple[str, ...], K]] = (),
    ) -> None:
        """A book of `entries` (pattern, key), written folded, and of `sequences`, already
        expanded and folded (see `folded_sequences`)."""
        self._ignorable = frozenset(ignorable)
        self._root: _Node[K] = _Node()
        self._anchored: _Node[K] = _Node()  # patterns that begin with "^"
        self._words_seen: set[str] = set()
        for pattern, key in entries:
            for words in expand(pattern):
                _check_words(words, pattern)
                self._add(words, key)
        for words, key in sequences:
            _check_words(words, " ".join(words))
            self._add(words, key)
        #: Every word some pattern uses: the speller never turns these into something else.
        self.vocabulary = frozenset(self._words_seen)

    def _add(self, words: tuple[str, ...], key: K) -> None:
        self._words_seen.update(word for word in words if word not in _ANCHORS)
        node = self._root
        if words[0] == START:
            node, words = self._anchored, words[1:]
        at_end = bool(words) and words[-1] == END
        if at_end:
            words = words[:-1]
        for word in words:
            node = node.children.setdefault(word, _Node())
        (node.keys_at_end if at_end else node.keys).append(key)

    def find(self, words: Sequence[str]) -> list[Hit[K]]:
        """Every occurrence of every pattern, overlaps included, in order of position."""
        lead = 0
        while lead < len(words) and words[lead] in self._ignorable:
            lead += 1
        trail = len(words)
        while trail > 0 and words[trail - 1] in self._ignorable:
            trail -= 1
        hits: list[Hit[K]] = []
        for start in range(len(words)):
            roots = [self._root, self._anchored] if start <= lead else [self._root]
            for node in roots:
                at = start
                while True:
                    if at > start:
                        hits.extend(Hit(key, start, at) for key in node.keys)
                        if at >= trail:
                            hits.extend(Hit(key, start, at) for key in node.keys_at_end)
                    child = node.children.get(words[at]) if at < len(words) else None
                    if child is None:
                        break
                    node, at = child, at + 1
        return hits


def _check_words(words: tuple[str, ...], pattern: str) -> None:
    # A pattern written with an apostrophe or a capital could never match a folded message, and
    # for safeguarding a phrase that silently never matches is the worst kind of bug.
    if START in words[1:] or END in words[:-1] or set(words) <= _ANCHORS:
        raise ValueError(f"Pattern {pattern!r} has an anchor away from its ends, or only one.")
    for word in words:
        if word not in _ANCHORS and split_words(fold(word)) != (word,):
            raise ValueError(f"Pattern {pattern!r} has {word!r}, which no folded message holds.")


class Speller:
    """Corrects a message's words towards a few target words, only where a typo is safe to assume.

    A word is left alone when it is known (any pattern word, or a `protected` everyday word
    such as "calling", one letter from "falling"). Otherwise a deliberately stretched word
    ("heeelp") is squeezed back, and a word of five letters or more may be one edit from a
    target: any edit when both are six letters or longer ("fallne" → fallen), only two letters
    swapped or a double letter typed once at five ("chset" → chest, "falen" → fallen), since
    one changed letter in a short word makes a new word ("chess", "cheat"). Words under five
    letters are never corrected: "fel" could be fell or feel.
    """

    def __init__(
        self, vocabulary: Iterable[str], targets: Iterable[str], protected: Iterable[str] = ()
    ) -> None:
        known = frozenset(vocabulary)
        self._known = known | frozenset(protected)
        self._targets = sorted(frozenset(targets))
        squeezed: dict[str, set[str]] = {}
        for word in known:
            squeezed.setdefault(squeeze(word), set()).add(word)
        # Only squeezed forms that stand for one word: if two words share one, guessing between
        # them would be a coin toss.
        self._squeezed = {
            short: next(iter(words)) for short, words in squeezed.items() if len(words) == 1
        }
        self._cache: dict[str, str] = {}

    def correct(self, words: Sequence[str]) -> tuple[str, ...]:
        """`words` with each likely typo of a target replaced by the target."""
        return tuple(self.correct_word(word) for word in words)

    def correct_word(self, word: str) -> str:
        if word in self._known:
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        corrected = self._guess(word)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = corrected
        return corrected

    def _guess(self, word: str) -> str:
        if _STRETCHED.search(word):
            found = self._squeezed.get(squeeze(word))
            if found is not None:
                return found
        if len(word) < 5 or not word.isalpha() or not self._targets:
            return word
        best = process.extractOne(word, self._targets, scorer=OSA.distance, score_cutoff=1)
        if best is None:
            return word
        target = best[0]
        # Below six letters only two swapped letters or a dropped double ("falen") count.
        if min(len(word), len(target)) >= 6 or sorted(word) == sorted(target):
            return target
        return target if squeeze(word) == squeeze(target) else word
