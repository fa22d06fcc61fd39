"""This module contains the everyday words residents use, as one table per language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One language's words for yes/no answers and for reading replies generally.

    Phrases are written as residents type them; they are folded like replies when used.
    """

    yes: tuple[str, ...]
    no: tuple[str, ...]
    #: Replies that answer neither way, so that "not sure" is not read as "not" (no) + "sure".
    unsure: tuple[str, ...]
    yes_emoji: tuple[str, ...]
    no_emoji: tuple[str, ...]
    #: Words that turn the next word round: "not good" is not "good".
    negators: frozenset[str]
    #: Words that may sit between a negator and what it negates: "not too bad".
    softeners: frozenset[str]
    #: Common short words never matched by typo: "now" is one edit from "not", "how" from "who".
    filler: frozenset[str]
    #: Words that only introduce a number: "no 1", "number 2", "option 3".
    number_prefixes: frozenset[str]
    #: Text-speak and sound-alike spellings, rewritten before matching so that "alrite"
    #: finds a choice's "alright" as surely as the yes word.
    spellings: Mapping[str, str]
    #: Filler and every one-word phrase above. A real word is never read as a typo of another:
    #: "lovely" must not become "lonely", nor "might" become "night".
    known: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        single = [phrase for phrase in (*self.yes, *self.no, *self.unsure) if " " not in phrase]
        object.__setattr__(self, "known", self.filler | frozenset(single))

    def respell(self, words: Sequence[str]) -> tuple[str, ...]:
        """`words` with text-speak spelt out: ("gud", "thx") → ("good", "thanks")."""
        if self.spellings.keys().isdisjoint(words):
            return tuple(words)
        return tuple(part for word in words for part in self.spellings.get(word, word).split())


# Packed one phrase after another: these are word lists to scan, not code to read line by line.
# fmt: off
ENGLISH = Vocabulary(
    yes=(
        "yes", "y", "ye", "yeah", "yea", "yah", "ya", "yep", "yup", "yas", "aye", "sure",
        "ok", "okay", "k", "kk", "alright", "all right", "go on", "please", "yes please",
        "definitely", "of course", "course", "certainly", "absolutely", "great", "good",
        "lovely", "perfect", "brilliant", "thats fine", "sounds good", "would love to",
        "love to", "why not", "no problem", "no worries", "no bother", "not a problem",
        "i would", "i will", "i do", "will do", "i think so", "count me in", "dont mind",
        "cant wait", "thumbs up", "righto",
    ),
    no=(
        "no", "n", "nope", "nah", "naw", "nay", "no thanks", "no thank you", "no ta",
        "not", "not really", "not today", "not now", "not yet", "not this time", "never",
        "rather not", "dont", "do not", "no way", "definitely not", "of course not",
        "certainly not", "absolutely not", "dont think so", "cant", "cannot", "can not",
        "not for me", "no chance", "not interested", "thumbs down",
    ),
    unsure=(
        "maybe", "perhaps", "possibly", "might", "not sure", "unsure", "dont know",
        "no idea", "depends",
    ),
    yes_emoji=("👍", "✅", "✔", "☑", "❤", "😊", "🙂", "☺", "😀", "😃", "😄", "👌", "🙏", "🥰"),
    no_emoji=("👎", "❌", "❎", "✖", "⛔", "🚫", "🙅"),
    negators=frozenset([
        "not", "never", "isnt", "dont", "didnt", "doesnt", "wasnt", "arent", "aint", "cant",
        "wont", "hardly",
    ]),
    softeners=frozenset(["too", "so", "very", "that", "really", "quite", "feeling", "at", "all"]),
    filler=frozenset([
        "i", "im", "a", "an", "the", "and", "but", "or", "so", "to", "too", "of", "on", "in",
        "at", "it", "its", "is", "am", "are", "was", "be", "me", "my", "you", "your", "we",
        "he", "she", "they", "that", "this", "now", "how", "who", "what", "when", "why", "yet",
        "just", "very", "really", "bit", "think", "feel", "feeling", "today", "day", "thanks",
        "thank", "ta", "love", "dear", "hun", "pet", "mate", "darling", "can", "will", "would",
        "get", "got", "see", "say", "had", "has", "have", "for", "with", "all", "out", "off",
        "our", "her", "him", "his", "let", "did", "does", "do", "well", "oh", "ah", "hi",
        "hello", "x", "xx", "xxx", "lol", "one", "two", "soon", "later",
    ]),
    number_prefixes=frozenset(
        ["no", "number", "num", "nr", "option", "opt", "choice", "answer"]
    ),
    spellings={
        "alrite": "alright", "allright": "alright", "okey": "okay", "okie": "okay",
        "oki": "okay", "okies": "okay", "yeh": "yeah", "yh": "yeah", "gud": "good",
        "gr8": "great", "pls": "please", "plz": "please", "plse": "please", "thx": "thanks",
        "thanx": "thanks", "tx": "thanks", "luv": "love", "u": "you", "ur": "your",
        "dunno": "dont know", "idk": "dont know", "cud": "could", "wud": "would",
        "nite": "night", "tonite": "tonight", "2day": "today", "2moro": "tomorrow",
        "2morrow": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow",
        "tomoz": "tomorrow", "wk": "week", "abt": "about", "hlp": "help",
    },
)
# fmt: on

VOCABULARIES: Mapping[str, Vocabulary] = {"en": ENGLISH}


def vocabulary_language(language: str) -> str:
    """The table to use for `language`: itself, its base ("en-GB" → "en"), else English."""
    if language in VOCABULARIES:
        return language
    base = language.split("-")[0].split("_")[0].lower()
    return base if base in VOCABULARIES else "en"


def negated(words: Sequence[str], start: int, vocabulary: Vocabulary) -> bool:
    """Whether the phrase at words[start] follows a negator, perhaps with one softener between."""
    before = words[max(0, start - 2) : start]
    if before and before[-1] in vocabulary.negators:
        return True
    return (
        len(before) == 2 and before[1] in vocabulary.softeners and before[0] in vocabulary.negators
    )
