"""This module contains the phrase matching the classifiers share: patterns and a cautious speller.

It imports none of the classifiers (`safeguarding`, `pace`), so that they can import it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
#: A gap: up to GAP_WORDS words of any kind, so "(hell|he will) * kill me" also finds "he will
#: really kill me". It stands between words, as a slot of its own, never first or last.
GAP = "*"
GAP_WORDS = 4
#: "Near": the words before it and the words after it, in either order, with up to GAP_WORDS
#: words between, so "(chest|heart) ~ (pain|hurts)" finds "pain in my chest" and "my chest
#: really hurts" alike. It joins two parts, once per pattern, with no anchor or gap beside it.
NEAR = "~"
#: A word ending in "*" (as "klatk*") stands for every word that begins with it: "klatce",
#: "klatka", "klatkę". Inflected languages need it; the stem must be STEM_LETTERS long or more,
#: since a shorter one begins too many everyday words.
STEM = "*"
STEM_LETTERS = 4
_SPECIAL = frozenset({START, END, GAP, NEAR})
_GROUP = re.compile(r"\(([^()]*)\)")
_STRETCHED = re.compile(r"([^\W\d_])\1\1")
_DOUBLED = re.compile(r"([^\W\d_])\1")
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


Choice = tuple[tuple[str, ...], ...]  # the word sequences one slot of a pattern may be


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` could never match a folded message, in plain words, or None if it can."""
    try:
        compile_pattern(pattern, fold=True)
    except ValueError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=_CACHE_LIMIT)  # the admin rebuilds a book of mostly the same patterns
def compile_pattern(pattern: str, *, fold: bool = False) -> tuple[Choice, ...]:
    """`pattern` as slots, each a choice of word sequences ("(a|b c|) d" gives
    ((("a",), ("b", "c"), ()), (("d",),))), without listing every sequence it stands for.

    With `fold`, each word is folded as messages are ("Can't" gives "cant"); without, a word
    no folded message could hold is refused. Raises ValueError saying what is wrong, in plain
    words: for safeguarding a phrase that silently never matches is the worst kind of bug.
    """
    if not pattern.strip():
        raise ValueError("the pattern is empty")
    _check_brackets(pattern)
    if NEAR in pattern:
        return _compile_near(pattern, fold)
    pieces = _GROUP.split(pattern)
    slots: list[Choice] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:  # plain words between choices: each is a slot of one sequence
            slots.extend(((word,),) for word in _words_of(piece, pattern, fold))
        else:
            options = tuple(_words_of(option, pattern, fold) for option in piece.split("|"))
            if any(GAP in option for option in options):
                raise ValueError("a gap '*' stands inside a choice; put it between words")
            if any(NEAR in option for option in options):
                raise ValueError("a near sign '~' stands inside a choice; put it between words")
            slots.append(tuple(dict.fromkeys(options)))
    _check_anchors([slot for slot in slots if slot != _GAP_SLOT])
    _check_gaps(slots)
    return tuple(slots)


_GAP_SLOT: Choice = ((GAP,),)
_NEAR_SLOT: Choice = ((NEAR,),)


def _compile_near(pattern: str, fold: bool) -> tuple[Choice, ...]:
    """A near pattern "a ~ b" as the slots of "a", a near slot, and the slots of "b"."""
    if any(NEAR in group for group in _GROUP.findall(pattern)):
        raise ValueError("a near sign '~' stands inside a choice; put it between words")
    if pattern.count(NEAR) > 1:
        raise ValueError("the near sign '~' stands more than once; it joins just two parts")
    before, after = pattern.split(NEAR)
    if not before.strip() or not after.strip():
        raise ValueError("the near sign '~' needs words on both sides, as in '(chest) ~ (pain)'")
    parts = [compile_pattern(part, fold=fold) for part in (before, after)]
    for slot in (*parts[0], *parts[1]):
        if slot == _GAP_SLOT or any(word in _ANCHORS for option in slot for word in option):
            raise ValueError(
                "a near pattern '... ~ ...' cannot hold '^', '$' or a gap '*': either part may"
                " already stand anywhere within a few words of the other"
            )
    return (*parts[0], _NEAR_SLOT, *parts[1])


def near_orders(slots: tuple[Choice, ...]) -> tuple[tuple[Choice, ...], ...]:
    """The slot sequences a pattern matches as: itself, or for a near pattern "a ~ b", "a * b"
    and "b * a"."""
    if _NEAR_SLOT not in slots:
        return (slots,)
    at = slots.index(_NEAR_SLOT)
    before, after = slots[:at], slots[at + 1 :]
    return ((*before, _GAP_SLOT, *after), (*after, _GAP_SLOT, *before))


