"""This module holds the few things the engine says by itself, per language.

Flows can write their own `reask` and `clarify`; these are used when they don't. A flow that
declares a language missing here must write its own (validation says so).
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.types import AskKind

PHRASES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "reask_choice": "Sorry, I didn't quite catch that. Please reply with a number: {options}",
        "reask_yes_no": "Sorry, I didn't quite catch that. Please reply yes or no.",
        "reask_number": "Sorry, I didn't quite catch that. Please reply with a number.",
        "reask_date": "Sorry, I didn't quite catch that. Which day? For example: tomorrow or 21/11",
        "reask_time": "Sorry, I didn't quite catch that. What time? For example: 2pm or half two",
        "reask_text": "Sorry, I didn't quite catch that. Could you say it another way?",
        "clarify": "Did you mean {options}? Please reply with the number.",
        "clarify_yes_no": "Sorry, was that a yes or a no?",
        "or": "or",
        "yes": "Yes",
        "no": "No",
    },
}


def has_language(language: str) -> bool:
    return language in PHRASES


def phrase(language: str, key: str, **values: str) -> str:
    table = PHRASES.get(language, PHRASES["en"])
    return table[key].format(**values)


def reask_key(kind: AskKind) -> str:
    return f"reask_{kind.value}"


def join_options(language: str, options: list[str]) -> str:
    """'1 Good, 2 OK or 3 Low'."""
    if len(options) <= 1:
        return "".join(options)
    word = phrase(language, "or")
    return f"{', '.join(options[:-1])} {word} {options[-1]}"
