"""This module declares what a message template may name: the resident, catalyst, event, buddy…

The bot fills these in when it starts or resumes a session; validation checks every template
against this table, so a misspelt `{{ resident.prefered_name }}` is caught before it is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Each namespace, with every field a template may use and what it holds.
VARIABLES: Mapping[str, Mapping[str, str]] = {
    "resident": {
        "preferred_name": "What the resident likes to be called, e.g. 'Pat'.",
        "first_name": "The resident's first name.",
        "full_name": "The resident's full name.",
        "language": "The language the resident reads, e.g. 'en'.",
        "interests": "What the resident enjoys, in words, e.g. 'jigsaws, bingo'.",
    },
    "catalyst": {
        "first_name": "The catalyst's first name, e.g. 'Abby'.",
        "full_name": "The catalyst's full name.",
    },
    "event": {
        "id": "The event's reference.",
        "title": "The event's name, e.g. 'Chair yoga'.",
        "when": "When it is, in words, e.g. 'Tuesday 24 November, 2pm'.",
        "place": "Where it is, e.g. 'Heath Park Community Centre'.",
        "cost": "What it costs, in words, e.g. 'free' or '£2 with tea'.",
        "access": "Access in words, e.g. 'step-free, seats, hearing loop'.",
        "travel": "How to get there, e.g. 'bus 173 to the door'.",
        "welcome": "Who says hello at the door, e.g. 'Jan will meet you'.",
        "description": "One line about the event.",
    },
    "buddy": {
        "first_name": "The buddy's first name (never their number or handle).",
        "interests": "What the buddy enjoys, in words.",
    },
    "flow": {
        "name": "The flow's name.",
    },
    # Filled in by the bot when a resident asks for check-ins less or more often.
    "rhythm": {
        "current": "The resident's check-in rhythm now, e.g. 'every Tuesday at 10am'.",
        "proposed": "The rhythm offered, e.g. 'every 2 weeks on Tuesday at 10am'.",
        "change": "What they asked for: 'less often' or 'more often'.",
    },
    # Filled in by the bot when a check-in starts: the resident's last answered check-in.
    "last": {
        "mood": "How the last answered check-in went: 'good', 'ok' or 'low' (empty if none).",
        "mood_words": "That mood in words: 'good', 'OK' or 'not so good'.",
        "said": "The resident's own words then, if they wrote more than a choice.",
        "when": "When that was: 'yesterday', 'on Tuesday', 'last week', 'on 3 November'.",
    },
}

#: `results.<name>` is any result saved earlier in the session.
RESULTS = "results"

#: Resident fields a flow may change with `set_field`, and what each holds.
SETTABLE_FIELDS: Mapping[str, str] = {
    "preferred_name": "What the resident likes to be called.",
    "language": "The language code the resident reads.",
    "interests": "What the resident enjoys, in words.",
}

#: The values a template sees: one mapping per namespace.
Context = Mapping[str, Mapping[str, Any]]

#: Sample values for estimating SMS length of templated messages before anyone is named.
SAMPLE: Mapping[str, Mapping[str, str]] = {
    "resident": {
        "preferred_name": "Margaret",
        "first_name": "Margaret",
        "full_name": "Margaret Oyelaran",
        "language": "en",
        "interests": "jigsaws, bingo",
    },
    "catalyst": {"first_name": "Abby", "full_name": "Abby Clarke"},
    "event": {
        "id": "ev-1",
        "title": "Chair yoga and cake",
        "when": "Tuesday 24 November, 2pm",
        "place": "Heath Park Community Centre",
        "cost": "free",
        "access": "step-free, seats",
        "travel": "bus 173",
        "welcome": "Jan meets you",
        "description": "Gentle chair yoga, then cake.",
    },
    "buddy": {"first_name": "William", "interests": "gardening, books"},
    "flow": {"name": "Check-in"},
    "rhythm": {
        "current": "every Tuesday and Friday at 10:30am",
        "proposed": "every 2 months on the first Wednesday at 10:30am",
        "change": "less often",
    },
    "last": {
        "mood": "low",
        "mood_words": "not so good",
        "said": "my knee is bad again and the doctor can't come till Friday",
        "when": "last week",
    },
}
