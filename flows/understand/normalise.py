"""This module contains reply normalisation: folding case and accents, words, and emoji forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Presentation selectors, skin tones and the keycap mark change only how a symbol looks, so
# "❤" and "❤️", "👍" and "👍🏽", "1" and "1️⃣" must compare equal.
_DECORATIONS: dict[int, None] = {
    0xFE0E: None,
    0xFE0F: None,
    0x20E3: None,
    **dict.fromkeys(range(0x1F3FB, 0x1F400)),
}
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´"))
_ACCENTS = re.compile("[\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"([^\W\d_])\1+")
_CACHE_LIMIT = 10_000


class _WordChars(dict[int, int | str | None]):
    """A `str.translate` table keeping letters, digits and marks, and turning the rest to spaces.

    Marks are kept so that words in scripts with vowel signs (Bengali, Hindi) stay whole. The
    table fills itself as characters are seen, up to a limit so odd input cannot grow it forever.
    """

    def __missing__(self, codepoint: int) -> int | str | None:
        keep = unicodedata.category(chr(codepoint))[0] in "LNM"
        value = codepoint if keep else " "
        if len(self) < _CACHE_LIMIT:
            self[codepoint] = value
        return value


_WORD_CHARS = _WordChars(_DECORATIONS)


def fold(text: str) -> str:
    """Lower-case `text`, drop accents and apostrophes, and collapse whitespace."""
    text = text.casefold()
    if not text.isascii():
        text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip()


def split_words(folded: str) -> tuple[str, ...]:
    """The words of already folded text: runs of letters and digits, punctuation dropped."""
    return tuple(folded.translate(_WORD_CHARS).split())


@lru_cache(maxsize=8192)  # replies repeat the same few words, and a regex sub is slow
def squeeze(word: str) -> str:
    """Collapse repeated letters ("gooood" → "god"), so stretched words match their stems."""
    return _REPEATS.sub(r"\1", word)


def emoji_form(text: str) -> str:
    """`text` without emoji decorations, for matching emoji by substring."""
    return text.translate(_DECORATIONS)


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply read once: trimmed as sent, folded, and split into words."""

    text: str
    folded: str
    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Reply:
        folded = fold(text)
        return cls(text.strip(), folded, split_words(folded))