def _check_gaps(slots: list[Choice]) -> None:
    real = [index for index, slot in enumerate(slots) if not _is_anchor(slot)]
    for index, slot in enumerate(slots):
        if slot == _GAP_SLOT and (index <= real[0] or index >= real[-1]):
            raise ValueError("a gap '*' stands first or last; it may only stand between words")
        if slot == _GAP_SLOT and slots[index + 1] == _GAP_SLOT:
            raise ValueError("two gaps '* *' stand together; one gap already spans several words")


def _check_brackets(pattern: str) -> None:
    depth = 0
    for char in pattern:
        if char == "(":
            if depth:
                raise ValueError(
                    "a choice '(...)' is inside another choice; write them one after another"
                )
            depth += 1
        elif char == ")":
            if not depth:
                raise ValueError("a ')' closes a choice that was never opened")
            depth -= 1
        elif char == "|" and not depth:
            raise ValueError("a '|' stands outside a choice '(a|b)'")
    if depth:
        raise ValueError("a '(' opens a choice that is never closed")


def _words_of(text: str, pattern: str, fold: bool) -> tuple[str, ...]:
    words: list[str] = []
    for word in text.split():
        if word in _SPECIAL:
            words.append(word)
            continue
        glued = [sign for sign in (START, END, GAP) if sign in word.rstrip(STEM)]
        if glued:
            # Folding would drop the sign silently: "boję się$" would match "boję się" anywhere.
            where = (
                "on its own between words (a gap) or at the end of a word (a stem)"
                if glued[0] == GAP
                else "on its own, with a space on each side"
            )
            raise ValueError(f"{word!r} has {glued[0]!r} inside it; {glued[0]!r} stands {where}")
        if word.endswith(STEM):
            words.append(_stem_of(word))
            continue
        folded = _folded_word(word)
        if not folded:
            raise ValueError(f"{word!r} has no letter or digit, so no message can hold it")
        if not fold and folded != (word,):
            raise ValueError(f"Pattern {pattern!r} has {word!r}, which no folded message holds.")
        words.extend(folded)
    return tuple(words)


@lru_cache(maxsize=_CACHE_LIMIT)
def _folded_word(word: str) -> tuple[str, ...]:
    return read_words(word)


def _stem_of(word: str) -> str:
    """A stem "klatk*" checked and folded as messages are ("Klątk*" gives "klatk*")."""
    folded = _folded_word(word.rstrip(STEM))
    if len(folded) != 1:
        raise ValueError(
            f"{word!r} is not one word before its '*': a stem stands for the words it begins"
        )
    if len(folded[0]) < STEM_LETTERS:
        raise ValueError(
            f"the stem {word!r} is shorter than {STEM_LETTERS} letters, so it would begin too"
            " many everyday words; list the words it should stand for instead"
        )
    return folded[0] + STEM


def is_stem(word: str) -> bool:
    """Whether a compiled pattern word is a stem ("klatk*"), standing for the words it begins."""
    return len(word) > 1 and word.endswith(STEM)


def _same(pattern_word: str, word: str) -> bool:
    if pattern_word == word:
        return True
    return is_stem(pattern_word) and word.startswith(pattern_word[:-1])


def _is_anchor(slot: Choice) -> bool:
    return all(len(option) == 1 and option[0] in _ANCHORS for option in slot)


def _check_anchors(slots: list[Choice]) -> None:
    # "^" may open only the first slot's sequences, and "$" close only the last slot's.
    for index, slot in enumerate(slots):
        for option in slot:
            for at, word in enumerate(option):
                first = index == 0 and at == 0
                last = index == len(slots) - 1 and at == len(option) - 1
                if (word == START and not first) or (word == END and not last):
                    raise ValueError(
                        "an anchor stands away from its end: '^' may only begin a pattern"
                        " and '$' only end it"
                    )
    real = [slot for slot in slots if not _is_anchor(slot)]
    if not real or all(() in slot for slot in real):
        raise ValueError(
            "every word of the pattern is optional, or it is only an anchor, so it would match"
            " no words at all"
        )


