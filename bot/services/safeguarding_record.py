"""This module puts a safeguarding record into words: what was said and when, the reply, who
was told and how, who it was passed on to, who took it, and what they did."""

from __future__ import annotations

from bot.services.audit import actor_words
from bot.services.safeguarding_texts import language_name
from storage.safeguarding import RecordEntry


def entry_words(entry: RecordEntry, resident_name: str | None) -> str:
    """One entry in plain words."""
    d = entry.detail
    name = resident_name or "The resident"
    match entry.event:
        case "raised":
            urgency = "" if d.get("urgent", True) else ", not marked urgent"
            return (
                f"{name} wrote by {d.get('channel', 'message')}: \u201c{d.get('said', '')}\u201d."
                f" Read as: {d.get('kind_words', d.get('kind', 'a risk'))}"
                f" ({language_name(str(d.get('language', 'en')))}{urgency})."
            )
        case "replied":
            return f"The fixed reply was sent at once: \u201c{d.get('text', '')}\u201d"
        case "reply_held":
            return f"No reply was sent: {d.get('why', '')}."
        case "told":
            if d.get("reached", True):
                return f"{d.get('to')} was told by {d.get('channel')}."
            return f"{d.get('to')} could not be told: they cannot be paged at the moment."
        case "passed_on":
            return (
                f"Nobody had said they were on it after {d.get('minutes')} minutes, so it was"
                f" passed on to {d.get('to')}."
            )
        case "nobody_left":
            return (
                f"Nobody had said they were on it after {d.get('minutes')} minutes, and nobody"
                " is left on the duty list to pass it to."
            )
        case "acknowledged":
            return f"{actor_words(entry.actor)} said they are on it."
        case "note":
            return f"{actor_words(entry.actor)} added: {d.get('note', '')}"
        case "closed":
            return f"{actor_words(entry.actor)} closed it: {d.get('note', '')}"
    return entry.event


def record_history(entries: list[RecordEntry], resident_name: str | None) -> list[tuple[str, str]]:
    """The record as (when, what) lines, oldest first."""
    return [(entry.at, entry_words(entry, resident_name)) for entry in entries]
