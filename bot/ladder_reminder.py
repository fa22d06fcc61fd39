"""This module contains the words of the escalation ladder's reminder rung: the question asked
again as a reminder ("Just checking in again, Pat. How are you this week? Reply 1 Good, ..."),
rather than the question repeated word for word with its greeting.

The reminder keeps the question itself (from its last sentence that asks something, so a
greeting and "last time you said" fall away) behind a short lead-in in the conversation's
language, and fits one SMS wherever the question part allows: a name too long for one segment
is left out of the lead-in. Pure: text in, text out.
"""

from __future__ import annotations

import re
from typing import Final

from flows.sms import SINGLE_LIMIT, Encoding, sms_info

#: The lead-in, by language code, with the resident's name and without it. The languages are
#: the programme's (bot.settings); a flow in another falls back to English. Polish, Romanian
#: and Lithuanian are in the letters of the GSM-7 SMS alphabet (ę as e, î as i, ą as a), as
#: the pace replies are (bot/triage/pace_replies.yaml), so that they never turn a question
#: written in them into a 70-character UCS-2 SMS. NOT YET REVIEWED BY A NATIVE SPEAKER, but
#: for English.
LEAD_INS: Final[dict[str, tuple[str, str]]] = {
    "en": ("Just checking in again, {name}.", "Just checking in again."),
    "pl": ("Odzywam sie jeszcze raz, {name}.", "Odzywam sie jeszcze raz."),
    "ro": ("Revin cu o intrebare, {name}.", "Revin cu o intrebare."),
    "lt": ("Dar karta klausiu, {name}.", "Dar karta klausiu."),
    "pt": ("Volto a perguntar, {name}.", "Volto a perguntar."),
    "bn": ("আবার খোঁজ নিচ্ছি, {name}।", "আবার খোঁজ নিচ্ছি।"),
    "ur": ("{name}، دوبارہ خیریت پوچھ رہے ہیں۔", "دوبارہ خیریت پوچھ رہے ہیں۔"),
}
#: Where a sentence ends: its mark (Latin, Arabic-script and Bengali), any closing quotes or
#: brackets, then space.
_SENTENCE_END: Final = re.compile(r"[.!?؟۔।][\"'”’»)]*\s+")
_ASKS: Final = ("?", "؟")
#: Text of these characters alone is GSM-7 at one unit each (most reminders in English): its
#: segments are counted without looking at each character in turn.
_PLAIN_GSM: Final = re.compile(r"[ -Z_a-z]*")


def reminder_text(question: str, name: str, language: str) -> str:
    """The reminder of `question` (the last message the conversation sent) for a resident called
    `name`, in `language` (the conversation's)."""
    named, plain = LEAD_INS.get(language, LEAD_INS["en"])
    asked = question_part(question, name)
    if name.casefold() in asked.casefold():
        return f"{plain} {asked}"  # the question names them already
    with_name = f"{named.format(name=name)} {asked}"
    without = f"{plain} {asked}"
    if _segments(with_name) <= max(1, _segments(without)):
        return with_name
    return without


def _segments(text: str) -> int:
    if len(text) <= SINGLE_LIMIT[Encoding.GSM7] and _PLAIN_GSM.fullmatch(text):
        return 1
    return sms_info(text).segments


def question_part(question: str, name: str) -> str:
    """What of `question` a reminder repeats: from its last sentence that asks something to
    the end ("How are you this week? Reply 1 Good, ..."); when no sentence asks, all but a
    first sentence that greets the resident by name; otherwise all of it."""
    text = " ".join(question.split())
    starts = [0] + [found.end() for found in _SENTENCE_END.finditer(text)]
    sentences = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    asking = [
        i for i, sentence in enumerate(sentences) if sentence.rstrip("\"'”’»)").endswith(_ASKS)
    ]
    if asking:
        return " ".join(sentences[asking[-1] :])
    if len(sentences) > 1 and name and name.casefold() in sentences[0].casefold():
        return " ".join(sentences[1:])
    return text