@dataclass(frozen=True, slots=True)
class Hit(Generic[K_co]):
    """A phrase for `key` was found at words[start:end]."""

    key: K_co
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Slot:
    """One slot of a compiled pattern, its choices indexed by their first word, so that a long
    choice list ("(son|daughter|husband|...)") costs one lookup rather than a loop."""

    by_first: dict[str, tuple[tuple[str, ...], ...]]
    # Choices that begin with a stem, by the stem's first STEM_LETTERS letters.
    by_stem: dict[str, tuple[tuple[str, ...], ...]]
    others: tuple[tuple[str, ...], ...]  # empty choices, and those that begin with an anchor
    gap: bool

    @classmethod
    def of(cls, choice: Choice) -> _Slot:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        by_stem: dict[str, list[tuple[str, ...]]] = {}
        others: list[tuple[str, ...]] = []
        for option in choice:
            first = option[0] if option else ""
            if first in _SPECIAL or not first:
                others.append(option)
            elif first[-1] == STEM:  # is_stem, inlined: a book builds thousands of these
                by_stem.setdefault(first[:STEM_LETTERS], []).append(option)
            else:
                by_first.setdefault(first, []).append(option)
        firsts = {word: tuple(options) for word, options in by_first.items()}
        stems = {prefix: tuple(options) for prefix, options in by_stem.items()}
        return cls(firsts, stems, tuple(others), choice == _GAP_SLOT)

    def likely(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The choices that may begin with `word` (the empty and anchored ones aside)."""
        exact = self.by_first.get(word, ())
        if not self.by_stem:
            return exact
        stemmed = tuple(
            option
            for option in self.by_stem.get(word[:STEM_LETTERS], ())
            if word.startswith(option[0][:-1])
        )
        return (*exact, *stemmed) if stemmed else exact


@dataclass(frozen=True, slots=True)
class _Compiled(Generic[K]):
    slots: tuple[_Slot, ...]
    key: K
    order: int


class PhraseBook(Generic[K]):
    """Finds every pattern in a message's words, exactly, word for word.

    Typos are dealt with before this, by `Speller`, so that what counts as a typo is decided
    in one cautious place rather than by a loose whole-phrase distance. Patterns are kept as
    slots of choices rather than every sequence they stand for (one pattern can stand for
    thousands), and indexed by the words they can begin with, so building a book is quick and
    a message costs its length times the few patterns that can begin at each word.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, K]] = (),
        *,
        ignorable: Iterable[str] = (),
        fold: bool = False,
    ) -> None:
        """A book of `entries` (pattern, key). Patterns are written folded (no capitals or
        apostrophes) unless `fold`, when they are folded as messages are."""
        self._ignorable = frozenset(ignorable)
        self._by_first: dict[str, list[_Compiled[K]]] = {}
        self._by_stem: dict[str, list[tuple[str, _Compiled[K]]]] = {}
        words_seen: set[str] = set()
        stems_seen: set[str] = set()
        for order, (pattern, key) in enumerate(entries):
            choices = compile_pattern(pattern, fold=fold)
            words, stems = _words_used(choices)
            words_seen |= words
            stems_seen |= stems
            # Both orders of a near pattern share `order`, so a match found both ways is one.
            for slots, firsts, first_stems in _orders(choices):
                compiled = _Compiled(slots, key, order)
                for first in firsts:
                    self._by_first.setdefault(first, []).append(compiled)
                for stem in first_stems:
                    self._by_stem.setdefault(stem[:STEM_LETTERS], []).append((stem, compiled))
        #: Every stem some pattern uses ("klatk"): the speller leaves the words they begin alone.
        self.stems = frozenset(stems_seen)
        #: Every word some pattern uses: the speller never turns these into something else.
        self.vocabulary = frozenset(words_seen)

    def _candidates(self, word: str) -> list[_Compiled[K]]:
        exact = self._by_first.get(word, [])
        stemmed = self._by_stem.get(word[:STEM_LETTERS])
        if not stemmed:
            return exact
        return exact + [compiled for stem, compiled in stemmed if word.startswith(stem)]

    def find(self, words: Sequence[str]) -> list[Hit[K]]:
        """Every occurrence of every pattern, overlaps included, in order of position."""
        lead = 0
        while lead < len(words) and words[lead] in self._ignorable:
            lead += 1
        trail = len(words)
        while trail > 0 and words[trail - 1] in self._ignorable:
            trail -= 1
        hits: list[Hit[K]] = []
        for start, word in enumerate(words):
            candidates = self._candidates(word)
            if not candidates:
                continue
            ends: dict[tuple[int, int], Hit[K]] = {}
            for compiled in candidates:
                for end in _ends(compiled.slots, 0, start, words, start <= lead, trail):
                    ends.setdefault((compiled.order, end), Hit(compiled.key, start, end))
            hits.extend(ends[place] for place in sorted(ends, key=lambda p: (p[1], p[0])))
        return hits


