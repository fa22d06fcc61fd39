"""This module contains privacy questions: a resident asking what we know about them, asking
for their data to be deleted, or asking who can see their messages, in everyday words.

A question counts wherever it stands in a message ("hi Abby, what do you know about me?"),
since answering it kindly and telling staff does no harm; only a few short phrases that are
also everyday words ("forget me") count only as the whole message. The Polish and Portuguese
and Romanian phrases want a review by a speaker before wider use.
"""

from __future__ import annotations

from enum import StrEnum

from bot.triage.phrases import PhraseBook, Speller, expand, read_words


class PrivacyQuestion(StrEnum):
    """Which question a resident asked."""

    KNOW = "know"  # what do you know about me?
    DELETE = "delete"  # delete my data
    SEE = "see"  # who can see my messages?


_YOU = "(you|u|ya|yu|yous|you all|companion)"
_KNOW = "(know|hold|keep|have|store|save|record|collect|got)"
_DATA = (
    "(data|details|information|info|infomation|informations|records|record|file|messages|"
    "texts|number|phone number|personal data|personal details|personal information|account|"
    "conversations|chats|answers)"
)
# What is held, not what is sent: "I can't see my messages" is a phone problem, not a question.
_RECORDS = (
    "(data|details|information|info|infomation|records|record|file|personal data|"
    "personal details|personal information)"
)
_WHAT = "(what|wot|wat|whats|wots|which)"
_DELETE = "(delete|deleted|delet|deleat|dlete|erase|erased|remove|wipe|destroy|get rid of|clear)"
_SEE = "(see|read|look at|access|view|get|has|have)"
# fmt: off
_STRONG: dict[PrivacyQuestion, tuple[str, ...]] = {
    PrivacyQuestion.KNOW: (
        f"{_WHAT} (do|does|did|) {_YOU} {_KNOW} (about|on) me",
        f"{_WHAT} {_DATA} (do|does|did|) {_YOU} {_KNOW} (about|on|of) me",
        f"{_WHAT} {_DATA} (have|has) {_YOU} (got|kept|saved|) (about|on|of) me",
        f"{_WHAT} (have|has) {_YOU} (got|kept|saved|written|recorded) (about|on) me",
        f"{_WHAT} (is|s) (kept|held|stored|saved|recorded) (about|on) me",
        f"(see|show me|send me|give me) (a copy of |)(my|all my) {_RECORDS}",
        f"(a |)copy of (my|all my) {_RECORDS}",
        f"{_WHAT} do {_YOU} do with my {_DATA}",
        "(do|does) (you|u) (keep|hold|store|save) my (data|details|information|info|messages)",
        # Polish: co o mnie wiecie, jakie dane o mnie macie. Portuguese: o que sabem sobre mim.
        "co (o mnie wiecie|wiecie o mnie|o mnie wiesz|wiesz o mnie)",
        "jakie (dane|informacje) o mnie (macie|masz|przechowujecie)",
        "o que (voces sabem|voce sabe|sabem|sabe) (sobre|de) mim",
        "(quais|que) (dados|informacoes) (voces tem|voce tem|tem) (sobre|de) mim",
        # Romanian: ce stiti despre mine.
        "ce (stiti|stii|stie) despre mine", "ce date (aveti|ai) despre mine",
    ),
    PrivacyQuestion.DELETE: (
        f"{_DELETE} (all |all of |)(my|me) {_DATA}",
        f"{_DELETE} (everything|all) (you have |you hold |you know |you got |you keep |)"
        "(about|on) me",
        f"{_DELETE} me (from|off) (your|the) (system|records|database|files|computer)",
        "(right|want) to be forgotten",
        "(forget|forgot) (everything|all) (about|you know about) me",
        "(usun|usuncie|skasuj|skasujcie) (moje dane|dane o mnie|wszystko o mnie)",
        "(apagar|apaguem|apague|eliminar|excluir|exclua) (os |)(meus dados|dados sobre mim)",
        "(apaguem|apague|apagar) tudo sobre mim",
        "(stergeti|sterge|stergetimi) (datele mele|datele|tot despre mine)",
    ),
    PrivacyQuestion.SEE: (
        f"who (can|could|does|do|will|else can|else) {_SEE} (my|me) {_DATA}",
        f"who (reads|sees|looks at|gets|has|else has|else sees|else reads) my {_DATA}",
        f"(is|are) (anyone|someone|somebody|people|others|other people|staff) (reading|seeing"
        f"|looking at) my {_DATA}",
        f"(can|could|will|do|does) (anyone|someone|somebody|people|others|other people|my buddy"
        f"|the buddy|buddies|a buddy|the volunteer|volunteers) (else |)(see|read|get|have) my "
        f"{_DATA}",
        "(who|kto) (widzi|czyta) (moje|moja) (wiadomosci|dane)",
        "quem (pode ver|ve|le|pode ler) (as minhas|minhas|os meus|meus) (mensagens|dados)",
        "cine (poate vedea|vede|citeste|poate citi) (mesajele|datele) (mele|)",
    ),
}
# Everyday words as well as questions ("forget me not", "don't forget me on Tuesday"): these
# count only as the whole message, give or take courtesy words.
_WEAK: dict[PrivacyQuestion, tuple[str, ...]] = {
    PrivacyQuestion.DELETE: (
        "forget (me|about me)", "(delete|erase|remove) me", "(delete|erase|wipe) (it|everything)",
        "(delete|erase) my (data|details)",
    ),
    PrivacyQuestion.KNOW: ("my data", "my information", "what (do|does) you know"),
}
# fmt: on
_COURTESY = frozenset(
    (
        "please",
        "pls",
        "plz",
        "thanks",
        "thank",
        "you",
        "thankyou",
        "ta",
        "x",
        "xx",
        "xxx",
        "just",
        "can",
        "could",
        "would",
        "will",
        "u",
        "ok",
        "hi",
        "hello",
        "i",
        "want",
        "you",
        "to",
        "would",
        "like",
        "id",
        "love",
        "dear",
        "now",
    )
)  # fmt: skip

_BOOK: PhraseBook[PrivacyQuestion] = PhraseBook(
    (pattern, question) for question, patterns in _STRONG.items() for pattern in patterns
)
_WEAK_PHRASES = {
    words: question
    for question, patterns in _WEAK.items()
    for pattern in patterns
    for words in expand(pattern)
}
_SPELLER = Speller(
    _BOOK.vocabulary | frozenset(word for words in _WEAK_PHRASES for word in words) | _COURTESY,
    ("delete", "information", "details", "messages", "everything", "forgotten", "personal"),
    # Everyday words one edit from a target.
    ("deleted", "detail", "message"),
)


def privacy_question(text: str) -> PrivacyQuestion | None:
    """The privacy question `text` asks, or None; the first asked if it asks more than one."""
    words = _SPELLER.correct(read_words(text))
    hits = _BOOK.find(words)
    if hits:
        return min(hits, key=lambda hit: hit.start).key
    start, end = 0, len(words)
    while start < end and words[start] in _COURTESY:
        start += 1
    while end > start and words[end - 1] in _COURTESY:
        end -= 1
    return _WEAK_PHRASES.get(words[start:end])
