"""This module contains safeguarding triage: spotting a message that signals risk, and the reply.

The phrases, the words that soften a match and the replies are data (bot/triage/risk_phrases,
one file per language, and bot/triage/risk_replies.yaml), reviewed by safeguarding staff and
extended in the admin. Every message is checked against every configured language's phrases,
since residents do not always write in the language on their record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from bot.triage.phrases import Hit, PhraseBook, Speller, read_words
from bot.triage.risk_files import (
    PhraseFileError,
    builtin_phrases,
    builtin_replies,
    known_languages,
    language_file,
    phrase_problem,
)
from bot.triage.risk_kinds import (
    KIND_WORDS,
    WORRY_SOFTENS,
    Phrase,
    RiskKind,
    Softening,
    Urgency,
)

__all__ = [
    "KIND_WORDS",
    "Detector",
    "Phrase",
    "PhraseFileError",
    "RiskKind",
    "RiskMatch",
    "Urgency",
    "builtin_phrases",
    "builtin_replies",
    "default_detector",
    "find_risks",
    "phrase_problem",
    "risk_reply",
    "triage",
]

_LOOK_BACK = 4
_KIND_ORDER = {kind: index for index, kind in enumerate(RiskKind)}


@dataclass(frozen=True, slots=True)
class RiskMatch:
    """A risk found in a message.

    `phrase` is the resident's own words that matched, folded, for staff only: never show it
    to a buddy or another resident. `urgent` is False for softer signals, which still reach a
    human but at routine priority: a negated mention ("no chest pain today", "not suicidal"),
    a worry rather than an event ("scared I might fall"), an event clearly in the past ("had a
    fall last year"), or a vague concern ("feeling very poorly"). `language` is the language of
    the phrase that matched.
    """

    kind: RiskKind
    phrase: str
    urgent: bool = True
    language: str = "en"

    @property
    def category(self) -> RiskKind:
        """The kind, under the name older callers use."""
        return self.kind


@dataclass(frozen=True, slots=True)
class _Key:
    kind: RiskKind
    urgency: Urgency
    language: str


class Detector:
    """Finds risks in messages with a set of phrases, in every one of `languages` at once."""

    def __init__(self, phrases: Iterable[Phrase], languages: Sequence[str]) -> None:
        self.languages = tuple(languages)
        wanted = set(self.languages)
        self._softening: dict[str, Softening] = {}
        targets: set[str] = set()
        protected: set[str] = set()
        #: Text-speak ("sum1", "2nite"), read word for word as a second reading of a message.
        self._shorthand: dict[str, str] = {}
        for language in self.languages:
            if language in known_languages():
                file = language_file(language)
                self._softening[language] = file.softening
                targets.update(file.typo_targets)
                protected.update(file.protected)
                self._shorthand.update(file.shorthand)
        risks: list[tuple[str, _Key]] = []
        everyday: list[tuple[str, RiskKind]] = []
        for phrase in phrases:
            if phrase.language not in wanted or phrase_problem(phrase) is not None:
                continue  # the admin and the file loader explain these; here they are skipped
            if phrase.everyday:
                everyday.append((phrase.pattern, phrase.kind))
            else:
                risks.append((phrase.pattern, _Key(phrase.kind, phrase.urgency, phrase.language)))
        sign_offs = {word for rules in self._softening.values() for word in rules.sign_offs}
        self._risks = PhraseBook(risks, ignorable=sign_offs, fold=True)
        self._everyday = PhraseBook(everyday, ignorable=sign_offs, fold=True)
        self._long_ago: PhraseBook[None] = PhraseBook(
            ((pattern, None) for rules in self._softening.values() for pattern in rules.long_ago),
            fold=True,
        )
        self._speller = Speller(
            self._risks.vocabulary | self._everyday.vocabulary,
            targets,
            protected,
            stems=self._risks.stems | self._everyday.stems,
        )

    def find_risks(self, text: str) -> tuple[RiskMatch, ...]:
        """Each kind of risk in `text` once, most pressing first: urgent, then by kind.

        Within a kind, the first urgent phrase is kept, else the first phrase.
        """
        said = read_words(text)
        words = self._speller.correct(said)
        found: dict[RiskKind, RiskMatch] = {}
        self._find_in(said, words, found)
        # Text-speak gets a second reading, word for word ("dnt wnt 2 b here" as "dont want
        # to be here"), rather than a replacement: "2" is "to" there but two in "for 2 days".
        # Only a risk that takes in a word read differently counts from it; the rest were
        # judged on the first reading, with everyday phrases in the resident's own words.
        expanded = tuple(self._shorthand.get(word, word) for word in words)
        changed = frozenset(at for at, word in enumerate(words) if expanded[at] != word)
        if changed:
            self._find_in(said, expanded, found, changed)
        return tuple(sorted(found.values(), key=lambda m: (not m.urgent, _KIND_ORDER[m.kind])))

    def _find_in(
        self,
        said: tuple[str, ...],
        words: tuple[str, ...],
        found: dict[RiskKind, RiskMatch],
        changed: frozenset[int] | None = None,
    ) -> None:
        """Add to `found` each risk in one reading of a message (`said` as the resident typed
        it, `words` as read, place for place), or only those taking in a place in `changed`."""
        # Word positions inside an everyday phrase, by kind, so that a long message with many
        # of them stays quick to check.
        everyday: dict[RiskKind, set[int]] = {}
        for other in self._everyday.find(words):
            everyday.setdefault(other.key, set()).update(range(other.start, other.end))
        long_ago = bool(self._long_ago.find(words))
        for hit in self._risks.find(words):
            if changed is not None and changed.isdisjoint(range(hit.start, hit.end)):
                continue
            key = hit.key
            if not everyday.get(key.kind, set()).isdisjoint(range(hit.start, hit.end)):
                continue
            rules = self._softening.get(key.language, _NO_SOFTENING)
            if key.kind is RiskKind.HELP_ME and _negated(words, hit, rules):
                # "I don't need help" or "it's not an emergency" says the opposite of a call for
                # help, and a call for help carries no other content worth a human's look.
                continue
            softened = key.urgency == "concern" or _softened(words, hit, rules)
            softened = softened or (key.urgency == "event" and long_ago)
            match = RiskMatch(
                key.kind,
                " ".join(said[hit.start : hit.end]),
                urgent=not softened,
                language=key.language,
            )
            earlier = found.get(key.kind)
            if earlier is None or (match.urgent and not earlier.urgent):
                found[key.kind] = match

    def triage(self, text: str) -> RiskMatch | None:
        """The most pressing risk `text` signals, or None.

        "help" alone is not a risk here: it is the carrier HELP keyword, answered with the help
        menu before triage runs. A question about help ("what help is there?") is not an
        emergency either; "help me", "please help" and "I need help" are.
        """
        risks = self.find_risks(text)
        return risks[0] if risks else None


_NO_SOFTENING = Softening()


def _softened(words: tuple[str, ...], hit: Hit[_Key], rules: Softening) -> bool:
    if hit.key.kind is RiskKind.HELP_ME:
        # "Can you help me?" asked of the bot is as likely a request as an emergency: a person
        # still looks, at routine priority. "Can someone help me" stays urgent.
        return _looks_back_to(words, hit, rules.asking, skipping=rules.please)
    return _negated(words, hit, rules) or (
        hit.key.kind in WORRY_SOFTENS and _looks_back_to(words, hit, rules.worries, rules.filler)
    )


def _negated(words: tuple[str, ...], hit: Hit[_Key], rules: Softening) -> bool:
    before = words[: hit.start]
    if before[-1:] and before[-1] in rules.close_negators:
        # "no chest pain", but not "oh no, chest pain": there it is an exclamation.
        return not (before[-2:-1] and before[-2] in rules.exclamations)
    return _looks_back_to(words, hit, rules.negators, rules.filler)


def _looks_back_to(
    words: tuple[str, ...], hit: Hit[_Key], wanted: frozenset[str], skipping: frozenset[str]
) -> bool:
    """Whether the first word before the match that is not skipped is one of `wanted`."""
    for word in reversed(words[max(0, hit.start - _LOOK_BACK) : hit.start]):
        if word in wanted:
            return True
        if word not in skipping:
            return False
    return False


@cache
def default_detector() -> Detector:
    """A detector with the built-in phrases of every language that has a phrase file."""
    return Detector(builtin_phrases(), known_languages())


def find_risks(text: str) -> tuple[RiskMatch, ...]:
    """Each kind of risk in `text`, most pressing first, by the default detector."""
    return default_detector().find_risks(text)


def triage(text: str) -> RiskMatch | None:
    """The most pressing risk `text` signals, or None, by the default detector."""
    return default_detector().triage(text)


def risk_reply(risk: RiskMatch | RiskKind, language: str = "en") -> str:
    """The default fixed reply to send at once for `risk` (a match, or just its kind).

    Falls back to English when the reply file has no text in `language`.
    """
    kind = risk.kind if isinstance(risk, RiskMatch) else RiskKind(risk)
    replies = builtin_replies()
    return replies.get((kind, language)) or replies[kind, "en"]
