"""This module contains consent words: a resident saying, as a whole message, that they want no
more of one kind of message ("stop event news", "no more check ins please") or want it back
("events again please", "EVENTS ON").

Only the whole message counts, give or take greetings and sign-offs ("ok", "please", "thanks
x"): a consent word inside a longer message ("no more events, I fell over yesterday") is never
read as one, so a risk message is never swallowed here. STOP alone is the carrier's keyword and
stops everything (see `keywords`); pausing for a while ("no more check ins this week") is a
pace request (see `pace`).

Every configured language's table is tried whatever the language on the resident's record,
since residents do not always write in it. The Polish, Portuguese and Romanian phrases want a
review by a speaker before wider use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.triage.phrases import Speller, expand, read_words

#: The purposes a resident can give or withdraw in the chat (as in `storage.consents`).
CHECKINS = "checkins"
EVENTS = "events"
BUDDYING = "buddying"


@dataclass(frozen=True, slots=True)
class ConsentWish:
    """A resident wants `purpose` (given) or wants no more of it (not given)."""

    purpose: str
    given: bool


@dataclass(frozen=True, slots=True)
class ConsentTable:
    """One language's phrases, as patterns ("(a|b c|) d": see `phrases.expand`), folded.

    `nouns` names each purpose's messages; `withdraw` and `give` are frames in which "{noun}"
    stands for any of them. `extra` holds whole phrases that fit no frame.
    """

    nouns: Mapping[str, tuple[str, ...]]
    withdraw: tuple[str, ...]
    give: tuple[str, ...]
    extra: Mapping[ConsentWish, tuple[str, ...]]


_SORT = "(news|messages|message|texts|text|nudges|updates|invites|invitations|info|information|)"
# fmt: off
ENGLISH = ConsentTable(
    nouns={
        EVENTS: (
            f"(event|events) {_SORT}", "(news|messages|texts|info) (about|of|on) (the |)events",
            "evnts", "evnt news", "events news",
        ),
        BUDDYING: (
            "(buddy|buddies|buddying|budy|buddie) (messages|message|texts|text|chats|prompts|"
            "news|scheme|matching|)",
        ),
        CHECKINS: (
            "(check ins|checkins|check in|checkin|chek ins|chekins|chk ins|check in messages|"
            "checkin messages|weekly check ins|weekly checkins|weekly check in|weekly checkin|"
            "weekly messages|weekly texts|weekly message|weekly text|weekly chats|weekly chat)",
        ),
    },
    withdraw=(
        "(stop|stp|stpo|cancel|end) (the |my |all |all the |these |those |){noun} "
        "(now|anymore|any more|)",
        "(no more|nomore|no mor) (of |)(the |my |){noun}",
        "{noun} (off|stop|no more|no thanks)",
        "(turn|switch) off (the |my |){noun}",
        "(turn|switch) (the |my |){noun} off",
        "unsubscribe (me |)(from |)(the |my |){noun}",
        "(i |)(dont|do not|dnt) want (any |any more |anymore |more |the |a |these |those |){noun} "
        "(anymore|any more|no more|)",
        # "I don't need a check in now" may mean not today (a pace request): only "anymore".
        "(i |)(dont|do not|dnt) need (any |the |a |these |those |my |){noun} "
        "(anymore|any more|no more)",
        "(dont|do not|dnt) (send|text|message) (me |)(any |any more |anymore |more |the |){noun} "
        "(anymore|any more|)",
        "(stop|stp) (sending|texting) (me |)(the |){noun}",
        "(i am|im) not interested in (the |){noun} (anymore|any more|)",
        "not interested in (the |){noun} (anymore|any more|)",
        "opt (me |)out of (the |){noun}",
    ),
    give=(
        "{noun} (on|again|back on|back)",
        "(start|restart|resume|unpause|unstop) (the |my |){noun} (again|)",
        "(turn|switch) on (the |my |){noun}",
        "(turn|switch) (the |my |){noun} (back |)on",
        "(send|give) me (the |){noun} (again|)",
        "yes to (the |){noun} (again|)",
        "(i |)(would like|want|d like|id like) (the |my |a |){noun} (again|back)",
        "(i |)(would like|want|d like|id like) to (hear about|have|get) (the |){noun} again",
        "(bring|put) back (the |my |){noun}",
        "opt (me |)(back |)in(to|) (the |){noun}",
    ),
    extra={
        ConsentWish(CHECKINS, False): (
            "stop checking in (on me|)", "(dont|do not) check in (on me|) (anymore|any more|)",
            "(stop|stp) (checking|checkin) (up |)on me (anymore|any more|)",
            "(dont|do not) check (up |)on me (anymore|any more|no more)",
            "(i |)(dont|do not) need (checking on|checking up on|to be checked on) "
            "(anymore|any more|no more)",
            "(i |)(dont|do not) want to be (checked on|checked up on) (anymore|any more|no more)",
            # "stop messaging me" alone is every message (the opt-out's); "every week" is these.
            "(stop|stp) (messaging|texting|contacting|checking on|checking up on) me "
            "(every week|each week|weekly|like this every week)",
            "(no need to|theres no need to|dont need to|do not need to) check "
            "(in |up |)on me (anymore|any more)",
        ),
        ConsentWish(CHECKINS, True): ("(start|you can) check(ing|) in (on me |)again",),
        ConsentWish(EVENTS, False): (
            "stop telling me about (the |)events", "(dont|do not) tell me about events (anymore|)",
            "no more news (of|about) events",
        ),
        ConsentWish(EVENTS, True): ("tell me about events again",),
        ConsentWish(BUDDYING, False): (
            "(i |)(dont|do not) want a buddy (anymore|any more|)", "no buddy (please|thanks|)",
        ),
    },
)

POLISH = ConsentTable(
    nouns={
        EVENTS: (
            "(wydarzenia|wydarzeniach|wydarzen|wydarzeniami)",
            "(wiadomosci|informacji|smsow) o wydarzeniach",
        ),
        # The weekly check-in, as residents name it: "weekly messages".
        CHECKINS: (
            "(cotygodniowe|cotygodniowych|cotygodniowymi) (wiadomosci|wiadomosciami|smsy|smsow)",
            "(wiadomosci|smsy|smsow) co tydzien",
        ),
    },
    withdraw=(
        "stop {noun}", "nie chce (wiecej |juz |juz wiecej |){noun}",
        "koniec (z |){noun}", "{noun} (stop|off|wylacz)", "(wylacz|wylaczcie) {noun}",
        "bez {noun}",
    ),
    give=(
        "{noun} (znowu|ponownie|on|wlacz|tak)", "(wlacz|wlaczcie) {noun} (znowu|ponownie|)",
        "chce (znowu |ponownie |){noun} (znowu|ponownie|)", "start {noun}",
    ),
    extra={},
)

PORTUGUESE = ConsentTable(
    nouns={
        EVENTS: ("(os |)eventos", "(noticias|mensagens|informacoes) (de|sobre) (os |)eventos"),
        CHECKINS: ("(as |)mensagens (semanais|de todas as semanas|todas as semanas)",),
    },
    withdraw=(
        "(parar|parem|para|pare|cancelar|desligar) {noun}", "(nao quero|nao quero mais) {noun}",
        "sem (mais |){noun}", "chega de {noun}", "{noun} (off|nao|desligar|parar)",
        "nao (mandem|enviem|envie|mande) (mais |){noun}",
    ),
    give=(
        "{noun} (on|de novo|outra vez|sim|ligar)",
        "(quero|quero receber) {noun} (de novo|outra vez|)",
        "(ligar|ativar|voltar) {noun}", "(mandem|enviem) {noun} (de novo|outra vez|)",
    ),
    extra={},
)
ROMANIAN = ConsentTable(
    nouns={
        EVENTS: (
            "(evenimente|evenimentele|evenimentelor)",
            "(mesaje|mesajele|stiri|stirile|noutati) (despre|de la) (evenimente|evenimentele)",
        ),
        CHECKINS: ("(mesaje|mesajele|mesajelor) (saptamanale|din fiecare saptamana)",),
    },
    withdraw=(
        "(stop|opriti|opreste|anulati) {noun}", "nu mai (vreau|doresc) {noun}",
        "fara (mai multe |){noun}", "{noun} (stop|off|nu)",
    ),
    give=(
        "{noun} (din nou|iar|on|da)", "(vreau|doresc) (din nou |iar |){noun} (din nou|iar|)",
        "(porniti|reporniti) {noun}",
    ),
    extra={},
)
# fmt: on

#: Every configured language's table, by language code; all are tried for every message.
TABLES: Mapping[str, ConsentTable] = {
    "en": ENGLISH,
    "pl": POLISH,
    "pt": PORTUGUESE,
    "ro": ROMANIAN,
}

# Greetings and sign-offs that may stand around a consent phrase without changing it.
_AROUND = frozenset((
    "ok", "okay", "oh", "hi", "hello", "hiya", "please", "pls", "plz", "thanks", "thank", "you",
    "thankyou", "u", "ta", "thx", "cheers", "x", "xx", "xxx", "love", "dear", "sorry", "just",
    "now", "then", "por", "favor", "obrigado", "obrigada", "prosze", "dziekuje",
    "va", "rog", "multumesc",
))  # fmt: skip


_NOUN = "{noun}"


def _index() -> tuple[
    dict[tuple[str, ...], list[tuple[str, str]]],
    dict[tuple[str, ...], list[tuple[str, bool]]],
    dict[tuple[str, ...], ConsentWish],
]:
    """Each way of naming a purpose (to language and purpose), each frame with the noun as one
    word (to language and given), and the whole extra phrases."""
    nouns: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    frames: dict[tuple[str, ...], list[tuple[str, bool]]] = {}
    extras: dict[tuple[str, ...], ConsentWish] = {}
    for language, table in TABLES.items():
        for purpose, patterns in table.nouns.items():
            for pattern in patterns:
                for words in expand(pattern):
                    nouns.setdefault(words, []).append((language, purpose))
        for patterns, given in ((table.withdraw, False), (table.give, True)):
            for pattern in patterns:
                for words in expand(pattern):
                    frames.setdefault(words, []).append((language, given))
        for wish, patterns in table.extra.items():
            for pattern in patterns:
                for words in expand(pattern):
                    extras.setdefault(words, wish)
    return nouns, frames, extras


_NOUNS, _FRAMES, _EXTRAS = _index()
#: The longest way of naming a purpose, in words.
_LONGEST_NOUN = max(len(words) for words in _NOUNS)
_SPELLER = Speller(
    {word for words in [*_NOUNS, *_FRAMES, *_EXTRAS] for word in words} | _AROUND,
    ("events", "buddy", "buddies", "checkins", "messages", "again", "anymore", "interested",
     "please", "thanks", "unsubscribe", "cancel"),
    # Everyday words one edit from a target.
    ("evening", "evens", "agains", "message"),
)  # fmt: skip


def consent_wish(text: str) -> ConsentWish | None:
    """The consent `text` gives or withdraws as a whole message, or None."""
    words = _SPELLER.correct(read_words(text))
    start, end = 0, len(words)
    while start < end and words[start] in _AROUND:
        start += 1
    while end > start and words[end - 1] in _AROUND:
        end -= 1
    core = words[start:end]
    if not core:
        return None
    if core in _EXTRAS:
        return _EXTRAS[core]
    # The purpose is named somewhere in the message; the words around it must be a frame of
    # the same language, the purpose standing in it as one word.
    for first in range(len(core)):
        for last in range(first + 1, min(len(core), first + _LONGEST_NOUN) + 1):
            for language, purpose in _NOUNS.get(core[first:last], ()):
                frame = (*core[:first], _NOUN, *core[last:])
                for frame_language, given in _FRAMES.get(frame, ()):
                    if frame_language == language:
                        return ConsentWish(purpose, given)
    return None