def _first_words(slots: tuple[Choice, ...]) -> set[str]:
    """The words a match of `slots` can begin with (past optional slots and "^")."""
    firsts: set[str] = set()
    for slot in slots:
        passable = False
        for option in slot:
            real = [word for word in option if word not in _ANCHORS]
            if real:
                firsts.add(real[0])
            else:
                passable = True
        if not passable:
            break
    return firsts


@lru_cache(maxsize=_CACHE_LIMIT)  # the admin rebuilds a book of mostly the same patterns
def _words_used(choices: tuple[Choice, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The plain words and the stems (without their '*') a compiled pattern uses."""
    words = {word for choice in choices for option in choice for word in option} - _SPECIAL
    stems = {word for word in words if word[-1] == STEM}  # no lone "*" is left: it is special
    return frozenset(words - stems), frozenset(stem[:-1] for stem in stems)


@lru_cache(maxsize=_CACHE_LIMIT)
def _orders(
    choices: tuple[Choice, ...],
) -> tuple[tuple[tuple[_Slot, ...], frozenset[str], frozenset[str]], ...]:
    """Each order a pattern matches in, as its slots, the words it can begin with, and the
    stems it can begin with."""
    orders = []
    for slots in near_orders(choices):
        firsts = _first_words(slots)
        stems = frozenset(word[:-1] for word in firsts if is_stem(word))
        plain = frozenset(word for word in firsts if not is_stem(word))
        orders.append((_slots(slots), plain, stems))
    return tuple(orders)


@lru_cache(maxsize=_CACHE_LIMIT)  # shared by every book built from the same pattern
def _slots(choices: tuple[Choice, ...]) -> tuple[_Slot, ...]:
    return tuple(_slot(choice) for choice in choices)


@lru_cache(maxsize=_CACHE_LIMIT)  # a group such as {cant} is a slot of many patterns
def _slot(choice: Choice) -> _Slot:
    return _Slot.of(choice)


def _ends(
    slots: tuple[_Slot, ...],
    index: int,
    at: int,
    words: Sequence[str],
    at_lead: bool,
    trail: int,
) -> Iterator[int]:
    """Each position where a match of slots[index:] starting at `at` can end."""
    if index == len(slots):
        yield at
        return
    slot = slots[index]
    if slot.gap:
        for skipped in range(min(GAP_WORDS, len(words) - at) + 1):
            yield from _ends(slots, index + 1, at + skipped, words, at_lead, trail)
        return
    likely = slot.likely(words[at]) if at < len(words) else ()
    for option in (*likely, *slot.others):
        position = at
        for word in option:
            if word == START:
                ok = at_lead
            elif word == END:
                ok = position >= trail
            else:
                ok = position < len(words) and _same(word, words[position])
                position += 1
            if not ok:
                break
        else:
            yield from _ends(slots, index + 1, position, words, at_lead, trail)


class Speller:
    """Corrects a message's words towards a few target words, only where a typo is safe to assume.

    A word is left alone when it is known (any pattern word, or a `protected` everyday word
    such as "calling", one letter from "falling"). Otherwise a deliberately stretched word
    ("heeelp") is squeezed back, and a word of five letters or more may be one edit from a
    target: any edit when both are six letters or longer ("fallne" → fallen), only two letters
    swapped or a double letter typed once at five ("chset" → chest, "falen" → fallen), since
    one changed letter in a short word makes a new word ("chess", "cheat"). Words under five
    letters are never corrected: "fel" could be fell or feel. A word that drops the g of
    -ing ("cuttin", "tryin") gets it back when the -ing word is known.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        targets: Iterable[str],
        protected: Iterable[str] = (),
        stems: Iterable[str] = (),
    ) -> None:
        known = frozenset(vocabulary)
        self._known = known | frozenset(protected)
        # A word a stem begins is known too ("klatce" for "klatk*"), by the stem's first letters.
        self._stems: dict[str, tuple[str, ...]] = {}
        for stem in sorted(frozenset(stems)):
            prefix = stem[:STEM_LETTERS]
            self._stems[prefix] = (*self._stems.get(prefix, ()), stem)
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
        if word in self._known or any(
            word.startswith(stem) for stem in self._stems.get(word[:STEM_LETTERS], ())
        ):
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        corrected = self._guess(word)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = corrected
        return corrected

    def _guess(self, word: str) -> str:
        # A letter typed three times is stretched on purpose ("heeelp"); typed twice in a word
        # no pattern holds, it is as likely a slip ("helpp"), so both are squeezed back.
        # A dropped final g ("cuttin", "tryin") is how words ending in -ing are often typed.
        if len(word) >= 5 and word.endswith("in") and word + "g" in self._known:
            return word + "g"
        if _STRETCHED.search(word) or (len(word) >= 4 and _DOUBLED.search(word)):
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
